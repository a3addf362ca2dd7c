"""Every e-mail WIZZR sends, read as its recipient gets it: the subject, the text part, the HTML part
and the in-app notification, in Dutch and in English.

The mails are found by listing templates/emails, so a new mail is checked without anyone
remembering it. Each needs a scenario below that sends it through the real services (the context
is then what production sends), or else a fixture context, and the view its link must lead to.
"""

from __future__ import annotations

import copy
import datetime
import hashlib
import html as html_lib
import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.core import mail
from django.test import Client, override_settings
from django.urls import resolve, reverse
from django.utils import translation

from catalogue.models import BuildingBlock
from contracts.models import Contract
from contracts.services import contract_hand_over
from knowledgebase import services as knowledgebase_services
from knowledgebase.models import HelpRequest
from monitoring import reminders
from monitoring import services as monitoring_services
from monitoring.models import Assessment, Realisation
from portal import lasting as portal_lasting
from portal import services as portal_services
from portal.models import ReportingPeriod
from tests.contracts.factories import ContractFactory, SupplierFactory
from tests.factories import mark_reauthenticated, member
from tests.monitoring import conftest as monitoring_fixtures
from tests.monitoring.factories import agreement_for
from wizzr.models import Invitation, Notification, OutboxMessage, Role, User
from wizzr.notifications import deliver

pytestmark = pytest.mark.django_db

private_root = monitoring_fixtures.private_root
shipped_catalogues = monitoring_fixtures.shipped_catalogues
v05 = monitoring_fixtures.v05
per_month_block = monitoring_fixtures.per_month_block

D = datetime.date
AMSTERDAM = ZoneInfo("Europe/Amsterdam")
EMAILS = Path(settings.BASE_DIR) / "templates" / "emails"
MAILS = sorted(path.name.removesuffix("_subject.txt") for path in EMAILS.glob("*_subject.txt"))
LANGUAGES = [code for code, _name in settings.LANGUAGES]
MISSING = "MISSING-VALUE"


# The world: Arnhem's contract with a supplier whose name ends in a full stop and holds an ampersand.


@dataclass
class World:
    contract: Contract
    advisor: User
    coordinator: User
    admin: User
    block: BuildingBlock
    client: Client
    supplier_contact: User | None = None
    realisation: Realisation | None = None
    help_request: HelpRequest | None = None


@pytest.fixture
def world(arnhem, alice, carol, erin, per_month_block, client) -> World:
    supplier = SupplierFactory(legal_name="Bouwbedrijf Van den Heuvel & Zonen B.V.")
    contract = ContractFactory(
        organisation=arnhem,
        contract_number="INK-2026-0042",
        title="Onderhoud wegen & groen 't Broek",
        start_date=D(2026, 1, 1),
        end_date=D(2026, 12, 31),
        contract_value=Decimal("250000.00"),
        supplier=supplier,
    )
    contract.contact_persons.add(alice)
    return World(contract=contract, advisor=alice, coordinator=carol, admin=erin, block=per_month_block, client=client)


def on(day: datetime.date):
    """The clock at ten in the morning of ``day`` (Amsterdam)."""
    return time_machine.travel(datetime.datetime(day.year, day.month, day.day, 10, 0, tzinfo=AMSTERDAM), tick=False)


# Scenarios: each drives the real services up to the moment the mail is sent.


def handed_over(w: World) -> None:
    with on(D(2025, 12, 1)):
        contract_hand_over(contract=w.contract, by=w.advisor)


def accepted(w: World) -> None:
    handed_over(w)
    with on(D(2025, 12, 2)):
        monitoring_services.contract_accept(contract=w.contract, by=w.coordinator)


def assigned(w: World) -> None:
    handed_over(w)
    with on(D(2025, 12, 2)):
        monitoring_services.contract_assign(contract=w.contract, coordinator=w.coordinator, by=w.coordinator)


def agreements_recorded(w: World) -> None:
    accepted(w)
    with on(D(2025, 12, 5)):
        agreement_for(w.contract, w.block, by=w.coordinator, persons=1, months=Decimal("6"))
        monitoring_services.agreements_record(contract=w.contract, by=w.coordinator)


def supplier_invited(w: World) -> None:
    agreements_recorded(w)
    # Today: the invitation's link must still be valid when the test follows it.
    portal_services.supplier_invite(
        contract=w.contract, name="Sanne de Bouwer", email="sanne@vandenheuvel.example", by=w.coordinator
    )


def supplier_joined(w: World) -> None:
    agreements_recorded(w)
    company = portal_services.supplier_organisation_for(contract=w.contract)
    w.supplier_contact = member("sam@vandenheuvel.example", company, Role.SUPPLIER, name="Sam van den Heuvel")
    with on(D(2025, 12, 8)):
        portal_services.supplier_invite(
            contract=w.contract, name=w.supplier_contact.name, email=w.supplier_contact.email, by=w.coordinator
        )


def first_quarter(w: World) -> ReportingPeriod:
    portal_services.periods_open(contract=w.contract)
    return ReportingPeriod.objects.get(contract=w.contract, period_start=D(2026, 1, 1))


def first_quarter_submitted(w: World) -> None:
    supplier_joined(w)
    with on(D(2026, 4, 10)):
        period = first_quarter(w)
        agreement = w.contract.agreements.get()
        realisation = Realisation(
            contract=w.contract, agreement=agreement, block=agreement.block,
            period_start=D(2026, 1, 1), period_end=D(2026, 3, 31), candidate_reference="JV-01",
        )
        w.realisation = portal_services.supplier_realisation_save(
            period=period, realisation=realisation, bonuses=[], by=w.supplier_contact
        )
        portal_services.period_submit(period=period, nothing_to_report=False, by=w.supplier_contact)


def nothing_to_report(w: World) -> None:
    supplier_joined(w)
    with on(D(2026, 4, 10)):
        portal_services.period_submit(
            period=first_quarter(w), nothing_to_report=True,
            reason="Voorbereiding van het werk; nog geen plaatsingen.", by=w.supplier_contact,
        )


def approved(w: World) -> None:
    first_quarter_submitted(w)
    with on(D(2026, 4, 15)):
        monitoring_services.realisation_assess(
            realisation=w.realisation, decision=Assessment.Decision.APPROVED, by=w.coordinator
        )


def rejected(w: World) -> None:
    first_quarter_submitted(w)
    with on(D(2026, 4, 15)):
        monitoring_services.realisation_assess(
            realisation=w.realisation, decision=Assessment.Decision.REJECTED,
            reason="De periode klopt niet met de loonstroken.", by=w.coordinator,
        )


def placement_approved(w: World) -> None:
    """An employment placement of the first quarter, approved: its lasting outcome is asked 6 months on."""
    supplier_joined(w)
    with on(D(2026, 4, 10)):
        block = w.contract.follow_up.catalogue_version.blocks.get(name="Participatiewet, uitkering korter dan 2 jaar")
        agreement = agreement_for(w.contract, block, by=w.coordinator, persons=1, hours_per_week=Decimal("36"), months=Decimal("12"))
        realisation = Realisation(
            contract=w.contract, agreement=agreement, block=block, period_start=D(2026, 1, 1),
            period_end=D(2026, 3, 31), candidate_reference="JV-01", hours_per_week=Decimal("36"),
        )
        w.realisation = monitoring_services.realisation_save(realisation=realisation, bonuses=[], by=w.coordinator)
    with on(D(2026, 4, 15)):
        monitoring_services.realisation_assess(realisation=w.realisation, decision=Assessment.Decision.APPROVED, by=w.coordinator)


def lasting_outcome_asked(w: World) -> None:
    placement_approved(w)
    with on(D(2026, 9, 30)):
        portal_lasting.lasting_outcomes_run()


def lasting_outcome_late(w: World) -> None:
    lasting_outcome_asked(w)
    with on(D(2026, 11, 1)):
        portal_lasting.lasting_outcomes_run()


def report_due(w: World) -> None:
    supplier_joined(w)
    with on(D(2026, 4, 24)):
        portal_services.reporting_cycle_run()


def report_overdue(w: World) -> None:
    supplier_joined(w)
    with on(D(2026, 5, 2)):
        portal_services.reporting_cycle_run()


def final_report(w: World) -> None:
    supplier_joined(w)
    with on(D(2027, 2, 10)):
        portal_services.periods_open(contract=w.contract)
        final = ReportingPeriod.objects.get(contract=w.contract, kind=ReportingPeriod.Kind.FINAL)
        portal_services.period_submit(
            period=final, nothing_to_report=True, reason="Geen plaatsingen in de laatste maand.", by=w.supplier_contact
        )


def recovery_period(w: World) -> None:
    final_report(w)
    with on(D(2027, 2, 11)):
        portal_services.settlement_record(
            contract=w.contract, outcome="partly", reason="Te weinig plaatsingen.", recovery_deadline=D(2027, 4, 30),
            withholding_amount=None, withholding_reason="", by=w.coordinator,
        )


def settled(w: World) -> None:
    final_report(w)
    with on(D(2027, 2, 11)):
        portal_services.settlement_record(
            contract=w.contract, outcome="not_realised", reason="Er is niemand geplaatst.", recovery_deadline=None,
            withholding_amount=Decimal("2500.00"), withholding_reason="Naar rato van het tekort.", by=w.coordinator,
        )


def no_agreements_reminder(w: World) -> None:
    accepted(w)
    with on(D(2025, 12, 20)):
        reminders.send_due_reminders()


def below_obligation_reminder(w: World) -> None:
    agreements_recorded(w)
    with on(D(2026, 12, 10)):
        reminders.send_due_reminders()


def no_final_assessment_reminder(w: World) -> None:
    agreements_recorded(w)
    with on(D(2027, 1, 10)):
        reminders.send_due_reminders()


def help_request_asked(w: World) -> None:
    handed_over(w)
    with on(D(2025, 12, 3)):
        w.help_request = knowledgebase_services.help_request_submit(
            organisation=w.contract.organisation, service_point=w.contract.organisation.served_by, asker=w.advisor,
            kind=HelpRequest.Kind.QUESTION, subject="Welke bouwblokken tellen mee?",
            question="Telt een BBL-leerling van de onderaannemer mee voor dit contract?", contract=w.contract,
        )


def change_passed_on(w: World) -> None:
    handed_over(w)
    with on(D(2025, 12, 3)):
        knowledgebase_services.help_request_submit(
            organisation=w.contract.organisation, service_point=w.contract.organisation.served_by, asker=w.advisor,
            kind=HelpRequest.Kind.CHANGE, subject="Einddatum verschoven",
            question="De einddatum wordt 31 maart 2027 (verlenging).", contract=w.contract,
        )


def coordinator_replied(w: World) -> None:
    help_request_asked(w)
    with on(D(2025, 12, 4)):
        knowledgebase_services.help_request_reply(
            help_request=w.help_request, author=w.coordinator, body="Ja, als de leerling op dit werk is ingezet."
        )


def asker_replied(w: World) -> None:
    help_request_asked(w)
    with on(D(2025, 12, 4)):
        knowledgebase_services.help_request_reply(
            help_request=w.help_request, author=w.advisor, body="Ook als het contract al loopt?"
        )


def member_invited(w: World) -> None:
    w.client.force_login(w.admin)
    mark_reauthenticated(w.client, w.admin)
    response = w.client.post(
        reverse("member_invite"),
        {"name": "Noor van 't Hof", "email": "noor@arnhem.example", "role": Role.ADVISOR},
        headers={"accept-language": translation.get_language()},
    )
    assert response.status_code == 302


def pso_discount_expired(w: World) -> None:
    """The supplier's PSO certificate gave the contract a discount at handover and expires during it."""
    from catalogue.models import PsoDiscount
    from monitoring.pso import pso_discounts_recheck
    from tests.suppliers.factories import PsoCertificateFactory

    PsoDiscount.objects.create(version=w.block.version, level="step_2", percentage=Decimal("10"))
    PsoCertificateFactory(kvk_number=w.contract.supplier.kvk_number, valid_from=D(2025, 1, 1), valid_until=D(2026, 3, 31))
    handed_over(w)
    with on(D(2026, 4, 1)):
        pso_discounts_recheck()


SCENARIOS: dict[str, list[Callable[[World], None]]] = {
    "agreements_recorded": [agreements_recorded],
    "contract_accepted": [accepted, assigned],
    "contract_closed": [settled],
    "contract_handed_over": [handed_over],
    "help_request_created": [help_request_asked, change_passed_on],
    "help_request_replied": [coordinator_replied, asker_replied],
    "invitation": [member_invited],
    "realisation_approved": [approved],
    "realisation_submitted": [first_quarter_submitted, nothing_to_report],
    "reminder_below_obligation": [below_obligation_reminder],
    "reminder_no_agreements": [no_agreements_reminder],
    "reminder_no_final_assessment": [no_final_assessment_reminder],
    "supplier_access_granted": [supplier_joined],
    "supplier_invitation": [supplier_invited],
    "supplier_realisation_rejected": [rejected],
    "supplier_recovery_period": [recovery_period],
    "supplier_report_due": [report_due],
    "supplier_report_overdue": [report_overdue],
    "supplier_report_overdue_coordinator": [report_overdue],
    "pso_discount_changed": [pso_discount_expired],
    "pso_discount_changed_coordinator": [pso_discount_expired],
    "lasting_outcome_requested": [lasting_outcome_asked],
    "lasting_outcome_reminder": [lasting_outcome_late],
    "lasting_outcome_overdue_coordinator": [lasting_outcome_late],
}

# A mail that no scenario can send gets a context here (as its sender would build it), sent to the
# coordinator of the world's contract. Prefer a scenario.
FIXTURE_CONTEXTS: dict[str, dict] = {}

# The view each mail's link leads to.
LINKS = {
    "agreements_recorded": "monitoring:contract",
    "contract_accepted": "monitoring:contract",
    "contract_closed": "monitoring:contract",
    "contract_handed_over": "monitoring:workspace",
    "help_request_created": "knowledgebase:help_request_detail",
    "help_request_replied": "knowledgebase:help_request_detail",
    "invitation": "invitation_accept",
    "realisation_approved": "portal:realisation",
    "realisation_submitted": "monitoring:workspace",
    "reminder_below_obligation": "monitoring:workspace",
    "reminder_no_agreements": "monitoring:workspace",
    "reminder_no_final_assessment": "monitoring:workspace",
    "supplier_access_granted": "portal:contract",
    "supplier_invitation": "invitation_accept",
    "supplier_realisation_rejected": "portal:realisation_update",
    "supplier_recovery_period": "portal:contract",
    "supplier_report_due": "portal:contract",
    "supplier_report_overdue": "portal:contract",
    "supplier_report_overdue_coordinator": "monitoring:workspace",
    "pso_discount_changed": "monitoring:contract",
    "pso_discount_changed_coordinator": "monitoring:workspace",
    "lasting_outcome_requested": "portal:lasting_outcome",
    "lasting_outcome_reminder": "portal:lasting_outcome",
    "lasting_outcome_overdue_coordinator": "monitoring:lasting_outcomes",
}


# The checks every part must pass.

INTERNALS = ("<Block Node", "<TextNode", "Node:", "None", "{{", "}}", "{%", "%}", MISSING)
ESCAPED = ("&lt;", "&gt;", "&amp;", "&quot;", "&#x27;", "&#39;")
DOUBLE_FULL_STOP = re.compile(r"(?<!\.)\.\.(?!\.)")
# An empty value between the words: "contract  (", "( )", "(, ", ", )", "‘’".
EMPTY_VALUE = re.compile(r"\S[ \t]{2,}\S|\(\s*[,)]|,\s*\)|[ \t]\)|‘\s*’")


def problems_in(part: str) -> list[str]:
    found = [f"{marker!r} in it" for marker in INTERNALS if marker in part]
    found += [f"double full stop near {m.group()!r}" for m in re.finditer(r".{0,30}" + DOUBLE_FULL_STOP.pattern, part)]
    found += [f"an empty value near {m.group()!r}" for m in EMPTY_VALUE.finditer(part)]
    return found


def plain_problems(text: str) -> list[str]:
    """Plain text (subject, text part, in-app notification): nothing HTML-escaped, no label without a value."""
    found = problems_in(text) + [f"{entity!r} (HTML-escaped) in plain text" for entity in ESCAPED if entity in text]
    lines = text.splitlines()
    for number, line in enumerate(lines):
        if re.search(r":[ \t]+$", line):
            found.append(f"a label without a value: {line!r}")
        elif line.rstrip().endswith(":"):
            following = lines[number + 1] if number + 1 < len(lines) else ""
            if not following.strip():
                found.append(f"a label without a value: {line!r}")
    return found


def html_problems(html: str) -> list[str]:
    found = problems_in(html)
    for pattern in (r"<td>\s*</td>", r":\s+</(p|td|th|li)>", r'href="\s*"', r'href="mailto:"'):
        found += [f"an empty value: {m.group()!r}" for m in re.finditer(pattern, html)]
    return found


def links_of(text: str, html: str) -> list[str]:
    text_links = re.findall(r"https?://\S+", text)
    html_links = [html_lib.unescape(href) for href in re.findall(r'href="([^"]+)"', html) if not href.startswith("mailto:")]
    assert text_links, "the text part has no link"
    assert html_links, "the HTML part has no link"
    assert set(text_links) == set(html_links), (text_links, html_links)
    return text_links


def check_link(link: str, mail_name: str, world: World) -> str:
    """The link is the site's address plus a path that resolves to the mail's view, about the right object."""
    assert link.startswith(settings.SITE_URL + "/"), link
    path = link.removeprefix(settings.SITE_URL)
    assert path.strip("/"), f"the link is only the site's address: {link}"
    match = resolve(path)
    assert match.view_name == LINKS[mail_name], (link, match.view_name)
    if match.view_name.startswith(("monitoring:", "portal:")):
        assert match.kwargs["uuid"] == world.contract.uuid
    if "realisation_uuid" in match.kwargs:
        assert match.kwargs["realisation_uuid"] == world.realisation.uuid
    if match.view_name == "knowledgebase:help_request_detail":
        assert HelpRequest.objects.filter(uuid=match.kwargs["uuid"], contract=world.contract).exists()
    if match.view_name == "invitation_accept":
        token_hash = hashlib.sha256(match.kwargs["token"].encode()).hexdigest()
        assert Invitation.objects.filter(token_hash=token_hash).exists()
    return path


# Mails that name the supplier: one company (KvK number) can have several establishments, so they name
# the establishment (Supplier.establishment_label), never the company name alone.
NAMES_SUPPLIER = {"contract_handed_over", "realisation_submitted"}


def check_establishment_named(mail_name: str, text: str, html: str, world: World, language: str) -> None:
    supplier = world.contract.supplier
    with translation.override(language):
        label = supplier.establishment_label
    assert supplier.branch_number and supplier.branch_number in label and supplier.city in label
    for part, shown in ((text, label), (html, html_lib.escape(label))):
        if mail_name in NAMES_SUPPLIER:
            assert shown in part, f"{mail_name} does not name the establishment {label!r}:\n{part}"
        elif supplier.legal_name in html_lib.unescape(part):
            assert shown in part, f"{mail_name} names the supplier without its establishment:\n{part}"


def missing_values_shown():
    """Templates show a marker for a variable the context lacks (instead of nothing)."""
    templates = copy.deepcopy(settings.TEMPLATES)
    templates[0]["OPTIONS"]["string_if_invalid"] = MISSING + "[%s]"
    return override_settings(TEMPLATES=templates)


def cases():
    for mail_name in MAILS:
        for scenario in SCENARIOS.get(mail_name) or [None]:
            for language in LANGUAGES:
                name = scenario.__name__ if scenario else "fixture"
                yield pytest.param(mail_name, scenario, language, id=f"{mail_name}-{name}-{language}")


def test_every_mail_has_three_parts_a_scenario_or_fixture_context_and_a_link():
    assert "supplier_realisation_rejected" in MAILS
    for mail_name in MAILS:
        for part in ("_body.txt", "_body.html"):
            assert (EMAILS / f"{mail_name}{part}").exists(), f"{mail_name}{part} is missing"
        assert mail_name in SCENARIOS or mail_name in FIXTURE_CONTEXTS, f"{mail_name}: no scenario sends it and no fixture context"
        assert mail_name in LINKS, f"{mail_name}: which view must its link lead to?"


@pytest.mark.parametrize(("mail_name", "scenario", "language"), list(cases()))
def test_the_mail_reads_well_in_both_parts(mail_name, scenario, language, world):
    with translation.override(language):
        if scenario is not None:
            scenario(world)
        else:
            assert mail_name in FIXTURE_CONTEXTS, f"{mail_name}: no scenario sends it and no fixture context"
            for channel in OutboxMessage.Channel.values:
                OutboxMessage.objects.create(
                    organisation=world.coordinator.memberships.first().organisation, channel=channel,
                    recipient=world.coordinator, to_email=world.coordinator.email, template=mail_name,
                    context=FIXTURE_CONTEXTS[mail_name], language=language,
                )
    rows = list(OutboxMessage.objects.filter(template=mail_name).select_related("recipient").order_by("pk"))
    emails = [row for row in rows if row.channel == OutboxMessage.Channel.EMAIL]
    assert emails, f"{scenario.__name__} sent no {mail_name} e-mail"
    mail.outbox.clear()
    before = set(Notification.objects.values_list("pk", flat=True))
    with missing_values_shown():
        for row in rows:
            assert row.language == language
            assert deliver(row.pk)
    notifications = list(Notification.objects.exclude(pk__in=before).order_by("pk"))
    assert len(mail.outbox) == len(emails)

    for row, message in zip(emails, mail.outbox, strict=True):
        subject, text, html = message.subject, message.body, message.alternatives[0].content
        assert message.to == [row.to_email]
        assert subject.strip() and not re.search(r":\s*$", subject), subject
        assert not plain_problems(subject), (subject, plain_problems(subject))
        assert not plain_problems(text), (plain_problems(text), text)
        assert not html_problems(html), (html_problems(html), html)
        assert f'<html lang="{language}">' in html
        name = row.recipient.name if row.recipient else row.context["name"]
        assert name in text and html_lib.escape(name) in html
        check_establishment_named(mail_name, text, html, world, language)
        for link in links_of(text, html):
            path = check_link(link, mail_name, world)
            # The recipient opens it (an invitee has no account yet).
            client = Client()
            if row.recipient is not None:
                client.force_login(row.recipient)
            assert client.get(path).status_code == 200, path

    in_app = [row for row in rows if row.channel == OutboxMessage.Channel.IN_APP]
    for row, notification in zip(in_app, notifications, strict=True):
        assert notification.user == row.recipient and notification.title.strip()
        shown = f"{notification.title}\n{notification.body}"
        assert not plain_problems(shown), (plain_problems(shown), shown)
        check_link(settings.SITE_URL + notification.url, mail_name, world)

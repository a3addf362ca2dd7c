"""The timeline of a contract is complete and the same for the buyer and the coordinator: every
status change and every action, each with who and when."""

import datetime
import html as html_lib
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from contracts import services as contract_services
from contracts.models import Contract
from monitoring import reports, services
from portal import services as portal_services
from tests.contracts.factories import ContractFactory
from tests.factories import member
from tests.monitoring.factories import agreement_for, realisation_for
from wizzr.models import AuditEvent, Role

pytestmark = pytest.mark.django_db

DUTCH_MONTHS = "januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|november|december"


def timeline_items(html: str) -> list[str]:
    """The lines of the timeline as a reader sees them."""
    section = html.split('id="timeline-title"', 1)[1].split("</section>", 1)[0]
    items = re.findall(r"<li[^>]*>(.*?)</li>", section, flags=re.S)
    return [" ".join(html_lib.unescape(re.sub(r"<[^>]+>", " ", item)).split()) for item in items]


@pytest.fixture
def walked(arnhem, alice, carol, colleague, v05, per_month_block):
    """A contract taken through its life by the services, as the screens do."""
    contract = ContractFactory(
        organisation=arnhem, contract_number="INK-TL-1", status=Contract.Status.DRAFT,
        contract_value=Decimal("250000.00"),
    )
    contract_services.contract_hand_over(contract=contract, by=alice)
    services.contract_accept(contract=contract, by=carol)
    services.contract_assign(contract=contract, coordinator=colleague, by=carol)
    agreement = agreement_for(contract, per_month_block, by=carol, persons=1, months=Decimal("6"))
    agreement.months = Decimal("12")
    services.agreement_save(agreement=agreement, bonuses=[], by=carol)
    spare = agreement_for(contract, per_month_block, description="Reserveplek", by=carol, persons=1, months=Decimal("3"))
    services.agreement_delete(agreement=spare, by=carol)
    services.agreements_record(contract=contract, by=carol)
    services.contract_start_execution(contract=contract, by=carol)
    portal_services.supplier_invite(contract=contract, name="Sam Bouwer", email="sam@groenbedrijf.example", by=carol)
    realisation = realisation_for(contract, agreement=agreement, by=carol, candidate_reference="K-1")
    services.realisation_assess(realisation=realisation, decision="approved", by=carol)
    contract.refresh_from_db()
    return contract


EXPECTED = [
    ("Status: Overgedragen", "Alice de Vries"),
    ("Geaccepteerd door de SROI-coördinator", "Carol Visser"),
    ("Toegewezen aan een SROI-coördinator — Gijs Hendriks", "Carol Visser"),
    ("SR-invullingsafspraak toegevoegd", "Carol Visser"),
    ("SR-invullingsafspraak gewijzigd", "Carol Visser"),
    ("SR-invullingsafspraak verwijderd — Werkervaringsplaats / proefplaatsing: Reserveplek", "Carol Visser"),
    ("Status: Afspraken gemaakt", "Carol Visser"),
    ("Status: In uitvoering", "Carol Visser"),
    ("Opdrachtnemer uitgenodigd — sam@groenbedrijf.example", "Carol Visser"),
    ("Realisatie ingediend", "Carol Visser"),
    ("Realisatie goedgekeurd", "Carol Visser"),
]


def assert_complete(items: list[str]) -> None:
    for title, actor in EXPECTED:
        assert any(title in item and item.endswith(f"· {actor}") for item in items), (title, items)
    assert all(re.match(rf"\d{{1,2}} ({DUTCH_MONTHS}) \d{{4}}, \d\d:\d\d ", item) for item in items), items


def test_every_step_shows_on_the_buyers_page_with_who_and_when(client, alice, walked):
    client.force_login(alice)
    html = client.get(reverse("monitoring:contract", args=[walked.uuid])).content.decode()
    assert_complete(timeline_items(html))


def test_every_step_shows_on_the_coordinators_workspace_with_who_and_when(client, carol, walked):
    client.force_login(carol)
    html = client.get(reverse("monitoring:workspace", args=[walked.uuid])).content.decode()
    assert_complete(timeline_items(html))


def test_buyer_and_coordinator_see_the_same_timeline(client, alice, carol, walked):
    client.force_login(alice)
    buyer = timeline_items(client.get(reverse("monitoring:contract", args=[walked.uuid])).content.decode())
    client.force_login(carol)
    coordinator = timeline_items(client.get(reverse("monitoring:workspace", args=[walked.uuid])).content.decode())
    assert buyer == coordinator


def test_the_handover_shows_once(client, alice, walked):
    client.force_login(alice)
    items = timeline_items(client.get(reverse("monitoring:contract", args=[walked.uuid])).content.decode())
    assert sum("Overgedragen" in item for item in items) == 1


def test_events_of_the_objects_of_a_contract_carry_the_contract(walked):
    key = str(walked.uuid)
    for action in ("agreement_created", "agreement_changed", "agreement_deleted", "realisation_submitted",
                   "realisation_approved", "supplier_invited"):
        events = AuditEvent.objects.filter(action=action)
        assert events and all(event.detail["contract"] == key for event in events), action


def test_another_contracts_events_stay_out(client, alice, carol, walked, arnhem, per_month_block):
    other = ContractFactory(organisation=arnhem, contract_number="INK-TL-2", handed_over=True, handed_over_by=alice)
    services.contract_accept(contract=other, by=carol)
    agreement_for(other, per_month_block, description="Andere afspraak", by=carol, persons=2, months=Decimal("6"))
    titles = [event.title for event in reports.timeline(walked)]
    assert titles.count("Geaccepteerd door de SROI-coördinator") == 1
    assert titles.count("SR-invullingsafspraak toegevoegd") == 2  # the kept one and the deleted one


def test_the_timeline_costs_a_fixed_number_of_queries(walked, django_assert_max_num_queries):
    with django_assert_max_num_queries(3):
        events = reports.timeline(walked)
    assert len(events) >= len(EXPECTED)


def test_a_reporting_period_and_a_revoked_access_show_with_who(client, alice, carol, walked):
    from portal.models import ReportingPeriod, SupplierAccess

    company = portal_services.supplier_organisation_for(contract=walked)
    sam = member("sam@groenbedrijf.example", company, Role.SUPPLIER, name="Sam Bouwer")
    portal_services.periods_open(contract=walked, today=datetime.date(2026, 2, 1))
    period = ReportingPeriod.objects.filter(contract=walked).order_by("period_start").first()
    portal_services.period_submit(period=period, nothing_to_report=True, reason="Nog geen inzet", by=sam)
    portal_services.supplier_access_revoke(access=SupplierAccess.objects.get(contract=walked), by=carol)
    client.force_login(alice)
    items = timeline_items(client.get(reverse("monitoring:contract", args=[walked.uuid])).content.decode())
    assert any(
        "Rapportageperiode ingediend — 01-01-2026–31-03-2026 (niets te melden)" in item and item.endswith("· Sam Bouwer")
        for item in items
    ), items
    assert any("Toegang van de opdrachtnemer ingetrokken" in item and item.endswith("· Carol Visser") for item in items)

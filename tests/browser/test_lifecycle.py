"""One contract's whole life, across the four roles and through a year, in Chromium.

The advisor enters the contract, attaches the SROI document and hands it over (confirming in the
dialog); the coordinator finds the attachment, accepts, records the agreements, starts execution and
invites the supplier's contact; the supplier reports in the open period; the coordinator approves;
the advisor sees the realised value and an honest on-track state. Then the clock moves a day at a
time through the contract's year with the scheduled jobs of Celery beat run each morning: every
quarterly period opens, a reminder goes out once, a late report shows as late, the final report is
due a month after the end, the coordinator records the outcome and the advisor sees it. The e-mails
of every step are read, and every link in them is followed.

The clock is moved with time-machine; the live server runs in this process, so it sees the same
time as the test. Every page state is checked for CSP violations and axe (WCAG 2.1 AA).
"""

import os
import re
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from celery.schedules import crontab
from django.conf import settings
from django.core import mail
from django.utils import translation
from django.utils.module_loading import import_string
from playwright.sync_api import expect

from catalogue.models import Region
from contracts.models import Contract
from portal.models import ReportingPeriod
from tests.catalogue.factories import ship_catalogues
from tests.contracts import samples
from tests.contracts.factories import SupplierFactory
from wizzr.models import User
from wizzr.units import add_months

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AMS = ZoneInfo("Europe/Amsterdam")
SHOTS = os.environ.get("WIZZR_SCREENSHOTS", "")
SUPPLIER_PASSWORD = "Bouwplaats-Veilig-2027"


@pytest.fixture(autouse=True)
def private_root(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"


@pytest.fixture
def clock():
    """The test starts on Monday 8 February 2027 at 09:00 in Amsterdam; the clock then runs."""
    with time_machine.travel(datetime(2027, 2, 8, 9, 0, tzinfo=AMS), tick=True) as traveller:
        yield traveller


@pytest.fixture
def establishment(db):
    """One company with three establishments: the advisor must pick the one in Arnhem."""
    for city, branch, street in (("Ede", "000012345001", "Stationsweg"), ("Nijmegen", "000012345002", "Graafseweg")):
        SupplierFactory(legal_name="Bouwbedrijf Van den Heuvel B.V.", kvk_number="12345678", branch_number=branch,
                        street=street, house_number="8", postcode="6711 PM", city=city, is_main_branch=False)
    return SupplierFactory(
        legal_name="Bouwbedrijf Van den Heuvel B.V.", kvk_number="12345678", branch_number="000012345000",
        is_main_branch=True, street="Industrieweg", house_number="14", postcode="6827 AB", city="Arnhem",
    )


def shot(page, name: str) -> None:
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, f"lifecycle-{name}.png"), full_page=True)


def visit(page, check_page, name: str) -> None:
    check_page(page)
    shot(page, name)


class Mailbox:
    """The e-mails sent since the last look, with the checks every mail must pass."""

    def __init__(self):
        self.seen = len(mail.outbox)

    def new(self) -> list:
        """The mails sent since the last look; each one's three parts are read for template leftovers."""
        fresh = mail.outbox[self.seen:]
        self.seen = len(mail.outbox)
        for message in fresh:
            html = message.alternatives[0].content
            for part in (message.subject, message.body, html):
                assert "None" not in part and "{{" not in part and "{%" not in part and "Node" not in part, part
                assert ".." not in part.replace("...", ""), part
        return fresh

    def one(self, to: str, subject: str):
        """The single new mail to ``to`` whose subject contains ``subject``."""
        fresh = self.new()
        found = [m for m in fresh if m.to == [to] and subject in m.subject]
        assert len(found) == 1, f"expected one mail to {to} about {subject!r}, got {[(m.to, m.subject) for m in fresh]}"
        return found[0]

    @staticmethod
    def link(message) -> str:
        """The WIZZR link of the mail (the same in both parts), as a path for the live server."""
        links = re.findall(re.escape(settings.SITE_URL) + r"(/[^\s\"<]*)", message.body)
        assert links, message.body
        assert f'href="{settings.SITE_URL}{links[0]}"' in message.alternatives[0].content
        return links[0]


def switch_user(page, login, user, password=None):
    page.context.clear_cookies()
    login(page, user, password_to_use=password)
    expect(page.get_by_role("heading", name=re.compile("Welkom"))).to_be_visible()


def run_scheduled_jobs(clock, day: date) -> None:
    """The morning of ``day``: every daily job of Celery beat's schedule runs at its own time."""
    jobs = sorted(
        ((entry["schedule"].hour, entry["schedule"].minute, entry["task"]) for entry in settings.CELERY_BEAT_SCHEDULE.values()
         if isinstance(entry["schedule"], crontab)),
    )
    for hours, minutes, task in jobs:
        (hour,), (minute,) = hours, minutes
        clock.move_to(datetime.combine(day, time(hour, minute), tzinfo=AMS))
        # As in a worker process, no request's language is active: the job works in the default language.
        with translation.override(settings.LANGUAGE_CODE):
            import_string(task).apply().get()


def live_through(clock, start: date, end: date) -> None:
    day = start
    while day <= end:
        run_scheduled_jobs(clock, day)
        day += timedelta(days=1)
    clock.move_to(datetime.combine(end, time(9, 0), tzinfo=AMS))


def periods(contract) -> list[tuple[date, date, date, str, str]]:
    return [
        (p.period_start, p.period_end, p.due_date, p.kind, p.status)
        for p in ReportingPeriod.objects.filter(contract=contract).order_by("period_start")
    ]


def test_a_contract_lives_from_entry_to_outcome_across_the_four_roles(
    page, live_server, login, check_page, clock, alice, carol, arnhem, service_point, establishment
):
    ship_catalogues()
    Region.objects.get(slug="oost-nederland").service_points.add(service_point)
    base = live_server.url
    box = Mailbox()

    # 1. The advisor enters the contract, picks the Arnhem establishment and attaches the SROI document.
    switch_user(page, login, alice)
    page.get_by_role("link", name="Opstarten nieuw contract").click()
    page.get_by_label("Inkoopcontractnummer").fill("ARN-2027-001")
    page.get_by_label("Titel").fill("Renovatie zwembad De Grote Koppel")
    page.get_by_label("Startdatum").fill("2027-01-01")
    page.get_by_label("Einddatum").fill("2027-12-31")
    page.get_by_label("Opdrachtsom").fill("250.000")
    expect(page.locator("#sroi-obligation")).to_have_text(re.compile(r"€\s?12\.500,00"))
    page.get_by_role("combobox", name="Uitvoerende partij").press_sequentially("van den heuvel", delay=30)
    page.get_by_role("option", name=re.compile("Van den Heuvel.*Arnhem")).click()
    expect(page.locator("[data-supplier-card]").get_by_text("Industrieweg 14, 6827 AB Arnhem")).to_be_visible()
    page.get_by_role("button", name="Opslaan en verder naar Bijlagen").click()
    page.get_by_label("Bestand 1").set_input_files(
        files=[{"name": "sroi-afspraken.pdf", "mimeType": "application/pdf", "buffer": samples.PDF}]
    )
    page.get_by_role("button", name="Bijlagen toevoegen").click()
    expect(page.get_by_role("table").get_by_role("link", name="sroi-afspraken.pdf")).to_be_visible()
    visit(page, check_page, "01-entered")
    contract = Contract.objects.get(contract_number="ARN-2027-001")
    assert contract.supplier == establishment

    # Hand-over asks for confirmation and summarises what goes to the coordinator.
    page.get_by_role("button", name="Overdragen").click()
    dialog = page.get_by_role("dialog")
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("Bouwbedrijf Van den Heuvel B.V.")
    expect(dialog).to_contain_text("Arnhem")
    expect(dialog).to_contain_text("12.500,00")
    expect(dialog).to_contain_text("sroi-afspraken.pdf")
    visit(page, check_page, "02-confirm")
    dialog.get_by_role("button", name="Overdragen").click()
    expect(page.get_by_role("heading", name="De overdracht is succesvol!")).to_be_visible()
    visit(page, check_page, "03-handed-over")
    handed_over = box.one(carol.email, "ARN-2027-001")

    # 2. The coordinator follows the mail's link, finds the attachment and accepts.
    switch_user(page, login, carol)
    page.goto(base + box.link(handed_over))
    expect(page.get_by_role("heading", name=re.compile("ARN-2027-001"))).to_be_visible()
    expect(page.get_by_role("link", name=re.compile("sroi-afspraken.pdf"))).to_be_visible()
    with page.expect_download() as download:
        page.get_by_role("link", name=re.compile("sroi-afspraken.pdf")).click()
    assert download.value.suggested_filename == "sroi-afspraken.pdf"
    expect(page.get_by_text("Nog geen afspraken").first).to_be_visible()
    visit(page, check_page, "04-workspace-new")
    page.get_by_role("button", name="Contract accepteren").click()
    expect(page.get_by_text("U heeft het contract geaccepteerd en volgt het op.")).to_be_visible()
    accepted = box.one(alice.email, "ARN-2027-001")
    assert "Carol Visser" in accepted.body

    # The agreements: two work-experience places for six months.
    page.get_by_role("link", name="Afspraak toevoegen").click()
    page.get_by_label("Bouwblok", exact=True).select_option(
        label=page.locator("select[name=block] option", has_text="Werkervaringsplaats").first.inner_text()
    )
    page.get_by_label("Omschrijving").fill("Twee werkervaringsplaatsen in de bouw")
    page.get_by_label("Aantal personen").fill("2")
    page.get_by_label("Aantal maanden").fill("6")
    expect(page.get_by_test_id("value-preview")).to_have_text("€ 9.000,00")
    page.get_by_role("button", name="Afspraak opslaan").click()
    page.get_by_role("button", name="Afspraken vastleggen").click()
    expect(page.get_by_text("De afspraken zijn vastgelegd.")).to_be_visible()
    recorded = box.one(alice.email, "SR-invullingsafspraken vastgelegd")
    assert "Twee werkervaringsplaatsen" in recorded.body or "Werkervaringsplaats" in recorded.body
    page.get_by_role("button", name="Naar in uitvoering").click()
    contract.refresh_from_db()
    assert contract.status == Contract.Status.IN_PROGRESS
    # Execution has started: the first quarter is open at once, without waiting for a nightly job.
    assert periods(contract) == [(date(2027, 1, 1), date(2027, 3, 31), date(2027, 4, 30), "regular", "open")]

    # The coordinator invites the supplier's SROI contact.
    page.get_by_role("link", name="Opdrachtnemer uitnodigen").click()
    page.get_by_label("Naam").fill("Sanne de Bouwer")
    page.get_by_label("E-mailadres").fill("sanne@vandenheuvel.example")
    page.get_by_role("button", name="Uitnodiging versturen").click()
    expect(page.get_by_text("De uitnodiging is verstuurd naar sanne@vandenheuvel.example.")).to_be_visible()
    visit(page, check_page, "05-invited")
    invitation = box.one("sanne@vandenheuvel.example", "ARN-2027-001")

    # 3. The supplier accepts, finds the open quarter and reports a month of work experience.
    page.context.clear_cookies()
    page.goto(base + box.link(invitation))
    page.get_by_label("Wachtwoord", exact=True).fill(SUPPLIER_PASSWORD)
    page.get_by_label("Wachtwoord (nogmaals)").fill(SUPPLIER_PASSWORD)
    page.get_by_role("button", name="Uitnodiging accepteren").click()
    sanne = User.objects.get(email="sanne@vandenheuvel.example")
    switch_user(page, login, sanne, SUPPLIER_PASSWORD)
    page.goto(f"{base}/leverancier/contracten/{contract.uuid}/")
    expect(page.get_by_role("heading", name="Rapportages")).to_be_visible()
    expect(page.get_by_text("Periodes openen zodra")).to_have_count(0)
    visit(page, check_page, "06-supplier-contract")
    page.get_by_role("link", name=re.compile("1-1-2027")).click()
    page.get_by_role("link", name="Realisatie toevoegen").click()
    page.get_by_label("SR-invullingsafspraak").select_option(index=1)
    page.get_by_label("Periode van").fill("2027-01-01")
    page.get_by_label("Periode tot en met").fill("2027-01-31")
    page.get_by_label("Kenmerk kandidaat").fill("WP-01")
    expect(page.get_by_test_id("value-preview")).to_have_text("€ 750,00")
    page.get_by_role("button", name="Realisatie indienen").click()
    expect(page.get_by_text("De realisatie is opgeslagen en ingediend ter beoordeling.")).to_be_visible()
    page.get_by_role("link", name="Realisatie toevoegen").click()
    page.get_by_label("SR-invullingsafspraak").select_option(index=1)
    page.get_by_label("Periode van").fill("2027-01-01")
    page.get_by_label("Periode tot en met").fill("2027-01-31")
    page.get_by_label("Kenmerk kandidaat").fill("WP-02")
    page.get_by_role("button", name="Realisatie indienen").click()
    expect(page.get_by_text("De realisatie is opgeslagen en ingediend ter beoordeling.")).to_be_visible()
    page.get_by_role("button", name="Periode indienen").click()
    expect(page.get_by_text("De rapportage over deze periode is ingediend")).to_be_visible()
    submitted = box.one(carol.email, "ARN-2027-001")

    # 4. The coordinator approves both from the mail's link.
    switch_user(page, login, carol)
    page.goto(base + box.link(submitted))
    for reference in ("WP-01", "WP-02"):
        page.get_by_test_id("realisation-row").filter(has_text=reference).get_by_role("link", name="Beoordelen").click()
        page.get_by_role("button", name="Goedkeuren").click()
        expect(page.get_by_text("De realisatie is goedgekeurd")).to_be_visible()
    approvals = [m for m in box.new() if m.to == [sanne.email]]
    assert len(approvals) == 2 and all("goedgekeurd" in m.subject.lower() for m in approvals)

    # 5. The advisor sees € 1.500 realised: 12 % of the obligation after 10 % of the term — on schedule.
    switch_user(page, login, alice)
    page.goto(f"{base}/monitoren/contracten/{contract.uuid}/")
    expect(page.get_by_test_id("figure-approved")).to_have_text("€ 1.500,00")
    expect(page.get_by_test_id("on-track")).to_contain_text("Op schema")
    timeline = page.get_by_test_id("timeline")
    for event in ("Geaccepteerd", "Afspraken gemaakt", "In uitvoering", "uitgenodigd", "goedgekeurd"):
        expect(timeline).to_contain_text(re.compile(event, re.IGNORECASE))
    visit(page, check_page, "07-advisor-on-schedule")

    # 6. A year passes, one morning at a time. The second quarter opens on 1 April.
    live_through(clock, date(2027, 2, 9), date(2027, 4, 1))
    assert periods(contract)[1] == (date(2027, 4, 1), date(2027, 6, 30), date(2027, 7, 31), "regular", "open")
    box.new()
    # A week before the due date the supplier is reminded, once.
    live_through(clock, date(2027, 4, 2), date(2027, 7, 30))
    due = [m for m in box.new() if m.to == [sanne.email]]
    assert [m.subject for m in due] == ["Herinnering: rapportage ARN-2027-001 uiterlijk 31 juli 2027"]
    # Nobody reports: on 1 August the quarter is late; the supplier and the coordinator hear it once.
    live_through(clock, date(2027, 7, 31), date(2027, 8, 9))
    late = box.new()
    assert sorted(m.to[0] for m in late if "te laat" in m.subject) == [carol.email, sanne.email]
    assert periods(contract)[1][4] == "overdue"

    # The supplier sees the quarter as late and reports it late.
    switch_user(page, login, sanne, SUPPLIER_PASSWORD)
    page.goto(f"{base}/leverancier/contracten/{contract.uuid}/")
    late_row = page.get_by_role("row").filter(has_text="1-4-2027")
    expect(late_row).to_contain_text("Te laat")
    visit(page, check_page, "08-supplier-late")
    late_row.get_by_role("link").first.click()
    page.get_by_label("Niets te melden deze periode").check()
    page.get_by_label("Toelichting").fill("Bouwvak en vergunningen; de plaatsingen lopen door in het derde kwartaal.")
    page.get_by_role("button", name="Periode indienen").click()
    expect(page.get_by_text("De rapportage over deze periode is ingediend")).to_be_visible()

    # The third and the final period open in turn; the final report is due a month after the end.
    live_through(clock, date(2027, 8, 10), date(2028, 1, 10))
    assert [(p[0], p[2], p[3]) for p in periods(contract)] == [
        (date(2027, 1, 1), date(2027, 4, 30), "regular"),
        (date(2027, 4, 1), date(2027, 7, 31), "regular"),
        (date(2027, 7, 1), date(2027, 10, 31), "regular"),
        (date(2027, 10, 1), date(2028, 1, 31), "final"),
    ]
    box.new()

    # The supplier reports the rest of the year in the final report (the third quarter is late too).
    switch_user(page, login, sanne, SUPPLIER_PASSWORD)
    page.goto(f"{base}/leverancier/contracten/{contract.uuid}/")
    for start in ("1-7-2027", "1-10-2027"):
        page.get_by_role("row").filter(has_text=start).get_by_role("link").first.click()
        page.get_by_role("link", name="Realisatie toevoegen").click()
        page.get_by_label("SR-invullingsafspraak").select_option(index=1)
        first = date(2027, int(start.split("-")[1]), 1)
        page.get_by_label("Periode van").fill(first.isoformat())
        page.get_by_label("Periode tot en met").fill((add_months(first, 3) - timedelta(days=1)).isoformat())
        page.get_by_label("Kenmerk kandidaat").fill("WP-01")
        page.get_by_role("button", name="Realisatie indienen").click()
        expect(page.get_by_text("De realisatie is opgeslagen en ingediend ter beoordeling.")).to_be_visible()
        page.get_by_role("button", name="Periode indienen").click()
        expect(page.get_by_text("De rapportage over deze periode is ingediend")).to_be_visible()
        page.goto(f"{base}/leverancier/contracten/{contract.uuid}/")

    # 7. The coordinator approves, records the outcome and the shortfall; the advisor sees it.
    switch_user(page, login, carol)
    page.goto(f"{base}/monitoren/opvolging/{contract.uuid}/")
    while page.get_by_role("link", name="Beoordelen").count():
        page.get_by_role("link", name="Beoordelen").first.click()
        page.get_by_role("button", name="Goedkeuren").click()
        expect(page.get_by_text("De realisatie is goedgekeurd")).to_be_visible()
        page.goto(f"{base}/monitoren/opvolging/{contract.uuid}/")
    page.get_by_role("link", name="Eindresultaat en tekort").click()
    page.get_by_label("Deels gerealiseerd").check()
    page.get_by_label("Toelichting").fill("Eén werkervaringsplaats is niet ingevuld.")
    page.get_by_role("button", name="Resultaat vastleggen").click()
    expect(page.get_by_text("Het resultaat is vastgelegd.")).to_be_visible()
    visit(page, check_page, "09-settled")
    closed = box.new()
    assert any(m.to == [alice.email] and "afgerond" in m.subject for m in closed)

    switch_user(page, login, alice)
    page.goto(f"{base}/monitoren/contracten/{contract.uuid}/")
    expect(page.get_by_test_id("outcome")).to_have_text("Deels gerealiseerd")
    expect(page.get_by_test_id("on-track")).to_have_count(0)
    visit(page, check_page, "10-advisor-outcome")
    contract.refresh_from_db()
    assert contract.status == Contract.Status.CLOSED

"""The supplier portal in the browser: the coordinator invites the supplier's SROI contact, who sets a
password, submits two realisations and ‘niets te melden’ for another period; the coordinator approves
one and rejects one; the supplier corrects and resubmits; the buyer sees the new realised value. After the
term the coordinator records the shortfall, a recovery period and the final outcome with a withholding;
the buyer sees them on the contract page and in the consolidated figures.

Every page state is checked for CSP violations and axe (WCAG 2.1 AA). With WIZZR_SCREENSHOTS set to
a folder, each state is also saved as a screenshot.
"""

import os
import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from catalogue.models import Region
from monitoring import services as monitoring_services
from portal import services
from portal.models import ReportingPeriod
from tests.catalogue.factories import ship_catalogues
from tests.contracts.factories import ContractFactory, SupplierFactory
from tests.monitoring.factories import agreement_for
from wizzr.units import add_months

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = os.environ.get("WIZZR_SCREENSHOTS", "")
NEW_PASSWORD = "Bouwplaats-Veilig-2026"


@pytest.fixture(autouse=True)
def private_root(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"


@pytest.fixture(autouse=True)
def shipped_catalogues(transactional_db):
    ship_catalogues()


def shot(page, name: str) -> None:
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, f"supplier-{name}.png"), full_page=True)


def visit(page, check_page, name: str) -> None:
    check_page(page)
    shot(page, name)


@pytest.fixture
def contract(arnhem, alice, carol, service_point):
    """Arnhem's contract, four months under way with quarterly reports: the first quarter is late,
    the second open."""
    Region.objects.get(slug="oost-nederland").service_points.add(service_point)
    start = add_months(timezone.localdate().replace(day=1), -4)
    contract = ContractFactory(
        organisation=arnhem, contract_number="ARN-2026-100", title="Nieuwbouw brede school",
        start_date=start, end_date=add_months(start, 24) - timedelta(days=1), contract_value=Decimal("500000.00"),
        supplier=SupplierFactory(legal_name="Bouwbedrijf Testmans B.V."), handed_over=True, handed_over_by=alice,
        supplier_contact_name="Sanne de Bouwer", supplier_contact_email="sanne@testmans.example",
        remarks_for_coordinator="Intern: let op de planning",
    )
    contract.contact_persons.add(alice)
    monitoring_services.contract_accept(contract=contract, by=carol)
    block = monitoring_services.follow_up_for(contract=contract).catalogue_version.blocks.get(name__startswith="Werkervaringsplaats")
    agreement_for(contract, block, description="Werkervaringsplaatsen op de bouwplaats", by=carol, persons=2, months=Decimal("6"))
    monitoring_services.agreements_record(contract=contract, by=carol)
    contract.refresh_from_db()
    services.periods_open(contract=contract)
    return contract


def switch_user(page, login, user, password=None):
    page.context.clear_cookies()
    login(page, user, password_to_use=password)
    expect(page.get_by_role("heading", name=re.compile("Welkom"))).to_be_visible()


def add_realisation(page, start, end, reference, value):
    page.get_by_role("link", name="Realisatie toevoegen").click()
    page.get_by_label("SR-invullingsafspraak").select_option(index=1)
    page.get_by_label("Periode van").fill(start.isoformat())
    page.get_by_label("Periode tot en met").fill(end.isoformat())
    page.get_by_label("Kenmerk kandidaat").fill(reference)
    expect(page.get_by_test_id("value-preview")).to_have_text(value)


def test_supplier_accounts_for_a_period_and_fixes_a_rejection(page, live_server, login, check_page, contract, carol, alice):
    base = live_server.url
    late, current = ReportingPeriod.objects.filter(contract=contract).order_by("period_start")
    assert late.status == "overdue" and current.status == "open"

    # The coordinator invites the SROI contact the buyer entered.
    switch_user(page, login, carol)
    page.goto(f"{base}/monitoren/opvolging/{contract.uuid}/")
    expect(page.get_by_role("heading", name="Verantwoording door de opdrachtnemer")).to_be_visible()
    page.get_by_role("link", name="Opdrachtnemer uitnodigen").click()
    expect(page.get_by_label("E-mailadres")).to_have_value("sanne@testmans.example")
    visit(page, check_page, "01-invite")
    page.get_by_role("button", name="Uitnodiging versturen").click()
    expect(page.get_by_text("De uitnodiging is verstuurd naar sanne@testmans.example.")).to_be_visible()
    visit(page, check_page, "02-invited")
    link = re.search(r"/uitnodiging/[^\s]+/", mail.outbox[-1].body).group(0)

    # The supplier contact sets a password and logs in.
    page.context.clear_cookies()
    page.goto(base + link)
    visit(page, check_page, "03-accept")
    page.get_by_label("Wachtwoord", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("Wachtwoord (nogmaals)").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Uitnodiging accepteren").click()
    from wizzr.models import User

    sanne = User.objects.get(email="sanne@testmans.example")
    switch_user(page, login, sanne, NEW_PASSWORD)
    visit(page, check_page, "04-start")
    page.get_by_role("link", name=re.compile("Mijn contracten")).click()
    expect(page.get_by_role("link", name="ARN-2026-100", exact=True)).to_be_visible()
    visit(page, check_page, "05-home")
    page.get_by_role("link", name="ARN-2026-100", exact=True).click()
    expect(page.get_by_role("heading", name="Rapportages")).to_be_visible()
    expect(page.get_by_text("Intern: let op de planning")).to_have_count(0)
    visit(page, check_page, "06-contract")

    # Two realisations in the open quarter, with the value shown before sending.
    page.get_by_role("link", name=re.compile(current.period_start.strftime("%-d-%-m-%Y"))).click()
    visit(page, check_page, "07-period")
    add_realisation(page, current.period_start, add_months(current.period_start, 2) - timedelta(days=1), "WP-01", "€ 1.500,00")
    visit(page, check_page, "08-realisation-form")
    page.get_by_role("button", name="Realisatie indienen").click()
    expect(page.get_by_text("De realisatie is opgeslagen en ingediend ter beoordeling.")).to_be_visible()
    add_realisation(page, current.period_start, add_months(current.period_start, 1) - timedelta(days=1), "WP-02", "€ 750,00")
    page.get_by_role("button", name="Realisatie indienen").click()
    expect(page.get_by_text("De realisatie is opgeslagen en ingediend ter beoordeling.")).to_be_visible()
    page.get_by_role("button", name="Periode indienen").click()
    expect(page.get_by_text("De rapportage over deze periode is ingediend")).to_be_visible()

    # ‘Niets te melden’ for the late quarter: first without a reason (refused), then with one.
    page.get_by_role("link", name=re.compile(late.period_start.strftime("%-d-%-m-%Y"))).click()
    page.get_by_label("Niets te melden deze periode").check()
    page.get_by_role("button", name="Periode indienen").click()
    expect(page.get_by_text("Geef een toelichting waarom er deze periode niets te melden is.")).to_be_visible()
    visit(page, check_page, "09-nothing-refused")
    page.get_by_label("Toelichting").fill("Fundering door onderaannemer; nog geen plaatsingen.")
    page.get_by_role("button", name="Periode indienen").click()
    expect(page.get_by_text("De rapportage over deze periode is ingediend")).to_be_visible()
    visit(page, check_page, "10-contract-submitted")

    # The coordinator approves one and rejects the other.
    switch_user(page, login, carol)
    page.goto(f"{base}/monitoren/opvolging/{contract.uuid}/")
    first, second = contract.realisations.order_by("candidate_reference")
    page.goto(f"{base}/monitoren/opvolging/{contract.uuid}/realisaties/{first.uuid}/")
    page.get_by_role("button", name="Goedkeuren").click()
    page.goto(f"{base}/monitoren/opvolging/{contract.uuid}/realisaties/{second.uuid}/")
    page.get_by_label("Reden van afwijzing").fill("De periode is te kort; de plaatsing liep het hele kwartaal.")
    page.get_by_role("button", name="Afwijzen").click()
    expect(page.get_by_text("De realisatie is afgewezen.")).to_be_visible()

    # The supplier sees the rejection on the start page, corrects and resubmits.
    switch_user(page, login, sanne, NEW_PASSWORD)
    page.goto(f"{base}/leverancier/")
    expect(page.get_by_text("De periode is te kort")).to_be_visible()
    visit(page, check_page, "11-home-rejected")
    page.get_by_role("link", name=re.compile("verbeter")).click()
    expect(page.get_by_text("De periode is te kort")).to_be_visible()
    page.get_by_label("Periode tot en met").fill(current.period_end.isoformat())
    expect(page.get_by_test_id("value-preview")).to_have_text("€ 2.250,00")
    visit(page, check_page, "12-correct")
    page.get_by_role("button", name="Opslaan en opnieuw indienen").click()
    expect(page.get_by_text("De realisatie is gewijzigd en opnieuw ingediend")).to_be_visible()
    # The approved one is locked.
    page.goto(f"{base}/leverancier/contracten/{contract.uuid}/realisaties/{first.uuid}/")
    expect(page.get_by_text("Wijzigen is niet meer mogelijk.")).to_be_visible()
    visit(page, check_page, "13-approved-locked")

    switch_user(page, login, carol)
    page.goto(f"{base}/monitoren/opvolging/{contract.uuid}/realisaties/{second.uuid}/")
    page.get_by_role("button", name="Goedkeuren").click()

    # The buyer sees the new realised value.
    switch_user(page, login, alice)
    page.goto(f"{base}/monitoren/contracten/{contract.uuid}/")
    expect(page.get_by_test_id("figure-approved")).to_have_text("€ 3.750,00")
    visit(page, check_page, "14-buyer")


@pytest.fixture
def ended(arnhem, alice, carol, service_point):
    """A term that ended two months ago; the final report is in and assessed, € 1,500 of € 5,000 approved."""
    from monitoring.models import Realisation
    from portal.models import PeriodRealisation
    from tests.factories import member
    from tests.portal.conftest import invite
    from wizzr.models import Role

    Region.objects.get(slug="oost-nederland").service_points.add(service_point)
    today = timezone.localdate()
    contract = ContractFactory(
        organisation=arnhem, contract_number="ARN-2024-007", title="Herinrichting Rijnkade",
        start_date=add_months(today.replace(day=1), -13), end_date=add_months(today.replace(day=1), -1) - timedelta(days=1),
        contract_value=Decimal("100000.00"),
        handed_over=True, handed_over_by=alice,
    )
    monitoring_services.contract_accept(contract=contract, by=carol)
    monitoring_services.contract_set_rhythm(contract=contract, rhythm="yearly", by=carol)
    block = monitoring_services.follow_up_for(contract=contract).catalogue_version.blocks.get(name__startswith="Werkervaringsplaats")
    agreement = agreement_for(contract, block, description="Werkervaringsplaatsen", by=carol, persons=2, months=Decimal("6"))
    monitoring_services.agreements_record(contract=contract, by=carol)
    contract.refresh_from_db()
    supplier = member("sanne@testmans.example", services.supplier_organisation_for(contract=contract), Role.SUPPLIER, name="Sanne")
    invite(contract, supplier)
    services.periods_open(contract=contract)
    for period in ReportingPeriod.objects.filter(contract=contract).order_by("period_start"):
        if period.kind == "final":
            realisation = monitoring_services.realisation_save(
                realisation=Realisation(contract=contract, agreement=agreement, block=block, candidate_reference="WP-1",
                                        period_start=contract.end_date.replace(day=1), period_end=contract.end_date),
                bonuses=[], by=supplier,
            )
            PeriodRealisation.objects.create(organisation=contract.organisation, period=period, realisation=realisation)
            services.period_submit(period=period, nothing_to_report=False, by=supplier)
            monitoring_services.realisation_assess(realisation=realisation, decision="approved", by=carol)
        else:
            services.period_submit(period=period, nothing_to_report=True, reason="Voorbereiding", by=supplier)
    return contract


def test_coordinator_records_shortfall_and_recovery_period_and_the_buyer_sees_the_outcome(page, live_server, login, check_page, ended, carol, alice):
    base = live_server.url
    switch_user(page, login, carol)
    page.goto(f"{base}/monitoren/opvolging/{ended.uuid}/")
    page.get_by_role("link", name="Eindresultaat en tekort").click()
    expect(page.get_by_role("heading", name="Eindresultaat en tekort")).to_be_visible()
    visit(page, check_page, "20-settlement")
    page.get_by_label("Gerealiseerd", exact=True).check()
    page.get_by_role("button", name="Resultaat vastleggen").click()
    expect(page.get_by_text("Er is nog een tekort")).to_be_visible()
    visit(page, check_page, "21-settlement-refused")
    page.get_by_label("Deels gerealiseerd").check()
    page.get_by_label("Toelichting").fill("Twee plaatsingen niet ingevuld.")
    page.get_by_label("Einde herstelperiode").fill(add_months(timezone.localdate(), 3).isoformat())
    page.get_by_role("button", name="Resultaat vastleggen").click()
    expect(page.get_by_text("Het resultaat is vastgelegd.")).to_be_visible()
    expect(page.get_by_test_id("shortfall")).to_have_text("€ 4.250,00")
    visit(page, check_page, "22-recovery")
    page.goto(f"{base}/leverancier/te-laat/")
    visit(page, check_page, "23-overdue-list")

    switch_user(page, login, ended.supplier_accesses.get().user, None)
    page.goto(f"{base}/leverancier/contracten/{ended.uuid}/")
    expect(page.get_by_test_id("shortfall")).to_have_text("€ 4.250,00")
    expect(page.get_by_text("Rapportage herstelperiode")).to_be_visible()
    visit(page, check_page, "24-supplier-recovery")

    # The buyer sees the outcome and the shortfall on the contract page and in the consolidated view.
    switch_user(page, login, alice)
    page.goto(f"{base}/monitoren/contracten/{ended.uuid}/")
    expect(page.get_by_test_id("outcome")).to_have_text("Deels gerealiseerd — herstelperiode loopt")
    expect(page.get_by_test_id("shortfall")).to_have_text("€ 4.250,00")
    expect(page.get_by_text("Herstelperiode tot en met")).to_be_visible()
    visit(page, check_page, "25-buyer-recovery")
    page.goto(f"{base}/monitoren/geconsolideerd/")
    expect(page.get_by_test_id("outcomes-contracts")).to_have_text("1")
    expect(page.get_by_test_id("outcomes-shortfall")).to_have_text("€ 4.250,00")
    visit(page, check_page, "26-buyer-consolidated-outcomes")

    # After the recovery period (nothing more was done) the coordinator records the final outcome
    # with a withholding; the buyer sees both.
    settlement = ended.settlement
    recovery = ReportingPeriod.objects.get(contract=ended, kind="recovery")
    services.period_submit(
        period=recovery, nothing_to_report=True, reason="Geen kandidaten gevonden", by=ended.supplier_accesses.get().user
    )
    services.settlement_finalise(
        settlement=settlement, outcome="partly", reason="", withholding_amount=Decimal("1000.00"),
        withholding_reason="Boete volgens het bestek", by=carol,
    )
    page.goto(f"{base}/monitoren/contracten/{ended.uuid}/")
    expect(page.get_by_test_id("outcome")).to_have_text("Deels gerealiseerd")
    expect(page.get_by_test_id("final-shortfall")).to_have_text("€ 4.250,00")
    expect(page.get_by_test_id("withholding")).to_have_text("€ 1.000,00 — Boete volgens het bestek")
    visit(page, check_page, "27-buyer-settled")
    page.goto(f"{base}/monitoren/geconsolideerd/")
    expect(page.get_by_test_id("outcomes-withheld")).to_have_text("€ 1.000,00")
    visit(page, check_page, "28-buyer-consolidated-settled")

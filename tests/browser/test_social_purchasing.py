"""Social purchasing in the browser: an Arnhem coordinator plans it, records an invoice of a social
company with the invoice itself, is refused an amount flagged as incl. VAT, and approves the invoice;
the buyer's contract page then counts it under "Sociaal inkopen". The supplier's contact records an
invoice in an open reporting period, looking the company up in the registry.

Every page state is checked for CSP violations and axe (WCAG 2.1 AA). With WIZZR_SCREENSHOTS set to
a folder, each state is also saved as a screenshot.
"""

import datetime
import os
import re
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from catalogue.models import Region
from monitoring import services as monitoring_services
from monitoring.models import Evidence, Realisation
from portal import services as portal_services
from portal.models import ReportingPeriod, SupplierAccess
from tests.catalogue.factories import ship_catalogues
from tests.contracts import samples
from tests.contracts.factories import ContractFactory
from tests.factories import member
from tests.monitoring.factories import agreement_for
from tests.suppliers.factories import SupplierFactory
from wizzr.models import Role
from wizzr.units import add_months

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = os.environ.get("WIZZR_SCREENSHOTS", "")
BLOCK = "Inkoop bij een onderneming in het Register Code Sociale Ondernemingen"
INVOICE_FILE = {"name": "factuur-2026-0117.pdf", "mimeType": "application/pdf", "buffer": samples.PDF}


@pytest.fixture(autouse=True)
def private_root(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"


@pytest.fixture(autouse=True)
def shipped_catalogues(transactional_db):
    ship_catalogues()


def shot(page, name: str) -> None:
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, f"social-purchasing-{name}.png"), full_page=True)


def test_an_arnhem_coordinator_records_and_approves_an_invoice_of_a_social_company(
    page, live_server, login, check_page, carol, alice, arnhem, service_point
):
    Region.objects.get(slug="oost-nederland").service_points.add(service_point)
    contract = ContractFactory(
        organisation=arnhem, contract_number="ARN-2026-311", title="Groenonderhoud wijkparken",
        start_date=datetime.date(2026, 1, 1), end_date=datetime.date(2027, 12, 31),
        contract_value=Decimal("400000.00"), handed_over=True, handed_over_by=alice,
    )
    SupplierFactory(legal_name="Werkbedrijf De Brug B.V.", city="Arnhem", street="Brugstraat", house_number="3")

    login(page, carol)
    page.wait_for_url(f"{live_server.url}/")
    page.goto(f"{live_server.url}/monitoren/opvolging/{contract.uuid}/")
    page.get_by_role("button", name="Contract accepteren").click()
    expect(page.get_by_text("U heeft het contract geaccepteerd en volgt het op.")).to_be_visible()

    # The agreement plans an invoice amount; the block counts it for 100 %.
    page.get_by_role("link", name="Afspraak toevoegen").click()
    page.get_by_label("Bouwblok", exact=True).select_option(
        label=page.locator("select[name=block] option", has_text=BLOCK).first.inner_text()
    )
    page.get_by_label("Omschrijving").fill("Catering en groenafval via Werkbedrijf De Brug")
    expect(page.get_by_label("Aantal personen")).to_be_hidden()
    page.get_by_label("Factuurbedrag excl. btw").fill("10.000")
    expect(page.get_by_test_id("value-preview")).to_have_text("€ 10.000,00")
    check_page(page)
    page.get_by_role("button", name="Afspraak opslaan").click()
    expect(page.get_by_text("De afspraak is opgeslagen.")).to_be_visible()
    page.get_by_role("button", name="Afspraken vastleggen").click()
    expect(page.get_by_text("De afspraken zijn vastgelegd.")).to_be_visible()

    # The invoice: the period and the candidate give way to the invoice's fields.
    page.get_by_role("link", name="Realisatie toevoegen").click()
    page.get_by_label("SR-invullingsafspraak").select_option(
        label=page.locator("select[name=agreement] option", has_text="Catering").first.inner_text()
    )
    expect(page.get_by_label("Periode van")).to_be_hidden()
    expect(page.get_by_label("Kenmerk kandidaat")).to_be_hidden()
    company = page.get_by_role("combobox", name="Sociaal bedrijf")
    company.press_sequentially("De Brug", delay=50)
    page.locator("[data-supplier-listbox]").get_by_role("option", name=re.compile("Werkbedrijf De Brug")).click()
    expect(page.locator("[data-supplier-card]").get_by_text("Brugstraat 3")).to_be_visible()
    page.get_by_label("Factuurnummer").fill("2026-0117")
    page.get_by_label("Factuurdatum").fill("2026-03-15")
    page.get_by_label("Factuurbedrag excl. btw").fill("4.250,00")
    expect(page.get_by_test_id("value-preview")).to_have_text("€ 4.250,00")
    page.get_by_label("Bedrag is inclusief btw").check()
    page.locator("#id_evidence").set_input_files(files=[INVOICE_FILE])
    check_page(page)
    shot(page, "invoice-form")

    # Flagged as incl. VAT: refused beside the checkbox, nothing stored, the rest kept.
    page.get_by_role("button", name="Realisatie opslaan").click()
    expect(page.get_by_text("Vul het bedrag exclusief btw in.")).to_be_visible()
    expect(page.get_by_label("Factuurnummer")).to_have_value("2026-0117")
    expect(page.get_by_role("combobox", name="Sociaal bedrijf")).to_have_value("Werkbedrijf De Brug B.V., Arnhem")
    expect(page.get_by_label("Periode van")).to_be_hidden()
    check_page(page)
    shot(page, "invoice-refused")
    assert not Realisation.objects.exists()

    page.get_by_label("Bedrag is inclusief btw").uncheck()
    page.locator("#id_evidence").set_input_files(files=[INVOICE_FILE])
    page.get_by_role("button", name="Realisatie opslaan").click()
    expect(page.get_by_text("De realisatie is opgeslagen en staat klaar om te beoordelen.")).to_be_visible()
    row = page.get_by_test_id("realisation-row").filter(has_text="2026-0117")
    expect(row).to_contain_text("Werkbedrijf De Brug B.V.")

    # Assessment: number, date, company, amount, value and the invoice file, then approve.
    row.get_by_role("link", name="Beoordelen").click()
    expect(page.get_by_test_id("invoice-number")).to_have_text("2026-0117")
    expect(page.get_by_text("15 maart 2026")).to_be_visible()
    expect(page.get_by_role("link", name=re.compile("factuur-2026-0117.pdf"))).to_be_visible()
    expect(page.get_by_test_id("realisation-value")).to_have_text("€ 4.250,00")
    check_page(page)
    page.get_by_role("button", name="Goedkeuren").click()
    expect(page.get_by_text("De realisatie is goedgekeurd")).to_be_visible()
    realisation = Realisation.objects.get()
    assert realisation.status == Realisation.Status.APPROVED
    assert realisation.value == Decimal("4250.00")
    assert Evidence.objects.get().display_name == "factuur-2026-0117.pdf"

    # The buyer's contract page counts it under "Sociaal inkopen".
    page.context.clear_cookies()
    login(page, alice)
    page.wait_for_url(f"{live_server.url}/")
    page.goto(f"{live_server.url}/monitoren/contracten/{contract.uuid}/")
    categories = page.get_by_test_id("contract-categories")
    social = categories.get_by_role("row").filter(has_text="Sociaal inkopen")
    expect(social).to_contain_text("€ 10.000,00")
    expect(social).to_contain_text("€ 4.250,00")
    check_page(page)
    shot(page, "buyer-contract")


def test_the_suppliers_contact_records_an_invoice_and_looks_the_company_up_in_the_registry(
    page, live_server, login, check_page, carol, alice, arnhem, service_point
):
    Region.objects.get(slug="oost-nederland").service_points.add(service_point)
    start = add_months(timezone.localdate().replace(day=1), -4)
    contract = ContractFactory(
        organisation=arnhem, contract_number="ARN-2026-312", title="Schoonmaak stadskantoor",
        start_date=start, end_date=add_months(start, 24) - datetime.timedelta(days=1),
        contract_value=Decimal("300000.00"), handed_over=True, handed_over_by=alice,
    )
    monitoring_services.contract_accept(contract=contract, by=carol)
    block = monitoring_services.follow_up_for(contract=contract).catalogue_version.blocks.get(name=BLOCK)
    agreement_for(contract, block, description="Inkoop bij Werkbedrijf De Brug", by=carol, invoice_amount=Decimal("6000"))
    monitoring_services.agreements_record(contract=contract, by=carol)
    portal_services.periods_open(contract=contract)
    period = ReportingPeriod.objects.get(contract=contract, status=ReportingPeriod.Status.OPEN)
    company = portal_services.supplier_organisation_for(contract=contract)
    sam = member("sam@leverancier.example", company, Role.SUPPLIER, name="Sam Bouwer")
    SupplierAccess.objects.create(organisation=company, contract=contract, user=sam, email=sam.email, name=sam.name, invited_by=carol)
    SupplierFactory(legal_name="Werkbedrijf De Brug B.V.", city="Arnhem", street="Brugstraat", house_number="3")

    login(page, sam)
    page.wait_for_url(re.compile(r".*/leverancier/.*|.*/$"))
    page.goto(f"{live_server.url}/leverancier/contracten/{contract.uuid}/rapportages/{period.uuid}/realisaties/nieuw/")
    page.get_by_label("SR-invullingsafspraak").select_option(
        label=page.locator("select[name=agreement] option", has_text="De Brug").first.inner_text()
    )
    expect(page.get_by_label("Periode van")).to_be_hidden()
    company_box = page.get_by_role("combobox", name="Sociaal bedrijf")
    company_box.press_sequentially("De Brug", delay=50)
    page.locator("[data-supplier-listbox]").get_by_role("option", name=re.compile("Werkbedrijf De Brug")).click()
    # A supplier's contact cannot add companies to the registry.
    expect(page.locator("[data-supplier-add]")).to_have_count(0)
    page.get_by_label("Factuurnummer").fill("WB-88")
    page.get_by_label("Factuurdatum").fill(period.period_start.isoformat())
    page.get_by_label("Factuurbedrag excl. btw").fill("1.500")
    expect(page.get_by_test_id("value-preview")).to_have_text("€ 1.500,00")
    page.locator("#id_evidence").set_input_files(files=[INVOICE_FILE])
    check_page(page)
    shot(page, "supplier-invoice-form")
    page.get_by_role("button", name="Realisatie indienen").click()
    expect(page.get_by_text("De realisatie is opgeslagen en ingediend ter beoordeling.")).to_be_visible()
    realisation = Realisation.objects.get()
    assert (realisation.invoice_number, realisation.social_company.legal_name) == ("WB-88", "Werkbedrijf De Brug B.V.")
    assert realisation.value == Decimal("1500.00")

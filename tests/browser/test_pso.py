"""PSO in the browser: the coordinator records a checked PSO certificate of a supplier from a contract's
workspace (a certificate that had expired before the handover is refused by its field first); a
contract of that supplier handed over afterwards shows the PSO discount on the buyer's contract page.

Every page state is checked for CSP violations and accessibility. With WIZZR_SCREENSHOTS set to a
folder, each state is also saved as a screenshot.
"""

import datetime
import os
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from playwright.sync_api import expect

from catalogue.models import CatalogueVersion, PsoDiscount, Region
from contracts.models import Contract
from suppliers.models import PsoCertificate
from tests.catalogue.factories import ship_catalogues
from tests.contracts.factories import ContractFactory, SupplierFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = os.environ.get("WIZZR_SCREENSHOTS", "")
PDF = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n%%EOF\n"


@pytest.fixture(autouse=True)
def private_root(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"


@pytest.fixture(autouse=True)
def shipped_catalogues(transactional_db):
    ship_catalogues()


def shot(page, name: str) -> None:
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, f"pso-{name}.png"), full_page=True)


def test_a_certified_supplier_gets_the_pso_discount_on_a_contract_handed_over_after_the_check(
    page, live_server, login, check_page, carol, alice, arnhem, service_point
):
    Region.objects.get(slug="oost-nederland").service_points.add(service_point)
    version = CatalogueVersion.objects.in_force_for(service_point=service_point, on=timezone.localdate())
    for level, percentage in [("step_1", "5"), ("step_2", "10"), ("step_3", "15")]:
        PsoDiscount.objects.create(version=version, level=level, percentage=Decimal(percentage))
    supplier = SupplierFactory(legal_name="Groenbedrijf De Linge B.V.", kvk_number="09310001")
    running = ContractFactory(
        organisation=arnhem, supplier=supplier, contract_number="ARN-2026-042", title="Onderhoud openbare ruimte",
        contract_value=Decimal("250000.00"), handed_over=True, handed_over_by=alice,
    )
    later = ContractFactory(
        organisation=arnhem, supplier=supplier, contract_number="ARN-2026-043", title="Groenonderhoud stadsparken",
        start_date=datetime.date(2027, 1, 1), end_date=datetime.date(2028, 12, 31),
        contract_value=Decimal("500000.00"), status=Contract.Status.DRAFT,
    )
    later.contact_persons.add(alice)
    today = timezone.localdate()

    login(page, carol)
    page.goto(f"{live_server.url}{reverse('monitoring:workspace', args=[running.uuid])}")
    expect(page.get_by_role("heading", name="PSO-certificaat van de opdrachtnemer")).to_be_visible()
    expect(page.get_by_text("Van dit bedrijf is geen PSO-certificaat vastgelegd.")).to_be_visible()
    page.get_by_role("link", name="PSO-certificaten vastleggen en controleren").click()
    expect(page.get_by_role("heading", name="PSO-certificaten", level=1)).to_be_visible()
    check_page(page)

    # A certificate that had expired before the contract was handed over is refused by its field.
    page.get_by_label("Niveau", exact=True).select_option(label="trede 2")
    page.get_by_label("Geldig vanaf").fill("2024-01-01")
    page.get_by_label("Geldig tot en met").fill("2024-12-31")
    page.get_by_label("Certificaat", exact=True).set_input_files(
        files=[{"name": "pso-certificaat.pdf", "mimeType": "application/pdf", "buffer": PDF}]
    )
    page.get_by_label("Ik heb het certificaat gecontroleerd").check()
    page.get_by_role("button", name="Certificaat vastleggen").click()
    message = f"Het PSO-certificaat was al verlopen op de datum van overdracht ({date_format(today, 'j F Y')})."
    expect(page.locator("#id_valid_until_error")).to_have_text(message)
    expect(page.get_by_label("Geldig vanaf")).to_have_value("2024-01-01")
    assert not PsoCertificate.objects.exists()
    check_page(page)
    shot(page, "certificate-refused")

    page.get_by_label("Geldig vanaf").fill((today - datetime.timedelta(days=200)).isoformat())
    page.get_by_label("Geldig tot en met").fill((today + datetime.timedelta(days=900)).isoformat())
    page.get_by_label("Certificaat", exact=True).set_input_files(
        files=[{"name": "pso-certificaat.pdf", "mimeType": "application/pdf", "buffer": PDF}]
    )
    page.get_by_role("button", name="Certificaat vastleggen").click()
    expect(page.get_by_text("Het PSO-certificaat (trede 2) is vastgelegd.")).to_be_visible()
    expect(page.get_by_test_id("pso-certificates")).to_contain_text("pso-certificaat.pdf")
    expect(page.get_by_test_id("pso-certificates")).to_contain_text("Carol Visser")
    # The running contract's handover date is covered too: it gets the discount as well.
    expect(page.get_by_test_id("obligation-discount")).to_have_text(
        "Verplichting € 12.500,00, PSO-korting 10 % (trede 2): € 11.250,00"
    )
    check_page(page)
    shot(page, "certificate-recorded")
    certificate = PsoCertificate.objects.get()
    assert certificate.checked_by == carol and certificate.kvk_number == "09310001"
    page.get_by_role("link", name="Terug naar het contract").click()
    panel = page.locator("#pso")
    expect(panel).to_contain_text("PSO trede 2, geldig van")
    expect(panel.get_by_test_id("obligation-discount")).to_have_text(
        "Verplichting € 12.500,00, PSO-korting 10 % (trede 2): € 11.250,00"
    )
    check_page(page)
    shot(page, "workspace")

    # The buyer hands over the next contract of the same company and sees the discount on its page.
    page.context.clear_cookies()
    login(page, alice)
    page.goto(f"{live_server.url}{reverse('contracts:hand_over', args=[later.uuid])}")
    page.get_by_role("button", name="Overdragen").click()
    expect(page.get_by_role("heading", name="De overdracht is succesvol!")).to_be_visible()
    page.goto(f"{live_server.url}{reverse('monitoring:contract', args=[later.uuid])}")
    expect(page.get_by_test_id("obligation-discount")).to_have_text(
        "Verplichting € 25.000,00, PSO-korting 10 % (trede 2): € 22.500,00"
    )
    expect(page.get_by_test_id("figure-obligation")).to_have_text("€ 22.500,00")
    check_page(page)
    shot(page, "buyer-contract")
    later.refresh_from_db()
    assert later.sroi_obligation == Decimal("22500.00")

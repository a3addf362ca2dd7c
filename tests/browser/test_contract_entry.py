"""The whole contract entry flow as a new user does it, with axe and CSP checks on every step."""

import os
import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from contracts.models import Contract
from tests.contracts import samples
from tests.contracts.factories import ContractFactory, SupplierFactory
from tests.factories import member
from wizzr.models import Role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Set WIZZR_SCREENSHOTS to a folder to keep a screenshot of every step.
SHOTS = os.environ.get("WIZZR_SCREENSHOTS", "")


@pytest.fixture(autouse=True)
def private_root(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"


@pytest.fixture
def anouk(arnhem):
    return member("adviseur@arnhem.example", arnhem, Role.ADVISOR, name="Anouk de Vries")


@pytest.fixture
def supplier(db):
    return SupplierFactory(
        legal_name="Groenbedrijf De Linge B.V.", kvk_number="09310001", branch_number="093100010001",
        street="Industrieweg", house_number="14", postcode="6827 AB", city="Arnhem",
    )


def shot(page, name):
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, f"contract-entry-{name}.png"), full_page=True)


def test_an_advisor_enters_a_contract_adds_two_attachments_and_hands_it_over(
    page, live_server, login, check_page, anouk, carol, supplier
):
    login(page, anouk)
    page.get_by_role("link", name="Opstarten nieuw contract").click()
    expect(page.get_by_role("heading", name="Opstarten nieuw contract")).to_be_visible()
    check_page(page)
    shot(page, "1-form")

    # Saving without the mandatory fields: messages beside the fields.
    page.get_by_role("button", name="Opslaan en verder naar Bijlagen").click()
    expect(page.get_by_text("Vul het inkoopcontractnummer in.")).to_be_visible()
    expect(page.get_by_text("Vul de titel in: wat is er ingekocht?")).to_be_visible()
    check_page(page)
    shot(page, "2-form-errors")

    page.get_by_label("Inkoopcontractnummer").fill("ARN-2026-100")
    page.get_by_label("Titel").fill("Groenonderhoud stadsparken")
    page.get_by_label("Startdatum").fill("2026-03-01")
    page.get_by_label("Einddatum").fill("2028-02-29")
    page.get_by_label("Opdrachtsom").fill("250.000")
    expect(page.locator("#sroi-obligation")).to_have_text(re.compile(r"€\s?12\.500,00"))
    supplier_box = page.get_by_role("combobox", name="Uitvoerende partij")
    supplier_box.press_sequentially("Linge", delay=50)
    expect(page.locator("[data-supplier-listbox] [role=option]")).to_have_count(1)
    option = page.get_by_role("option", name=re.compile("Groenbedrijf De Linge"))
    expect(option).to_be_visible()  # typing alone opens the list, for mouse users too
    expect(supplier_box).to_have_attribute("aria-expanded", "true")
    check_page(page)
    option.click()
    expect(page.locator("[data-supplier-card]").get_by_text("Industrieweg 14, 6827 AB Arnhem")).to_be_visible()
    check_page(page)
    shot(page, "3-form-filled")
    page.get_by_role("button", name="Opslaan en verder naar Bijlagen").click()

    # Bijlagen: the plus button adds a second file row.
    expect(page.get_by_role("heading", name="Bijlagen", exact=True)).to_be_visible()
    check_page(page)
    page.get_by_role("button", name="Nog een bestand").click()
    page.get_by_label("Bestand 1").set_input_files(
        files=[{"name": "sroi-afspraken.pdf", "mimeType": "application/pdf", "buffer": samples.PDF}]
    )
    page.get_by_label("Bestand 2").set_input_files(
        files=[{"name": "inschrijving.docx", "mimeType": "application/octet-stream", "buffer": samples.docx()}]
    )
    shot(page, "4-attachments-chosen")
    page.get_by_role("button", name="Bijlagen toevoegen").click()
    table = page.get_by_role("table")
    expect(table.get_by_role("link", name="sroi-afspraken.pdf")).to_be_visible()
    expect(table.get_by_role("link", name="inschrijving.docx")).to_be_visible()
    expect(table.get_by_text("Anouk de Vries").first).to_be_visible()
    check_page(page)
    shot(page, "5-attachments")

    # Overdragen asks for confirmation in a dialog that summarises what is handed over.
    opener = page.get_by_role("button", name="Overdragen")
    opener.click()
    dialog = page.get_by_role("dialog", name="Inkoopcontract overdragen?")
    expect(dialog).to_be_visible()
    expect(dialog.get_by_role("heading", name="Inkoopcontract overdragen?")).to_be_focused()
    expect(dialog).to_contain_text("ARN-2026-100 — Groenonderhoud stadsparken")
    expect(dialog).to_contain_text("Groenbedrijf De Linge B.V.")
    expect(dialog).to_contain_text("Industrieweg 14, 6827 AB Arnhem")
    expect(dialog).to_contain_text("KvK-nummer 09310001, vestigingsnummer 093100010001")
    expect(dialog).to_contain_text(re.compile(r"€\s?12\.500,00"))
    expect(dialog).to_contain_text("sroi-afspraken.pdf")
    expect(dialog).to_contain_text("inschrijving.docx")
    expect(dialog).to_contain_text("Steunpunt SROI Midden-Gelderland")
    check_page(page)
    shot(page, "6-handover-dialog")

    # Annuleren closes it, hands over nothing and puts focus back on the button.
    dialog.get_by_role("button", name="Annuleren").click()
    expect(dialog).to_have_count(0)
    expect(opener).to_be_focused()
    assert Contract.objects.get(contract_number="ARN-2026-100").is_draft

    # Escape closes it too.
    opener.press("Enter")
    expect(dialog).to_be_visible()
    page.keyboard.press("Escape")
    expect(dialog).to_have_count(0)
    expect(opener).to_be_focused()

    opener.click()
    dialog.get_by_role("button", name="Overdragen").click()
    expect(page.get_by_role("heading", name="De overdracht is succesvol!")).to_be_visible()
    expect(page.get_by_text("SR-invullingsafspraken")).to_be_visible()
    check_page(page)
    shot(page, "7-handed-over")
    contract = Contract.objects.get(contract_number="ARN-2026-100")
    assert contract.status == Contract.Status.HANDED_OVER
    assert contract.attachments.count() == 2

    # The coordinator sees the notification.
    page.context.clear_cookies()
    login(page, carol)
    badge = page.get_by_test_id("notification-badge")
    expect(badge).to_contain_text("1")
    page.get_by_role("link", name=re.compile("Notifications|Meldingen")).click()
    expect(page.get_by_text("Inkoopcontract ARN-2026-100 overgedragen door Gemeente Arnhem")).to_be_visible()
    check_page(page)
    shot(page, "8-coordinator-notification")


def test_without_script_overdragen_leads_to_a_confirmation_page(
    browser, live_server, login, check_page, anouk, carol, supplier, arnhem
):
    context = browser.new_context(java_script_enabled=False, locale="nl-NL")
    page = context.new_page()
    try:
        contract = ContractFactory(organisation=arnhem, supplier=supplier, contract_number="ARN-2026-101")
        login(page, anouk)
        page.goto(f"{live_server.url}{reverse('contracts:attachments', args=[contract.uuid])}")
        page.get_by_role("button", name="Overdragen").click()
        expect(page.get_by_role("heading", name="Inkoopcontract overdragen?", level=1)).to_be_visible()
        expect(page.get_by_text("Geen bijlagen")).to_be_visible()
        contract.refresh_from_db()
        assert contract.is_draft
        page.get_by_role("button", name="Overdragen").click()
        expect(page.get_by_role("heading", name="De overdracht is succesvol!")).to_be_visible()
        contract.refresh_from_db()
        assert contract.status == Contract.Status.HANDED_OVER
    finally:
        context.close()


def test_the_confirmation_page_passes_the_checks(page, live_server, login, check_page, anouk, carol, supplier, arnhem):
    contract = ContractFactory(organisation=arnhem, supplier=supplier)
    login(page, anouk)
    page.goto(f"{live_server.url}{reverse('contracts:hand_over', args=[contract.uuid])}")
    expect(page.get_by_role("heading", name="Inkoopcontract overdragen?", level=1)).to_be_visible()
    check_page(page)

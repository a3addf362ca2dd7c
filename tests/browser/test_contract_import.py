"""Importing contracts in the browser: upload a small file, read the dry run, confirm; checked with axe and CSP."""

import pytest
from playwright.sync_api import expect

from contracts.importer import COLUMNS
from contracts.models import Contract
from tests.suppliers.factories import SupplierFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_admin_uploads_a_small_file_reads_the_dry_run_and_confirms(page, live_server, login, check_page, erin, arnhem):
    supplier = SupplierFactory(legal_name="Gemeentewerken Tiël", kvk_number="12121212", branch_number="000012121212")
    text = ";".join(COLUMNS) + "\n" + (
        "INK-1;Straatwerk Tiël;01-02-2026;31-12-2026;12121212;000012121212;Gemeentewerken Tiël;Tiel;"
        "1.250,50;5;werk;Openbare ruimte;concept\n"
    )
    login(page, erin)
    page.goto(f"{live_server.url}/contracten/importeren/")
    check_page(page)
    page.get_by_label("Bestand (.xlsx of .csv)").set_input_files(
        files=[{"name": "contracten.csv", "mimeType": "text/csv", "buffer": text.encode("cp1252")}]
    )
    page.get_by_role("button", name="Controleren").click()
    expect(page.get_by_test_id("import-outcome")).to_have_text("nieuw")
    expect(page.get_by_test_id("import-rows")).to_contain_text("Gemeentewerken Tiël")
    check_page(page)
    assert not Contract.objects.exists()

    page.get_by_role("button", name="Bevestigen en inlezen").click()
    expect(page.get_by_test_id("import-status")).to_have_text("Toegepast")
    expect(page.get_by_role("button", name="Import ongedaan maken")).to_be_visible()
    check_page(page)
    contract = Contract.objects.get()
    assert (contract.title, contract.supplier, contract.status) == ("Straatwerk Tiël", supplier, Contract.Status.DRAFT)

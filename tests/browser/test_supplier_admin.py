"""The registry in Django admin in Chromium: a staff member searches and opens an establishment."""

import pytest
from playwright.sync_api import expect

from tests.contracts.factories import ContractFactory
from tests.factories import UserFactory
from tests.suppliers.factories import SupplierFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Django's own search-box tooltip has an aria-label on a bare span, and its change form groups fields in
# fieldsets named by a heading instead of a legend (not ours to change); the registry's own parts are checked.
DJANGO_ADMIN_WIDGETS = [[".help-tooltip.search-label-icon"]]
DJANGO_CHANGE_FORM = [*DJANGO_ADMIN_WIDGETS, ["fieldset.module.aligned"]]


def test_staff_search_the_registry_by_name_and_kvk_and_open_an_establishment(page, live_server, login, check_page,
                                                                             arnhem):
    staff = UserFactory(email="beheer@wizzr.example", is_staff=True, is_superuser=True)
    rijn = SupplierFactory(legal_name="Bouwgroep Rijn B.V.", kvk_number="12345678", branch_number="000012345678")
    SupplierFactory(legal_name="Bouwgroep Rijn B.V.", trade_name="Bouwgroep Rijn Ede", kvk_number="12345678",
                    branch_number="000012345679", city="Ede", is_main_branch=False)
    SupplierFactory(legal_name="Schildersbedrijf Oost", kvk_number="87654321", branch_number="000087654321")
    ContractFactory(organisation=arnhem, supplier=rijn, contract_number="INK-2026-0042", title="Kademuur herstel")
    login(page, staff)
    page.wait_for_url(f"{live_server.url}/")
    page.goto(f"{live_server.url}/admin/suppliers/supplier/")
    check_page(page, {"exclude": DJANGO_ADMIN_WIDGETS})

    search = page.locator("#searchbar")
    search.fill("bouwgr rijn")
    search.press("Enter")
    results = page.locator("#result_list tbody tr")
    expect(results).to_have_count(2)
    expect(page.locator("#result_list")).not_to_contain_text("Schildersbedrijf Oost")
    check_page(page, {"exclude": DJANGO_ADMIN_WIDGETS})

    page.locator("#searchbar").fill("87654321")
    page.locator("#searchbar").press("Enter")
    expect(results).to_have_count(1)
    expect(results).to_contain_text("Schildersbedrijf Oost")

    page.locator("#searchbar").fill("000012345678")
    page.locator("#searchbar").press("Enter")
    results.first.get_by_role("link", name="Bouwgroep Rijn B.V.").click()
    others = page.get_by_role("region", name="Andere vestigingen van dit bedrijf")
    expect(others).to_contain_text("1 andere vestiging met KvK-nummer 12345678")
    contracts = page.get_by_role("region", name="Inkoopcontracten met deze vestiging")
    expect(contracts).to_contain_text("INK-2026-0042")
    expect(contracts).to_contain_text("Gemeente Arnhem")
    expect(page.locator("input[name=kvk_number]")).to_have_count(0)
    check_page(page, {"exclude": DJANGO_CHANGE_FORM})

    others.get_by_role("link", name="000012345679").click()
    expect(page.get_by_role("region", name="Andere vestigingen van dit bedrijf")).to_contain_text("000012345678")
    check_page(page, {"exclude": DJANGO_CHANGE_FORM})

"""Vergelijken met andere opdrachtgevers in a real browser: from the consolidated figures to the
comparison, another kind of contract, and the organisation admin taking the organisation out.

Every page state is checked for CSP violations and axe (WCAG 2.1 AA).
"""

import pytest
from playwright.sync_api import expect

from catalogue.models import BuildingBlock
from monitoring.benchmarks import benchmarks_compute
from tests.catalogue.factories import RegionFactory
from tests.factories import AuthorityFactory
from tests.monitoring_buyer.factories import block
from tests.monitoring_buyer.test_benchmarks import TOO_FEW, contract_with

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def region_of_six(service_point, arnhem, renkum):
    employment = block(BuildingBlock.Category.EMPLOYMENT)
    contract_with(arnhem, employment, "300.00")
    contract_with(renkum, employment, "100.00")
    for i, approved in enumerate(["200.00", "400.00", "500.00", "600.00"]):
        org = AuthorityFactory(name=f"Gemeente Gelders {i}", slug=f"gelders-{i}", served_by=service_point)
        contract_with(org, employment, approved)
    region = RegionFactory(name="Midden-Gelderland")
    region.service_points.add(service_point)
    benchmarks_compute()
    return region


def test_an_authority_compares_itself_with_its_region_and_its_admin_opts_out(
    page, live_server, login, erin, region_of_six, check_page
):
    login(page, erin)
    page.wait_for_url(f"{live_server.url}/")
    page.goto(f"{live_server.url}/monitoren/geconsolideerd/")
    page.get_by_role("link", name="Vergelijken met andere opdrachtgevers").click()
    page.wait_for_url(f"{live_server.url}/monitoren/vergelijken/")

    expect(page.get_by_role("heading", level=1)).to_have_text("Vergelijken met andere opdrachtgevers")
    expect(page.get_by_test_id("own-realised")).to_have_text("30 %")
    region_row = page.get_by_test_id("group-realised-1")
    expect(region_row).to_contain_text("Midden-Gelderland")
    expect(region_row).to_contain_text("35 %")
    expect(page.get_by_test_id("computed-at")).to_contain_text("berekend op")
    check_page(page)

    page.get_by_label("Soort opdracht", exact=True).select_option(label="Dienst")
    page.get_by_role("button", name="Tonen").click()
    expect(page.get_by_test_id("group-realised-1")).to_contain_text(TOO_FEW)
    check_page(page)

    page.get_by_label("Onze organisatie doet niet mee aan de vergelijking").check()
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_test_id("opted-out")).to_be_visible()
    # Recomputed without Arnhem: five left in the region, the page still shows the comparison.
    expect(page.get_by_test_id("group-realised-1").locator("td").first).to_have_text("5")
    check_page(page)

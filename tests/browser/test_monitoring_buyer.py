"""Monitoren contracten in a real browser: find a contract by filter, open it through the three dots
and the monitor icon, unfold the contract information, the consolidated figures, the exports, and
the row menu and information panel with the keyboard alone.

Every page state is checked for CSP violations and axe (WCAG 2.1 AA). With WIZZR_SCREENSHOTS set to
a folder, each state is also saved as a screenshot.
"""

import csv
import io
import os
import re

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from tests.factories import AuthorityFactory, member
from tests.monitoring_buyer import conftest as buyer_fixtures
from wizzr.models import Role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = os.environ.get("WIZZR_SCREENSHOTS", "")
portfolio = buyer_fixtures.portfolio  # the seeded contracts (see tests/monitoring_buyer/conftest.py)


def shot(page, name: str) -> None:
    if SHOTS:
        # caret="initial": hiding the caret puts style="" on inputs, which htmx would then copy in a swap.
        page.screenshot(path=os.path.join(SHOTS, f"monitoring-{name}.png"), full_page=True, caret="initial")


def results(page):
    return page.locator("#results")


def open_list(page, live_server, login, user) -> None:
    login(page, user)
    page.wait_for_url(f"{live_server.url}/")
    page.get_by_role("link", name="Monitoren contracten").click()
    page.wait_for_url(f"{live_server.url}/monitoren/")


def row_numbers(page) -> list[str]:
    return page.locator("#results tbody tr .mb-table__number").all_inner_texts()


def test_an_advisor_finds_a_contract_by_filter_and_opens_it_through_the_three_dots(
    page,
    live_server,
    login,
    alice,
    portfolio,
    check_page,
):
    open_list(page, live_server, login, alice)
    expect(page.get_by_role("heading", level=1)).to_have_text("Monitoren contracten")
    expect(page.get_by_text("4 contracten gevonden.")).to_be_visible()
    expect(page.get_by_role("link", name="Individueel")).to_have_attribute("aria-current", "page")
    check_page(page)
    shot(page, "list")

    page.get_by_label("Zoeken").fill("stadhuis")
    expect(page.get_by_text("1 contract gevonden.")).to_be_visible()
    expect(page).to_have_url(re.compile(r"[?&]q=stadhuis"))
    assert row_numbers(page) == ["INK-B2"]
    check_page(page)
    shot(page, "list-filtered")

    menu_button = page.get_by_role("button", name="Acties voor INK-B2")
    menu_button.click()
    expect(menu_button).to_have_attribute("aria-expanded", "true")
    monitor = page.get_by_role("menuitem", name="Contract monitoren")
    expect(monitor).to_be_visible()
    expect(monitor).to_be_focused()
    shot(page, "list-menu")
    check_page(page)
    if not monitor.is_visible():  # the axe run moves focus, which closes the menu
        menu_button.click()
    monitor.click()

    page.wait_for_url(re.compile(r"/monitoren/contracten/[0-9a-f-]+/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Schoonmaak stadhuis")
    expect(page.get_by_text("Op schema", exact=True)).to_be_visible()
    expect(page.get_by_role("heading", name="Vragen en informatie")).to_be_visible()
    check_page(page)
    shot(page, "contract")

    page.get_by_text("Tonen inkoopcontract informatie").click()
    people = page.get_by_test_id("people")
    expect(people).to_be_visible()
    expect(people.get_by_role("rowheader", name="Alice de Vries")).to_be_visible()
    expect(people.get_by_role("rowheader", name="Carol Visser")).to_be_visible()
    expect(people).to_contain_text("Regisseur Social Return")
    check_page(page)
    shot(page, "contract-information")

    # Back returns to the filtered list, as it was.
    page.go_back()
    expect(page).to_have_url(re.compile(r"[?&]q=stadhuis"))
    expect(page.get_by_text("1 contract gevonden.")).to_be_visible()
    expect(page.get_by_label("Zoeken")).to_have_value("stadhuis")


def test_sorting_and_paging_update_the_table_and_the_address(page, live_server, login, alice, portfolio, check_page):
    open_list(page, live_server, login, alice)
    page.get_by_role("link", name=re.compile(r"^Gerealiseerd")).click()
    expect(page).to_have_url(re.compile(r"o=-gerealiseerd"))
    expect(page.locator('th[aria-sort="descending"]')).to_contain_text("Gerealiseerd")
    expect(page.locator("#results tbody tr").first).to_contain_text("INK-D4")
    assert row_numbers(page) == ["INK-D4", "INK-B2", "INK-A1", "CONCEPT-3"]
    check_page(page)
    # The sort link keeps focus on its column after the table is replaced.
    expect(page.get_by_role("link", name=re.compile(r"^Gerealiseerd"))).to_be_focused()
    page.get_by_label("Status").select_option(label="Afgerond")
    expect(page.get_by_text("1 contract gevonden.")).to_be_visible()
    expect(page).to_have_url(re.compile(r"status=closed"))
    expect(page).to_have_url(re.compile(r"o=-gerealiseerd"))  # the sort stays
    page.reload()
    expect(page.get_by_label("Status")).to_have_value("closed")
    assert row_numbers(page) == ["INK-D4"]


def test_the_row_menu_and_the_information_panel_work_with_the_keyboard(page, live_server, login, alice, portfolio):
    open_list(page, live_server, login, alice)
    button = page.get_by_role("button", name="Acties voor INK-A1")
    button.focus()
    page.keyboard.press("Enter")
    items = page.locator(f"#{button.get_attribute('aria-controls')} [role=menuitem]")
    expect(items.nth(0)).to_be_focused()
    page.keyboard.press("ArrowDown")
    expect(items.nth(1)).to_be_focused()
    page.keyboard.press("ArrowDown")
    expect(items.nth(0)).to_be_focused()  # wraps around
    page.keyboard.press("Escape")
    expect(items.nth(0)).to_be_hidden()
    expect(button).to_be_focused()
    expect(button).to_have_attribute("aria-expanded", "false")
    page.keyboard.press("ArrowUp")
    expect(items.nth(1)).to_be_focused()  # ArrowUp opens on the last item
    page.keyboard.press("Home")
    expect(items.nth(0)).to_be_focused()
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/monitoren/contracten/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Onderhoud openbare ruimte")

    summary = page.locator("summary", has_text="Tonen inkoopcontract informatie")
    summary.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_test_id("people")).to_be_visible()
    page.keyboard.press("Enter")
    expect(page.get_by_test_id("people")).to_be_hidden()


def test_the_consolidated_totals_match_the_seeded_data(page, live_server, login, alice, portfolio, check_page):
    open_list(page, live_server, login, alice)
    page.get_by_role("link", name="Geconsolideerd").click()
    page.wait_for_url(f"{live_server.url}/monitoren/geconsolideerd/")
    expect(page.get_by_test_id("kpi-contracts")).to_have_text("3")
    expect(page.get_by_test_id("kpi-value")).to_have_text("€ 430.000,00")
    expect(page.get_by_test_id("kpi-obligation")).to_have_text("€ 22.500,00")
    expect(page.get_by_test_id("kpi-planned")).to_have_text("€ 18.500,00")
    expect(page.get_by_test_id("kpi-approved")).to_have_text("€ 12.000,00")
    expect(page.get_by_test_id("kpi-percentage")).to_have_text("53 %")
    expect(page.get_by_test_id("behind-table")).to_contain_text("INK-A1")
    check_page(page)
    shot(page, "consolidated")
    page.get_by_label("Jaar", exact=True).select_option("2023")
    expect(page.get_by_test_id("kpi-contracts")).to_have_text("1")
    expect(page).to_have_url(re.compile(r"year=2023"))
    check_page(page)
    shot(page, "consolidated-2023")


def test_exports_open_with_the_right_rows(page, live_server, login, alice, portfolio, password):
    open_list(page, live_server, login, alice)
    page.get_by_label("Status").select_option(label="In uitvoering")
    expect(page.get_by_text("1 contract gevonden.")).to_be_visible()
    page.get_by_role("link", name="Exporteren naar CSV").click()
    # A bulk export asks for the password again first.
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    page.get_by_label("Wachtwoord").fill(password)
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Bevestigen").click()
    content = open(download_info.value.path(), encoding="utf-8-sig").read()
    table = list(csv.reader(io.StringIO(content), delimiter=";"))
    assert [row[0] for row in table] == ["Inkoopcontractnummer", "INK-A1"]

    page.goto(f"{live_server.url}/monitoren/?o=contractnummer")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Exporteren naar Excel (XLSX)").click()
    sheet = load_workbook(io.BytesIO(open(download_info.value.path(), "rb").read()), read_only=True).active
    assert [row[0] for row in sheet.iter_rows(values_only=True)] == [
        "Inkoopcontractnummer",
        "CONCEPT-3",
        "INK-A1",
        "INK-B2",
        "INK-D4",
    ]

    page.goto(f"{live_server.url}/monitoren/geconsolideerd/")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Exporteren naar CSV").click()
    content = open(download_info.value.path(), encoding="utf-8-sig").read()
    totals = next(csv.reader(io.StringIO(content.split("\n", 1)[1]), delimiter=";"))
    assert totals[:3] == ["Totaal", "Totaal", "3"] and totals[6] == "12000,00"


def test_empty_states_and_a_bad_filter_value_pass_the_checks(
    page,
    live_server,
    login,
    alice,
    service_point,
    portfolio,
    check_page,
):
    login(page, alice)
    page.wait_for_url(f"{live_server.url}/")
    page.goto(f"{live_server.url}/monitoren/?q=bestaatniet&status=bogus")
    expect(page.get_by_text("Er zijn geen inkoopcontracten die aan deze filters voldoen.")).to_be_visible()
    check_page(page)
    shot(page, "list-no-match")
    page.goto(f"{live_server.url}/monitoren/contracten/{portfolio.behind.uuid}/")
    expect(page.get_by_text("Loopt achter op schema")).to_be_visible()
    check_page(page)
    shot(page, "contract-behind")

    page.context.clear_cookies()
    ede = AuthorityFactory(name="Gemeente Ede", slug="ede", served_by=service_point)
    login(page, member("eva@ede.example", ede, Role.ADVISOR, name="Eva de Boer"))
    page.wait_for_url(f"{live_server.url}/")
    page.goto(f"{live_server.url}/monitoren/")
    expect(page.get_by_role("link", name="Opstarten nieuw contract").last).to_be_visible()
    check_page(page)
    shot(page, "list-empty")


def test_the_supplier_filter_is_a_typeahead_over_the_users_own_suppliers(
    page, live_server, login, alice, portfolio, check_page
):
    open_list(page, live_server, login, alice)
    supplier = page.get_by_role("combobox", name="Uitvoerende partij")
    supplier.press_sequentially("glans", delay=30)
    option = page.get_by_role("option", name=re.compile("Glans Schoonmaak"))
    expect(option).to_be_visible()
    check_page(page)  # the list of suppliers open
    shot(page, "supplier-filter-open")
    supplier.press("ArrowDown")
    supplier.press("Enter")
    expect(page).to_have_url(re.compile(r"[?&]supplier=[0-9a-f-]{36}"))
    expect(page.get_by_text("2 contracten gevonden.")).to_be_visible()
    assert sorted(row_numbers(page)) == ["INK-B2", "INK-D4"]
    page.reload()
    expect(page.get_by_role("combobox", name="Uitvoerende partij")).to_have_value(re.compile("^Schoonmaak Oost B.V."))
    assert sorted(row_numbers(page)) == ["INK-B2", "INK-D4"]
    check_page(page)
    # Clearing the field removes the filter.
    page.get_by_role("combobox", name="Uitvoerende partij").fill("")
    expect(page.get_by_text("4 contracten gevonden.")).to_be_visible()
    # Suppliers of other tenants are not offered.
    page.get_by_role("combobox", name="Uitvoerende partij").press_sequentially("renkums", delay=30)
    expect(page.get_by_text("Geen uitvoerende partij van uw contracten gevonden.").first).to_be_attached()
    expect(page.locator("#id_supplier_listbox [role=option]")).to_have_count(0)

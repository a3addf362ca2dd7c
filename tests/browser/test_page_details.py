"""What a careful user notices in Chromium: the knowledge-base button covers nothing at 1366, 768 and
320 px and stays under a modal dialog's backdrop; a corrected field loses its error; the contract
information summary says "Verbergen" when open."""

import pytest
from playwright.sync_api import expect

from tests.contracts.factories import SupplierFactory
from tests.monitoring_buyer import conftest as buyer_fixtures

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

portfolio = buyer_fixtures.portfolio  # the seeded contracts (see tests/monitoring_buyer/conftest.py)
WIDTHS = (1366, 768, 320)

# The topmost element at the centre of each element matched by the selector, once scrolled into view:
# what is found there that is neither the element nor inside it, and lies inside the knowledge-base button.
_COVERED_BY_ROBOT = """
(selector) => {
  const found = [];
  const elements = [...document.querySelectorAll(selector)].filter((el) => el.checkVisibility());
  for (const el of elements) {
    el.scrollIntoView({block: 'center', inline: 'center'});
    const r = el.getBoundingClientRect();
    const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
    if (hit && hit !== el && !el.contains(hit) && hit.closest('.wizzr-robot')) found.push(el.outerHTML.slice(0, 120));
  }
  window.scrollTo(0, 0);
  return {checked: elements.length, found};
}
"""


def covered_by_robot(page, selector: str) -> list[str]:
    result = page.evaluate(_COVERED_BY_ROBOT, selector)
    assert result["checked"] > 0, f"nothing visible matches {selector}"
    return result["found"]


def robot_is_in_the_flow(page) -> None:
    position = page.locator(".wizzr-robot").evaluate("(el) => getComputedStyle(el).position")
    assert position == "static"
    expect(page.get_by_role("banner").get_by_role("link", name="Kennisbank")).to_be_visible()


@pytest.mark.parametrize("width", WIDTHS)
def test_the_knowledge_base_button_covers_nothing_on_the_buyers_pages(
    page, live_server, login, alice, portfolio, width
):
    page.set_viewport_size({"width": width, "height": 900})
    login(page, alice)
    page.wait_for_url(f"{live_server.url}/")

    page.goto(f"{live_server.url}/monitoren/contracten/{portfolio.behind.uuid}/")
    robot_is_in_the_flow(page)
    assert covered_by_robot(page, ".mb-robot, .mb-layout__aside a, .mb-table td:last-child") == []

    page.goto(f"{live_server.url}/monitoren/")
    robot_is_in_the_flow(page)
    assert covered_by_robot(page, ".mb-table__actions button, .mb-table td:last-child") == []

    page.goto(f"{live_server.url}/monitoren/geconsolideerd/")
    robot_is_in_the_flow(page)
    assert covered_by_robot(page, "[class*=chart__value], [class*=chart__label], .mb-kpi__value") == []


@pytest.mark.parametrize("width", WIDTHS)
def test_the_knowledge_base_button_lies_under_the_add_supplier_dialogs_backdrop(page, live_server, login, alice, width):
    SupplierFactory(legal_name="Groenbedrijf De Linge B.V.", kvk_number="09310001", city="Arnhem")
    page.set_viewport_size({"width": width, "height": 900})
    login(page, alice)
    page.wait_for_url(f"{live_server.url}/")
    page.goto(f"{live_server.url}/contracten/nieuw/")
    page.get_by_role("combobox", name="Uitvoerende partij").press_sequentially("Onbekend bedrijf", delay=20)
    page.get_by_role("button", name="Opdrachtnemer toevoegen die nog niet in de lijst staat").click()
    dialog = page.get_by_role("dialog", name="Opdrachtnemer toevoegen")
    dialog.wait_for()
    assert dialog.evaluate("(el) => el.matches(':modal')")  # in the top layer, above everything else
    robot = page.locator(".wizzr-robot").bounding_box()
    hit = page.evaluate(
        "([x, y]) => { const el = document.elementFromPoint(x, y); return el ? el.closest('.wizzr-robot') === null : true; }",
        [robot["x"] + robot["width"] / 2, robot["y"] + robot["height"] / 2],
    )
    assert hit, "the knowledge-base button is above the dialog's backdrop"


def test_a_corrected_field_loses_its_error_until_the_next_submit(page, live_server, login, alice):
    login(page, alice)
    page.wait_for_url(f"{live_server.url}/")
    page.goto(f"{live_server.url}/contracten/nieuw/")
    page.get_by_role("button", name="Opslaan en verder naar Bijlagen").click()
    number_error = page.get_by_text("Vul het inkoopcontractnummer in.")
    title_error = page.get_by_text("Vul de titel in: wat is er ingekocht?")
    expect(number_error).to_be_visible()
    number = page.get_by_label("Inkoopcontractnummer")
    expect(number).to_have_attribute("aria-invalid", "true")

    number.fill("ARN-2026-100")
    expect(number_error).to_have_count(0)
    expect(number).not_to_have_attribute("aria-invalid", "true")
    assert "_error" not in (number.get_attribute("aria-describedby") or "")
    # The other fields keep theirs until they are corrected or the form is sent again.
    expect(title_error).to_be_visible()
    expect(page.get_by_label("Titel")).to_have_attribute("aria-invalid", "true")

    page.get_by_role("button", name="Opslaan en verder naar Bijlagen").click()
    expect(title_error).to_be_visible()
    expect(page.get_by_label("Inkoopcontractnummer")).to_have_value("ARN-2026-100")


def test_the_contract_information_summary_says_what_a_click_does(page, live_server, login, alice, portfolio, check_page):
    login(page, alice)
    page.wait_for_url(f"{live_server.url}/")
    page.goto(f"{live_server.url}/monitoren/contracten/{portfolio.behind.uuid}/")
    summary = page.locator("summary.mb-info__summary")
    expect(summary).to_have_accessible_name("Tonen inkoopcontract informatie")
    summary.click()
    expect(page.get_by_test_id("people")).to_be_visible()
    expect(summary).to_have_accessible_name("Verbergen inkoopcontract informatie")
    expect(summary.get_by_text("Verbergen inkoopcontract informatie")).to_be_visible()
    expect(summary.get_by_text("Tonen inkoopcontract informatie")).to_be_hidden()
    check_page(page)
    summary.click()
    expect(summary).to_have_accessible_name("Tonen inkoopcontract informatie")
    expect(summary.get_by_text("Verbergen inkoopcontract informatie")).to_be_hidden()

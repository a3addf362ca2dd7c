"""The supplier typeahead and the add-supplier dialog in Chromium, keyboard only where it matters."""

import os
import tempfile

import pytest
from playwright.sync_api import expect

from suppliers.models import Supplier
from tests.suppliers.factories import SupplierFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.urls("tests.suppliers.urls")]

SHOTS = os.environ.get("SCREENSHOT_DIR", tempfile.gettempdir())


@pytest.fixture
def registry(db):
    SupplierFactory(legal_name="Bakkerij De Zoete Inval", trade_name="De Zoete Inval", kvk_number="40000001",
                    branch_number="000040000001", street="Kerkstraat", house_number="3", postcode="6811 AB", city="Arnhem",
                    phone="026 111 22 33", email="info@zoeteinval.example", website="https://www.zoeteinval.example")
    SupplierFactory(legal_name="Bakkerij De Zoete Inval", trade_name="De Zoete Inval Ede", kvk_number="40000001",
                    branch_number="000040000002", is_main_branch=False, street="Grotestraat", house_number="10",
                    postcode="6711 AL", city="Ede")
    SupplierFactory(legal_name="Bakkerij Jansen", kvk_number="40000002", city="Zwolle", postcode="8011 AB")
    SupplierFactory(legal_name="Café 't Hoekje", kvk_number="50000001", city="Renkum", postcode="6871 DR")


@pytest.fixture
def form_page(page, live_server, login, alice, registry):
    login(page, alice)
    page.wait_for_url(f"{live_server.url}/")
    page.goto(f"{live_server.url}/test/opdrachtnemer/")
    return page


def combobox(page):
    return page.get_by_role("combobox", name="Uitvoerende partij")


def hidden_value(page) -> str:
    return page.locator("input[type=hidden][name=supplier]").input_value()


def test_typing_opens_a_list_chosen_with_the_keyboard_only(form_page, check_page):
    page = form_page
    page.get_by_label("Titel").fill("Brood voor de kantine")
    page.keyboard.press("Tab")
    box = combobox(page)
    expect_focused(box)
    page.keyboard.type("zoete", delay=30)
    listbox = page.get_by_role("listbox", name="Gevonden opdrachtnemers")
    listbox.wait_for()
    assert box.get_attribute("aria-expanded") == "true"
    assert listbox.get_by_role("option").count() == 2
    expect(page.locator("[data-supplier-status]")).to_contain_text("2 opdrachtnemers gevonden")
    page.keyboard.press("ArrowDown")
    first = listbox.get_by_role("option").first
    assert box.get_attribute("aria-activedescendant") == first.get_attribute("id")
    assert first.get_attribute("aria-selected") == "true"
    page.screenshot(path=f"{SHOTS}/supplier-typeahead-open.png", caret="initial")
    check_page(page)
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowUp")
    page.keyboard.press("Enter")
    assert box.get_attribute("aria-expanded") == "false"
    assert box.input_value() == "Bakkerij De Zoete Inval, Arnhem"
    supplier = Supplier.objects.get(branch_number="000040000001")
    assert hidden_value(page) == str(supplier.uuid)
    card = page.locator("[data-supplier-card]")
    assert card.is_visible()
    assert "Kerkstraat 3, 6811 AB Arnhem" in card.text_content()
    assert "026 111 22 33" in card.text_content() and "000040000001" in card.text_content()
    page.screenshot(path=f"{SHOTS}/supplier-typeahead-selected.png", caret="initial")
    check_page(page)
    page.keyboard.press("Tab")  # the add button
    page.keyboard.press("Tab")  # the submit button
    page.keyboard.press("Enter")
    page.wait_for_selector("#chosen")
    assert page.locator("#chosen").text_content() == "Gekozen: Bakkerij De Zoete Inval (40000001)"


def expect_focused(locator):
    assert locator.evaluate("element => element === document.activeElement")


def test_escape_closes_the_list_and_clearing_the_text_clears_the_choice(form_page):
    page = form_page
    box = combobox(page)
    box.click()
    page.keyboard.type("jansen", delay=20)
    page.get_by_role("option").first.wait_for()
    page.keyboard.press("Escape")
    assert box.get_attribute("aria-expanded") == "false"
    assert box.input_value() == "jansen"
    page.keyboard.press("ArrowDown")
    page.get_by_role("option").first.wait_for()
    page.keyboard.press("Enter")
    assert hidden_value(page) != ""
    events = page.evaluate("window.__supplierEvents || []")
    assert events == []
    page.evaluate("""() => {
        window.__supplierEvents = [];
        document.addEventListener('supplierCleared', () => window.__supplierEvents.push('cleared'));
    }""")
    page.keyboard.press("Escape")  # list closed: Escape clears the text
    assert box.input_value() == ""
    assert hidden_value(page) == ""
    assert not page.locator("[data-supplier-card]").is_visible()
    assert page.evaluate("window.__supplierEvents") == ["cleared"]


def test_selecting_fires_supplier_selected_with_the_supplier_data(form_page):
    page = form_page
    page.evaluate("""() => document.addEventListener('supplierSelected', (e) => { window.__selected = e.detail; })""")
    combobox(page).click()
    page.keyboard.type("cafe", delay=20)  # no accent typed
    option = page.get_by_role("option").first
    option.wait_for()
    assert "Café 't Hoekje" in option.text_content()
    option.click()
    detail = page.evaluate("window.__selected")
    assert detail["legal_name"] == "Café 't Hoekje" and detail["kvk_number"] == "50000001"
    assert detail["uuid"] == hidden_value(page)


def test_no_match_is_announced_with_a_pointer_to_the_add_button(form_page):
    page = form_page
    combobox(page).click()
    page.keyboard.type("xqzvbnw", delay=20)
    message = page.locator("[data-supplier-message]")
    message.wait_for()
    assert "Voeg hem toe met de knop naast het veld" in message.text_content()
    assert combobox(page).get_attribute("aria-expanded") == "false"


def test_a_new_supplier_is_added_in_the_dialog_with_the_keyboard_only(form_page, check_page):
    page = form_page
    box = combobox(page)
    box.click()
    page.keyboard.type("Hoveniersbedrijf Groenrijk", delay=10)
    page.keyboard.press("Tab")
    add_button = page.get_by_role("button", name="Opdrachtnemer toevoegen die nog niet in de lijst staat")
    expect_focused(add_button)
    page.keyboard.press("Enter")
    dialog = page.get_by_role("dialog", name="Opdrachtnemer toevoegen")
    dialog.wait_for()
    name = dialog.get_by_label("Statutaire naam")
    expect_focused(name)
    assert name.input_value() == "Hoveniersbedrijf Groenrijk"
    page.screenshot(path=f"{SHOTS}/supplier-dialog-open.png", caret="initial")
    check_page(page)
    # Fill in with Tab and typing only, with a KvK number that is too short.
    page.keyboard.press("Tab")  # trade name
    page.keyboard.press("Tab")
    page.keyboard.type("1234567")
    page.keyboard.press("Tab")
    page.keyboard.type("000012345678")
    page.keyboard.press("Tab")  # main branch checkbox
    page.keyboard.press("Space")
    page.keyboard.press("Tab")
    page.keyboard.type("Parkweg")
    page.keyboard.press("Tab")
    page.keyboard.type("7")
    page.keyboard.press("Tab")
    page.keyboard.type("6821ab")
    page.keyboard.press("Tab")
    page.keyboard.type("Arnhem")
    page.keyboard.press("Enter")
    error = dialog.get_by_text("Een KvK-nummer bestaat uit 8 cijfers.")
    error.wait_for()
    assert dialog.get_by_label("Plaats").input_value() == "Arnhem"
    kvk = dialog.get_by_label("KvK-nummer")
    assert kvk.input_value() == "1234567" and kvk.get_attribute("aria-invalid") == "true"
    expect_focused(kvk)
    page.screenshot(path=f"{SHOTS}/supplier-dialog-invalid.png", caret="initial")
    check_page(page)
    page.keyboard.press("End")
    page.keyboard.type("8")
    page.keyboard.press("Enter")
    expect(page.locator("[data-supplier-dialog]")).to_have_count(0)
    supplier = Supplier.objects.get(kvk_number="12345678")
    assert supplier.source == Supplier.Source.USER and supplier.postcode == "6821 AB" and supplier.is_main_branch
    assert hidden_value(page) == str(supplier.uuid)
    assert box.input_value() == "Hoveniersbedrijf Groenrijk, Arnhem"
    expect_focused(box)
    assert "Parkweg 7, 6821 AB Arnhem" in page.locator("[data-supplier-card]").text_content()


def test_a_duplicate_offers_the_existing_entry_instead(form_page, check_page):
    page = form_page
    page.get_by_role("button", name="Opdrachtnemer toevoegen die nog niet in de lijst staat").click()
    dialog = page.get_by_role("dialog", name="Opdrachtnemer toevoegen")
    dialog.wait_for()
    dialog.get_by_label("Statutaire naam").fill("Zoete Inval Twee")
    dialog.get_by_label("KvK-nummer").fill("40000001")
    dialog.get_by_label("Vestigingsnummer").fill("000040000002")
    dialog.get_by_label("Straat").fill("Grotestraat")
    dialog.get_by_label("Huisnummer").fill("10")
    dialog.get_by_label("Postcode").fill("6711 AL")
    dialog.get_by_label("Plaats").fill("Ede")
    dialog.get_by_role("button", name="Opdrachtnemer toevoegen").click()
    pick = dialog.get_by_role("button", name="Kies Bakkerij De Zoete Inval")
    pick.wait_for()
    assert "staat al in het register" in dialog.text_content()
    expect_focused(dialog.get_by_role("alert"))
    page.screenshot(path=f"{SHOTS}/supplier-dialog-duplicate.png", caret="initial")
    check_page(page)
    pick.press("Enter")
    expect(page.locator("[data-supplier-dialog]")).to_have_count(0)
    existing = Supplier.objects.get(branch_number="000040000002")
    assert hidden_value(page) == str(existing.uuid)
    expect_focused(combobox(page))
    assert Supplier.objects.filter(kvk_number="40000001").count() == 2


def test_escape_closes_the_dialog_and_returns_focus_to_the_button(form_page):
    page = form_page
    button = page.get_by_role("button", name="Opdrachtnemer toevoegen die nog niet in de lijst staat")
    button.focus()
    page.keyboard.press("Enter")
    page.get_by_role("dialog").wait_for()
    page.keyboard.press("Escape")
    expect(page.locator("[data-supplier-dialog]")).to_have_count(0)
    expect_focused(button)

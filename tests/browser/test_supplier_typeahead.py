"""The supplier typeahead and the add-supplier dialog in Chromium, keyboard only where it matters."""

import os
import re
import tempfile

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from suppliers.models import Supplier
from suppliers.options import accessible_name
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


def hold_search_answers(page) -> list:
    """Hold back every answer of the registry search until the test releases it (``route.continue_()``);
    ``window.__searchAnswers`` counts the answers the widget has finished handling."""
    held = []
    page.route(lambda url: "/zoeken/" in url, lambda route: held.append(route))
    page.evaluate("""() => {
        window.__searchAnswers = 0;
        document.addEventListener('htmx:afterRequest', (event) => {
            if ((event.detail.pathInfo.requestPath || '').includes('/zoeken/')) { window.__searchAnswers += 1; }
        });
    }""")
    return held


def widget_state(page) -> dict:
    """What a search answer could change in the widget: the field, the list (in the DOM, shown or not),
    the visible message, the live region and the hint."""
    return page.evaluate("""() => {
        const root = document.querySelector('[data-supplier-typeahead]');
        const input = root.querySelector('[data-supplier-input]');
        return {
            value: input.value, expanded: input.getAttribute('aria-expanded'),
            active: input.getAttribute('aria-activedescendant'),
            options: root.querySelectorAll('[data-supplier-listbox] [role=option]').length,
            popover: root.querySelector('[data-supplier-popover]').hidden,
            message: root.querySelector('[data-supplier-message]').textContent,
            status: root.querySelector('[data-supplier-status]').textContent,
            more: root.querySelector('[data-supplier-more]').textContent,
        };
    }""")


def release(page, held: list) -> None:
    """Let the held answers through and wait until the widget has handled each of them."""
    assert held, "no search was held back"
    handled = page.evaluate("window.__searchAnswers")
    count = len(held)
    while held:
        held.pop(0).continue_()
    page.wait_for_function("(n) => window.__searchAnswers >= n", arg=handled + count)
    # And whatever the widget does a moment later (the live region is filled after 50 ms).
    page.evaluate("() => new Promise((resolve) => setTimeout(resolve, 200))")


def test_a_new_supplier_is_added_in_the_dialog_with_the_keyboard_only(form_page, check_page):
    page = form_page
    # A namesake elsewhere: the search for the typed name has an answer that would open the list.
    SupplierFactory(legal_name="Hoveniersbedrijf Groenrijk", kvk_number="55500001", city="Zwolle", postcode="8011 AA")
    held = hold_search_answers(page)
    box = combobox(page)
    box.click()
    with page.expect_request(lambda request: "/zoeken/" in request.url):
        page.keyboard.type("Hoveniersbedrijf Groenrijk", delay=10)
    page.keyboard.press("Tab")
    add_button = page.get_by_role("button", name="Opdrachtnemer toevoegen die nog niet in de lijst staat")
    expect_focused(add_button)
    page.keyboard.press("Enter")
    dialog = page.get_by_role("dialog", name="Opdrachtnemer toevoegen")
    dialog.wait_for()
    name = dialog.get_by_label("Statutaire naam")
    expect(name).to_be_focused()
    assert name.input_value() == "Hoveniersbedrijf Groenrijk"
    # Only now the search for the typed name answers (one match), behind the open dialog: it
    # changes nothing there, opens no list and leaves focus where it is.
    before = widget_state(page)
    release(page, held)
    expect(name).to_be_focused()
    assert widget_state(page) == before
    assert before["value"] == "Hoveniersbedrijf Groenrijk" and before["expanded"] == "false" and before["options"] == 0
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
    expect(kvk).to_be_focused()
    assert box.get_attribute("aria-expanded") == "false" and page.get_by_role("option").count() == 0
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
    expect(box).to_be_focused()
    assert "Parkweg 7, 6821 AB Arnhem" in page.locator("[data-supplier-card]").text_content()
    assert box.get_attribute("aria-expanded") == "false" and page.get_by_role("option").count() == 0


def test_a_late_answer_does_not_open_the_list_behind_the_dialog(heuvel_page):
    page = heuvel_page
    held = hold_search_answers(page)
    box = combobox(page)
    box.click()
    with page.expect_request(lambda request: "/zoeken/" in request.url):
        page.keyboard.type("van den heuvel", delay=10)
    add_button = page.get_by_role("button", name="Opdrachtnemer toevoegen die nog niet in de lijst staat")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    dialog = page.get_by_role("dialog", name="Opdrachtnemer toevoegen")
    name = dialog.get_by_label("Statutaire naam")
    expect(name).to_be_focused()
    before = widget_state(page)
    release(page, held)  # three matches, answered while the dialog is open
    expect(name).to_be_focused()
    assert widget_state(page) == before
    assert before["expanded"] == "false" and before["options"] == 0
    page.keyboard.press("Escape")
    expect(page.locator("[data-supplier-dialog]")).to_have_count(0)
    expect(add_button).to_be_focused()
    assert box.get_attribute("aria-expanded") == "false" and box.input_value() == "van den heuvel"
    # Back in the field, the search is asked again and answered as usual.
    page.unroute_all()
    box.focus()
    page.keyboard.press("ArrowDown")
    expect(page.get_by_role("option")).to_have_count(3)
    assert box.get_attribute("aria-expanded") == "true"


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


# Bouwbedrijf Van den Heuvel: one company (KvK number), three establishments that must not look alike.

HEUVEL = "Bouwbedrijf Van den Heuvel B.V."
# The SROI contact the registry knows for the establishment in Ede (none for the others).
EDE_CONTACT = {"contact_name": "Eva de Bruin", "contact_email": "e.debruin@vandenheuvel.example", "contact_phone": "0318 123 456"}


@pytest.fixture
def heuvel(db):
    common = {"legal_name": HEUVEL, "trade_name": "Van den Heuvel Bouw", "kvk_number": "30012345"}
    return {
        "arnhem": SupplierFactory(**common, branch_number="000012345678", is_main_branch=True, street="Velperweg",
                                  house_number="10", postcode="6824 BJ", city="Arnhem"),
        "ede": SupplierFactory(**common, branch_number="000012345679", is_main_branch=False, street="Galvanistraat",
                               house_number="5", postcode="6716 AE", city="Ede", **EDE_CONTACT),
        "nijmegen": SupplierFactory(**common, branch_number="000012345680", is_main_branch=False, street="Graafseweg",
                                    house_number="200", postcode="6532 ZV", city="Nijmegen"),
    }


@pytest.fixture
def heuvel_page(form_page, heuvel):
    return form_page


# Per option: its box, the boxes of its lines (name, address, numbers), the top of the next option, whether
# anything overflows it sideways, and per line whether its text shows against the option's background.
OPTION_BOXES = """
(listbox) => [...listbox.querySelectorAll('[role=option]')].map((option, i, all) => {
  const box = option.getBoundingClientRect();
  const background = getComputedStyle(option).backgroundColor;
  const lines = [...option.querySelectorAll('.wizzr-typeahead__line')];
  return {
    text: option.textContent.trim().replace(/\\s+/g, ' '),
    box: {top: box.top, bottom: box.bottom, left: box.left, right: box.right},
    nextTop: all[i + 1] ? all[i + 1].getBoundingClientRect().top : null,
    overflows: option.scrollWidth > option.clientWidth + 1,
    lines: lines.map((line) => {
      const r = line.getBoundingClientRect();
      return {top: r.top, bottom: r.bottom, left: r.left, right: r.right, text: line.textContent.trim(),
              visible: line.checkVisibility({checkOpacity: true, checkVisibilityCSS: true}),
              contrasts: getComputedStyle(line).color !== background};
    }),
  };
})
"""


def assert_options_fully_visible(page, width: int) -> list[dict]:
    listbox = page.get_by_role("listbox", name="Gevonden opdrachtnemers")
    options = listbox.evaluate(OPTION_BOXES)
    assert options, "no options shown"
    for option in options:
        box = option["box"]
        assert box["right"] <= width + 0.5 and box["left"] >= -0.5, (width, option)
        assert not option["overflows"], (width, option["text"])
        assert len(option["lines"]) == 3, option
        for line in option["lines"]:
            assert line["text"] and line["visible"] and line["contrasts"], (width, line)
            assert line["bottom"] > line["top"]
            assert line["top"] >= box["top"] - 0.5 and line["bottom"] <= box["bottom"] + 0.5, (width, line, box)
            assert line["left"] >= box["left"] - 0.5 and line["right"] <= box["right"] + 0.5, (width, line, box)
        if option["nextTop"] is not None:
            assert option["nextTop"] >= box["bottom"] - 0.5, (width, option)
    return options


@pytest.mark.parametrize(("width", "text_zoom"), [(320, 100), (1366, 100), (1366, 200), (640, 200)])
def test_options_show_everything_that_tells_establishments_apart(heuvel_page, check_page, width, text_zoom):
    page = heuvel_page
    page.set_viewport_size({"width": width, "height": 900})
    if text_zoom != 100:
        page.evaluate("(zoom) => { document.documentElement.style.fontSize = zoom + '%'; }", text_zoom)
    combobox(page).click()
    page.keyboard.type("heuvel", delay=20)
    listbox = page.get_by_role("listbox", name="Gevonden opdrachtnemers")
    expect(listbox.get_by_role("option")).to_have_count(3)
    options = assert_options_fully_visible(page, width)
    texts = [option["text"] for option in options]
    assert any("Velperweg 10, 6824 BJ Arnhem" in t and "000012345678" in t and "hoofdvestiging" in t for t in texts)
    assert any("Galvanistraat 5, 6716 AE Ede" in t and "000012345679" in t and "hoofdvestiging" not in t for t in texts)
    assert all("KvK 30012345" in t and "Van den Heuvel Bouw" in t for t in texts)
    # The matched part is marked, in the name and the trade name.
    assert listbox.locator("mark").first.text_content().lower() == "heuvel"
    # Screen readers hear name, place and establishment.
    names = [listbox.get_by_role("option").nth(i).get_attribute("aria-label") for i in range(3)]
    assert f"{HEUVEL} (Van den Heuvel Bouw), Ede, vestiging 000012345679" in names
    # The active option keeps everything visible, on every line.
    for _ in range(3):
        page.keyboard.press("ArrowDown")
        assert_options_fully_visible(page, width)
    if width in (320, 1366) and text_zoom == 100:
        page.screenshot(path=f"{SHOTS}/supplier-typeahead-heuvel-{width}.png", caret="initial")
    if text_zoom == 100:
        check_page(page)


def test_the_second_establishment_of_a_company_is_chosen_with_the_keyboard(heuvel_page, heuvel, check_page):
    page = heuvel_page
    box = combobox(page)
    box.focus()
    page.keyboard.type("van den heuvel", delay=20)
    listbox = page.get_by_role("listbox", name="Gevonden opdrachtnemers")
    expect(listbox.get_by_role("option")).to_have_count(3)
    labels = [listbox.get_by_role("option").nth(i).get_attribute("aria-label") for i in range(3)]
    second = labels[1]
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    active = page.locator(f"#{box.get_attribute('aria-activedescendant')}")
    assert active.get_attribute("aria-label") == second
    page.keyboard.press("Enter")
    chosen = next(s for s in heuvel.values() if accessible_name(s) == second)
    assert hidden_value(page) == str(chosen.uuid)
    assert box.input_value() == f"{HEUVEL}, {chosen.city}"
    card = page.locator("[data-supplier-card]")
    expect(card).to_be_visible()
    expect(card).to_contain_text(chosen.address_line)
    expect(card).to_contain_text(chosen.branch_number)
    assert ("hoofdvestiging" in card.inner_text()) == chosen.is_main_branch
    check_page(page)


def test_word_order_and_a_typo_still_find_the_establishment(heuvel_page):
    page = heuvel_page
    combobox(page).click()
    page.keyboard.type("heuvel bouwbedrjf ede", delay=20)
    option = page.get_by_role("option").first
    expect(option).to_have_attribute("aria-label", f"{HEUVEL} (Van den Heuvel Bouw), Ede, vestiging 000012345679")


def test_more_matches_than_shown_say_how_to_narrow(form_page):
    page = form_page
    for n in range(14):
        SupplierFactory(legal_name=f"Schildersbedrijf Kleur {n:02d}", kvk_number=f"{70000000 + n}",
                        city="Arnhem" if n % 2 else "Ede")
    combobox(page).click()
    page.keyboard.type("schilders", delay=20)
    listbox = page.get_by_role("listbox", name="Gevonden opdrachtnemers")
    expect(listbox.get_by_role("option")).to_have_count(10)
    # Ten options are taller than the list: it scrolls, and no option is squeezed to clip its lines.
    assert_options_fully_visible(page, 1280)
    assert listbox.evaluate("l => l.scrollHeight > l.clientHeight")
    more = page.locator("[data-supplier-more]")
    expect(more).to_be_visible()
    expect(more).to_have_text(re.compile(r"^Nog (ongeveer )?4 resultaten — typ een plaats of KvK-nummer$"))
    expect(page.locator("[data-supplier-status]")).to_contain_text("typ een plaats of KvK-nummer")
    # Typing the place narrows the list to the seven in Arnhem, first; no hint is left.
    page.keyboard.type(" arnhem", delay=20)
    expect(more).to_be_hidden()
    labels = [listbox.get_by_role("option").nth(i).get_attribute("aria-label") for i in range(7)]
    assert all(label.split(", ")[1] == "Arnhem" for label in labels), labels


def choose(page, text: str, label: str) -> None:
    box = page.get_by_role("combobox", name="Uitvoerende partij")
    box.fill("")
    box.press_sequentially(text, delay=20)
    option = page.get_by_role("option", name=label)
    expect(option).to_be_visible()
    option.click()
    expect(box).to_have_attribute("aria-expanded", "false")


def test_the_contract_form_offers_the_registry_contact_and_shows_the_establishment(
    page, live_server, login, alice, heuvel, check_page
):
    login(page, alice)
    page.wait_for_url(f"{live_server.url}/")
    page.goto(f"{live_server.url}{reverse('contracts:create')}")
    contact = page.get_by_role("group", name="Contactpersoon SROI bij de opdrachtnemer")
    name, email, phone = (contact.get_by_label(label) for label in ("Naam", "E-mailadres", "Telefoon"))
    note = page.locator("[data-contact-offered]")
    ede, arnhem = accessible_name(heuvel["ede"]), accessible_name(heuvel["arnhem"])

    choose(page, "heuvel ede", ede)
    card = page.locator("[data-supplier-card]")
    expect(card).to_contain_text("Galvanistraat 5, 6716 AE Ede")
    expect(card).to_contain_text("000012345679")
    expect(name).to_have_value(EDE_CONTACT["contact_name"])
    expect(email).to_have_value(EDE_CONTACT["contact_email"])
    expect(phone).to_have_value(EDE_CONTACT["contact_phone"])
    expect(note).to_have_text("De contactpersoon is ingevuld uit het register. U kunt de gegevens wijzigen.")
    check_page(page)

    # The advisor overwrites the e-mail address; another establishment without a known contact takes back
    # only what was offered.
    email.fill("sroi@vandenheuvel.example")
    choose(page, "heuvel arnhem", arnhem)
    expect(card).to_contain_text("Velperweg 10, 6824 BJ Arnhem")
    expect(card).to_contain_text("hoofdvestiging")
    expect(name).to_have_value("")
    expect(phone).to_have_value("")
    expect(email).to_have_value("sroi@vandenheuvel.example")
    expect(note).to_have_text("")

    choose(page, "heuvel ede", ede)
    expect(name).to_have_value(EDE_CONTACT["contact_name"])
    expect(email).to_have_value("sroi@vandenheuvel.example")


def test_the_duplicate_check_explains_why_an_establishment_looks_alike(heuvel_page, heuvel, check_page):
    page = heuvel_page
    page.get_by_role("button", name="Opdrachtnemer toevoegen die nog niet in de lijst staat").click()
    dialog = page.get_by_role("dialog", name="Opdrachtnemer toevoegen")
    dialog.get_by_label("Statutaire naam").fill("Van den Heuvel Bouw")
    dialog.get_by_label("KvK-nummer").fill("30012345")
    dialog.get_by_label("Vestigingsnummer").fill("000012345699")
    dialog.get_by_label("Straat").fill("Stationsweg")
    dialog.get_by_label("Huisnummer").fill("1")
    dialog.get_by_label("Postcode").fill("6711 PM")
    dialog.get_by_label("Plaats").fill("Ede")
    dialog.get_by_role("button", name="Opdrachtnemer toevoegen").click()
    alert = dialog.get_by_role("alert")
    expect(alert).to_be_focused()
    ede = heuvel["ede"]
    pick = dialog.get_by_role("button", name=f"Kies {ede.establishment_label}")
    expect(pick).to_be_visible()
    # Why: the reasons sit beside the candidate, and the pick button is described by them.
    candidate = dialog.locator(".wizzr-dialog__candidate").filter(has_text="000012345679")
    expect(candidate.get_by_role("button")).to_have_accessible_name(f"Kies {ede.establishment_label}")
    expect(candidate).to_contain_text("Galvanistraat 5, 6716 AE Ede")
    expect(candidate).to_contain_text("Waarom deze lijkt op wat u invult:")
    expect(candidate.get_by_role("listitem")).to_contain_text(["zelfde KvK-nummer"])
    assert "zelfde plaats" in candidate.inner_text()
    described = pick.evaluate("(button) => document.getElementById(button.getAttribute('aria-describedby')).textContent")
    assert described == "Waarom deze lijkt op wat u invult:"
    page.screenshot(path=f"{SHOTS}/supplier-dialog-similar.png", caret="initial", full_page=True)
    check_page(page)
    pick.focus()
    page.keyboard.press("Enter")
    expect(page.locator("[data-supplier-dialog]")).to_have_count(0)
    assert hidden_value(page) == str(ede.uuid)
    assert not Supplier.objects.filter(branch_number="000012345699").exists()

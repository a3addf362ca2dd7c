"""The start screen and the header in a real browser: tiles, language, organisation switch, log out."""

import re

import pytest
from playwright.sync_api import expect

from tests.factories import AuthorityFactory, member
from wizzr.models import Role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def mila(arnhem, service_point):
    """Works for a shared procurement office: advisor for Arnhem and Rheden."""
    rheden = AuthorityFactory(name="Gemeente Rheden", slug="rheden", served_by=service_point)
    user = member("inkoop@mgb.example", arnhem, Role.ADVISOR, name="Mila Bakker")
    member("inkoop@mgb.example", rheden, Role.ADVISOR)
    return user


def test_an_advisor_logs_in_and_sees_both_tiles(page, live_server, login, alice, check_page):
    login(page, alice)
    page.wait_for_url(f"{live_server.url}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Welkom, Alice")
    expect(page.get_by_role("link", name="Opstarten nieuw contract")).to_be_visible()
    expect(page.get_by_role("link", name="Monitoren contracten")).to_be_visible()
    expect(page.locator(".wizzr-robot")).to_have_accessible_name("Kennisbank")
    check_page(page)


def test_the_interface_switches_to_english_and_back(page, live_server, login, alice, check_page):
    login(page, alice)
    page.wait_for_url(f"{live_server.url}/")
    page.get_by_role("button", name="English").click()
    expect(page.get_by_role("link", name="Start new contract")).to_be_visible()
    expect(page.get_by_role("link", name="Monitor contracts")).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator(".wizzr-robot")).to_have_accessible_name("Knowledge base")
    check_page(page)
    page.get_by_role("button", name="Nederlands").click()
    expect(page.get_by_role("link", name="Opstarten nieuw contract")).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "nl")


def test_the_chosen_language_follows_the_account_to_another_browser(
    page, browser, browser_context_args, live_server, login, alice
):
    login(page, alice)
    page.wait_for_url(f"{live_server.url}/")
    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    alice.refresh_from_db()
    assert alice.language == "en"  # the e-mails and notifications alice is sent are now in English
    # Another browser, whose login page is Dutch: after the login the site speaks English.
    other = browser.new_context(**browser_context_args)
    try:
        second = other.new_page()
        login(second, alice)
        second.wait_for_url(f"{live_server.url}/")
        expect(second.locator("html")).to_have_attribute("lang", "en")
        expect(second.get_by_role("link", name="Monitor contracts")).to_be_visible()
    finally:
        other.close()


def test_a_shared_advisor_switches_organisation(page, live_server, login, mila, check_page):
    login(page, mila)
    page.wait_for_url(f"{live_server.url}/")
    expect(page.get_by_text("U werkt voor Gemeente Arnhem")).to_be_visible()
    switcher = page.locator(".wizzr-header__organisation summary")
    switcher.click()
    expect(page.get_by_role("button", name="Gemeente Rheden")).to_be_visible()
    check_page(page)  # with the menu open
    page.get_by_role("button", name="Gemeente Rheden").click()
    expect(page.get_by_text("U werkt voor Gemeente Rheden")).to_be_visible()
    expect(page.get_by_text("U werkt nu voor Gemeente Rheden.")).to_be_visible()
    expect(switcher).to_contain_text("Gemeente Rheden")
    check_page(page)


def test_the_header_menus_work_with_the_keyboard(page, live_server, login, mila):
    login(page, mila)
    page.wait_for_url(f"{live_server.url}/")
    user_menu = page.locator(".wizzr-header__nav summary")
    user_menu.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("button", name="Uitloggen")).to_be_visible()
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="E-mailadressen")).to_be_focused()
    page.keyboard.press("Escape")
    expect(page.get_by_role("button", name="Uitloggen")).to_be_hidden()
    expect(user_menu).to_be_focused()
    # Opening one menu closes the other.
    page.locator(".wizzr-header__organisation summary").click()
    user_menu.click()
    expect(page.get_by_role("button", name="Gemeente Rheden")).to_be_hidden()


def test_logging_out_through_the_user_menu(page, live_server, login, alice, check_page):
    login(page, alice)
    page.wait_for_url(f"{live_server.url}/")
    page.get_by_text("Alice de Vries", exact=True).click()
    page.get_by_role("button", name="Uitloggen").click()
    page.wait_for_url(re.compile(r"/accounts/login/"))
    expect(page.get_by_text("U bent uitgelogd.")).to_be_visible()
    check_page(page)
    page.goto(f"{live_server.url}/")
    page.wait_for_url(re.compile(r"/accounts/login/\?next=/"))


def test_a_coordinator_sees_the_work_queue(page, live_server, login, carol, check_page):
    login(page, carol)
    page.wait_for_url(f"{live_server.url}/")
    expect(page.get_by_role("link", name="Werkvoorraad")).to_be_visible()
    expect(page.get_by_role("link", name="Opstarten nieuw contract")).to_have_count(0)
    check_page(page)


def test_the_start_screen_on_a_phone(page, live_server, login, mila, check_page):
    page.set_viewport_size({"width": 390, "height": 844})
    login(page, mila)
    page.wait_for_url(f"{live_server.url}/")
    expect(page.get_by_role("link", name="Opstarten nieuw contract")).to_be_visible()
    expect(page.locator(".wizzr-robot")).to_have_accessible_name("Kennisbank")
    check_page(page)
    page.locator(".wizzr-header__nav summary").click()
    expect(page.get_by_role("button", name="Uitloggen")).to_be_in_viewport()

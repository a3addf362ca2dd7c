"""Account pages in a real browser: login errors, password reset, MFA set-up, members and invitations."""

import re
import time

import pytest
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.core import mail
from playwright.sync_api import expect

from wizzr.models import Membership, Role, User

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_wrong_password_shows_a_clear_message(page, live_server, login, alice, check_page):
    page.goto(f"{live_server.url}/accounts/login/")
    check_page(page)
    login(page, alice, password_to_use="niet-het-goede-wachtwoord")
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("Het e-mailadres of het wachtwoord klopt niet.")
    expect(page.get_by_label("E-mailadres")).to_have_value("alice@arnhem.example")
    check_page(page)


def test_the_password_reset_pages(page, live_server, alice, check_page):
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_role("link", name="Wachtwoord vergeten?").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Wachtwoord vergeten")
    check_page(page)
    page.get_by_label("E-mailadres").fill(alice.email)
    page.get_by_role("button", name="Stuur mij een link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Controleer uw e-mail")
    check_page(page)
    link = re.search(r"http\S+/accounts/password/reset/key/\S+", mail.outbox[-1].body).group(0)
    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_have_text("Nieuw wachtwoord kiezen")
    page.get_by_label("Nieuw wachtwoord", exact=True).fill("kort")
    page.get_by_label("Nieuw wachtwoord (nogmaals)").fill("kort")
    page.get_by_role("button", name="Wachtwoord opslaan").click()
    expect(page.get_by_text("Dit wachtwoord is te kort. Gebruik minstens 12 tekens.")).to_be_visible()
    check_page(page)


def test_setting_up_two_factor_authentication(page, live_server, login, alice, password, check_page):
    login(page, alice)
    page.wait_for_url(f"{live_server.url}/")
    page.goto(f"{live_server.url}/accounts/2fa/")
    expect(page.get_by_text("U heeft nog geen authenticator-app gekoppeld.")).to_be_visible()
    check_page(page)
    page.get_by_role("link", name="Authenticator-app koppelen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Bevestig dat u het bent")
    check_page(page)
    page.get_by_label("Wachtwoord").fill(password)
    page.get_by_role("button", name="Bevestigen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Authenticator-app koppelen")
    expect(page.get_by_role("img", name="QR-code om de authenticator-app te koppelen")).to_be_visible()
    page.get_by_label("Code uit de app").fill("12")
    page.get_by_role("button", name="Koppelen").click()
    expect(page.locator(".utrecht-form-field-error-message")).to_be_visible()
    check_page(page)
    # The secret is on the page for people who cannot scan; an authenticator app would do this.
    secret = page.get_by_label("Geheime sleutel").input_value()
    page.get_by_label("Code uit de app").fill(format_hotp_value(hotp_value(secret, int(time.time()) // 30)))
    page.get_by_role("button", name="Koppelen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Herstelcodes")
    expect(page.locator(".wizzr-code")).to_have_count(10)
    check_page(page)
    # The next login asks for a code.
    page.get_by_text("Alice de Vries", exact=True).click()
    page.get_by_role("button", name="Uitloggen").click()
    login(page, alice)
    expect(page.get_by_role("heading", level=1)).to_have_text("Tweestapsverificatie")
    page.get_by_label("Code").fill("000000")
    page.get_by_role("button", name="Inloggen").click()
    expect(page.locator(".utrecht-form-field-error-message")).to_be_visible()
    check_page(page)


def test_a_missing_page(page, live_server, login, alice, check_page):
    login(page, alice)
    page.wait_for_url(f"{live_server.url}/")
    response = page.goto(f"{live_server.url}/bestaat-niet/")
    assert response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Pagina niet gevonden")
    check_page(page)


def test_an_admin_invites_a_colleague_who_accepts(page, live_server, login, erin, arnhem, check_page, password):
    login(page, erin)
    page.wait_for_url(f"{live_server.url}/")
    page.get_by_role("link", name="Leden beheren").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Leden van mijn organisatie")
    check_page(page)
    page.get_by_role("button", name="Uitnodiging versturen").click()
    # Giving someone a role asks for the password again; then the form is sent as it was.
    expect(page.get_by_role("heading", level=1)).to_have_text("Bevestig dat u het bent")
    page.get_by_label("Wachtwoord").fill(password)
    page.get_by_role("button", name="Bevestigen").click()
    expect(page.get_by_text("Niet alles is goed ingevuld.")).to_be_visible()
    check_page(page)
    page.get_by_label("Naam").fill("Henk de Boer")
    page.get_by_label("E-mailadres").fill("henk@arnhem.example")
    page.get_by_label("Rol").select_option(Role.ADVISOR)
    page.get_by_role("button", name="Uitnodiging versturen").click()
    expect(page.get_by_text("De uitnodiging is verstuurd naar henk@arnhem.example.")).to_be_visible()
    link = re.search(r"http\S+/uitnodiging/\S+/", mail.outbox[-1].body).group(0)

    page.context.clear_cookies()
    page.goto(link.replace("http://127.0.0.1:8000", live_server.url))
    expect(page.get_by_role("heading", level=1)).to_have_text("Uitnodiging accepteren")
    check_page(page)
    page.get_by_label("Wachtwoord", exact=True).fill("een-lang-en-sterk-wachtwoord-2026")
    page.get_by_label("Wachtwoord (nogmaals)").fill("een-lang-en-sterk-wachtwoord-2026")
    page.get_by_role("button", name="Uitnodiging accepteren").click()
    expect(page.get_by_text("Welkom bij WIZZR.")).to_be_visible()
    henk = User.objects.get(email="henk@arnhem.example")
    assert Membership.objects.filter(user=henk, organisation=arnhem, role=Role.ADVISOR).exists()


def test_an_admin_removes_a_member(page, live_server, login, erin, alice, check_page, password):
    login(page, erin)
    page.goto(f"{live_server.url}/leden/")
    page.get_by_role("link", name="Verwijderen Alice de Vries").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Alice de Vries verwijderen")
    check_page(page)
    page.get_by_role("button", name="Ja, verwijderen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Bevestig dat u het bent")
    page.get_by_label("Wachtwoord").fill(password)
    page.get_by_role("button", name="Bevestigen").click()
    expect(page.get_by_text("Alice de Vries heeft geen toegang meer tot Gemeente Arnhem.")).to_be_visible()
    expect(page.get_by_role("cell", name="alice@arnhem.example")).to_have_count(0)

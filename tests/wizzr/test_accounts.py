"""Logging in and out, the account pages in the WIZZR layout, and login rate limits in the shared cache."""

import pytest
from django.conf import settings
from django.db import connection
from django.urls import reverse

from wizzr.models import AuditEvent

pytestmark = pytest.mark.django_db

LOGIN = reverse("account_login")


def test_the_login_page_is_dutch_and_has_no_sign_up(client):
    response = client.get(LOGIN)
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="nl"' in html
    assert 'id="main"' in html
    assert ">E-mailadres</label>" in html
    assert ">Wachtwoord</label>" in html
    assert ">Inloggen</button>" in html
    assert reverse("account_reset_password") in html
    assert "/accounts/signup/" not in html
    # Our labels are visible; allauth's placeholders that only repeat them are gone.
    assert "placeholder=" not in html


def test_sign_up_is_closed(client):
    response = client.get(reverse("account_signup"))
    assert "Aanmelden niet mogelijk" in response.content.decode()
    client.post(reverse("account_signup"), {"email": "nieuw@example.org", "password1": "x" * 20, "password2": "x" * 20})
    from wizzr.models import User

    assert not User.objects.filter(email="nieuw@example.org").exists()


def test_logging_in_leads_to_the_start_screen(client, alice, password):
    response = client.post(LOGIN, {"login": "ALICE@arnhem.example", "password": password}, follow=True)
    html = response.content.decode()
    assert response.redirect_chain[-1][0] == reverse("start")
    assert "U bent ingelogd als Alice de Vries." in html
    assert "Opstarten nieuw contract" in html
    assert AuditEvent.objects.filter(action="login", actor=alice).exists()


def test_a_wrong_password_gives_a_clear_dutch_message(client, alice):
    response = client.post(LOGIN, {"login": alice.email, "password": "niet-het-goede-wachtwoord"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Het e-mailadres of het wachtwoord klopt niet." in html
    assert 'value="alice@arnhem.example"' in html  # the address is kept
    assert "_auth_user_id" not in client.session
    assert AuditEvent.objects.filter(action="login_failed", result="failure").exists()


def test_an_unknown_address_gets_the_same_message(client):
    response = client.post(LOGIN, {"login": "niemand@example.org", "password": "niet-het-goede-wachtwoord"})
    assert "Het e-mailadres of het wachtwoord klopt niet." in response.content.decode()


def test_an_empty_form_says_what_is_missing_beside_the_fields(client):
    html = client.post(LOGIN, {"login": "", "password": ""}).content.decode()
    assert "Niet alles is goed ingevuld" in html
    assert html.count("Dit veld is verplicht.") == 2
    assert 'aria-invalid="true"' in html


def test_failed_logins_are_counted_in_the_shared_database_cache(client, alice, password):
    assert settings.CACHES["default"]["BACKEND"] == "django.core.cache.backends.db.DatabaseCache"
    for _ in range(5):
        html = client.post(LOGIN, {"login": alice.email, "password": "fout-wachtwoord"}).content.decode()
        assert "klopt niet" in html
    # Right after the fifth failure the account waits (tests/wizzr/test_login_throttle.py), even with the right password.
    response = client.post(LOGIN, {"login": alice.email, "password": password})
    assert "Er is te vaak een verkeerd wachtwoord gebruikt voor dit e-mailadres." in response.content.decode()
    assert "_auth_user_id" not in client.session
    # The counts live in the cache table every web process shares, not in process memory.
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT cache_key FROM {settings.CACHES['default']['LOCATION']}")  # noqa: S608
        keys = [row[0] for row in cursor.fetchall()]
    assert any("wizzr:login:account:" in key for key in keys)
    assert any("wizzr:login:address:" in key for key in keys)


def test_the_rate_limit_counts_per_address(client, alice, bob, password):
    for _ in range(5):
        client.post(LOGIN, {"login": alice.email, "password": "fout-wachtwoord"})
    response = client.post(LOGIN, {"login": bob.email, "password": password})
    assert response.status_code == 302


def test_logging_out_needs_a_post(client, alice):
    client.force_login(alice)
    page = client.get(reverse("account_logout"))
    assert page.status_code == 200
    assert "Weet u zeker dat u wilt uitloggen?" in page.content.decode()
    assert "_auth_user_id" in client.session
    response = client.post(reverse("account_logout"), follow=True)
    assert "_auth_user_id" not in client.session
    assert "U bent uitgelogd." in response.content.decode()
    assert AuditEvent.objects.filter(action="logout", actor=alice).exists()


@pytest.mark.parametrize(
    ("url", "heading"),
    [
        ("account_login", "Inloggen bij WIZZR"),
        ("account_reset_password", "Wachtwoord vergeten"),
        ("account_reset_password_done", "Controleer uw e-mail"),
        ("account_signup", "Aanmelden niet mogelijk"),
        ("account_inactive", "Account niet actief"),
    ],
)
def test_the_public_account_pages_use_the_wizzr_layout(client, url, heading):
    html = client.get(reverse(url)).content.decode()
    assert f'<h1 class="utrecht-heading-1">{heading}</h1>' in html
    assert 'class="wizzr-header"' in html
    assert '<main id="main"' in html


@pytest.mark.parametrize(
    ("url", "heading"),
    [
        ("account_logout", "Uitloggen"),
        ("account_change_password", "Wachtwoord wijzigen"),
        ("account_email", "E-mailadressen"),
        ("account_reauthenticate", "Bevestig dat u het bent"),
        ("mfa_index", "Tweestapsverificatie"),
    ],
)
def test_the_account_pages_of_a_logged_in_user_use_the_wizzr_layout(client, alice, url, heading):
    client.force_login(alice)
    html = client.get(reverse(url)).content.decode()
    assert f'<h1 class="utrecht-heading-1">{heading}</h1>' in html
    assert "Alice de Vries" in html  # the user menu of the header
    assert "<script " not in html.replace('<script src="/static/', "")  # only our own static scripts


def test_a_password_reset_runs_through_our_pages_and_mail(client, alice, mailoutbox):
    response = client.post(reverse("account_reset_password"), {"email": alice.email}, follow=True)
    assert "Controleer uw e-mail" in response.content.decode()
    assert mailoutbox[-1].subject.endswith("Nieuw wachtwoord kiezen voor WIZZR")
    link = next(line for line in mailoutbox[-1].body.splitlines() if "/accounts/password/reset/key/" in line)
    page = client.get(link, follow=True)
    assert "Nieuw wachtwoord kiezen" in page.content.decode()
    new = "een-nieuw-wachtwoord-2026"
    done = client.post(page.redirect_chain[-1][0], {"password1": new, "password2": new}, follow=True)
    assert "Wachtwoord gewijzigd" in done.content.decode()
    alice.refresh_from_db()
    assert alice.check_password(new)


def test_a_reset_for_an_unknown_address_looks_the_same(client, mailoutbox):
    response = client.post(reverse("account_reset_password"), {"email": "niemand@example.org"}, follow=True)
    assert "Controleer uw e-mail" in response.content.decode()
    assert "Er is geen WIZZR-account met dit e-mailadres." in mailoutbox[-1].body


def test_an_invalid_reset_link_says_so(client):
    html = client.get("/accounts/password/reset/key/1-verzonnen/", follow=True).content.decode()
    assert "Link ongeldig" in html


def test_a_short_new_password_is_refused_in_dutch(client, alice, password):
    client.force_login(alice)
    response = client.post(
        reverse("account_change_password"), {"oldpassword": password, "password1": "kort12", "password2": "kort12"}
    )
    assert "Dit wachtwoord is te kort. Gebruik minstens 12 tekens." in response.content.decode()
    alice.refresh_from_db()
    assert alice.check_password(password)


def test_adding_an_email_address_asks_to_reauthenticate(client, alice, password):
    client.force_login(alice)
    response = client.post(reverse("account_email"), {"action_add": "", "email": "alice.thuis@example.org"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_reauthenticate"))
    assert alice.emailaddress_set.count() == 1

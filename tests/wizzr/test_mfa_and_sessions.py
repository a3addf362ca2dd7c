"""Mandatory MFA (WIZZR_REQUIRE_MFA) and the idle and absolute session limits."""

import time
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import SECRET_SESSION_KEY, format_hotp_value, hotp_value
from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from wizzr.middleware import SESSION_STARTED

pytestmark = pytest.mark.django_db

START = reverse("start")
TOTP_SETUP = reverse("mfa_activate_totp")


def current_code(secret: str) -> str:
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def log_in(client, user, password):
    return client.post(reverse("account_login"), {"login": user.email, "password": password})


# --- Mandatory MFA ---------------------------------------------------------------------------------


@override_settings(WIZZR_REQUIRE_MFA=True)
def test_with_mfa_required_a_user_without_authenticator_is_sent_to_the_totp_setup(client, alice):
    client.force_login(alice)
    response = client.get(START)
    assert response.status_code == 302
    assert response["Location"] == TOTP_SETUP
    assert client.get(reverse("members")).status_code == 302
    assert client.get("/admin/").status_code == 302


@override_settings(WIZZR_REQUIRE_MFA=True)
def test_with_mfa_required_htmx_requests_are_redirected_by_htmx(client, alice):
    client.force_login(alice)
    response = client.get(START, headers={"HX-Request": "true"})
    assert response["HX-Redirect"] == TOTP_SETUP


@override_settings(WIZZR_REQUIRE_MFA=True)
@pytest.mark.parametrize("path", ["/accounts/2fa/", "/accounts/logout/", "/toegankelijkheid/", "/healthz"])
def test_with_mfa_required_the_setup_logout_and_public_pages_stay_open(client, alice, path):
    client.force_login(alice)
    assert client.get(path).status_code == 200


@override_settings(WIZZR_REQUIRE_MFA=True)
def test_with_mfa_required_a_user_with_an_authenticator_gets_in(client, alice):
    Authenticator.objects.create(user=alice, type=Authenticator.Type.TOTP, data={})
    client.force_login(alice)
    assert client.get(START).status_code == 200


@override_settings(WIZZR_REQUIRE_MFA=False)
def test_with_mfa_not_required_a_user_without_authenticator_gets_in(client, alice):
    client.force_login(alice)
    assert client.get(START).status_code == 200


@override_settings(WIZZR_REQUIRE_MFA=True)
def test_a_user_sets_up_totp_when_required_and_then_logs_in_with_a_code(client, alice, password):
    log_in(client, alice, password)
    # Set-up asks for the password again (reauthentication), then shows the QR code.
    response = client.get(START, follow=True)
    assert response.redirect_chain[-1][0].startswith(reverse("account_reauthenticate"))
    response = client.post(response.redirect_chain[-1][0], {"password": password}, follow=True)
    html = response.content.decode()
    assert "Authenticator-app koppelen" in html
    assert "Uw organisatie verplicht tweestapsverificatie." in html
    secret = client.session[SECRET_SESSION_KEY]
    wrong = client.post(TOTP_SETUP, {"code": "000000" if current_code(secret) != "000000" else "111111"})
    assert "Koppelen" in wrong.content.decode()
    assert not Authenticator.objects.filter(user=alice).exists()
    response = client.post(TOTP_SETUP, {"code": current_code(secret)}, follow=True)
    assert "Herstelcodes" in response.content.decode()
    assert Authenticator.objects.filter(user=alice, type=Authenticator.Type.TOTP).exists()
    assert client.get(START).status_code == 200
    # Next login: password, then the code.
    client.post(reverse("account_logout"))
    response = log_in(client, alice, password)
    assert response["Location"] == reverse("mfa_authenticate")
    page = client.get(reverse("mfa_authenticate")).content.decode()
    assert "Vul de code in die uw authenticator-app nu toont." in page
    assert "_auth_user_id" not in client.session
    # A code used for the set-up cannot be replayed; wait for a fresh one when needed.
    code = current_code(secret)
    response = client.post(reverse("mfa_authenticate"), {"code": code})
    if response.status_code != 302:
        time.sleep(31 - time.time() % 30)
        response = client.post(reverse("mfa_authenticate"), {"code": current_code(secret)})
    assert response.status_code == 302
    assert client.get(START).status_code == 200


# --- Sessions --------------------------------------------------------------------------------------


def test_the_idle_limit_is_thirty_minutes_and_the_absolute_limit_twelve_hours():
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert settings.WIZZR_SESSION_ABSOLUTE_SECONDS == 12 * 60 * 60


def test_an_active_session_is_renewed_at_most_once_a_minute(client, alice, password):
    from wizzr.middleware import SESSION_TOUCH_SECONDS, SESSION_TOUCHED

    log_in(client, alice, password)
    assert client.get(START).status_code == 200
    key = client.session.session_key
    # Within the minute: no session write at all.
    with CaptureQueriesContext(connection) as queries:
        assert client.get(START).status_code == 200
    assert not [q for q in queries if "django_session" in q["sql"] and q["sql"].lstrip().startswith("UPDATE")]
    # Some minutes later (the session 25 minutes from its idle end), the next request renews it.
    session = client.session
    session[SESSION_TOUCHED] = int(time.time()) - SESSION_TOUCH_SECONDS - 1
    session.save()
    Session.objects.filter(pk=key).update(expire_date=timezone.now() + timedelta(minutes=5))
    assert client.get(START).status_code == 200
    renewed = Session.objects.get(pk=key).expire_date
    assert timezone.now() + timedelta(minutes=29) < renewed <= timezone.now() + timedelta(minutes=30)


def test_an_idle_session_ends(client, alice, password):
    log_in(client, alice, password)
    assert client.get(START).status_code == 200
    session = Session.objects.get(session_key=client.session.session_key)
    assert timezone.now() + timedelta(minutes=29) < session.expire_date <= timezone.now() + timedelta(minutes=30)
    Session.objects.filter(pk=session.pk).update(expire_date=timezone.now() - timedelta(seconds=1))
    response = client.get(START)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_activity_renews_the_idle_limit(client, alice, password):
    log_in(client, alice, password)
    Session.objects.filter(session_key=client.session.session_key).update(
        expire_date=timezone.now() + timedelta(minutes=1)
    )
    assert client.get(START).status_code == 200
    session = Session.objects.get(session_key=client.session.session_key)
    assert session.expire_date > timezone.now() + timedelta(minutes=29)


def test_the_absolute_limit_counts_from_login(client, alice, password):
    before = int(time.time())
    log_in(client, alice, password)
    assert before <= client.session[SESSION_STARTED] <= int(time.time())


def test_a_session_ends_after_the_absolute_limit_however_active(client, alice, password):
    log_in(client, alice, password)
    session = client.session
    session[SESSION_STARTED] = int(time.time()) - settings.WIZZR_SESSION_ABSOLUTE_SECONDS - 1
    session.save()
    response = client.get(START)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('account_login')}?next=%2F"
    assert "_auth_user_id" not in client.session
    assert client.get(START).status_code == 302


@override_settings(WIZZR_SESSION_ABSOLUTE_SECONDS=60)
def test_the_absolute_limit_follows_the_setting(client, alice, password):
    log_in(client, alice, password)
    session = client.session
    session[SESSION_STARTED] = int(time.time()) - 30
    session.save()
    assert client.get(START).status_code == 200
    session = client.session
    session[SESSION_STARTED] = int(time.time()) - 61
    session.save()
    assert client.get(START).status_code == 302


def test_a_session_is_rotated_on_login(client, alice, password):
    session = client.session
    session["before_login"] = True
    session.save()
    before = session.session_key
    log_in(client, alice, password)
    assert client.session.session_key != before
    assert not Session.objects.filter(session_key=before).exists()


# --- The limits on a moving clock ----------------------------------------------------------------------


def test_after_thirty_one_idle_minutes_the_next_request_goes_to_the_login_page(client, alice, password):
    with time_machine.travel(datetime(2026, 12, 1, 9, 0, tzinfo=UTC), tick=False) as clock:
        log_in(client, alice, password)
        assert client.get(START).status_code == 200
        clock.shift(timedelta(minutes=29))
        assert client.get(START).status_code == 200  # within the limit, and renewed by this request
        clock.shift(timedelta(minutes=31))
        response = client.get(START)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_a_session_renewed_every_few_minutes_still_ends_after_twelve_hours(client, alice, password):
    with time_machine.travel(datetime(2026, 12, 1, 7, 0, tzinfo=UTC), tick=False) as clock:
        log_in(client, alice, password)
        for _ in range(12 * 60 // 20 - 1):  # a request every 20 minutes until 11:40 after login
            clock.shift(timedelta(minutes=20))
            assert client.get(START).status_code == 200
        clock.shift(timedelta(minutes=20, seconds=1))
        response = client.get(START)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))
        assert client.get(START).status_code == 302

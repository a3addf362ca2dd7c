"""A session id stops working when the rights behind it change: reauthentication, MFA, roles, deactivation."""

import time
from datetime import timedelta

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import SECRET_SESSION_KEY, format_hotp_value, hotp_value
from django.conf import settings
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.factories import mark_reauthenticated
from wizzr.invitations import token_hash as _token_hash
from wizzr.models import Invitation, Membership, Role
from wizzr.session_control import session_keys_of

pytestmark = pytest.mark.django_db

START = reverse("start")


def session_key(client) -> str:
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def with_cookie(key: str) -> Client:
    """Another browser presenting ``key``, as someone who copied the cookie would."""
    other = Client()
    other.cookies[settings.SESSION_COOKIE_NAME] = key
    return other


def signed_in(client, user, password) -> str:
    response = client.post(reverse("account_login"), {"login": user.email, "password": password})
    assert response.status_code == 302
    assert client.get(START).status_code == 200
    return session_key(client)


def assert_anonymous(client) -> None:
    response = client.get(START)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_reauthenticating_with_the_password_gives_a_new_session_id(client, alice, password):
    old = signed_in(client, alice, password)
    response = client.post(reverse("account_reauthenticate"), {"password": password})
    assert response.status_code == 302
    new = session_key(client)
    assert new != old
    assert_anonymous(with_cookie(old))
    assert client.get(START).status_code == 200
    assert not Session.objects.filter(session_key=old).exists()


def test_a_failed_reauthentication_keeps_the_session_id(client, alice, password):
    old = signed_in(client, alice, password)
    client.post(reverse("account_reauthenticate"), {"password": "niet-het-goede-wachtwoord"})
    assert session_key(client) == old
    assert with_cookie(old).get(START).status_code == 200


@pytest.mark.django_db(transaction=True)  # allauth signals the new authenticator after the commit, within the request
def test_setting_up_totp_gives_a_new_session_id(client, alice, password):
    signed_in(client, alice, password)
    mark_reauthenticated(client, alice)
    assert client.get(reverse("mfa_activate_totp")).status_code == 200
    old = session_key(client)
    secret = client.session[SECRET_SESSION_KEY]
    code = format_hotp_value(hotp_value(secret, int(time.time()) // 30))
    client.post(reverse("mfa_activate_totp"), {"code": code})
    assert Authenticator.objects.filter(user=alice, type=Authenticator.Type.TOTP).exists()
    assert session_key(client) != old
    assert_anonymous(with_cookie(old))
    assert client.get(START).status_code == 200


def test_removing_totp_gives_a_new_session_id(client, alice, password, django_capture_on_commit_callbacks):
    Authenticator.objects.create(user=alice, type=Authenticator.Type.TOTP, data={"secret": "x"})
    client.force_login(alice)
    mark_reauthenticated(client, alice)
    old = session_key(client)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("mfa_deactivate_totp"))
    assert not Authenticator.objects.filter(user=alice, type=Authenticator.Type.TOTP).exists()
    assert session_key(client) != old
    assert_anonymous(with_cookie(old))


def test_an_admin_taking_away_someones_role_ends_all_their_sessions(client, erin, alice, password):
    laptop, phone = Client(), Client()
    signed_in(laptop, alice, password)
    signed_in(phone, alice, password)
    client.force_login(erin)
    mark_reauthenticated(client, erin)
    admin_key = session_key(client)
    response = client.post(reverse("member_remove", args=[alice.uuid]))
    assert response.status_code == 302
    assert not alice.memberships.exists()
    assert_anonymous(laptop)
    assert_anonymous(phone)
    assert session_keys_of(alice.pk) == []
    # The admin's own session is untouched.
    assert session_key(client) == admin_key
    assert client.get(reverse("members")).status_code == 200


def test_a_role_given_to_someone_ends_their_sessions(client, alice, renkum, password):
    old = signed_in(client, alice, password)
    Membership.objects.create(user=alice, organisation=renkum, role=Role.ADVISOR)
    assert_anonymous(with_cookie(old))


def test_accepting_an_invitation_while_signed_in_moves_the_own_session_to_a_new_id(
    client, alice, erin, renkum, password
):
    other_device = Client()
    signed_in(other_device, alice, password)
    old = signed_in(client, alice, password)
    token = "uitnodiging-voor-alice"
    Invitation.objects.create(
        organisation=renkum, email=alice.email, name=alice.name, role=Role.ADVISOR, token_hash=_token_hash(token),
        invited_by=erin, expires_at=timezone.now() + timedelta(days=7),
    )
    client.post(reverse("invitation_accept", args=[token]))
    assert alice.memberships.filter(organisation=renkum).exists()
    assert session_key(client) != old
    assert_anonymous(with_cookie(old))
    assert_anonymous(other_device)
    assert client.get(START).status_code == 200


def test_deactivating_a_user_ends_their_sessions_at_once(client, alice, password):
    old = signed_in(client, alice, password)
    alice.is_active = False
    alice.save()  # as Django admin's change form does
    assert not Session.objects.filter(session_key=old).exists()
    assert_anonymous(client)

"""Audit events of account security and role changes (BIO 8.15.01): MFA, password, roles, admin.

Each test drives the real flow and asserts the row: action, actor, organisation, result and origin.
MFA receivers run on commit (allauth sends its signals then), hence ``django_capture_on_commit_callbacks``.
"""

import time
from urllib.parse import parse_qs, urlsplit

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import SECRET_SESSION_KEY, TOTP, format_hotp_value, generate_totp_secret, hotp_value
from django.urls import reverse

from tests.factories import UserFactory, mark_reauthenticated
from wizzr.models import AuditEvent, Invitation, Membership, Role

pytestmark = pytest.mark.django_db

LOGIN = reverse("account_login")


def code_for(secret: str) -> str:
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def log_in(client, user, password):
    return client.post(LOGIN, {"login": user.email, "password": password})


def reauthenticate(client, password, asked=None):
    """Confirm the password on allauth's page, as its form does (with the ``next`` of the redirect
    ``asked`` that led there); returns the response of the resumed request."""
    data = {"password": password}
    if asked is not None:
        data["next"] = parse_qs(urlsplit(asked["Location"]).query)["next"][0]
    return client.post(reverse("account_reauthenticate"), data)


def only(action: str) -> AuditEvent:
    return AuditEvent.objects.get(action=action)


def assert_row(event: AuditEvent, *, actor, organisation, result="success"):
    assert event.actor == actor
    assert event.organisation == organisation
    assert event.result == result
    assert event.origin == "127.0.0.1"
    assert event.created_at.utcoffset().total_seconds() == 0  # stored and read as UTC


def with_totp(user) -> str:
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    RecoveryCodes.activate(user)
    return secret


# --- MFA ------------------------------------------------------------------------------------------


def test_activating_totp_is_audited_with_the_recovery_codes_it_generates(
    client, alice, arnhem, password, django_capture_on_commit_callbacks
):
    log_in(client, alice, password)
    response = client.get(reverse("mfa_activate_totp"))
    assert response["Location"].startswith(reverse("account_reauthenticate"))
    reauthenticate(client, password)
    client.get(reverse("mfa_activate_totp"))
    secret = client.session[SECRET_SESSION_KEY]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("mfa_activate_totp"), {"code": code_for(secret)})
    assert response.status_code == 302
    assert Authenticator.objects.filter(user=alice, type="totp").exists()
    event = only("mfa_totp_activated")
    assert_row(event, actor=alice, organisation=arnhem)
    assert event.detail == {"type": "totp"}
    assert secret not in str(event.detail) and secret not in event.object_repr
    assert_row(only("mfa_recovery_codes_generated"), actor=alice, organisation=arnhem)


def test_deactivating_totp_is_audited(client, alice, arnhem, password, django_capture_on_commit_callbacks):
    with_totp(alice)
    client.force_login(alice)
    response = client.post(reverse("mfa_deactivate_totp"))
    assert response["Location"].startswith(reverse("account_reauthenticate"))  # MFA changes ask for the password
    assert not AuditEvent.objects.filter(action="mfa_totp_deactivated").exists()
    with django_capture_on_commit_callbacks(execute=True):
        reauthenticate(client, password)
        client.post(reverse("mfa_deactivate_totp"))
    assert not Authenticator.objects.filter(user=alice, type="totp").exists()
    assert_row(only("mfa_totp_deactivated"), actor=alice, organisation=arnhem)


def test_generating_new_recovery_codes_is_audited(client, alice, arnhem, password, django_capture_on_commit_callbacks):
    with_totp(alice)
    before = Authenticator.objects.get(user=alice, type="recovery_codes").wrap().get_unused_codes()
    client.force_login(alice)
    with django_capture_on_commit_callbacks(execute=True):
        reauthenticate(client, password)
        response = client.post(reverse("mfa_generate_recovery_codes"))
    assert response.status_code == 302
    assert Authenticator.objects.get(user=alice, type="recovery_codes").wrap().get_unused_codes() != before
    event = only("mfa_recovery_codes_regenerated")
    assert_row(event, actor=alice, organisation=arnhem)
    assert not any(code in str(event.detail) for code in before)


def test_logging_in_with_a_recovery_code_is_audited_and_a_wrong_code_as_a_failure(
    client, alice, arnhem, password, django_capture_on_commit_callbacks
):
    with_totp(alice)
    code = Authenticator.objects.get(user=alice, type="recovery_codes").wrap().get_unused_codes()[0]
    assert log_in(client, alice, password)["Location"] == reverse("mfa_authenticate")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("mfa_authenticate"), {"code": "12345678"})
    assert_row(only("mfa_failed"), actor=alice, organisation=arnhem, result="failure")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("mfa_authenticate"), {"code": code})
    assert response.status_code == 302 and "_auth_user_id" in client.session
    event = only("mfa_recovery_code_used")
    assert_row(event, actor=alice, organisation=arnhem)
    assert code not in str(event.detail)
    assert_row(only("login"), actor=alice, organisation=arnhem)


def test_a_password_change_is_audited(client, alice, arnhem, password):
    log_in(client, alice, password)
    new = "een-ander-sterk-wachtwoord-2026"
    response = client.post(
        reverse("account_change_password"), {"oldpassword": password, "password1": new, "password2": new}
    )
    assert response.status_code == 302
    event = only("password_changed")
    assert_row(event, actor=alice, organisation=arnhem)
    assert new not in str(event.detail) and password not in str(event.detail)


# --- Roles by the organisation admin ---------------------------------------------------------------


def test_inviting_someone_with_a_role_asks_for_the_password_first_then_audits_the_role(client, erin, arnhem, password):
    log_in(client, erin, password)
    payload = {"name": "Henk de Boer", "email": "henk@arnhem.example", "role": Role.ORG_ADMIN}
    response = client.post(reverse("member_invite"), payload)
    assert response["Location"].startswith(reverse("account_reauthenticate"))
    assert not Invitation.objects.exists()
    assert not AuditEvent.objects.filter(action="member_invited").exists()
    # After the password the suspended invitation goes ahead, without typing it again.
    response = reauthenticate(client, password, asked=response)
    assert response.status_code == 302 and response["Location"] == reverse("members")
    invitation = Invitation.objects.get(email="henk@arnhem.example")
    assert invitation.role == Role.ORG_ADMIN
    event = only("member_invited")
    assert_row(event, actor=erin, organisation=arnhem)
    assert event.detail == {"role": Role.ORG_ADMIN}


def test_removing_a_member_asks_for_the_password_first_then_audits_the_roles_taken_away(
    client, erin, alice, arnhem, password
):
    Membership.objects.create(user=alice, organisation=arnhem, role=Role.ORG_ADMIN)
    log_in(client, erin, password)
    url = reverse("member_remove", args=[alice.uuid])
    assert client.get(url).status_code == 200  # the confirmation page itself does not ask
    response = client.post(url)
    assert response["Location"].startswith(reverse("account_reauthenticate"))
    assert alice.memberships.filter(organisation=arnhem).count() == 2
    response = reauthenticate(client, password, asked=response)
    assert response["Location"] == reverse("members")
    assert not alice.memberships.filter(organisation=arnhem).exists()
    event = only("member_removed")
    assert_row(event, actor=erin, organisation=arnhem)
    assert event.object_id == str(alice.uuid)
    assert event.detail == {"roles": sorted([Role.ADVISOR, Role.ORG_ADMIN])}


def test_removing_a_member_of_another_organisation_stays_404_before_any_reauthentication(client, erin, bob, password):
    log_in(client, erin, password)
    assert client.post(reverse("member_remove", args=[bob.uuid])).status_code == 404
    assert bob.memberships.exists()


def test_accepting_an_invitation_is_audited_with_the_role_it_gives(client, erin, arnhem, django_capture_on_commit_callbacks):
    from django.core import mail

    client.force_login(erin)
    mark_reauthenticated(client, erin)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("member_invite"), {"name": "Henk", "email": "henk@arnhem.example", "role": Role.ADVISOR}
        )
    assert response.status_code == 302, response.content.decode()[-3000:]
    assert response["Location"] == reverse("members"), response["Location"]
    link = next(word for word in mail.outbox[-1].body.split() if "/uitnodiging/" in word)
    client.logout()
    new = "een-lang-en-sterk-wachtwoord-2026"
    response = client.post(link[link.index("/uitnodiging/"):], {"password1": new, "password2": new})
    assert response.status_code == 302
    event = only("invitation_accepted")
    assert event.actor.email == "henk@arnhem.example"
    assert (event.organisation, event.result, event.origin) == (arnhem, "success", "127.0.0.1")
    assert event.detail == {"role": Role.ADVISOR}


# --- Roles in the Django admin ---------------------------------------------------------------------


def inline_payload(user, memberships, *, delete=()):
    """The admin user change form with its membership inline."""
    data = {
        "email": user.email, "name": user.name, "phone": user.phone, "job_title": user.job_title,
        "is_active": "on", "last_login_0": "", "last_login_1": "",
        "date_joined_0": user.date_joined.strftime("%Y-%m-%d"), "date_joined_1": user.date_joined.strftime("%H:%M:%S"),
        "memberships-TOTAL_FORMS": str(len(memberships)), "memberships-INITIAL_FORMS": str(
            sum(1 for m in memberships if m.get("id"))),
        "memberships-MIN_NUM_FORMS": "0", "memberships-MAX_NUM_FORMS": "1000",
    }
    for i, m in enumerate(memberships):
        for key, value in m.items():
            data[f"memberships-{i}-{key}"] = value
        data[f"memberships-{i}-user"] = str(user.pk)
        data[f"memberships-{i}-created_at_0"] = "2026-01-05"
        data[f"memberships-{i}-created_at_1"] = "09:00:00"
        if i in delete:
            data[f"memberships-{i}-DELETE"] = "on"
    return data


@pytest.fixture
def staff(client):
    user = UserFactory(email="beheer@wizzr.example", name="Stef Beheer", is_staff=True, is_superuser=True)
    client.force_login(user)
    mark_reauthenticated(client, user)
    return user


def test_saving_roles_in_the_django_admin_asks_for_the_password_first(client, alice, arnhem, password):
    user = UserFactory(email="beheer@wizzr.example", name="Stef Beheer", is_staff=True, is_superuser=True)
    log_in(client, user, password)
    advisor = alice.memberships.get()
    url = reverse("admin:wizzr_user_change", args=[alice.pk])
    payload = inline_payload(alice, [{"id": str(advisor.pk), "organisation": str(arnhem.pk), "role": Role.ORG_ADMIN}])
    response = client.post(url, payload)
    assert response["Location"].startswith(reverse("account_reauthenticate"))
    assert alice.memberships.get().role == Role.ADVISOR
    assert not AuditEvent.objects.filter(action="membership_changed").exists()
    response = reauthenticate(client, password, asked=response)
    assert response.status_code == 302 and response["Location"] == reverse("admin:wizzr_user_changelist")
    assert alice.memberships.get().role == Role.ORG_ADMIN
    assert_row(only("membership_changed"), actor=user, organisation=arnhem)


def test_role_changes_in_the_django_admin_are_audited_per_membership(client, staff, alice, arnhem, renkum):
    advisor = alice.memberships.get()
    url = reverse("admin:wizzr_user_change", args=[alice.pk])
    payload = inline_payload(alice, [
        {"id": str(advisor.pk), "organisation": str(arnhem.pk), "role": Role.COORDINATOR},
        {"organisation": str(renkum.pk), "role": Role.ADVISOR},
    ])
    response = client.post(url, payload)
    assert response.status_code == 302, (response.context["adminform"].form.errors, [f.formset.errors for f in response.context["inline_admin_formsets"]])
    changed = only("membership_changed")
    assert_row(changed, actor=staff, organisation=arnhem)
    assert changed.object_id == str(alice.uuid)
    assert changed.detail == {"role": Role.COORDINATOR, "previous_role": Role.ADVISOR, "via": "admin"}
    added = only("membership_added")
    assert_row(added, actor=staff, organisation=renkum)
    assert added.detail == {"role": Role.ADVISOR, "via": "admin"}

    renkum_membership = alice.memberships.get(organisation=renkum)
    payload = inline_payload(alice, [
        {"id": str(advisor.pk), "organisation": str(arnhem.pk), "role": Role.COORDINATOR},
        {"id": str(renkum_membership.pk), "organisation": str(renkum.pk), "role": Role.ADVISOR},
    ], delete=(1,))
    assert client.post(url, payload).status_code == 302
    removed = only("membership_removed")
    assert_row(removed, actor=staff, organisation=renkum)
    assert removed.detail == {"role": Role.ADVISOR, "via": "admin"}
    assert list(alice.memberships.values_list("role", flat=True)) == [Role.COORDINATOR]


def test_making_someone_staff_in_the_django_admin_is_audited(client, staff, alice, arnhem):
    membership = alice.memberships.get()
    payload = inline_payload(alice, [{"id": str(membership.pk), "organisation": str(arnhem.pk), "role": Role.ADVISOR}])
    payload["is_staff"] = "on"
    assert client.post(reverse("admin:wizzr_user_change", args=[alice.pk]), payload).status_code == 302
    event = only("user_rights_changed")
    assert (event.actor, event.origin, event.object_id) == (staff, "127.0.0.1", str(alice.uuid))
    assert event.detail["changed"] == ["is_staff"] and event.detail["is_staff"] is True
    assert not AuditEvent.objects.filter(action__startswith="membership_").exists()

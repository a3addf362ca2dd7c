"""Organisation admins invite and remove members; invitees choose a password through an expiring link."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from tests.factories import AuthorityFactory, mark_reauthenticated, member
from wizzr.models import AuditEvent, Invitation, Membership, Role, User

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "een-lang-en-sterk-wachtwoord-2026"


def log_in(client, user):
    """Sign in with a recent reauthentication: inviting and removing members ask for the password again
    (tests/wizzr/test_audit_events.py covers that step)."""
    client.force_login(user)
    mark_reauthenticated(client, user)


def invite(client, **data):
    payload = {"name": "Henk de Boer", "email": "henk@arnhem.example", "role": Role.ADVISOR, **data}
    return client.post(reverse("member_invite"), payload)


def link_from(message) -> str:
    return re.search(r"https?://\S+(/uitnodiging/[^/\s]+/)", message.body).group(1)


@pytest.fixture
def invited(client, erin, django_capture_on_commit_callbacks):
    """Erin invites Henk; returns the path of the link in the e-mail."""
    log_in(client, erin)
    with django_capture_on_commit_callbacks(execute=True):
        invite(client)
    client.logout()
    return link_from(mail.outbox[-1])


def test_the_members_page_lists_each_person_once_with_their_roles(client, erin, alice):
    log_in(client, erin)
    response = client.get(reverse("members"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Leden van mijn organisatie" in html
    assert html.count('data-testid="member-row"') == 2
    assert "inkoopadviseur, beheerder organisatie" in html
    assert "alice@arnhem.example" in html


def test_an_admin_invites_someone_by_email_through_the_outbox(client, erin, arnhem, django_capture_on_commit_callbacks):
    log_in(client, erin)
    with django_capture_on_commit_callbacks(execute=True):
        response = invite(client)
    assert response.status_code == 302
    invitation = Invitation.objects.get(email="henk@arnhem.example")
    assert invitation.organisation == arnhem
    assert invitation.role == Role.ADVISOR
    assert invitation.invited_by == erin
    assert invitation.expires_at > timezone.now() + timedelta(days=6)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["henk@arnhem.example"]
    assert message.subject == "Uitnodiging voor WIZZR van Gemeente Arnhem"
    assert "Erin Bakker nodigt u uit" in message.body
    # Only a hash of the token is stored: the link cannot be rebuilt from the database.
    token = link_from(message).split("/")[-2]
    assert token not in invitation.token_hash
    assert AuditEvent.objects.filter(action="member_invited", organisation=arnhem).exists()
    assert "De uitnodiging is verstuurd naar henk@arnhem.example." in client.get(reverse("members")).content.decode()


def test_an_invitee_chooses_a_password_and_becomes_a_member(client, invited, arnhem):
    page = client.get(invited)
    assert page.status_code == 200
    assert "U bent uitgenodigd voor WIZZR bij Gemeente Arnhem als inkoopadviseur." in page.content.decode()
    response = client.post(invited, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("account_login")
    henk = User.objects.get(email="henk@arnhem.example")
    assert henk.name == "Henk de Boer"
    assert henk.check_password(NEW_PASSWORD)
    assert Membership.objects.filter(user=henk, organisation=arnhem, role=Role.ADVISOR).exists()
    assert henk.emailaddress_set.get().verified
    # And the new account works with the real login form.
    login = client.post(reverse("account_login"), {"login": "henk@arnhem.example", "password": NEW_PASSWORD})
    assert login.status_code == 302
    assert "Opstarten nieuw contract" in client.get(reverse("start")).content.decode()


def test_an_invitee_gets_clear_errors_and_nothing_is_stored(client, invited):
    response = client.post(invited, {"password1": NEW_PASSWORD, "password2": "iets-anders-2026-xyz"})
    assert response.status_code == 400
    assert "De twee wachtwoorden zijn niet gelijk." in response.content.decode()
    response = client.post(invited, {"password1": "kort", "password2": "kort"})
    assert response.status_code == 400
    assert "Dit wachtwoord is te kort" in response.content.decode()
    assert not User.objects.filter(email="henk@arnhem.example").exists()
    assert Invitation.objects.get().accepted_at is None


def test_a_used_link_no_longer_works(client, invited):
    client.post(invited, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    response = client.get(invited)
    assert response.status_code == 404
    assert "Deze link is verlopen of al gebruikt." in response.content.decode()
    response = client.post(invited, {"password1": "ander-wachtwoord-2026!", "password2": "ander-wachtwoord-2026!"})
    assert response.status_code == 404
    assert User.objects.get(email="henk@arnhem.example").check_password(NEW_PASSWORD)


def test_an_expired_link_no_longer_works(client, invited):
    Invitation.objects.update(expires_at=timezone.now() - timedelta(minutes=1))
    response = client.post(invited, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert response.status_code == 404
    assert "Deze link is verlopen of al gebruikt." in response.content.decode()
    assert not User.objects.filter(email="henk@arnhem.example").exists()


def test_a_made_up_link_does_not_work(client, invited):
    assert client.get(reverse("invitation_accept", args=["verzonnen-token"])).status_code == 404


def test_an_existing_user_only_confirms_and_keeps_their_password(
    client, erin, bob, renkum, arnhem, password, django_capture_on_commit_callbacks
):
    log_in(client, erin)
    with django_capture_on_commit_callbacks(execute=True):
        invite(client, name="Bob Jansen", email="BOB@renkum.example")
    client.logout()
    link = link_from(mail.outbox[-1])
    assert "U heeft al een WIZZR-account" in client.get(link).content.decode()
    client.post(link, {"password1": "wordt-genegeerd-2026!", "password2": "wordt-genegeerd-2026!"})
    bob.refresh_from_db()
    assert bob.check_password(password)
    assert {m.organisation for m in bob.memberships.all()} == {renkum, arnhem}


def test_extra_fields_in_the_invitation_post_are_ignored(client, erin, django_capture_on_commit_callbacks):
    log_in(client, erin)
    with django_capture_on_commit_callbacks(execute=True):
        invite(client, is_staff="on", is_superuser="on", organisation=str(AuthorityFactory().uuid))
    client.logout()
    invitation = Invitation.objects.get()
    assert invitation.organisation.slug == "arnhem"
    link = link_from(mail.outbox[-1])
    client.post(
        link,
        {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD, "is_staff": "on", "role": Role.ORG_ADMIN, "email": "x@evil.example"},
    )
    henk = User.objects.get(email="henk@arnhem.example")
    assert not henk.is_staff and not henk.is_superuser
    assert list(henk.memberships.values_list("role", flat=True)) == [Role.ADVISOR]
    assert not User.objects.filter(email="x@evil.example").exists()


def test_a_role_the_organisation_kind_does_not_offer_is_refused(client, erin):
    log_in(client, erin)
    response = invite(client, role=Role.COORDINATOR)
    assert response.status_code == 400
    html = response.content.decode()
    assert "Selecteer een geldige keuze" in html
    assert 'value="Henk de Boer"' in html  # what was typed is kept
    assert not Invitation.objects.exists()
    assert len(mail.outbox) == 0


def test_the_role_choices_follow_the_organisation_kind(client, erin, carol, service_point):
    Membership.objects.create(user=carol, organisation=service_point, role=Role.ORG_ADMIN)
    log_in(client, carol)
    html = client.get(reverse("members")).content.decode()
    assert 'value="coordinator"' in html
    assert 'value="advisor"' not in html


def test_inviting_someone_who_already_has_the_role_is_refused(client, erin, alice):
    log_in(client, erin)
    response = invite(client, name="Alice", email="Alice@Arnhem.example")
    assert response.status_code == 400
    assert "Deze persoon heeft deze rol al in uw organisatie." in response.content.decode()
    assert not Invitation.objects.exists()


def test_a_second_open_invitation_for_the_same_role_is_refused(client, erin, django_capture_on_commit_callbacks):
    log_in(client, erin)
    with django_capture_on_commit_callbacks(execute=True):
        invite(client)
    response = invite(client)
    assert response.status_code == 400
    assert "Er staat al een uitnodiging open" in response.content.decode()
    assert Invitation.objects.count() == 1


def test_an_admin_removes_a_member_after_confirming(client, erin, alice, arnhem, renkum):
    Membership.objects.create(user=alice, organisation=renkum, role=Role.ADVISOR)
    log_in(client, erin)
    confirm = client.get(reverse("member_remove", args=[alice.uuid]))
    assert confirm.status_code == 200
    assert "Alice de Vries verwijderen" in confirm.content.decode()
    assert alice.memberships.filter(organisation=arnhem).exists()
    response = client.post(reverse("member_remove", args=[alice.uuid]), follow=True)
    assert "Alice de Vries heeft geen toegang meer tot Gemeente Arnhem." in response.content.decode()
    assert not alice.memberships.filter(organisation=arnhem).exists()
    # Her other organisation is not this admin's business.
    assert alice.memberships.filter(organisation=renkum).exists()
    assert AuditEvent.objects.filter(action="member_removed", organisation=arnhem).exists()


def test_an_admin_cannot_remove_themselves(client, erin):
    log_in(client, erin)
    response = client.post(reverse("member_remove", args=[erin.uuid]), follow=True)
    assert "U kunt uzelf niet verwijderen." in response.content.decode()
    assert erin.memberships.count() == 2


def test_a_member_of_another_organisation_is_not_found(client, erin, bob):
    log_in(client, erin)
    assert client.get(reverse("member_remove", args=[bob.uuid])).status_code == 404
    assert client.post(reverse("member_remove", args=[bob.uuid])).status_code == 404
    assert bob.memberships.exists()


@pytest.mark.parametrize(
    ("name", "method", "args"),
    [("members", "get", False), ("member_invite", "post", False), ("member_remove", "post", True), ("member_remove", "get", True)],
)
def test_members_pages_need_the_org_admin_role(client, alice, erin, name, method, args):
    log_in(client, alice)
    url = reverse(name, args=[erin.uuid] if args else [])
    response = getattr(client, method)(url, {"name": "X", "email": "x@arnhem.example", "role": Role.ORG_ADMIN})
    assert response.status_code == 403
    assert "Geen toegang" in response.content.decode()
    assert not Invitation.objects.exists()
    assert erin.memberships.count() == 2


def test_members_pages_send_anonymous_visitors_to_login(client):
    response = client.get(reverse("members"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_an_org_admin_of_another_organisation_manages_only_their_own(client, alice):
    other = AuthorityFactory(name="Gemeente Ede", slug="ede")
    admin = member("beheer@ede.example", other, Role.ORG_ADMIN)
    log_in(client, admin)
    html = client.get(reverse("members")).content.decode()
    assert "alice@arnhem.example" not in html
    assert client.post(reverse("member_remove", args=[alice.uuid])).status_code == 404

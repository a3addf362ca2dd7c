"""Invitations made in the admin go out like those of an organisation admin, and can be sent again."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from tests.factories import UserFactory
from wizzr.invitations import invitation_resend, invitation_send
from wizzr.models import AuditEvent, Invitation, Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(client):
    user = UserFactory(email="beheer@wizzr.example", name="Beheer WIZZR", is_staff=True, is_superuser=True)
    client.force_login(user)
    return user


def link_from(message) -> str:
    return re.search(r"https?://\S+(/uitnodiging/[^/\s]+/)", message.body).group(1)


def test_the_service_stores_records_and_queues_the_mail(arnhem, erin, settings, django_capture_on_commit_callbacks):
    settings.INVITATION_MAX_AGE_DAYS = 3
    with django_capture_on_commit_callbacks(execute=True):
        invitation = invitation_send(organisation=arnhem, email="henk@arnhem.example", name="Henk", role=Role.ADVISOR, by=erin)

    assert invitation.invited_by == erin
    assert timezone.now() + timedelta(days=2) < invitation.expires_at <= timezone.now() + timedelta(days=3)
    assert [m.to for m in mail.outbox] == [["henk@arnhem.example"]]
    assert AuditEvent.objects.filter(action="member_invited", organisation=arnhem).count() == 1


def test_a_staff_member_invites_from_the_admin_and_the_mail_arrives(
    client, staff, arnhem, django_capture_on_commit_callbacks
):
    add = reverse("admin:wizzr_invitation_add")
    html = client.get(add).content.decode()
    assert 'name="expires_at"' not in html and 'name="invited_by"' not in html

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(add, {"organisation": arnhem.pk, "email": "Henk@Arnhem.example", "name": "Henk de Boer",
                                     "role": Role.ADVISOR})

    assert response.status_code == 302, response.content.decode()[:3000]
    invitation = Invitation.objects.get()
    assert invitation.email == "henk@arnhem.example"
    assert invitation.invited_by == staff
    assert invitation.expires_at > timezone.now() + timedelta(days=6)
    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject == "Uitnodiging voor WIZZR van Gemeente Arnhem"
    assert "Beheer WIZZR nodigt u uit" in mail.outbox[0].body
    assert client.get(link_from(mail.outbox[0])).status_code == 200


def test_the_admin_refuses_a_role_that_does_not_fit_the_organisation(client, staff, arnhem):
    response = client.post(reverse("admin:wizzr_invitation_add"),
                           {"organisation": arnhem.pk, "email": "x@arnhem.example", "name": "X", "role": Role.COORDINATOR})
    assert response.status_code == 200
    assert "Deze rol past niet bij dit soort organisatie." in response.content.decode()
    assert not Invitation.objects.exists()
    assert mail.outbox == []


def test_sending_again_gives_a_new_link_and_the_old_one_stops_working(
    client, staff, arnhem, erin, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        invitation = invitation_send(organisation=arnhem, email="henk@arnhem.example", name="Henk", role=Role.ADVISOR, by=erin)
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - timedelta(days=1))
    old_link = link_from(mail.outbox[0])

    page = client.get(reverse("admin:wizzr_invitation_change", args=[invitation.pk])).content.decode()
    assert "Opnieuw versturen" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("admin:wizzr_invitation_resend", args=[invitation.pk]), follow=True)

    assert "de vorige link werkt niet meer" in response.content.decode()
    invitation.refresh_from_db()
    assert invitation.expires_at > timezone.now() + timedelta(days=6)
    assert invitation.invited_by == erin
    assert len(mail.outbox) == 2
    new_link = link_from(mail.outbox[1])
    assert new_link != old_link
    client.logout()
    assert client.get(old_link).status_code == 404
    assert client.get(new_link).status_code == 200
    assert AuditEvent.objects.filter(action="member_invitation_resent", actor=staff).exists()


def test_the_resend_action_in_the_list_skips_accepted_invitations(
    client, staff, arnhem, erin, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        open_one = invitation_send(organisation=arnhem, email="a@arnhem.example", name="A", role=Role.ADVISOR, by=erin)
        accepted = invitation_send(organisation=arnhem, email="b@arnhem.example", name="B", role=Role.ADVISOR, by=erin)
    Invitation.objects.filter(pk=accepted.pk).update(accepted_at=timezone.now())
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("admin:wizzr_invitation_changelist"),
                               {"action": "resend", "_selected_action": [open_one.pk, accepted.pk]}, follow=True)

    html = response.content.decode()
    assert "Niet opnieuw verstuurd naar b@arnhem.example: deze uitnodiging is al geaccepteerd." in html
    assert [m.to for m in mail.outbox] == [["a@arnhem.example"]]


def test_resending_an_accepted_invitation_is_refused_by_the_service(arnhem, erin):
    invitation = invitation_send(organisation=arnhem, email="a@arnhem.example", name="A", role=Role.ADVISOR, by=erin)
    Invitation.objects.filter(pk=invitation.pk).update(accepted_at=timezone.now())
    from wizzr.invitations import InvitationError

    with pytest.raises(InvitationError):
        invitation_resend(invitation=invitation, by=erin)


def test_a_sent_invitation_is_not_edited_in_the_admin(client, staff, arnhem, erin):
    invitation = invitation_send(organisation=arnhem, email="a@arnhem.example", name="A", role=Role.ADVISOR, by=erin)
    url = reverse("admin:wizzr_invitation_change", args=[invitation.pk])
    assert 'name="email"' not in client.get(url).content.decode()
    assert client.post(url, {"organisation": arnhem.pk, "email": "z@x.example", "name": "Z", "role": Role.ADVISOR}).status_code == 403

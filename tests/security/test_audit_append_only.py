"""The audit log is append-only: not changed or deleted in the admin, by anyone, nor in the database."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError
from django.urls import reverse

from tests.factories import AuthorityFactory, UserFactory, mark_reauthenticated
from wizzr.audit import audit_record
from wizzr.models import AuditEvent


@pytest.fixture
def event(w):
    return audit_record(action="export", actor=w["alice"], organisation=w["arnhem"], obj=w["contract"])


@pytest.fixture
def superuser(client, w):
    client.force_login(w["staff"])
    mark_reauthenticated(client, w["staff"])
    return w["staff"]


def test_a_superuser_finds_no_delete_action_and_no_delete_button(client, superuser, event):
    changelist = client.get(reverse("admin:wizzr_auditevent_changelist")).content.decode()
    assert "export" in changelist and "delete_selected" not in changelist
    detail = client.get(reverse("admin:wizzr_auditevent_change", args=[event.pk])).content.decode()
    assert reverse("admin:wizzr_auditevent_delete", args=[event.pk]) not in detail
    assert 'name="_save"' not in detail


def test_posting_to_the_delete_or_change_url_is_refused(client, superuser, event):
    assert client.post(reverse("admin:wizzr_auditevent_delete", args=[event.pk]), {"post": "yes"}).status_code == 403
    response = client.post(
        reverse("admin:wizzr_auditevent_changelist"),
        {"action": "delete_selected", "_selected_action": [event.pk], "post": "yes"},
    )
    assert response.status_code in (200, 302)
    response = client.post(reverse("admin:wizzr_auditevent_change", args=[event.pk]), {"action": "hidden"})
    assert response.status_code == 403
    event.refresh_from_db()
    assert event.action == "export"


def test_the_database_refuses_to_delete_an_audit_event(event):
    with pytest.raises(IntegrityError, match="append-only"), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).delete()
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_the_database_refuses_to_change_an_audit_event(event):
    with pytest.raises(IntegrityError, match="append-only"), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).update(action="nothing_happened")
    with pytest.raises(IntegrityError, match="append-only"), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).update(actor=None, detail={"covered": "up"})
    event.refresh_from_db()
    assert (event.action, event.actor_id, event.detail) == ("export", event.actor_id, {})


def test_deleting_a_persons_account_keeps_their_events_without_the_link(w):
    person = UserFactory(email="weg@arnhem.example")
    kept = audit_record(action="export", actor=person, organisation=w["arnhem"], obj=w["contract"])
    person.delete()
    kept.refresh_from_db()
    assert (kept.actor, kept.action, kept.organisation, kept.object_id) == (
        None, "export", w["arnhem"], str(w["contract"].uuid)
    )


def test_an_organisation_with_audit_history_cannot_be_deleted(w):
    gone = AuthorityFactory(name="Gemeente Opgeheven", slug="opgeheven")
    audit_record(action="membership_added", organisation=gone)
    with pytest.raises(ProtectedError), transaction.atomic():
        gone.delete()
    assert AuditEvent.objects.filter(organisation=gone).count() == 1

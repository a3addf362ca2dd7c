"""BIO 8.15.01 as a checklist: each kind of security-relevant event the issue names leaves an audit row
with action, object, result, origin (IP), actor and UTC time, and lands in its organisation's log.

The events are caused through real requests in the seeded world (see ``conftest.build_world``). MFA changes
and role changes in the Django admin go through flows of their own: tests/wizzr/test_audit_events.py.
"""

from __future__ import annotations

import datetime

from django.core.cache import cache
from django.urls import reverse

from tests.factories import PASSWORD
from tests.security.test_hostile_input import reauthenticate
from wizzr.models import AuditEvent

ORIGIN = "192.0.2.44"


def request_from(client, method: str, url: str, data=None):
    return getattr(client, method)(url, data or {}, REMOTE_ADDR=ORIGIN)


def event(action: str, **filters) -> AuditEvent:
    rows = AuditEvent.objects.filter(action=action, **filters)
    assert rows.count() == 1, f"{action}: {rows.count()} rows"
    row = rows.get()
    assert row.origin == ORIGIN
    assert row.created_at.tzinfo is not None and row.created_at.utcoffset() == datetime.timedelta(0)
    return row


def test_a_login_and_a_failed_login(client, w):
    cache.clear()
    request_from(client, "post", reverse("account_login"), {"login": w["alice"].email, "password": "fout"})
    failed = event("login_failed")
    assert (failed.result, failed.actor, failed.detail) == ("failure", None, {})  # the typed address is not kept
    request_from(client, "post", reverse("account_login"), {"login": w["alice"].email, "password": PASSWORD})
    login = event("login")
    assert (login.actor, login.organisation, login.result, login.object_id) == (
        w["alice"], w["arnhem"], "success", str(w["alice"].uuid))


def test_denied_access_to_another_tenants_object(client, w):
    client.force_login(w["dave"])
    assert request_from(client, "get", reverse("contracts:detail", args=[w["contract"].uuid])).status_code == 404
    denied = event("object_not_found")
    assert (denied.actor, denied.organisation, denied.result) == (w["dave"], w["utrecht"], "denied")


def test_an_export(client, w):
    client.force_login(w["alice"])
    reauthenticate(client, w["alice"])
    assert request_from(client, "get", reverse("monitoring:export_individual", args=["csv"])).status_code == 200
    export = event("export")
    assert (export.actor, export.organisation, export.result) == (w["alice"], w["arnhem"], "success")
    assert export.detail["report"] == "individual" and export.detail["format"] == "csv"


def test_a_role_change(client, w):
    client.force_login(w["erin"])
    reauthenticate(client, w["erin"])
    request_from(client, "post", reverse("member_remove", args=[w["alice"].uuid]))
    removed = event("member_removed")
    assert (removed.actor, removed.organisation, removed.object_id) == (w["erin"], w["arnhem"], str(w["alice"].uuid))
    assert removed.detail == {"roles": ["advisor"]}


def test_a_handover(client, w):
    client.force_login(w["alice"])
    draft = w["draft"]
    request_from(client, "post", reverse("contracts:hand_over", args=[draft.uuid]))
    handover = event("contract_handed_over")
    assert (handover.actor, handover.organisation, handover.object_id) == (w["alice"], w["arnhem"], str(draft.uuid))


def test_an_assessment(client, w):
    client.force_login(w["carol"])
    realisation = w["realisation"]
    url = reverse("monitoring:realisation_approve", args=[w["contract"].uuid, realisation.uuid])
    assert request_from(client, "post", url).status_code == 302
    approved = event("realisation_approved")
    assert (approved.actor, approved.organisation, approved.object_id) == (
        w["carol"], w["arnhem"], str(realisation.uuid))


def test_the_organisation_admin_reads_these_events_in_the_log(client, w):
    client.force_login(w["alice"])
    request_from(client, "post", reverse("contracts:hand_over", args=[w["draft"].uuid]))
    client.force_login(w["erin"])
    html = client.get(reverse("audit_log")).content.decode()
    row = next(r for r in html.split('data-testid="audit-row"')[1:] if "contract_handed_over" in r)
    for shown in (ORIGIN, "Alice de Vries", "CONCEPT-1", "gelukt"):
        assert shown in row, shown

"""The audit log page for organisation admins, and the scheduled purge of candidate references."""

from __future__ import annotations

import datetime
from pathlib import Path

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from contracts.models import Contract
from monitoring.models import ContractFollowUp
from monitoring.tasks import purge_candidate_references
from wizzr.audit import audit_record
from wizzr.models import AuditEvent
from wizzr.views import AUDIT_PAGE_SIZE


def test_an_organisation_admin_reads_the_audit_log_of_their_organisation_only(client, w):
    # Audit rows cannot be updated afterwards: store the origin and time the test reads from the start.
    AuditEvent.objects.create(
        action="export", actor=w["alice"], organisation=w["arnhem"], object_type="contracts.contract",
        object_id=str(w["contract"].uuid), object_repr=str(w["contract"]), origin="192.0.2.7",
        created_at=datetime.datetime(2026, 7, 1, 9, 30, 5, tzinfo=datetime.UTC),
    )
    audit_record(action="renkum_secret_action", actor=w["bob"], organisation=w["renkum"])
    client.force_login(w["erin"])
    response = client.get(reverse("audit_log"))
    html = response.content.decode()
    assert response.status_code == 200
    row = next(r for r in html.split('data-testid="audit-row"')[1:] if "192.0.2.7" in r)
    for shown in ("export", "INK-2026-0042", "Alice de Vries", "192.0.2.7", "2026-07-01 09:30:05", "gelukt"):
        assert shown in row, shown
    assert "renkum_secret_action" not in html


def test_members_without_the_admin_role_get_403_and_anonymous_visitors_the_login_page(client, w):
    for persona in ("alice", "bob", "carol", "sam", "staff"):
        client.force_login(w[persona])
        assert client.get(reverse("audit_log")).status_code == 403, persona
    client.logout()
    response = client.get(reverse("audit_log"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("account_login"))


def test_the_audit_log_is_paginated_with_working_links(client, w):
    for n in range(AUDIT_PAGE_SIZE + 1):
        audit_record(action=f"event_{n}", organisation=w["arnhem"])
    client.force_login(w["erin"])
    html = client.get(reverse("audit_log")).content.decode()
    assert html.count('data-testid="audit-row"') == AUDIT_PAGE_SIZE
    assert 'href="?page=2"' in html
    assert "Pagina 2 van" in client.get(reverse("audit_log"), {"page": "2"}).content.decode()


def test_the_user_menu_links_to_the_audit_log_for_organisation_admins_only(client, w):
    client.force_login(w["erin"])
    assert reverse("audit_log") in client.get(reverse("start")).content.decode()
    client.force_login(w["alice"])
    assert reverse("audit_log") not in client.get(reverse("start")).content.decode()


def test_no_template_doubles_the_question_mark_of_querystring():
    """Django 6's ``{% querystring %}`` starts with "?"; "?{% querystring %}" made "??page=2" (a dead link)."""
    templates = Path(settings.BASE_DIR) / "templates"
    offenders = [str(p) for p in templates.rglob("*.html") if "?{% querystring" in p.read_text()]
    assert offenders == []


def close(contract, days_ago: int):
    Contract.objects.filter(pk=contract.pk).update(status=Contract.Status.CLOSED)
    ContractFollowUp.objects.filter(contract=contract).update(
        closed_at=timezone.now() - datetime.timedelta(days=days_ago)
    )


def test_the_purge_blanks_candidate_references_of_contracts_closed_longer_than_the_retention(w, settings):
    settings.WIZZR_CANDIDATE_RETENTION_DAYS = 365
    realisation = w["realisation"]
    close(w["contract"], days_ago=366)
    assert realisation.candidate_reference == "AB"
    assert purge_candidate_references.delay().get() == 1
    realisation.refresh_from_db()
    assert realisation.candidate_reference == ""
    assert realisation.value > 0 and realisation.status == "submitted"  # the figures stay
    event = AuditEvent.objects.get(action="candidate_references_purged")
    assert event.organisation == w["arnhem"] and event.detail == {"realisations": 1, "retention_days": 365}


def test_the_purge_keeps_references_within_the_retention_and_of_running_contracts(w, settings):
    settings.WIZZR_CANDIDATE_RETENTION_DAYS = 365
    close(w["contract"], days_ago=364)
    assert purge_candidate_references() == 0
    w["realisation"].refresh_from_db()
    assert w["realisation"].candidate_reference == "AB"
    assert not AuditEvent.objects.filter(action="candidate_references_purged").exists()


def test_the_purge_is_scheduled_daily():
    entry = next(e for e in settings.CELERY_BEAT_SCHEDULE.values() if e["task"].endswith("purge_candidate_references"))
    assert entry["task"] == "monitoring.tasks.purge_candidate_references"


def test_a_404_on_another_tenants_object_is_audited_as_denied_for_the_users_own_organisation(client, w):
    client.force_login(w["bob"])
    response = client.get(reverse("monitoring:contract", args=[w["contract"].uuid]))
    assert response.status_code == 404
    event = AuditEvent.objects.get(action="object_not_found")
    assert (event.actor, event.organisation, event.result) == (w["bob"], w["renkum"], "denied")
    assert event.detail == {"route": "monitoring:contract", "path": f"/monitoren/contracten/{w['contract'].uuid}/"}
    assert event.origin == "127.0.0.1"


def test_404s_without_an_object_id_or_a_signed_in_user_are_not_audited(client, w):
    client.get(reverse("contracts:detail", args=[w["contract"].uuid]))  # anonymous: sent to login
    client.get("/bestaat-niet/")
    client.force_login(w["bob"])
    client.get("/bestaat-niet/")
    assert not AuditEvent.objects.filter(action="object_not_found").exists()

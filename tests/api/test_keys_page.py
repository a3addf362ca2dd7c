"""The organisation admin's page for API keys."""

from __future__ import annotations

from django.urls import reverse

from api.models import ApiToken, digest
from wizzr.models import AuditEvent


def test_an_org_admin_creates_a_key_sees_it_once_and_the_creation_is_audited(client, w):
    client.force_login(w["erin"])
    response = client.post(reverse("api:keys"), {"name": "Power BI financiën"})
    assert response.status_code == 200
    token = ApiToken.objects.get(organisation=w["arnhem"], name="Power BI financiën")
    secret = response.context["secret"]
    assert secret.encode() in response.content
    assert token.key_hash == digest(secret) and token.created_by == w["erin"]
    event = AuditEvent.objects.get(action="api_token.created", object_id=str(token.uuid))
    assert event.actor == w["erin"] and event.organisation == w["arnhem"]
    assert secret not in str(event.detail)
    again = client.get(reverse("api:keys"))
    assert secret.encode() not in again.content
    assert token.prefix.encode() in again.content


def test_a_key_without_a_name_or_with_a_past_end_date_is_refused(client, w):
    client.force_login(w["erin"])
    assert client.post(reverse("api:keys"), {"name": ""}).status_code == 400
    assert client.post(reverse("api:keys"), {"name": "x", "expires_on": "2001-01-01"}).status_code == 400
    assert not ApiToken.objects.exists()


def test_revoking_a_key_stops_it_and_is_audited(client, w):
    token, secret = ApiToken.issue(organisation=w["arnhem"], name="BI", by=w["erin"])
    client.force_login(w["erin"])
    response = client.post(reverse("api:key_revoke", kwargs={"uuid": token.uuid}))
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert AuditEvent.objects.filter(action="api_token.revoked", object_id=str(token.uuid)).count() == 1
    client.logout()
    answer = client.get(reverse("api:contracts"), headers={"Authorization": f"Bearer {secret}"})
    assert answer.status_code == 401


def test_an_advisor_cannot_manage_keys_and_another_organisations_key_is_not_found(client, w):
    renkum_token, _ = ApiToken.issue(organisation=w["renkum"], name="BI Renkum", by=w["bob"])
    client.force_login(w["alice"])
    assert client.get(reverse("api:keys")).status_code == 403
    client.force_login(w["erin"])
    assert client.post(reverse("api:key_revoke", kwargs={"uuid": renkum_token.uuid})).status_code == 404
    renkum_token.refresh_from_db()
    assert renkum_token.revoked_at is None
    assert b"BI Renkum" not in client.get(reverse("api:keys")).content


def test_the_members_page_links_to_the_keys(client, w):
    client.force_login(w["erin"])
    assert reverse("api:keys").encode() in client.get(reverse("members")).content

"""Writing audit events (BIO 8.15.01: action, object, result, origin, actor, UTC time)."""

from __future__ import annotations

from django.db import models
from django.http import HttpRequest

from wizzr.models import AuditEvent, Organisation


def client_ip(request: HttpRequest | None) -> str | None:
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


def audit_record(
    *,
    action: str,
    actor=None,
    organisation: Organisation | None = None,
    obj: models.Model | None = None,
    result: str = AuditEvent.Result.SUCCESS,
    request: HttpRequest | None = None,
    detail: dict | None = None,
) -> AuditEvent:
    """Store one audit event. Personal data and secrets never go into ``detail``."""
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    return AuditEvent.objects.create(
        action=action,
        actor=actor,
        organisation=organisation,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(getattr(obj, "uuid", getattr(obj, "pk", ""))) if obj is not None else "",
        object_repr=str(obj)[:200] if obj is not None else "",
        result=result,
        origin=client_ip(request),
        detail=detail or {},
    )

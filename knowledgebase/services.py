"""Writes of the help desk: submit a help request, reply, change its status, apply a change request.

Each function runs in one transaction: the rows, the audit event and the outbox rows of the
notifications are committed together or not at all.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Iterable
from decimal import Decimal

from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from knowledgebase.models import (
    Category,
    HelpRequest,
    HelpRequestAttachment,
    HelpRequestReply,
    help_attachment_root,
)
from wizzr.access import has_role
from wizzr.audit import audit_record
from wizzr.models import Organisation, Role, User
from wizzr.notifications import notify

logger = logging.getLogger(__name__)


class NoServicePoint(Exception):
    """The asker's organisation is not served by any SROI service point."""


class AlreadyApplied(Exception):
    """Another coordinator applied this change request first."""


def coordinators_of(service_point: Organisation) -> QuerySet[User]:
    """The active users with the coordinator role at ``service_point``."""
    return User.objects.filter(
        is_active=True, memberships__organisation=service_point, memberships__role=Role.COORDINATOR
    ).distinct()


def is_coordinator_for(request: HttpRequest, help_request: HelpRequest) -> bool:
    """True when the request's user coordinates at the service point the help request was routed to."""
    return has_role(request, help_request.service_point_id, Role.COORDINATOR)


def _url(help_request: HelpRequest) -> str:
    return reverse("knowledgebase:help_request_detail", args=[help_request.uuid])


def _context(help_request: HelpRequest, **extra) -> dict:
    contract = help_request.contract
    return {
        "subject": help_request.subject,
        "kind": help_request.kind,
        "organisation": help_request.organisation.name,
        "asker": help_request.asker.name or help_request.asker.email,
        "contract": f"{contract.contract_number} — {contract.title}" if contract else "",
        "url": _url(help_request),
        **extra,
    }


def help_request_submit(
    *,
    organisation: Organisation,
    service_point: Organisation | None,
    asker,
    kind: str,
    subject: str,
    question: str,
    category: Category | None = None,
    contract=None,
    uploads: Iterable = (),
    request: HttpRequest | None = None,
) -> HelpRequest:
    """Store a help request (with its attachments) and notify the coordinators of the service point.

    Raises NoServicePoint when there is nobody to route it to. Files are written only once the
    rows are saved, and removed again if the transaction fails, so nothing is stored half.
    """
    from wizzr.uploads import discard, store

    if service_point is None:
        raise NoServicePoint
    root = help_attachment_root()
    stored: list[str] = []
    try:
        with transaction.atomic():
            help_request = HelpRequest.objects.create(
                organisation=organisation,
                service_point=service_point,
                asker=asker,
                kind=kind,
                subject=subject,
                question=question,
                category=category,
                contract=contract,
            )
            for upload in uploads:
                stored_name = store(upload, root=root)
                stored.append(stored_name)
                HelpRequestAttachment.objects.create(
                    organisation=organisation,
                    help_request=help_request,
                    stored_name=stored_name,
                    display_name=upload.display_name,
                    size=upload.size,
                    content_type=upload.content_type,
                    sha256=upload.sha256,
                    uploaded_by=asker,
                    **upload.scan_fields,
                )
            recipients = list(coordinators_of(service_point))
            if not recipients:
                # The request waits in the queue until the service point has a coordinator.
                logger.warning("help request for a service point without coordinators", extra={"event": "kb_no_coordinator"})
            notify(
                organisation=service_point,
                recipients=recipients,
                template="help_request_created",
                context=_context(help_request, excerpt=Truncator(question).chars(500)),
            )
            audit_record(
                action="change_request_created" if kind == HelpRequest.Kind.CHANGE else "help_request_created",
                actor=asker,
                organisation=organisation,
                obj=help_request,
                request=request,
                detail={"service_point": str(service_point.uuid), "attachments": len(stored)},
            )
    except BaseException:
        for stored_name in stored:
            discard(stored_name, root=root)
        raise
    return help_request


def help_request_reply(
    *, help_request: HelpRequest, author, body: str, status: str | None = None, request: HttpRequest | None = None
) -> HelpRequestReply:
    """Add a reply to the thread and notify the other side.

    A coordinator's reply notifies the asker and sets ``status`` (default: answered). The asker's
    reply notifies the coordinators and re-opens an answered request.
    """
    if request is not None and request.user == author:
        coordinator = is_coordinator_for(request, help_request)
    else:  # outside a request of the author's own
        coordinator = coordinators_of(help_request.service_point).filter(pk=author.pk).exists()
    with transaction.atomic():
        locked = HelpRequest.objects.select_for_update().get(pk=help_request.pk)
        reply = HelpRequestReply.objects.create(
            organisation=locked.organisation, help_request=locked, author=author, body=body
        )
        if coordinator:
            locked.status = status or HelpRequest.Status.ANSWERED
            recipients = [locked.asker] if locked.asker_id != author.pk else []
            notification_organisation = locked.organisation
        else:
            if locked.status == HelpRequest.Status.ANSWERED:
                locked.status = HelpRequest.Status.OPEN
            recipients = list(coordinators_of(locked.service_point).exclude(pk=author.pk))
            notification_organisation = locked.service_point
        locked.updated_at = timezone.now()
        locked.save(update_fields=["status", "updated_at"])
        if recipients:
            notify(
                organisation=notification_organisation,
                recipients=recipients,
                template="help_request_replied",
                context=_context(
                    locked,
                    author=author.name or author.email,
                    excerpt=Truncator(body).chars(500),
                    status=locked.get_status_display(),
                    from_service_point=coordinator,
                ),
            )
        audit_record(
            action="help_request_replied",
            actor=author,
            organisation=locked.organisation,
            obj=locked,
            request=request,
            detail={"status": locked.status},
        )
    help_request.refresh_from_db()
    return reply


def help_request_set_status(*, help_request: HelpRequest, by, status: str, request: HttpRequest | None = None) -> None:
    """Change the status (coordinators only; the view checks the role)."""
    with transaction.atomic():
        old = help_request.status
        HelpRequest.objects.filter(pk=help_request.pk).update(status=status, updated_at=timezone.now())
        audit_record(
            action="help_request_status_changed",
            actor=by,
            organisation=help_request.organisation,
            obj=help_request,
            request=request,
            detail={"status": [old, status]},
        )
    help_request.refresh_from_db()


def _json_value(value):
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, (datetime.date, Decimal)):
        return value.isoformat() if isinstance(value, datetime.date) else str(value)
    return str(value)


def _display(contract, name: str, value) -> str:
    field = contract._meta.get_field(name)
    if value in (None, ""):
        return _("(leeg)")
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, datetime.date):
        return formats.date_format(value, "j F Y")
    if isinstance(value, Decimal):
        return formats.number_format(value, 2, use_l10n=True, force_grouping=True)
    return str(value)


def change_request_apply(*, help_request: HelpRequest, form, by, request: HttpRequest | None = None) -> dict:
    """Apply the coordinator's edits (a bound, valid ContractChangeForm) to the contract.

    Records ``contract_changed`` with ``{field: [old, new]}`` for the contract's timeline, marks
    the change request applied, posts a reply that lists the changes and notifies the asker.
    Returns the changes.
    """
    from contracts.models import Contract

    with transaction.atomic():
        if HelpRequest.objects.select_for_update().get(pk=help_request.pk).applied_at is not None:
            raise AlreadyApplied
        contract = Contract.objects.select_for_update().get(pk=form.instance.pk)
        changes: dict[str, list] = {}
        lines: list[str] = []
        for name in form.changed_data:
            old, new = getattr(contract, name), form.cleaned_data[name]
            if old == new:
                continue
            changes[name] = [_json_value(old), _json_value(new)]
            label = str(contract._meta.get_field(name).verbose_name)
            lines.append(f"- {label}: {_display(contract, name, old)} → {_display(contract, name, new)}")
            setattr(contract, name, new)
        contract.save()
        audit_record(
            action="contract_changed",
            actor=by,
            organisation=contract.organisation,
            obj=contract,
            request=request,
            detail=changes,
        )
        HelpRequest.objects.filter(pk=help_request.pk).update(applied_at=timezone.now(), applied_by=by)
        body = _("De wijziging is doorgevoerd in het inkoopcontract:") + "\n" + "\n".join(lines)
        help_request_reply(
            help_request=help_request, author=by, body=body, status=HelpRequest.Status.ANSWERED, request=request
        )
    help_request.refresh_from_db()
    return changes

"""Celery tasks of the core: thin wrappers that take ids."""

from __future__ import annotations

import logging
import smtplib

from celery import shared_task

from wizzr.models import OutboxMessage
from wizzr.notifications import deliver, enqueue

logger = logging.getLogger(__name__)


@shared_task(
    acks_late=True,
    autoretry_for=(smtplib.SMTPException, OSError),
    retry_backoff=5,
    retry_backoff_max=600,
    retry_jitter=True,
    max_retries=8,
)
def deliver_outbox_message(message_id: int) -> bool:
    return deliver(message_id)


@shared_task(acks_late=True)
def relay_pending_outbox(limit: int = 500) -> int:
    """Queue every outbox row that is still pending; returns how many were queued."""
    ids = list(
        OutboxMessage.objects.filter(status=OutboxMessage.Status.PENDING)
        .order_by("created_at")
        .values_list("pk", flat=True)[:limit]
    )
    enqueue(ids)
    return len(ids)


@shared_task(acks_late=True)
def rescan_pending_uploads(limit: int = 200) -> dict[str, int]:
    """Scan the uploads held while the virus scanner was down (see ``wizzr.scanning``)."""
    from wizzr.scanning import rescan_pending

    return rescan_pending(limit=limit)

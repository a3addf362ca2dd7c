"""Notifications through the outbox.

``notify`` writes outbox rows inside the caller's transaction and queues their delivery after
commit. A broker that is down never fails the caller: the rows stay pending and the periodic
relay (``relay_pending_outbox``) queues them again.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterable

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, mailers
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from wizzr.models import Notification, Organisation, OutboxMessage

logger = logging.getLogger(__name__)


def notify(
    *,
    organisation: Organisation,
    recipients: Iterable,
    template: str,
    context: dict,
    email: bool = True,
    in_app: bool = True,
) -> list[OutboxMessage]:
    """Write one e-mail and/or one in-app outbox row per recipient, in the recipient's language, and
    queue them after commit.

    ``context`` must be JSON-serialisable; templates live at ``emails/<template>_subject.txt``,
    ``_body.txt`` and ``_body.html`` (e-mail) and ``notifications/<template>.txt`` (in app).
    """
    rows = []
    sender_language = translation.get_language() or settings.LANGUAGE_CODE
    for user in recipients:
        # Each person in their own language (User.language); an invitee without an account yet, or a
        # person who has never chosen or logged in, in the language of the request or job that sends.
        language = getattr(user, "language", "") or sender_language
        if email and user.email:
            rows.append(
                OutboxMessage(
                    organisation=organisation,
                    channel=OutboxMessage.Channel.EMAIL,
                    # Someone without an account yet (an invitee) is an unsaved user: address only.
                    recipient=user if user.pk else None,
                    to_email=user.email,
                    template=template,
                    context=context,
                    language=language,
                )
            )
        if in_app:
            rows.append(
                OutboxMessage(
                    organisation=organisation,
                    channel=OutboxMessage.Channel.IN_APP,
                    recipient=user,
                    template=template,
                    context=context,
                    language=language,
                )
            )
    created = OutboxMessage.objects.bulk_create(rows)
    ids = [row.pk for row in created]
    transaction.on_commit(lambda: enqueue(ids))
    return created


def enqueue(ids: Iterable[int]) -> None:
    """Queue delivery tasks; a broker failure is logged and left to the relay."""
    from kombu.exceptions import OperationalError

    from wizzr.tasks import deliver_outbox_message

    for message_id in ids:
        try:
            deliver_outbox_message.delay(message_id)
        except OperationalError:
            logger.warning("broker unavailable; the relay will queue the outbox later", extra={"event": "outbox_enqueue_failed"})
            return
        except Exception:
            # In-process (eager) delivery failed: the row stays pending for the relay.
            logger.exception("outbox delivery failed; the relay will retry", extra={"event": "outbox_delivery_failed"})


def deliver(message_id: int) -> bool:
    """Deliver one outbox row exactly once; return True when this call delivered it.

    The row is locked for the duration; a row already sent, or locked by another worker, is
    skipped, so a task that runs twice (a redelivery, the relay, a second worker) never sends twice.

    The mail server accepts a message at the end of its DATA. The row is marked sent before the
    conversation starts, in the same transaction, so that the server's acceptance is followed by
    nothing but the COMMIT (the QUIT comes after it). A process killed before the commit leaves the
    row pending and the relay sends it again; a mail server or template error rolls the mark back.
    Only a kill in the instant between the server's acceptance and the COMMIT can still send a
    message twice (no SMTP client can rule that out), then with the same Message-ID: the row's uuid.
    """
    with contextlib.ExitStack() as after_commit:
        with transaction.atomic():
            message = (
                # Lock only the outbox row: PostgreSQL refuses FOR UPDATE on the nullable side of the
                # outer join that select_related("recipient") adds.
                OutboxMessage.objects.select_for_update(skip_locked=True, of=("self",))
                .filter(pk=message_id, status=OutboxMessage.Status.PENDING)
                .select_related("recipient")
                .first()
            )
            if message is None:
                return False
            message.attempts += 1
            message.status = OutboxMessage.Status.SENT
            message.sent_at = timezone.now()
            message.last_error = ""
            message.save(update_fields=["status", "sent_at", "attempts", "last_error"])
            with translation.override(message.language):
                if message.channel == OutboxMessage.Channel.EMAIL:
                    # Opened here, closed (QUIT) by the ExitStack once the transaction has committed.
                    mailer = after_commit.enter_context(mailers.default)
                    _send_email(message, mailer)  # the last statement of the transaction
                else:
                    _create_notification(message)
    return True


def _context(message: OutboxMessage) -> dict:
    return {**message.context, "site_url": settings.SITE_URL, "recipient": message.recipient}


def _send_email(message: OutboxMessage, mailer) -> None:
    context = _context(message)
    subject = render_to_string(f"emails/{message.template}_subject.txt", context).strip()
    text = render_to_string(f"emails/{message.template}_body.txt", context)
    html = render_to_string(f"emails/{message.template}_body.html", context)
    mail = EmailMultiAlternatives(
        subject=" ".join(subject.splitlines()),
        body=text,
        to=[message.to_email],
        headers={"Message-ID": f"<{message.uuid}@wizzr>"},
    )
    mail.attach_alternative(html, "text/html")
    mailer.send_messages([mail])


def _create_notification(message: OutboxMessage) -> None:
    context = _context(message)
    title = render_to_string(f"notifications/{message.template}.txt", context).strip()
    lines = title.splitlines()
    Notification.objects.create(
        # By id: the organisation's row is not needed, and reading it would cost a query per message.
        organisation_id=message.organisation_id,
        user=message.recipient,
        title=lines[0][:200] if lines else message.template,
        body="\n".join(lines[1:]).strip(),
        url=str(message.context.get("url", ""))[:500],
    )

"""Delivery of an outbox e-mail: once, and marked sent before the mail server hears anything more."""

from __future__ import annotations

import smtplib

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.db import connection
from django.test.utils import CaptureQueriesContext

from wizzr.models import OutboxMessage
from wizzr.notifications import deliver

CONTEXT = {
    "contract_number": "INK-2026-077",
    "title": "Groenonderhoud",
    "organisation": "Gemeente Arnhem",
    "supplier": "Groen B.V.",
    "start_date": "1 januari 2026",
    "end_date": "31 december 2027",
    "contract_value": "€ 400.000,00",
    "sroi_obligation": "€ 20.000,00",
    "handed_over_by": "Alice de Boer",
}


def email_row(organisation, user) -> OutboxMessage:
    return OutboxMessage.objects.create(
        organisation=organisation,
        channel=OutboxMessage.Channel.EMAIL,
        recipient=user,
        to_email=user.email,
        template="contract_handed_over",
        context=CONTEXT,
    )


def stored_status(row: OutboxMessage) -> str:
    return OutboxMessage.objects.values_list("status", flat=True).get(pk=row.pk)


class RecordingBackend(BaseEmailBackend):
    """Remembers, per step of the SMTP conversation: a transaction open?, the row's status, statements so far."""

    events: list[tuple[str, bool, list[str], int]] = []
    queries: CaptureQueriesContext

    def _note(self, step: str) -> None:
        executed = len(self.queries.captured_queries)
        statuses = list(OutboxMessage.objects.values_list("status", flat=True))
        self.events.append((step, connection.in_atomic_block, statuses, executed))

    def open(self):
        self._note("open")
        return True

    def send_messages(self, email_messages):
        self._note("data accepted")
        return len(email_messages)

    def close(self):
        self._note("quit")


class AcceptThenDieBackend(BaseEmailBackend):
    """The mail server accepts the message, then the process dies before it can commit."""

    def send_messages(self, email_messages):
        mail.outbox.extend(email_messages)
        raise SystemExit("killed")


@pytest.mark.django_db(transaction=True)
def test_after_the_mail_server_accepts_nothing_but_the_commit_happens_before_the_quit(settings, arnhem, carol):
    settings.MAILERS = {"default": {"BACKEND": f"{__name__}.RecordingBackend"}}
    RecordingBackend.events = []
    row = email_row(arnhem.served_by, carol)

    with CaptureQueriesContext(connection) as queries:
        RecordingBackend.queries = queries
        assert deliver(row.pk) is True

    (open_, open_atomic, open_status, _), (accepted, accepted_atomic, accepted_status, at_acceptance), (
        quit_, quit_atomic, quit_status, at_quit
    ) = RecordingBackend.events
    assert (open_, accepted, quit_) == ("open", "data accepted", "quit")
    # The row is marked sent in the open transaction before the conversation starts ...
    assert (open_atomic, open_status) == (True, ["sent"])
    assert (accepted_atomic, accepted_status) == (True, ["sent"])
    # ... after the acceptance only the commit follows (besides the SELECT of the note itself), then the QUIT.
    after_acceptance = [q["sql"] for q in queries.captured_queries[at_acceptance:at_quit]]
    assert after_acceptance[0].startswith('SELECT "wizzr_outboxmessage"."status"')
    assert after_acceptance[1:] == ["COMMIT"]
    assert (quit_atomic, quit_status) == (False, ["sent"])


@pytest.mark.django_db
def test_delivering_the_same_row_again_sends_nothing_more(arnhem, carol):
    row = email_row(arnhem.served_by, carol)

    assert deliver(row.pk) is True
    assert deliver(row.pk) is False

    assert [m.to for m in mail.outbox] == [[carol.email]]
    assert mail.outbox[0].subject == "Inkoopcontract overgedragen: INK-2026-077 — Groenonderhoud (Gemeente Arnhem)"
    row.refresh_from_db()
    assert (row.status, row.attempts) == ("sent", 1)


@pytest.mark.django_db
def test_a_mail_server_error_leaves_the_row_pending_for_the_next_attempt(settings, arnhem, carol):
    settings.MAILERS = {"default": {"BACKEND": f"{__name__}.RefusingBackend"}}
    row = email_row(arnhem.served_by, carol)

    with pytest.raises(smtplib.SMTPDataError):
        deliver(row.pk)

    assert stored_status(row) == "pending"
    assert mail.outbox == []


class RefusingBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        raise smtplib.SMTPDataError(451, b"try again later")


@pytest.mark.django_db
def test_a_delivery_killed_between_acceptance_and_commit_is_sent_again_with_the_same_message_id(settings, arnhem, carol):
    """The one instant exactly-once cannot cover: the server accepted, the commit never happened.

    The row stays pending, the relay sends it again, and both copies carry the row's Message-ID.
    """
    settings.MAILERS = {"default": {"BACKEND": f"{__name__}.AcceptThenDieBackend"}}
    row = email_row(arnhem.served_by, carol)
    with pytest.raises(SystemExit):
        deliver(row.pk)
    assert stored_status(row) == "pending"

    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    assert deliver(row.pk) is True

    assert stored_status(row) == "sent"
    assert [m.extra_headers["Message-ID"] for m in mail.outbox] == [f"<{row.uuid}@wizzr>"] * 2

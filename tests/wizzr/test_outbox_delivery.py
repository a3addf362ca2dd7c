"""Delivery of an outbox e-mail: once, and marked sent before the mail server hears anything more."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.db import connection

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
    """Remembers, per step of the SMTP conversation, whether a transaction was open and the row's status."""

    events: list[tuple[str, bool, list[str]]] = []

    def _note(self, step: str) -> None:
        statuses = list(OutboxMessage.objects.values_list("status", flat=True))
        self.events.append((step, connection.in_atomic_block, statuses))

    def open(self):
        self._note("open")
        return True

    def send_messages(self, email_messages):
        self._note("data accepted")
        return len(email_messages)

    def close(self):
        self._note("quit")


@pytest.mark.django_db(transaction=True)
def test_the_row_is_committed_as_sent_before_the_mail_server_connection_is_closed(settings, arnhem, carol):
    settings.MAILERS = {"default": {"BACKEND": f"{__name__}.RecordingBackend"}}
    RecordingBackend.events = []
    row = email_row(arnhem.served_by, carol)

    assert deliver(row.pk) is True

    assert RecordingBackend.events == [
        ("open", True, ["pending"]),
        ("data accepted", True, ["pending"]),
        # The QUIT comes after the commit: a process killed in between has already stored "sent".
        ("quit", False, ["sent"]),
    ]


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
def test_a_delivery_that_dies_before_its_commit_is_sent_again_with_the_same_message_id(arnhem, carol, monkeypatch):
    """The one moment exactly-once cannot cover: the server accepted, the commit never happened.

    The row stays pending, the relay sends it again, and both copies carry the row's Message-ID.
    """
    row = email_row(arnhem.served_by, carol)
    original_save = OutboxMessage.save

    def die(self, *args, **kwargs):
        raise SystemExit("killed")

    monkeypatch.setattr(OutboxMessage, "save", die)
    with pytest.raises(SystemExit):
        deliver(row.pk)
    assert stored_status(row) == "pending"

    monkeypatch.setattr(OutboxMessage, "save", original_save)
    assert deliver(row.pk) is True

    assert stored_status(row) == "sent"
    assert [m.extra_headers["Message-ID"] for m in mail.outbox] == [f"<{row.uuid}@wizzr>"] * 2

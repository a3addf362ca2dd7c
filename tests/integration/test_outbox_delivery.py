"""The handover's notifications travel the real path: outbox row → Redis → Celery worker → mailer.

With Redis down the handover still succeeds and the row waits; once Redis is back the relay
delivers it, exactly once.
"""

from __future__ import annotations

import time

import pytest
from django.test import Client
from django.urls import reverse
from kombu.exceptions import OperationalError

from contracts.models import Contract
from devtools.devservices import wait_for
from tests.contracts.factories import ContractFactory
from tests.integration.mailer import read_mail
from wizzr.models import Notification, OutboxMessage
from wizzr.tasks import deliver_outbox_message, relay_pending_outbox

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def hand_over(user, contract) -> tuple[int, float]:
    client = Client()
    client.force_login(user)
    started = time.monotonic()
    response = client.post(reverse("contracts:hand_over", args=[contract.uuid]))
    return response.status_code, time.monotonic() - started


def mails_about(mail_file, contract) -> list[dict]:
    return [m for m in read_mail(mail_file) if contract.contract_number in m["subject"]]


def statuses(contract) -> set[str]:
    return set(
        OutboxMessage.objects.filter(context__contract_number=contract.contract_number).values_list("status", flat=True)
    )


def test_the_handover_email_arrives_once_and_survives_a_broker_outage(
    alice, carol, arnhem, redis_server, celery_worker_process, celery_through_redis, mail_file
):
    first = ContractFactory(organisation=arnhem, contract_number="INK-REDIS-1")
    second = ContractFactory(organisation=arnhem, contract_number="INK-REDIS-2")

    # 1. Broker up: the worker delivers the e-mail and the in-app notification.
    status, _ = hand_over(alice, first)
    assert status == 302
    wait_for(lambda: statuses(first) == {"sent"}, what="delivery of the first handover")
    time.sleep(0.5)  # room for a duplicate to show up, if there were one
    mails = mails_about(mail_file, first)
    assert [m["to"] for m in mails] == [[carol.email]]
    assert "Beste Carol Visser" in mails[0]["body"]
    assert Notification.objects.filter(user=carol, title__contains="INK-REDIS-1").count() == 1

    # 2. Broker down: queuing directly would raise after the commit ...
    redis_server.stop()
    with pytest.raises(OperationalError):
        deliver_outbox_message.delay(0)
    # ... but the handover through the outbox succeeds, and its rows wait.
    status, seconds = hand_over(alice, second)
    assert status == 302
    assert seconds < 10
    assert Contract.objects.get(pk=second.pk).status == Contract.Status.HANDED_OVER
    assert statuses(second) == {"pending"}
    assert mails_about(mail_file, second) == []

    # 3. Broker back: the periodic relay delivers the waiting rows, exactly once, even when it runs twice.
    redis_server.start()
    relay_pending_outbox.delay()
    relay_pending_outbox.delay()
    wait_for(lambda: statuses(second) == {"sent"}, timeout=30, what="the relay to deliver the second handover")
    time.sleep(1.0)
    assert [m["to"] for m in mails_about(mail_file, second)] == [[carol.email]]
    assert len(mails_about(mail_file, first)) == 1
    assert Notification.objects.filter(user=carol, title__contains="INK-REDIS-2").count() == 1
    assert OutboxMessage.objects.filter(context__contract_number="INK-REDIS-2", status="sent", attempts=1).count() == 2

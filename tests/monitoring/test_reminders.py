"""Daily reminders for coordinators: each one once, in the app and by e-mail."""

import datetime
from decimal import Decimal

import pytest
from django.core import mail
from django.utils import timezone

from contracts.models import Contract
from monitoring.models import Reminder
from monitoring.reminders import send_due_reminders
from monitoring.tasks import send_reminders
from tests.contracts.factories import ContractFactory
from wizzr.models import Notification, OutboxMessage

pytestmark = pytest.mark.django_db


def days_ago(n: int) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(days=n)


def test_a_contract_without_agreements_after_14_days_reminds_every_coordinator_once(
    arnhem, carol, colleague, v05, django_capture_on_commit_callbacks
):
    ContractFactory(organisation=arnhem, contract_number="OLD-1", status=Contract.Status.HANDED_OVER, handed_over_at=days_ago(15))
    ContractFactory(organisation=arnhem, contract_number="NEW-1", status=Contract.Status.HANDED_OVER, handed_over_at=days_ago(3))
    with django_capture_on_commit_callbacks(execute=True):
        assert send_due_reminders() == 2
    assert {m.to[0] for m in mail.outbox} == {carol.email, colleague.email}
    assert all("nog geen afspraken voor OLD-1" in m.subject for m in mail.outbox)
    assert Notification.objects.filter(user=carol, title="Nog geen afspraken voor OLD-1").count() == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert send_due_reminders() == 0
        assert send_reminders.delay().get() == 0
    assert len(mail.outbox) == 2
    assert Reminder.objects.count() == 2


def test_an_assigned_contract_reminds_only_its_coordinator(accepted, carol, colleague):
    Contract.objects.filter(pk=accepted.pk).update(handed_over_at=days_ago(20))
    send_due_reminders()
    assert list(Reminder.objects.values_list("user", "kind")) == [(carol.pk, "no_agreements")]


def test_a_contract_ending_within_30_days_below_its_obligation_reminds(arnhem, carol, v05):
    today = timezone.localdate()
    ending = ContractFactory(
        organisation=arnhem, contract_number="END-1", start_date=today - datetime.timedelta(days=700),
        end_date=today + datetime.timedelta(days=20), status=Contract.Status.IN_PROGRESS, handed_over_at=days_ago(5),
    )
    ContractFactory(
        organisation=arnhem, contract_number="LATER-1", start_date=today - datetime.timedelta(days=700),
        end_date=today + datetime.timedelta(days=60), status=Contract.Status.IN_PROGRESS, handed_over_at=days_ago(5),
    )
    send_due_reminders()
    assert list(Reminder.objects.values_list("contract", "kind")) == [(ending.pk, "below_obligation")]
    message = OutboxMessage.objects.get(channel="email")
    assert message.template == "reminder_below_obligation"
    assert message.context["obligation"] == "€ 12.500,00"


def test_a_fulfilled_contract_ending_soon_does_not_remind(arnhem, carol, v05):
    today = timezone.localdate()
    ContractFactory(
        organisation=arnhem, start_date=today - datetime.timedelta(days=700), end_date=today + datetime.timedelta(days=20),
        status=Contract.Status.IN_PROGRESS, handed_over_at=days_ago(5), sroi_fixed_amount=Decimal("0.00"),
    )
    assert send_due_reminders() == 0


def test_a_term_ended_without_final_assessment_reminds_but_a_closed_one_does_not(arnhem, carol, v05):
    today = timezone.localdate()
    past = {"start_date": today - datetime.timedelta(days=400), "end_date": today - datetime.timedelta(days=1), "handed_over_at": days_ago(5)}
    open_one = ContractFactory(organisation=arnhem, contract_number="OPEN", status=Contract.Status.IN_PROGRESS, **past)
    ContractFactory(organisation=arnhem, contract_number="CLOSED", status=Contract.Status.CLOSED, **past)
    send_due_reminders()
    assert list(Reminder.objects.values_list("contract", "kind")) == [(open_one.pk, "no_final_assessment")]


def test_drafts_and_other_service_points_are_not_reminded_to_the_wrong_people(arnhem, utrecht, carol, frank, v05):
    ContractFactory(organisation=arnhem, status=Contract.Status.DRAFT)
    ContractFactory(organisation=utrecht, status=Contract.Status.HANDED_OVER, handed_over_at=days_ago(30))
    send_due_reminders()
    assert list(Reminder.objects.values_list("user", flat=True)) == [frank.pk]

"""Daily reminders for coordinators, each sent once (``Reminder.key`` is unique).

- a handed-over contract still without recorded agreements 14 days after handover;
- a contract ending within 30 days whose approved value is below its obligation;
- a contract whose term has ended without a final assessment (not closed).

A reminder goes to the assigned coordinator, or to every coordinator of the service point while
nobody is assigned; in the app and by e-mail, once.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import formats, timezone

from contracts.models import Contract
from monitoring.figures import with_progress
from monitoring.models import Reminder
from monitoring.services import coordinators_of
from wizzr.notifications import notify
from wizzr.units import euro

NO_AGREEMENTS_AFTER_DAYS = 14
ENDING_WITHIN_DAYS = 30


def _candidates(today: date):
    base = Contract.objects.exclude(status=Contract.Status.DRAFT).select_related(
        "organisation__served_by", "follow_up__coordinator"
    )
    handed_over_before = timezone.now() - timedelta(days=NO_AGREEMENTS_AFTER_DAYS)
    for contract in base.filter(status=Contract.Status.HANDED_OVER, handed_over_at__lte=handed_over_before):
        yield Reminder.Kind.NO_AGREEMENTS, contract
    ending = with_progress(
        base.filter(end_date__gte=today, end_date__lte=today + timedelta(days=ENDING_WITHIN_DAYS)).exclude(
            status=Contract.Status.CLOSED
        ),
        today=today,
    ).filter(obligation_amount__gt=0, approved_amount__lt=F("obligation_amount"))
    for contract in ending:
        yield Reminder.Kind.BELOW_OBLIGATION, contract
    for contract in base.filter(end_date__lt=today).exclude(status=Contract.Status.CLOSED):
        yield Reminder.Kind.NO_FINAL_ASSESSMENT, contract


def _recipients(contract: Contract) -> list:
    follow_up = getattr(contract, "follow_up", None)
    if follow_up is not None and follow_up.coordinator is not None and follow_up.coordinator.is_active:
        return [follow_up.coordinator]
    return list(coordinators_of(contract))


def _context(contract: Contract) -> dict:
    context = {
        "contract_number": contract.contract_number,
        "title": contract.title,
        "organisation": contract.organisation.name,
        "end_date": formats.date_format(contract.end_date, "j F Y"),
        "url": reverse("monitoring:workspace", args=[contract.uuid]),
    }
    if contract.handed_over_at:
        context["handed_over"] = formats.date_format(timezone.localtime(contract.handed_over_at), "j F Y")
    if getattr(contract, "obligation_amount", None) is not None:
        context["obligation"] = euro(contract.obligation_amount)
        context["approved"] = euro(contract.approved_amount)
    return context


def send_due_reminders(*, today: date | None = None) -> int:
    """Create and send the reminders that are due and were not sent before; return how many were sent."""
    today = today or timezone.localdate()
    sent = 0
    for kind, contract in _candidates(today):
        for user in _recipients(contract):
            key = f"{kind}:{contract.uuid}:{user.uuid}"
            with transaction.atomic():
                _, created = Reminder.objects.get_or_create(
                    key=key,
                    defaults={"organisation_id": contract.organisation_id, "contract": contract, "user": user, "kind": kind},
                )
                if created:
                    notify(
                        organisation=contract.organisation.served_by,
                        recipients=[user],
                        template=f"reminder_{kind}",
                        context=_context(contract),
                    )
                    sent += 1
    return sent

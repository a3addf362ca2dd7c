"""Lasting outcomes in the supplier portal: the daily run that asks the supplier contacts whether
the people placed are still at work (``monitoring.lasting`` decides what is due), reminds them
once when the answer is late and tells the coordinator then, each once, like a reporting period."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import formats, timezone

from monitoring.lasting import answer_by, lasting_outcomes_create_due
from monitoring.models import LastingOutcome
from portal.access import supplier_contracts
from portal.services import _company, _contract_context, _coordinators, supplier_users
from wizzr.notifications import notify


def open_questions(user) -> QuerySet[LastingOutcome]:
    """The unanswered questions of the contracts ``user`` has supplier access to, the oldest first."""
    return (
        LastingOutcome.objects.filter(contract__in=supplier_contracts(user), answer="")
        .select_related("contract", "realisation__block")
        .order_by("due_on", "pk")
    )


def _context(contract, outcomes: list[LastingOutcome], *, url: str) -> dict:
    first = outcomes[0]
    return {
        **_contract_context(contract),
        "count": len(outcomes),
        "answer_by": formats.date_format(max(answer_by(o) for o in outcomes), "j F Y"),
        "references": ", ".join(o.realisation.candidate_reference or "—" for o in outcomes),
        "url": url if len(outcomes) > 1 else reverse("portal:lasting_outcome", args=[contract.uuid, first.uuid]),
    }


def _by_contract(outcomes) -> dict:
    grouped = defaultdict(list)
    for outcome in outcomes:
        grouped[outcome.contract].append(outcome)
    return grouped


def lasting_outcomes_run(*, today: date | None = None) -> dict:
    """The daily run: create the questions that are due, ask the supplier contacts (one e-mail per
    contract), and remind them once when a question is still open a month after its moment (or after
    it was asked, when that was later), telling
    the coordinator at the same time. Running it twice sends nothing twice: each step first marks
    the question (``requested_at``, ``reminded_at``) and only the run that marked it sends."""
    today = today or timezone.localdate()
    counts = {"created": 0, "requested": 0, "reminded": 0}
    with transaction.atomic():
        counts["created"] = len(lasting_outcomes_create_due(today=today))
    related = ("contract__organisation__served_by", "contract__supplier", "contract__follow_up__coordinator", "realisation")
    to_ask = LastingOutcome.objects.filter(answer="", requested_at__isnull=True).select_related(*related)
    for contract, outcomes in _by_contract(to_ask).items():
        with transaction.atomic():
            now = timezone.now()
            marked = LastingOutcome.objects.filter(
                pk__in=[o.pk for o in outcomes], requested_at__isnull=True
            ).update(requested_at=now)
            if marked != len(outcomes):
                transaction.set_rollback(True)  # another run got there first
                continue
            for outcome in outcomes:
                outcome.requested_at = now  # the mail's "uiterlijk" counts from today
            users = supplier_users(contract)
            if users:
                url = reverse("portal:contract", args=[contract.uuid])
                notify(
                    organisation=_company(contract), recipients=users, template="lasting_outcome_requested",
                    context=_context(contract, outcomes, url=url),
                )
            counts["requested"] += len(outcomes)
    late = [
        outcome
        for outcome in LastingOutcome.objects.filter(
            answer="", requested_at__isnull=False, reminded_at__isnull=True, due_on__lt=today
        ).select_related(*related)
        if answer_by(outcome) < today
    ]
    for contract, outcomes in _by_contract(late).items():
        with transaction.atomic():
            marked = LastingOutcome.objects.filter(
                pk__in=[o.pk for o in outcomes], answer="", reminded_at__isnull=True
            ).update(reminded_at=timezone.now())
            if marked != len(outcomes):
                transaction.set_rollback(True)
                continue
            users = supplier_users(contract)
            if users:
                url = reverse("portal:contract", args=[contract.uuid])
                notify(
                    organisation=_company(contract), recipients=users, template="lasting_outcome_reminder",
                    context=_context(contract, outcomes, url=url),
                )
            coordinators = _coordinators(contract)
            if coordinators and contract.organisation.served_by_id:
                url = reverse("monitoring:lasting_outcomes", args=[contract.uuid])
                notify(
                    organisation=contract.organisation.served_by, recipients=coordinators,
                    template="lasting_outcome_overdue_coordinator",
                    context={**_context(contract, outcomes, url=url), "url": url},
                )
            counts["reminded"] += len(outcomes)
    return counts

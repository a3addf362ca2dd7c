"""Lasting outcomes: is the person of an approved employment realisation still at work 6 and 12
months after the placement ended?

A placement ends with the ``period_end`` of its last approved realisation. An agreement has no end
date of its own (only a number of months), and the supplier accounts for a placement per reporting
period, so the realisations are where the end is known. Several periods of one person (the same
pseudonymous candidate reference on the contract) are one placement: only the period after which
none follows is asked about, so that a person is counted once. A realisation without a reference
is a placement of its own.

The daily run (``lasting_outcomes_create_due``) creates a question once it is due; the supplier
portal asks and reminds the supplier contacts, and the coordinator can record an answer too
(``lasting_outcome_record``). Only the answer's category is stored; the person is known by the
realisation's pseudonymous reference alone.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.http import HttpRequest
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from catalogue.models import BuildingBlock
from monitoring.models import LastingOutcome, Realisation
from monitoring.services import WorkflowError
from wizzr.audit import audit_record
from wizzr.models import User
from wizzr.units import add_months

# Only employment is asked about. A learn-work track (BBL or BOL) ends in a diploma, not in a job
# that can last: a BOL pupil was never employed, and a BBL learner's contract usually ends with the
# track by design. Asking "still at work?" there would mix a different question (did the training
# lead to a job?) into the share of placements that lasted.
ASKED_CATEGORIES = (BuildingBlock.Category.EMPLOYMENT,)
MOMENTS = tuple(LastingOutcome.MonthsAfter.values)  # 6 and 12 months after the placement
# The answer is expected within a month of the moment it is about, like a report a month after its
# period, or within a month of being asked when it was asked later; after that the supplier contacts
# are reminded once and the coordinator is told.
ANSWER_WITHIN_MONTHS = 1
# A question more than three months overdue when first found (the run was down, or the
# realisation was approved late) is still asked; older placements are not: the answer would be a guess.
ASK_AT_MOST_MONTHS_LATE = 3

Answer = LastingOutcome.Answer


def due_on_for(realisation: Realisation, months_after: int) -> date:
    """The day from which the question ``months_after`` months after the placement can be answered."""
    return add_months(realisation.period_end, months_after)


def answer_by(outcome: LastingOutcome) -> date:
    """The day by which the supplier is expected to have answered: a month after the moment, or a
    month after the question was asked when that was later (a question is never late when it is asked)."""
    start = outcome.due_on
    if outcome.requested_at is not None:
        start = max(start, timezone.localdate(outcome.requested_at))
    return add_months(start, ANSWER_WITHIN_MONTHS)


def _later_period():
    """Whether another, later period of the same person on the same contract exists (not rejected)."""
    return Exists(
        Realisation.objects.filter(
            contract_id=OuterRef("contract_id"),
            block__category__in=ASKED_CATEGORIES,
            candidate_reference__iexact=OuterRef("candidate_reference"),
            period_end__gt=OuterRef("period_end"),
        )
        .exclude(candidate_reference="")
        .exclude(status=Realisation.Status.REJECTED)
    )


def placements() -> QuerySet[Realisation]:
    """The approved employment realisations that end a placement (no later period of the person)."""
    return (
        Realisation.objects.filter(status=Realisation.Status.APPROVED, block__category__in=ASKED_CATEGORIES)
        .annotate(continued=_later_period())
        .filter(continued=False)
    )


def lasting_outcomes_create_due(*, today: date | None = None) -> list[LastingOutcome]:
    """Create the questions that are due today and do not exist yet, and remove the open ones of
    placements that went on; return the new ones.

    Running it twice creates nothing the second time (one question per realisation and moment,
    a unique constraint)."""
    today = today or timezone.localdate()
    oldest_due = add_months(today, -ASK_AT_MOST_MONTHS_LATE)
    # A placement that went on after its question was asked (a later period of the person reported
    # since) did not end then: the open question goes, and the new end is asked about in its time.
    continued = (
        Realisation.objects.filter(lasting_outcomes__answer="")
        .annotate(continued=_later_period())
        .filter(continued=True)
        .values("pk")
    )
    LastingOutcome.objects.filter(answer="", realisation__in=continued).delete()
    created: list[LastingOutcome] = []
    for months in MOMENTS:
        # A few days of slack around the month arithmetic (31 August + 6 months is 28 February);
        # the exact dates are checked below.
        candidates = (
            placements()
            .filter(
                period_end__lte=add_months(today, -months) + timedelta(days=3),
                period_end__gte=add_months(oldest_due, -months) - timedelta(days=3),
            )
            .exclude(lasting_outcomes__months_after=months)
            .order_by("period_end", "pk")
        )
        for realisation in candidates:
            due = due_on_for(realisation, months)
            if not oldest_due <= due <= today:
                continue
            outcome, was_created = LastingOutcome.objects.get_or_create(
                realisation=realisation,
                months_after=months,
                defaults={
                    "organisation_id": realisation.organisation_id,
                    "contract_id": realisation.contract_id,
                    "due_on": due,
                },
            )
            if was_created:
                created.append(outcome)
    return created


def moment(realisation: Realisation, months_after: int, outcome: LastingOutcome | None, *, today: date) -> dict:
    """One moment of a placement for a page: when it comes, whether it has, and its question if asked."""
    due = due_on_for(realisation, months_after)
    return {"months": months_after, "due_on": due, "is_due": due <= today, "outcome": outcome}


def moments(realisation: Realisation, *, today: date | None = None) -> list[dict]:
    """The 6 and 12 month moments of a realisation that ends a placement (two queries); none for any
    other realisation (not approved, not employment, or an earlier period of the person)."""
    if realisation.status != Realisation.Status.APPROVED or realisation.block.category not in ASKED_CATEGORIES:
        return []
    if not placements().filter(pk=realisation.pk).exists():
        return []
    today = today or timezone.localdate()
    outcomes = {o.months_after: o for o in realisation.lasting_outcomes.select_related("reported_by")}
    return [moment(realisation, months, outcomes.get(months), today=today) for months in MOMENTS]


def _date(value: date) -> str:
    return formats.date_format(value, "j F Y")


def refusal(*, realisation: Realisation, months_after: int, today: date | None = None) -> str:
    """Why no answer can be recorded for ``realisation`` ``months_after`` months after the placement
    (a Dutch message for the user), or "" when it can."""
    today = today or timezone.localdate()
    if realisation.status == Realisation.Status.REJECTED:
        return _(
            "Deze realisatie is afgewezen. Alleen bij een goedgekeurde plaatsing wordt gevraagd of de kandidaat nog aan het werk is."
        )
    if realisation.status != Realisation.Status.APPROVED:
        return _("Deze realisatie is nog niet beoordeeld. Na goedkeuring kunt u vastleggen of de kandidaat nog aan het werk is.")
    if realisation.block.category not in ASKED_CATEGORIES:
        return _("Alleen bij werkgelegenheid wordt gevraagd of de kandidaat nog aan het werk is.")
    if months_after not in MOMENTS:
        return _("Kies 6 of 12 maanden na het einde van de plaatsing.")
    due = due_on_for(realisation, months_after)
    if due > today:
        return _("Deze vraag kan pas vanaf %(date)s worden beantwoord (%(months)s maanden na het einde van de plaatsing).") % {
            "date": _date(due),
            "months": months_after,
        }
    return ""


def lasting_outcome_record(
    *,
    realisation: Realisation,
    months_after: int,
    answer: str,
    by: User,
    request: HttpRequest | None = None,
    today: date | None = None,
) -> LastingOutcome:
    """Record whether the person is still at work ``months_after`` months after the placement (a
    supplier contact answering the question, or the coordinator). Creates the question when the
    daily run has not yet; an earlier answer is replaced. Raises ``WorkflowError`` with a Dutch
    message for a realisation that was rejected or not assessed, another category, or a moment
    that has not come yet; nothing is stored then."""
    if answer not in Answer.values:
        raise WorkflowError(_("Kies of de kandidaat nog aan het werk is."))
    with transaction.atomic():
        realisation = (
            Realisation.objects.select_for_update(of=("self",))
            .select_related("block", "contract__organisation")
            .get(pk=realisation.pk)
        )
        message = refusal(realisation=realisation, months_after=months_after, today=today)
        if message:
            raise WorkflowError(message)
        outcome, _created = LastingOutcome.objects.select_for_update().get_or_create(
            realisation=realisation,
            months_after=months_after,
            defaults={
                "organisation_id": realisation.organisation_id,
                "contract_id": realisation.contract_id,
                "due_on": due_on_for(realisation, months_after),
            },
        )
        outcome.answer = answer
        outcome.reported_by = by
        outcome.reported_at = timezone.now()
        outcome.save(update_fields=["answer", "reported_by", "reported_at"])
        contract = realisation.contract
        audit_record(
            action="lasting_outcome_reported",
            actor=by,
            organisation=contract.organisation,
            obj=outcome,
            request=request,
            detail={"contract": str(contract.uuid), "months_after": months_after, "answer": answer},
        )
    return outcome


# Figures -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Share:
    """The answers ``months_after`` months after the placements: at work (with this employer or
    elsewhere), not at work, not known (left out of the share) and not answered yet."""

    months_after: int
    at_work: int = 0
    not_at_work: int = 0
    unknown: int = 0
    open: int = 0

    @property
    def known(self) -> int:
        return self.at_work + self.not_at_work

    @property
    def percent(self) -> int | None:
        if not self.known:
            return None
        return int((Decimal(100 * self.at_work) / self.known).quantize(Decimal("1"), rounding=ROUND_HALF_UP))

    @property
    def asked(self) -> int:
        return self.known + self.unknown + self.open


def shares(outcomes: QuerySet[LastingOutcome]) -> list[Share]:
    """The share still at work per moment over ``outcomes``, in one query; a moment without any
    question is left out."""
    rows = (
        outcomes.order_by()
        .values("months_after")
        .annotate(
            at_work=Count("pk", filter=Q(answer__in=LastingOutcome.AT_WORK)),
            not_at_work=Count("pk", filter=Q(answer=Answer.NOT_EMPLOYED)),
            unknown=Count("pk", filter=Q(answer=Answer.UNKNOWN)),
            open=Count("pk", filter=Q(answer="")),
        )
    )
    by_moment = {row["months_after"]: Share(**row) for row in rows}
    return [by_moment[months] for months in MOMENTS if months in by_moment]


def shares_of_contracts(contracts: QuerySet) -> list[Share]:
    """``shares`` over the lasting outcomes of ``contracts`` (a queryset already scoped to the user)."""
    return shares(LastingOutcome.objects.filter(contract__in=contracts.order_by().values("pk")))

"""Progress figures of contracts: obligation, agreed (planned), realised (approved) and time elapsed.

``with_progress`` annotates a contract queryset in one query (a join on the totals the database
keeps per contract, no per-row lookups), so lists stay cheap whatever their length; ``contract_figures`` gives the same figures for one
contract. Only approved realisations count as realised.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.db import models
from django.db.models import Case, F, Q, Sum, Value, When
from django.db.models.functions import Coalesce, Greatest, Least
from django.utils import timezone

from contracts.models import Contract
from monitoring.models import Realisation

MONEY = models.DecimalField(max_digits=16, decimal_places=2)
ZERO = Decimal("0.00")


class DaysBetween(models.Func):
    """``end - start`` in days for two date expressions (PostgreSQL date subtraction)."""

    template = "(%(expressions)s)"
    arg_joiner = " - "
    output_field = models.IntegerField()


def with_progress(contracts: models.QuerySet, *, today: date | None = None) -> models.QuerySet:
    """Annotate ``obligation_amount``, ``planned_amount``, ``approved_amount``, ``submitted_amount``,
    ``term_days``, ``elapsed_days`` and ``is_behind``.

    A contract is behind schedule when it is not closed, has an obligation, and its approved value
    is below the obligation times the share of the term that has passed.
    """
    today = today or timezone.localdate()
    today_value = Value(today, output_field=models.DateField())
    term_days = DaysBetween(F("end_date"), F("start_date")) + 1
    elapsed = Least(Greatest(DaysBetween(today_value, F("start_date")), Value(0)), term_days)
    return (
        contracts.with_obligation()
        .annotate(
            # The sums kept per contract by the database (monitoring.models.ContractTotal); a
            # contract without agreements or realisations has no row there.
            planned_amount=Coalesce(F("totals__planned"), Value(ZERO), output_field=MONEY),
            approved_amount=Coalesce(F("totals__approved"), Value(ZERO), output_field=MONEY),
            submitted_amount=Coalesce(F("totals__submitted"), Value(ZERO), output_field=MONEY),
            term_days=term_days,
            elapsed_days=elapsed,
        )
        .annotate(
            is_behind=Case(
                When(
                    Q(obligation_amount__gt=0)
                    & ~Q(status=Contract.Status.CLOSED)
                    & Q(approved_amount__lt=F("obligation_amount") * F("elapsed_days") / F("term_days")),
                    then=Value(True),
                ),
                default=Value(False),
                output_field=models.BooleanField(),
            )
        )
    )


@dataclass(frozen=True)
class Figures:
    obligation: Decimal | None
    planned: Decimal
    approved: Decimal
    submitted: Decimal
    term_days: int
    elapsed_days: int

    @staticmethod
    def _share(part: Decimal, whole: Decimal | None) -> int | None:
        if not whole:
            return None
        return int((part * 100 / whole).quantize(Decimal("1"), rounding=ROUND_HALF_UP))

    @property
    def planned_percentage(self) -> int | None:
        return self._share(self.planned, self.obligation)

    @property
    def approved_percentage(self) -> int | None:
        return self._share(self.approved, self.obligation)

    @property
    def elapsed_percentage(self) -> int:
        if self.term_days <= 0:
            return 0
        return round(self.elapsed_days * 100 / self.term_days)

    @property
    def planned_gap(self) -> Decimal | None:
        """How much the agreements fall short of the obligation (0 when they cover it)."""
        if self.obligation is None:
            return None
        return max(self.obligation - self.planned, ZERO)

    @property
    def shortfall(self) -> Decimal | None:
        """Obligation minus approved value (0 when fulfilled)."""
        if self.obligation is None:
            return None
        return max(self.obligation - self.approved, ZERO)


def contract_figures(contract: Contract, *, today: date | None = None) -> Figures:
    """Return the progress figures of one contract (two small aggregate queries)."""
    today = today or timezone.localdate()
    planned = contract.agreements.aggregate(total=Sum("planned_value"))["total"] or ZERO
    sums = contract.realisations.aggregate(
        approved=Sum("value", filter=Q(status=Realisation.Status.APPROVED)),
        submitted=Sum("value", filter=Q(status=Realisation.Status.SUBMITTED)),
    )
    term_days = (contract.end_date - contract.start_date).days + 1
    elapsed = min(max((today - contract.start_date).days, 0), term_days)
    return Figures(
        obligation=contract.sroi_obligation,
        planned=planned,
        approved=sums["approved"] or ZERO,
        submitted=sums["submitted"] or ZERO,
        term_days=term_days,
        elapsed_days=elapsed,
    )

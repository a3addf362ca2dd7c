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
from django.db.models import Case, ExpressionWrapper, F, Q, Value, When
from django.db.models.functions import Coalesce, Greatest, Least
from django.db.models.lookups import GreaterThanOrEqual, LessThan
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from contracts.models import Contract
from monitoring.models import ContractTotal

MONEY = models.DecimalField(max_digits=16, decimal_places=2)
ZERO = Decimal("0.00")


class DaysBetween(models.Func):
    """``end - start`` in days for two date expressions (PostgreSQL date subtraction)."""

    template = "(%(expressions)s)"
    arg_joiner = " - "
    output_field = models.IntegerField()


class Track(models.TextChoices):
    """Whether a contract is on schedule. The one rule, in Python (``track_state``) and in SQL
    (``track_state_sql``, annotated by ``with_progress`` as ``track_state`` and ``is_behind``; every
    filter, count, report and export reads it from there, while the rows a page shows and a single
    contract use the Python rule). tests/monitoring_buyer/test_track_state.py holds the two, and the
    list's page rows, to the same answers over 240 cases."""

    NO_AGREEMENTS = "no_agreements", _("Nog geen afspraken")
    NO_OBLIGATION = "no_obligation", _("Geen verplichting bekend")
    NOT_STARTED = "not_started", _("Looptijd nog niet begonnen")
    FULFILLED = "fulfilled", _("Verplichting gehaald")
    ON_TRACK = "on_track", _("Op schema")
    BEHIND = "behind", _("Loopt achter")
    CLOSED = "closed", _("Afgerond")


# A contract is measured against its term from the moment its agreements are recorded until it is
# closed. Before that (a concept, or handed over without recorded agreements) nothing is expected of
# the supplier yet; a closed contract shows its outcome instead.
TRACKED_STATUSES = (Contract.Status.AGREEMENTS_MADE, Contract.Status.IN_PROGRESS)


def track_state(
    *, status: str, obligation: Decimal | None, approved: Decimal, elapsed_days: int, term_days: int
) -> Track:
    """The on-track state of a contract from its status and figures.

    Behind schedule means: approved value below the obligation spread evenly over the part of the
    term that has passed (compared multiplied out, so it is exact and equals the SQL).
    """
    if status == Contract.Status.CLOSED:
        return Track.CLOSED
    if status not in TRACKED_STATUSES:
        return Track.NO_AGREEMENTS
    if not obligation or obligation <= 0:
        return Track.NO_OBLIGATION
    if approved >= obligation:
        return Track.FULFILLED
    if elapsed_days <= 0:
        return Track.NOT_STARTED
    if approved * term_days < obligation * elapsed_days:
        return Track.BEHIND
    return Track.ON_TRACK


def track_state_sql() -> Case:
    """``track_state`` as an SQL expression over the annotations of ``with_progress``."""
    return Case(
        When(status=Contract.Status.CLOSED, then=Value(Track.CLOSED.value)),
        When(~Q(status__in=TRACKED_STATUSES), then=Value(Track.NO_AGREEMENTS.value)),
        When(Q(obligation_amount__isnull=True) | Q(obligation_amount__lte=0), then=Value(Track.NO_OBLIGATION.value)),
        When(GreaterThanOrEqual(F("approved_amount"), F("obligation_amount")), then=Value(Track.FULFILLED.value)),
        When(elapsed_days__lte=0, then=Value(Track.NOT_STARTED.value)),
        When(
            LessThan(F("approved_amount") * F("term_days"), F("obligation_amount") * F("elapsed_days")),
            then=Value(Track.BEHIND.value),
        ),
        default=Value(Track.ON_TRACK.value),
        output_field=models.CharField(),
    )


def expected_by_now(obligation: Decimal | None, *, elapsed_days: int, term_days: int) -> Decimal | None:
    """What should have been realised by now if the obligation were spread evenly over the term."""
    if not obligation or not term_days:
        return None
    return (Decimal(obligation) * elapsed_days / term_days).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def with_totals(contracts: models.QuerySet) -> models.QuerySet:
    """Annotate ``obligation_amount``, ``planned_amount``, ``approved_amount`` and ``submitted_amount``:
    the figures that do not depend on the day (see ``with_progress`` for those that do)."""
    return contracts.with_obligation().annotate(
        # The sums kept per contract by the database (monitoring.models.ContractTotal); a
        # contract without agreements or realisations has no row there.
        planned_amount=Coalesce(F("totals__planned"), Value(ZERO), output_field=MONEY),
        approved_amount=Coalesce(F("totals__approved"), Value(ZERO), output_field=MONEY),
        submitted_amount=Coalesce(F("totals__submitted"), Value(ZERO), output_field=MONEY),
    )


def with_progress(contracts: models.QuerySet, *, today: date | None = None) -> models.QuerySet:
    """Annotate the figures of ``with_totals`` and ``term_days``, ``elapsed_days``, ``track_state``
    (a ``Track`` value) and ``is_behind`` (``track_state == Track.BEHIND``): what filters, sorts,
    counts and exports need in SQL. Rows only shown can get the last four in Python instead
    (``set_schedule``)."""
    today = today or timezone.localdate()
    today_value = Value(today, output_field=models.DateField())
    term_days = DaysBetween(F("end_date"), F("start_date")) + 1
    elapsed = Least(Greatest(DaysBetween(today_value, F("start_date")), Value(0)), term_days)
    return (
        with_totals(contracts)
        .annotate(term_days=term_days, elapsed_days=elapsed)
        .annotate(track_state=track_state_sql())
        .annotate(is_behind=ExpressionWrapper(Q(track_state=Track.BEHIND.value), output_field=models.BooleanField()))
    )


def term_and_elapsed(start: date, end: date, today: date) -> tuple[int, int]:
    """The days of the term (both ends included) and how many of them have passed by ``today``."""
    term_days = (end - start).days + 1
    return term_days, min(max((today - start).days, 0), term_days)


def set_schedule(contract: Contract, *, today: date) -> Contract:
    """Set ``term_days``, ``elapsed_days``, ``track_state`` and ``is_behind`` on a row of ``with_totals``
    with the Python rule: the same values ``with_progress`` computes in SQL, without compiling its
    expressions into a query that only shows rows."""
    contract.term_days, contract.elapsed_days = term_and_elapsed(contract.start_date, contract.end_date, today)
    contract.track_state = track_state(
        status=contract.status,
        obligation=contract.obligation_amount,
        approved=contract.approved_amount,
        elapsed_days=contract.elapsed_days,
        term_days=contract.term_days,
    )
    contract.is_behind = contract.track_state == Track.BEHIND
    return contract


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
    """Return the progress figures of one contract: its sums from the totals the database keeps
    (``ContractTotal``; a contract without agreements or realisations has no row there), one query."""
    today = today or timezone.localdate()
    sums = ContractTotal.objects.filter(contract_id=contract.pk).values("planned", "approved", "submitted").first() or {}
    term_days, elapsed = term_and_elapsed(contract.start_date, contract.end_date, today)
    return Figures(
        obligation=contract.sroi_obligation,
        planned=sums.get("planned", ZERO),
        approved=sums.get("approved", ZERO),
        submitted=sums.get("submitted", ZERO),
        term_days=term_days,
        elapsed_days=elapsed,
    )


@dataclass(frozen=True)
class Schedule:
    """The on-track judgement of one contract with what the page says about it: ``state`` (a
    ``Track``), the value expected by now if the obligation were spread evenly over the term, and
    the arrears when behind."""

    state: Track
    expected: Decimal | None = None
    arrears: Decimal | None = None

    @property
    def is_behind(self) -> bool:
        return self.state == Track.BEHIND

    @property
    def label(self) -> str:
        return self.state.label


def schedule(figures: Figures, *, status: str) -> Schedule:
    """The on-track judgement for the progress ``figures`` of one contract (see ``track_state``)."""
    state = track_state(
        status=status,
        obligation=figures.obligation,
        approved=figures.approved,
        elapsed_days=figures.elapsed_days,
        term_days=figures.term_days,
    )
    if state not in (Track.BEHIND, Track.ON_TRACK):
        return Schedule(state)
    expected = expected_by_now(figures.obligation, elapsed_days=figures.elapsed_days, term_days=figures.term_days)
    if state == Track.BEHIND:
        return Schedule(state, expected=expected, arrears=max(expected - figures.approved, Decimal("0.01")))
    return Schedule(state, expected=expected)

"""The reporting schedule of a contract: periods of the rhythm from the start date, the last one
ending on the end date and due one month after it (the final report)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from wizzr.units import add_months

RHYTHM_MONTHS = {"monthly": 1, "quarterly": 3, "half_yearly": 6, "yearly": 12}
REGULAR = "regular"
FINAL = "final"


@dataclass(frozen=True)
class PlannedPeriod:
    period_start: date
    period_end: date
    due_date: date
    kind: str


def due_date_for(period_end: date) -> date:
    """A report is due one month after the end of its period; a period that ends on the last day
    of a month is due on the last day of the next one (30 September → 31 October)."""
    if (period_end + timedelta(days=1)).day == 1:
        return add_months(period_end + timedelta(days=1), 1) - timedelta(days=1)
    return add_months(period_end, 1)


def schedule(*, start: date, end: date, rhythm: str, after: date | None = None) -> list[PlannedPeriod]:
    """Return the periods of ``start``..``end`` in the rhythm, beginning the day after ``after``
    (the end of the last period already opened) when given. The last period is the final report."""
    months = RHYTHM_MONTHS.get(rhythm, 3)
    first = start if after is None else after + timedelta(days=1)
    periods: list[PlannedPeriod] = []
    current = first
    step = 1
    while current <= end:
        # Periods run from ``first`` in whole steps of the rhythm, clamped to the end date. A step
        # that lands on a day the month lacks (31 January + 3 months) ends on that month's last day:
        # the quarter from 31 January runs to 30 April, and the next one starts on 1 May.
        next_start = add_months(first, months * step)
        period_end = next_start if next_start.day < first.day else next_start - timedelta(days=1)
        period_end = min(period_end, end)
        kind = FINAL if period_end == end else REGULAR
        periods.append(PlannedPeriod(current, period_end, due_date_for(period_end), kind))
        current = period_end + timedelta(days=1)
        step += 1
    return periods

"""Amounts in euro and lengths in calendar months, as every part of WIZZR counts them."""

from __future__ import annotations

import calendar
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.utils.formats import number_format

CENT = Decimal("0.01")


def _cents(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def add_months(d: date, n: int) -> date:
    """``d`` moved ``n`` calendar months (negative: back), clamped to the last day of the month."""
    month_index = d.month - 1 + n
    year, month = d.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(d.day, calendar.monthrange(year, month)[1]))


def months_between(start: date, end: date) -> Decimal:
    """Return the length of the period ``start``..``end`` (both inclusive) in months, to 2 places.

    Whole calendar months count as 1 (1 January–31 March is 3); a remainder counts as its days
    divided by the days of the month in which it falls.
    """
    if end < start:
        return Decimal("0.00")
    stop = end + timedelta(days=1)
    whole = (stop.year - start.year) * 12 + (stop.month - start.month)
    anchor = add_months(start, whole)
    while anchor > stop:
        whole -= 1
        anchor = add_months(start, whole)
    rest_days = (stop - anchor).days
    month_days = (add_months(anchor, 1) - anchor).days
    return _cents(Decimal(whole) + Decimal(rest_days) / Decimal(month_days))


def euro(amount: Decimal | None) -> str:
    """Format an amount as ‘€ 12.345,67’ in the active language."""
    if amount is None:
        amount = Decimal("0")
    elif not isinstance(amount, Decimal):
        amount = Decimal(str(amount))
    return "€ " + number_format(amount, 2, use_l10n=True, force_grouping=True)

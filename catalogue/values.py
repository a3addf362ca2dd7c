"""The value of an SROI activity under the building-block model: one function, ``activity_value``.

Agreements (planned) and realisations (done) are valued by the same function, and the result is
stored on the row when it is saved. The rules per unit (``BuildingBlock.Unit``):

- per year: value × persons × (hours per week ÷ 36) × (months ÷ 12). Hours above 36 count as
  full-time (a job counts once). Months count at most up to the block's counting duration, minus
  what earlier periods of the same placement already counted; an empty duration means "always".
  Bonuses add their yearly value with the same factors.
- per month: value × persons × months.
- per learn-work year: value × persons × (months ÷ 12).
- per hour: value × hours.
- invoice percentage: invoice amount excl. VAT × value ÷ 100.

Every amount is a Decimal; the result is rounded half-up to cents once, at the end.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.utils.formats import number_format
from django.utils.translation import gettext as _

from wizzr.bounds import wide_context
from wizzr.units import euro

CENT = Decimal("0.01")
ZERO = Decimal("0")
FULL_TIME_HOURS = Decimal("36")
MONTHS_PER_YEAR = Decimal("12")
MAX_HOURS_PER_WEEK = Decimal("60")
# The largest quantities the forms accept (the columns hold more): values computed from them stay
# far inside the money columns for every block of a shipped catalogue.
MAX_PERSONS = 999
MAX_MONTHS = Decimal("240")
MAX_HOURS = Decimal("9999999.9")  # DecimalField(max_digits=8, decimal_places=1)

PER_YEAR = "per_year"
PER_MONTH = "per_month"
PER_LEARN_WORK_YEAR = "per_learn_work_year"
PER_HOUR = "per_hour"
INVOICE_PERCENTAGE = "invoice_percentage"

# Which quantities each unit needs (the forms show and require exactly these).
QUANTITIES: dict[str, tuple[str, ...]] = {
    PER_YEAR: ("persons", "hours_per_week", "months"),
    PER_MONTH: ("persons", "months"),
    PER_LEARN_WORK_YEAR: ("persons", "months"),
    PER_HOUR: ("hours",),
    INVOICE_PERCENTAGE: ("invoice_amount",),
}


@dataclass(frozen=True)
class Valuation:
    """The outcome of ``activity_value``: the total and the parts it was built from."""

    total: Decimal
    base: Decimal
    bonus: Decimal = Decimal("0.00")
    counted_months: Decimal | None = None
    capped: bool = False
    bonus_names: tuple[str, ...] = field(default_factory=tuple)


def _d(value) -> Decimal:
    if value is None:
        return ZERO
    return value if isinstance(value, Decimal) else Decimal(str(value))


def _cents(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def activity_value(
    *,
    block,
    persons: int | None = 1,
    hours_per_week: Decimal | None = None,
    months: Decimal | None = None,
    hours: Decimal | None = None,
    invoice_amount: Decimal | None = None,
    bonuses: Iterable = (),
    prior_months: Decimal | None = None,
) -> Valuation:
    """Return the value of an activity on ``block`` (anything with ``unit``, ``value``, ``counting_months``).

    Quantities a unit does not use are ignored; missing ones count as zero. ``prior_months`` are
    the months of the same placement already counted by earlier periods (they use up the
    counting duration). Bonuses (with ``value`` and ``name``) only apply to per-year blocks.
    """
    with wide_context():
        return _activity_value(
            block=block, persons=persons, hours_per_week=hours_per_week, months=months, hours=hours,
            invoice_amount=invoice_amount, bonuses=bonuses, prior_months=prior_months,
        )


def _activity_value(*, block, persons, hours_per_week, months, hours, invoice_amount, bonuses, prior_months) -> Valuation:
    unit = block.unit
    value = _d(block.value)
    persons_d = _d(persons if persons is not None else 1)
    if unit == PER_YEAR:
        hours_factor = min(_d(hours_per_week), FULL_TIME_HOURS)
        months_d = _d(months)
        counted = months_d
        capped = False
        if block.counting_months is not None:
            remaining = max(_d(block.counting_months) - _d(prior_months), ZERO)
            if months_d > remaining:
                counted, capped = remaining, True
        factor = persons_d * hours_factor * counted / (FULL_TIME_HOURS * MONTHS_PER_YEAR)
        base = _cents(value * factor)
        bonus_list = list(bonuses)
        bonus = sum((_cents(_d(b.value) * factor) for b in bonus_list), Decimal("0.00"))
        return Valuation(
            total=base + bonus,
            base=base,
            bonus=bonus,
            counted_months=counted,
            capped=capped,
            bonus_names=tuple(str(b.name) for b in bonus_list),
        )
    if unit == PER_MONTH:
        base = _cents(value * persons_d * _d(months))
        return Valuation(total=base, base=base, counted_months=_d(months))
    if unit == PER_LEARN_WORK_YEAR:
        base = _cents(value * persons_d * _d(months) / MONTHS_PER_YEAR)
        return Valuation(total=base, base=base, counted_months=_d(months))
    if unit == PER_HOUR:
        base = _cents(value * _d(hours))
        return Valuation(total=base, base=base)
    if unit == INVOICE_PERCENTAGE:
        base = _cents(_d(invoice_amount) * value / Decimal("100"))
        return Valuation(total=base, base=base)
    raise ValueError(f"unknown building-block unit {unit!r}")


def block_value_label(block) -> str:
    """Describe a block's value with its unit, e.g. ‘€ 30.000,00 per jaar, telt 24 maanden’."""
    amount = euro(block.value)
    if block.unit == PER_YEAR:
        if block.counting_months is None:
            return _("%(amount)s per jaar, telt altijd") % {"amount": amount}
        return _("%(amount)s per jaar, telt %(months)s maanden") % {"amount": amount, "months": block.counting_months}
    if block.unit == PER_MONTH:
        return _("%(amount)s per maand") % {"amount": amount}
    if block.unit == PER_LEARN_WORK_YEAR:
        return _("%(amount)s per leerwerkjaar") % {"amount": amount}
    if block.unit == PER_HOUR:
        return _("%(amount)s per uur") % {"amount": amount}
    pct = _d(block.value)
    pct = pct.quantize(Decimal(1)) if pct == pct.to_integral_value() else pct
    percentage = number_format(pct, use_l10n=True)
    return _("%(percentage)s %% van het factuurbedrag excl. btw") % {"percentage": percentage}

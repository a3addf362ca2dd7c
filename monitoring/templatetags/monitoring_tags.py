"""Template helpers of monitoring: money, quantities and statuses in Dutch."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django import template
from django.utils.formats import number_format
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from catalogue import values
from monitoring import exports, panels
from wizzr import units

register = template.Library()


@register.filter
def euro(amount) -> str:
    """‘€ 12.345,67’ that does not break across lines; an empty value shows as a dash."""
    if amount is None or amount == "":
        return "—"
    return format_html('<span class="wizzr-nowrap">{}</span>', units.euro(Decimal(str(amount))))


def _num(value) -> str:
    value = Decimal(str(value))
    if value == value.to_integral_value():
        value = value.quantize(Decimal(1))
    return number_format(value, use_l10n=True)


@register.filter
def number(value) -> str:
    """A quantity without trailing zeros: 24, 1,5."""
    if value is None or value == "":
        return "—"
    return _num(value)


@register.simple_tag
def quantity(row) -> str:
    """The planned or realised quantity of an agreement or realisation in the block's unit."""
    unit = row.block.unit
    parts = []
    persons = getattr(row, "persons", None)
    if unit in (values.PER_YEAR, values.PER_MONTH, values.PER_LEARN_WORK_YEAR) and persons:
        parts.append(ngettext("%(n)s persoon", "%(n)s personen", persons) % {"n": persons})
    if unit == values.PER_YEAR and row.hours_per_week is not None:
        parts.append(_("%(h)s uur per week") % {"h": _num(row.hours_per_week)})
    months = getattr(row, "months", None)
    if unit in (values.PER_YEAR, values.PER_MONTH, values.PER_LEARN_WORK_YEAR) and months is not None:
        parts.append(_("%(m)s maanden") % {"m": _num(months)})
    if unit == values.PER_HOUR and row.hours is not None:
        parts.append(_("%(h)s uur") % {"h": _num(row.hours)})
    if unit == values.INVOICE_PERCENTAGE and row.invoice_amount is not None:
        parts.append(_("factuur %(amount)s") % {"amount": units.euro(row.invoice_amount)})
    return " × ".join(parts) if parts else "—"


@register.filter
def percent_width(value) -> int:
    """A percentage clamped to 0–100, for a <progress> element."""
    try:
        number_value = int(value)
    except (TypeError, ValueError):
        return 0
    return max(0, min(100, number_value))



_CENT = Decimal("0.01")


@register.filter
def amount(value) -> str:
    """An amount with two decimals and grouped thousands in the active language, like
    ``floatformat:"2g"`` (half up), at a fraction of its cost: the consolidated page shows hundreds."""
    if value is None or value == "":
        return ""
    value = value if isinstance(value, Decimal) else Decimal(str(value))
    return exports.amount_text(value.quantize(_CENT, rounding=ROUND_HALF_UP))


@register.filter
def whole_amount(value) -> str:
    """An amount rounded (half up) to whole euros with grouped thousands, like ``floatformat:"0g"``."""
    if value is None or value == "":
        return ""
    value = value if isinstance(value, Decimal) else Decimal(str(value))
    return exports.amount_text(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))[:-3]


@register.filter
def svg_number(value) -> str:
    """A number with one decimal and a point, for SVG attributes, like ``floatformat:'1u'``."""
    value = value if isinstance(value, Decimal) else Decimal(str(value))
    return f"{value.quantize(Decimal('0.1'), rounding=ROUND_HALF_UP)}"


@register.simple_tag(takes_context=True)
def contract_panels(context, page: str, contract) -> str:
    """The panels other apps registered for this contract page (``monitoring.panels``), one after another."""
    rendered = panels.contract_panels(page=page, request=context["request"], contract=contract)
    return format_html_join("\n", "{}", ((html,) for html in rendered))


@register.inclusion_tag("monitoring/_outcome.html")
def contract_outcome(settlement) -> dict:
    """The outcome of a contract's SROI obligation (``Settlement``) as a panel, for other apps' pages."""
    return {"settlement": settlement}


@register.filter
def obligation_discount_text(contract) -> str:
    """‘Verplichting € 25.000,00, PSO-korting 10 % (trede 2): € 22.500,00’, or '' without a discount."""
    from monitoring.pso import obligation_discount_text as text

    return text(contract)

"""The bounds of the numbers people type, shared by the models, the forms and the previews.

A column ``DecimalField(max_digits=14, decimal_places=2)`` holds at most 999.999.999.999,99; the forms
refuse more with a message beside the field, and nothing computes with a value they refused.
Computations run in a decimal context wide enough for the products of the largest accepted values, so
that rounding to cents never runs out of digits.
"""

from __future__ import annotations

import decimal
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

MONEY_MAX = Decimal("999999999999.99")  # max_digits=14, decimal_places=2
MONEY_TOO_LARGE = _("Vul een bedrag in van ten hoogste € 999.999.999.999,99.")

# Digits of precision for computing values: a money amount (14 digits) times persons, hours and months
# (about 20 more) stays far below this.
PRECISION = 60


def wide_context() -> decimal.localcontext:
    """A decimal context for computing with accepted values: exact to the cent for every one of them."""
    return decimal.localcontext(prec=PRECISION, Emax=decimal.MAX_EMAX, Emin=decimal.MIN_EMIN)

"""The obligation rule is written for Python (``Contract.sroi_obligation``) and for SQL
(``contracts.models.obligation_sql``, behind ``with_obligation`` and every list, total and report).
These cases hold the two to the same answers, half cents and the largest accepted values included."""

import datetime
import itertools
from decimal import Decimal

import pytest

from contracts.models import Contract
from tests.contracts.factories import SupplierFactory

pytestmark = pytest.mark.django_db

VALUES = [None, "0.00", "0.10", "0.30", "99.99", "100.10", "12345.67", "999999999999.99"]
PERCENTAGES = ["0.00", "0.01", "5.00", "12.50", "33.33", "100.00"]
FIXED = [None, "0.00", "1234.56"]


def _dec(text: str | None) -> Decimal | None:
    return None if text is None else Decimal(text)


def test_python_and_sql_compute_the_same_obligation_in_every_case(arnhem):
    supplier = SupplierFactory()
    cases = list(itertools.product(VALUES, PERCENTAGES, FIXED))
    Contract.objects.bulk_create(
        Contract(
            organisation=arnhem,
            supplier=supplier,
            contract_number=f"OBL-{n:03d}",
            title="Geval",
            start_date=datetime.date(2026, 1, 1),
            end_date=datetime.date(2026, 12, 31),
            contract_value=_dec(value),
            sroi_percentage=_dec(percentage),
            sroi_fixed_amount=_dec(fixed),
        )
        for n, (value, percentage, fixed) in enumerate(cases)
    )
    rows = Contract.objects.filter(organisation=arnhem).with_obligation()
    seen = set()
    for contract in rows:
        assert contract.obligation_amount == contract.sroi_obligation, (
            contract.contract_value, contract.sroi_percentage, contract.sroi_fixed_amount,
        )
        seen.add(contract.sroi_obligation)
    assert len(rows) == len(cases)
    # Half cents round up in both (0.10 × 5 % = 0.005; 0.30 × 5 % = 0.015), and unknown stays unknown.
    assert {Decimal("0.01"), Decimal("0.02"), None} <= seen

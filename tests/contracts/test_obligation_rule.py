"""The obligation rule is written for Python (``Contract.sroi_obligation``) and for SQL
(``contracts.models.obligation_sql``, behind ``with_obligation`` and every list, total and report).
These cases hold the two to the same answers, half cents and the largest accepted values included,
with and without a discount on the obligation (a PSO certificate's)."""

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
DISCOUNTS = [None, "0.00", "10.00", "12.50", "33.33", "100.00"]


def _dec(text: str | None) -> Decimal | None:
    return None if text is None else Decimal(text)


def test_python_and_sql_compute_the_same_obligation_in_every_case(arnhem):
    supplier = SupplierFactory()
    cases = list(itertools.product(VALUES, PERCENTAGES, FIXED, DISCOUNTS))
    Contract.objects.bulk_create(
        Contract(
            organisation=arnhem,
            supplier=supplier,
            contract_number=f"OBL-{n:04d}",
            title="Geval",
            start_date=datetime.date(2026, 1, 1),
            end_date=datetime.date(2026, 12, 31),
            contract_value=_dec(value),
            sroi_percentage=_dec(percentage),
            sroi_fixed_amount=_dec(fixed),
            obligation_discount=_dec(discount),
        )
        for n, (value, percentage, fixed, discount) in enumerate(cases)
    )
    rows = Contract.objects.filter(organisation=arnhem).with_obligation()
    seen = set()
    for contract in rows:
        assert contract.obligation_amount == contract.sroi_obligation, (
            contract.contract_value, contract.sroi_percentage, contract.sroi_fixed_amount, contract.obligation_discount,
        )
        seen.add(contract.sroi_obligation)
    assert len(rows) == len(cases)
    # Half cents round up in both (0.10 × 5 % = 0.005; 0.30 × 5 % = 0.015), and unknown stays unknown.
    assert {Decimal("0.01"), Decimal("0.02"), None} <= seen


def test_a_discount_lowers_the_obligation_rounded_to_cents_in_python_and_sql(arnhem):
    supplier = SupplierFactory()
    common = dict(organisation=arnhem, supplier=supplier, title="Korting", start_date=datetime.date(2026, 1, 1),
                  end_date=datetime.date(2026, 12, 31), sroi_percentage=Decimal("5.00"))
    Contract.objects.create(contract_number="K-1", contract_value=Decimal("500000.00"), obligation_discount=Decimal("10.00"), **common)
    # 12345.67 × 5 % = 617.28 (617.2835); less 33.33 %: 617.28 × 0.6667 = 411.540576 → 411.54.
    Contract.objects.create(contract_number="K-2", contract_value=Decimal("12345.67"), obligation_discount=Decimal("33.33"), **common)
    # Half a cent rounds up: 0.30 × 5 % = 0.02 (0.015); less 75 %: 0.005 → 0.01.
    Contract.objects.create(contract_number="K-3", contract_value=Decimal("0.30"), obligation_discount=Decimal("75.00"), **common)
    rows = {c.contract_number: c for c in Contract.objects.filter(organisation=arnhem).with_obligation()}
    expected = {"K-1": Decimal("22500.00"), "K-2": Decimal("411.54"), "K-3": Decimal("0.01")}
    for number, amount in expected.items():
        assert rows[number].sroi_obligation == amount
        assert rows[number].obligation_amount == amount
    assert rows["K-1"].obligation_before_discount == Decimal("25000.00")


def test_the_stored_obligation_follows_every_write_of_the_row(arnhem):
    """``with_obligation`` reads the column PostgreSQL computes: it must follow a save, a queryset
    update and a discount, or every list and total would show an old obligation."""
    contract = Contract.objects.create(
        organisation=arnhem, supplier=SupplierFactory(), contract_number="W-1", title="Schrijven",
        start_date=datetime.date(2026, 1, 1), end_date=datetime.date(2026, 12, 31),
        contract_value=Decimal("100000.00"), sroi_percentage=Decimal("5.00"),
    )

    def stored() -> Decimal | None:
        return Contract.objects.with_obligation().get(pk=contract.pk).obligation_amount

    assert stored() == Decimal("5000.00")
    contract.contract_value = Decimal("200000.00")
    contract.save()
    assert stored() == Decimal("10000.00") == contract.sroi_obligation
    Contract.objects.filter(pk=contract.pk).update(sroi_fixed_amount=Decimal("1234.56"))
    assert stored() == Decimal("1234.56")
    Contract.objects.filter(pk=contract.pk).update(obligation_discount=Decimal("50.00"))
    assert stored() == Decimal("617.28")
    Contract.objects.filter(pk=contract.pk).update(sroi_fixed_amount=None, sroi_percentage=Decimal("0.00"))
    assert stored() == Decimal("0.00")
    Contract.objects.filter(pk=contract.pk).update(contract_value=None)
    assert stored() is None

"""The figures of a page of rows and of the consolidated pass are those of
``monitoring.figures.with_progress``, the one definition of progress."""

from decimal import Decimal

import pytest

from contracts.models import Contract
from monitoring import reports
from monitoring.figures import with_progress
from tests.contracts.factories import ContractFactory
from tests.monitoring_buyer.conftest import days

pytestmark = pytest.mark.django_db


def test_page_rows_have_the_figures_of_with_progress(arnhem, portfolio):
    ContractFactory(organisation=arnhem, contract_value=None, handed_over=True)  # no obligation
    ContractFactory(organisation=arnhem, start_date=days(10), end_date=days(400), handed_over=True)  # not started
    ContractFactory(organisation=arnhem, start_date=days(-10), end_date=days(-10), handed_over=True)  # one day, over
    contracts = Contract.objects.filter(organisation=arnhem)
    expected = {c.pk: c for c in with_progress(contracts)}
    rows = reports.page_rows(list(expected))
    assert [row.pk for row in rows] == list(expected)
    for row in rows:
        want = expected[row.pk]
        assert row.obligation_amount == want.obligation_amount
        assert row.planned_amount == want.planned_amount
        assert row.approved_amount == want.approved_amount
        assert (row.term_days, row.elapsed_days) == (want.term_days, want.elapsed_days)
        assert row.is_behind == (want.is_behind and not row.is_draft), row.contract_number


def test_the_consolidated_pass_agrees_with_summing_contract_by_contract(arnhem, carol, portfolio):
    contracts = Contract.objects.visible_to(carol)
    figures = reports.consolidated(contracts)
    rows = list(with_progress(contracts))
    assert figures.totals.contracts == len(rows)
    assert figures.totals.obligation == sum((r.obligation_amount or Decimal(0) for r in rows), Decimal(0))
    assert figures.totals.planned == sum((r.planned_amount for r in rows), Decimal(0))
    assert figures.totals.approved == sum((r.approved_amount for r in rows), Decimal(0))
    assert figures.behind_count == sum(1 for r in rows if r.is_behind)
    arrears = [c.arrears for c in figures.behind]
    assert arrears == sorted(arrears, reverse=True) and len(arrears) == figures.behind_count

"""A BI tool's way of reading: a year's contracts page by page, summed, against the annual report."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.urls import reverse

from contracts.models import Contract
from monitoring.annual import annual_report
from tests.api.conftest import issue
from tests.contracts.factories import ContractFactory


def read_all(client, url: str, key: str, **query) -> list[dict]:
    rows, pages = [], 0
    response = client.get(url, {**query, "page_size": 2}, headers={"Authorization": f"Bearer {key}"})
    while True:
        body = response.json()
        assert response.status_code == 200
        rows += body["results"]
        pages += 1
        if not body["next"]:
            break
        response = client.get(body["next"], headers={"Authorization": f"Bearer {key}"})
    assert len(rows) == body["count"]
    return rows


def test_a_years_contracts_summed_page_by_page_equal_the_annual_report(client, w):
    arnhem = w["arnhem"]
    ContractFactory(organisation=arnhem, contract_number="J-1", handed_over=True, contract_value=Decimal("100000.00"))
    ContractFactory(organisation=arnhem, contract_number="J-2", handed_over=True, sroi_fixed_amount=Decimal("777.77"),
                    start_date=datetime.date(2025, 6, 1), end_date=datetime.date(2026, 2, 28))
    ContractFactory(organisation=arnhem, contract_number="J-OLD", handed_over=True,
                    start_date=datetime.date(2024, 1, 1), end_date=datetime.date(2025, 12, 31))
    ContractFactory(organisation=arnhem, contract_number="J-NONE", handed_over=True, contract_value=None)
    key = issue(arnhem, w["erin"])

    rows = read_all(client, reverse("api:contracts"), key, year=2026)
    counted = [r for r in rows if r["status"] != Contract.Status.DRAFT and r["obligation"] and Decimal(r["obligation"]) > 0]
    assert "J-OLD" not in {r["number"] for r in rows}
    assert len(rows) > 4  # more than two pages

    report = annual_report(contracts=Contract.objects.filter(organisation=arnhem), organisation=arnhem, year=2026)
    assert len(counted) == report.current.contracts
    assert sum(Decimal(r["obligation"]) for r in counted) == report.current.obligation
    assert sum(Decimal(r["agreed"]) for r in counted) == report.current.planned
    assert sum(Decimal(r["realised"]) for r in counted) == report.current.approved

    years = {row["year"]: row for row in read_all(client, reverse("api:annual_figures"), key)}
    assert {2024, 2025, 2026, 2027} <= set(years)
    figures = years[2026]
    assert figures["contracts"] == report.current.contracts
    assert Decimal(figures["obligation"]) == report.current.obligation
    assert Decimal(figures["agreed"]) == report.current.planned
    assert Decimal(figures["realised"]) == report.current.approved
    assert figures["share"] == report.current.percentage
    one = client.get(reverse("api:annual_figures"), {"year": 2026}, headers={"Authorization": f"Bearer {key}"}).json()
    assert one["count"] == 1 and one["results"] == [figures]

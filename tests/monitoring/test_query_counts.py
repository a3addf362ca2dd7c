"""The coordinator's work queue runs as many queries for nine contracts as for three
(tests/query_counts.py)."""

import itertools
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from monitoring import services
from tests.contracts.factories import ContractFactory, SupplierFactory
from tests.factories import member
from tests.query_counts import assert_constant_queries
from wizzr.models import Role

pytestmark = pytest.mark.django_db
_numbers = itertools.count()


def test_the_work_queue(client, carol, arnhem, renkum, service_point, v05):
    def add(count: int) -> None:
        for _ in range(count):
            n = next(_numbers)
            contract = ContractFactory(
                organisation=arnhem if n % 2 else renkum,
                contract_number=f"QW-{n:03d}",
                supplier=SupplierFactory(legal_name=f"Leverancier {n} B.V."),
                contract_value=Decimal("100000.00") + n,
                handed_over=True,
            )
            if n % 3:
                services.contract_accept(contract=contract, by=carol)
                coordinator = member(f"coordinator{n}@steunpunt-mg.example", service_point, Role.COORDINATOR)
                services.contract_assign(contract=contract, coordinator=coordinator, by=carol)

    client.force_login(carol)
    url = reverse("monitoring:work_queue")
    assert_constant_queries(client, url, add, lambda html: len(set(re.findall(r"QW-\d{3}", html))))

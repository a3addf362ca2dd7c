"""The supplier's list of contracts (with what is due and what was rejected) runs as many queries
for nine contracts as for three (tests/query_counts.py)."""

import itertools
import re

import pytest
from django.urls import reverse

from monitoring.models import Realisation
from portal import services
from tests.contracts.factories import ContractFactory
from tests.monitoring_buyer.factories import realisation
from tests.portal.conftest import TODAY, invite, running_contract
from tests.query_counts import assert_constant_queries

pytestmark = pytest.mark.django_db
_numbers = itertools.count()


def test_the_portal_contract_list(client, arnhem, carol, running, sam, per_month_block):
    def add(count: int) -> None:
        for _ in range(count):
            n = next(_numbers)
            contract = ContractFactory(
                organisation=arnhem, contract_number=f"QP-{n:03d}", supplier=running.supplier, handed_over=True
            )
            running_contract(contract, carol, per_month_block)
            invite(contract, sam, carol)
            services.periods_open(contract=contract, today=TODAY)
            realisation(contract, per_month_block, "100.00", status=Realisation.Status.REJECTED)

    client.force_login(sam)
    url = reverse("portal:home")
    assert_constant_queries(client, url, add, lambda html: len(set(re.findall(r">QP-\d{3}<", html))))

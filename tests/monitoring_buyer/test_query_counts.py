"""The buyer's monitoring list, the consolidated view and the contract page run as many queries for
nine rows as for three (tests/query_counts.py)."""

import itertools
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from catalogue.models import BuildingBlock
from contracts.models import Contract
from monitoring.models import LastingOutcome
from tests.contracts.factories import AttachmentFactory, ContractFactory, SupplierFactory
from tests.factories import member
from tests.monitoring_buyer.conftest import days, follow
from tests.monitoring_buyer.factories import agreement, block, realisation
from tests.query_counts import assert_constant_queries
from wizzr.models import Role

pytestmark = pytest.mark.django_db
S = Contract.Status
_numbers = itertools.count()


def asked(realisation, answer=LastingOutcome.Answer.ELSEWHERE) -> None:
    """A lasting outcome of ``realisation``, answered 12 months after the placement."""
    LastingOutcome.objects.create(
        organisation_id=realisation.organisation_id, contract_id=realisation.contract_id, realisation=realisation,
        months_after=12, due_on=days(-1), answer=answer, reported_at=timezone.now(),
    )


def distinct(pattern: str):
    return lambda html: len(set(re.findall(pattern, html)))


@pytest.fixture
def add_contracts(arnhem, alice, carol):
    """Contracts of Arnhem behind schedule, each with its own supplier, coordinator, contact person,
    agreement and realisations."""
    employment = block(BuildingBlock.Category.EMPLOYMENT, name="Participatiewet")

    def add(count: int) -> None:
        for _ in range(count):
            n = next(_numbers)
            contract = ContractFactory(
                organisation=arnhem,
                contract_number=f"QC-{n:03d}",
                supplier=SupplierFactory(legal_name=f"Leverancier {n} B.V."),
                start_date=days(-300 - n),
                end_date=days(60),
                contract_value=Decimal("100000.00") + n,
                handed_over=True,
                handed_over_by=alice,
            )
            contract.contact_persons.add(alice)
            follow(contract, carol, S.IN_PROGRESS)
            agreement(contract, employment, "4000.00")
            asked(realisation(contract, employment, "100.00"))
            realisation(contract, employment, "50.00", status="submitted")

    return add


def test_the_monitoring_list(client, alice, add_contracts):
    client.force_login(alice)
    assert_constant_queries(client, reverse("monitoring:individual"), add_contracts, distinct(r">QC-\d{3}<"))


def test_the_monitoring_list_sorted_by_progress_and_filtered_on_behind(client, alice, add_contracts):
    client.force_login(alice)
    url = reverse("monitoring:individual") + "?o=-voortgang&behind=on&per_page=100"
    assert_constant_queries(client, url, add_contracts, distinct(r">QC-\d{3}<"))


def test_the_consolidated_view(client, alice, add_contracts):
    client.force_login(alice)
    assert_constant_queries(client, reverse("monitoring:consolidated"), add_contracts, distinct(r"QC-\d{3}"))


def test_the_contract_page(client, arnhem, alice, carol):
    contract = ContractFactory(
        organisation=arnhem, contract_number="INK-QC", start_date=days(-100), end_date=days(100), handed_over=True
    )
    contract.contact_persons.add(alice)
    follow(contract, carol, S.IN_PROGRESS)
    employment = block(BuildingBlock.Category.EMPLOYMENT, name="Participatiewet")

    def add(count: int) -> None:
        for _ in range(count):
            n = next(_numbers)
            agreement(contract, employment, "1000.00", description=f"Afspraak QA-{n:03d}")
            asked(realisation(contract, employment, "10.00"))
            AttachmentFactory(contract=contract, display_name=f"bijlage-{n}.pdf")
            person = member(f"collega{n}@arnhem.example", arnhem, Role.ADVISOR, name=f"Collega {n}")
            contract.contact_persons.add(person)

    client.force_login(alice)
    url = reverse("monitoring:contract", args=[contract.uuid])
    assert_constant_queries(client, url, add, distinct(r"QA-\d{3}"))

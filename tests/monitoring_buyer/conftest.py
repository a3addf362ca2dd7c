"""A portfolio of contracts for the buyer's monitoring pages.

Arnhem (alice advises, erin administers) has four contracts: one behind schedule, one on track,
a concept and a closed one. Renkum (bob) and Utrecht (dave) have one each, which Arnhem's people
must never see. Carol coordinates for the service point that serves Arnhem and Renkum.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.utils import timezone

from catalogue.models import BuildingBlock
from contracts.models import Contract
from monitoring.models import ContractFollowUp, ContractStatusChange, Realisation
from tests.contracts.factories import ContractFactory, SupplierFactory
from tests.factories import mark_reauthenticated
from tests.monitoring_buyer.factories import agreement, block, realisation

S = Contract.Status


@dataclass
class Portfolio:
    behind: Contract
    on_track: Contract
    draft: Contract
    closed: Contract
    renkum: Contract
    utrecht: Contract
    suppliers: dict


def days(n: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=n)


def follow(contract, coordinator=None, status=None):
    """Assign the follow-up (created at handover by monitoring.signals) and move the status on."""
    ContractFollowUp.objects.filter(contract=contract).update(coordinator=coordinator)
    if status and status != S.HANDED_OVER:
        ContractStatusChange.objects.create(
            organisation=contract.organisation,
            contract=contract,
            from_status=S.HANDED_OVER,
            to_status=status,
            changed_by=coordinator,
        )
        contract.status = status
        contract.save(update_fields=["status"])
    return contract


@pytest.fixture
def portfolio(arnhem, renkum, utrecht, alice, erin, carol, bob, dave, frank):
    employment = block(BuildingBlock.Category.EMPLOYMENT, name="Participatiewet")
    purchasing = block(
        BuildingBlock.Category.SOCIAL_PURCHASING,
        name="Inkoop bij sociale onderneming",
        unit="invoice_percentage",
        value=Decimal("100"),
        counting_months=None,
    )
    learn_work = block(
        BuildingBlock.Category.LEARN_WORK,
        name="BBL-leerling",
        unit="per_learn_work_year",
        value=Decimal("20000"),
        counting_months=None,
    )
    suppliers = {
        "groen": SupplierFactory(legal_name="Groenbedrijf Veluwe B.V.", city="Ede"),
        "schoon": SupplierFactory(legal_name="Schoonmaak Oost B.V.", trade_name="Glans Schoonmaak", city="Arnhem"),
        "renkum": SupplierFactory(legal_name="Renkums Bouw B.V.", city="Renkum"),
        "utrecht": SupplierFactory(legal_name="Domstad Infra B.V.", city="Utrecht"),
    }
    # Behind: obligation 5 % of 250,000 = 12,500; about 95 % of the term has passed; 3,000 approved.
    behind = ContractFactory(
        organisation=arnhem,
        contract_number="INK-A1",
        title="Onderhoud openbare ruimte",
        supplier=suppliers["groen"],
        start_date=days(-700),
        end_date=days(36),
        contract_value=Decimal("250000.00"),
        handed_over=True,
        handed_over_by=alice,
        created_by=alice,
        department="Beheer openbare ruimte",
    )
    behind.contact_persons.add(alice)
    follow(behind, carol, S.IN_PROGRESS)
    agreement(behind, employment, "10000.00", description="Twee banen Participatiewet")
    agreement(behind, purchasing, "2500.00", description="Inkoop groenafval bij sociale onderneming")
    realisation(behind, employment, "3000.00")
    realisation(behind, employment, "1000.00", status=Realisation.Status.SUBMITTED)
    realisation(behind, employment, "500.00", status=Realisation.Status.REJECTED)
    # On track: obligation 5,000; a third of the term passed; 4,000 approved.
    on_track = ContractFactory(
        organisation=arnhem,
        contract_number="INK-B2",
        title="Schoonmaak stadhuis",
        supplier=suppliers["schoon"],
        start_date=days(-365),
        end_date=days(730),
        contract_value=Decimal("100000.00"),
        handed_over=True,
        handed_over_by=alice,
    )
    follow(on_track, None, S.AGREEMENTS_MADE)
    agreement(on_track, learn_work, "6000.00")
    realisation(on_track, learn_work, "4000.00")
    draft = ContractFactory(
        organisation=arnhem,
        contract_number="CONCEPT-3",
        title="Nieuwe speeltuinen",
        supplier=suppliers["groen"],
        start_date=days(30),
        end_date=days(400),
        contract_value=Decimal("50000.00"),
        status=S.DRAFT,
    )
    # Closed: a fixed obligation of 5,000, fully realised, ended last year.
    closed = ContractFactory(
        organisation=arnhem,
        contract_number="INK-D4",
        title="Straatverlichting",
        supplier=suppliers["schoon"],
        start_date=datetime.date(2023, 1, 1),
        end_date=datetime.date(2024, 12, 31),
        contract_value=Decimal("80000.00"),
        sroi_fixed_amount=Decimal("5000.00"),
        handed_over=True,
    )
    follow(closed, carol, S.CLOSED)
    realisation(
        closed, employment, "5000.00", period_start=datetime.date(2024, 1, 1), period_end=datetime.date(2024, 6, 30)
    )
    renkum_contract = ContractFactory(
        organisation=renkum,
        contract_number="REN-1",
        title="Renovatie gemeentehuis",
        supplier=suppliers["renkum"],
        start_date=days(-100),
        end_date=days(600),
        contract_value=Decimal("400000.00"),
        handed_over=True,
    )
    follow(renkum_contract, carol)
    utrecht_contract = ContractFactory(
        organisation=utrecht,
        contract_number="UTR-1",
        title="Croeselaan",
        supplier=suppliers["utrecht"],
        start_date=days(-100),
        end_date=days(600),
        contract_value=Decimal("900000.00"),
        handed_over=True,
    )
    follow(utrecht_contract, frank)
    return Portfolio(behind, on_track, draft, closed, renkum_contract, utrecht_contract, suppliers)


@pytest.fixture
def reauthenticated():
    """Return a function that marks a logged-in client's session as recently reauthenticated
    (bulk exports ask for the password again, see allauth's reauthentication)."""

    return mark_reauthenticated

"""Supplier personas and a running contract of Arnhem whose supplier reports through the portal.

``sam`` works for the contract's supplier and is invited to it; ``tom`` works for another supplier
company (invited to that company's contract); ``uma`` works for the same company as sam but was not
invited to this contract.
"""

import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine

from monitoring import services as monitoring_services
from portal import services
from portal.models import ReportingPeriod, SupplierAccess
from tests.contracts.factories import ContractFactory, SupplierFactory
from tests.factories import member
from tests.monitoring import conftest as monitoring_fixtures
from tests.monitoring.factories import agreement_for
from wizzr.models import Role

TODAY = datetime.date(2026, 11, 27)
AMSTERDAM = ZoneInfo("Europe/Amsterdam")

# The coordinator workspace's fixtures: catalogue, Arnhem's contract handed over to Midden-Gelderland.
private_root = monitoring_fixtures.private_root
shipped_catalogues = monitoring_fixtures.shipped_catalogues
v05 = monitoring_fixtures.v05
per_month_block = monitoring_fixtures.per_month_block
per_year_block = monitoring_fixtures.per_year_block
contract = monitoring_fixtures.contract
accepted = monitoring_fixtures.accepted
renkum_contract = monitoring_fixtures.renkum_contract
utrecht_contract = monitoring_fixtures.utrecht_contract


def running_contract(contract, coordinator, block):
    """Accept, agree and record: the contract is ready for the supplier's realisations."""
    from monitoring.models import ContractFollowUp

    if not ContractFollowUp.objects.filter(contract=contract, accepted_at__isnull=False).exists():
        monitoring_services.contract_accept(contract=contract, by=coordinator)
    agreement_for(contract, block, by=coordinator, persons=1, months=Decimal("6"))
    monitoring_services.agreements_record(contract=contract, by=coordinator)
    contract.refresh_from_db()
    return contract


def invite(contract, user, coordinator=None):
    company = services.supplier_organisation_for(contract=contract)
    from wizzr.models import Membership

    Membership.objects.get_or_create(user=user, organisation=company, role=Role.SUPPLIER)
    return SupplierAccess.objects.create(
        organisation=company, contract=contract, user=user, email=user.email, name=user.name, invited_by=coordinator
    )


@pytest.fixture
def running(accepted, carol, per_month_block):
    """Arnhem's contract (1 January 2026 – 31 December 2027, quarterly), its agreements recorded in
    December 2025, before the term began: no period has opened yet."""
    accepted.supplier_contact_name = "Sanne de Bouwer"
    accepted.supplier_contact_email = "sanne@testmans.example"
    accepted.save()
    with time_machine.travel(datetime.datetime(2025, 12, 15, 10, 0, tzinfo=AMSTERDAM), tick=False):
        return running_contract(accepted, carol, per_month_block)


@pytest.fixture
def periods(running):
    services.periods_open(contract=running, today=TODAY)
    return list(ReportingPeriod.objects.filter(contract=running).order_by("period_start"))


@pytest.fixture
def open_period(periods):
    """The fourth quarter of 2026: open, due 31 January 2027."""
    return periods[-1]


@pytest.fixture
def sam(running):
    user = member("sam@testmans.example", services.supplier_organisation_for(contract=running), Role.SUPPLIER, name="Sam Bouwer")
    invite(running, user)
    return user


@pytest.fixture
def other_supplier_contract(arnhem, carol, per_month_block):
    other = ContractFactory(
        organisation=arnhem, contract_number="INK-2026-0077", supplier=SupplierFactory(legal_name="Groen Hoveniers B.V."),
        handed_over=True,
    )
    return running_contract(other, carol, per_month_block)


@pytest.fixture
def tom(other_supplier_contract):
    """A supplier contact of another company, invited to that company's contract."""
    company = services.supplier_organisation_for(contract=other_supplier_contract)
    user = member("tom@groen.example", company, Role.SUPPLIER, name="Tom Groen")
    invite(other_supplier_contract, user)
    return user


@pytest.fixture
def same_company_contract(running, arnhem, carol, per_month_block):
    other = ContractFactory(organisation=arnhem, contract_number="INK-2026-0099", supplier=running.supplier, handed_over=True)
    return running_contract(other, carol, per_month_block)


@pytest.fixture
def uma(running, same_company_contract):
    """Same company as sam, invited only to the company's other contract."""
    company = services.supplier_organisation_for(contract=running)
    user = member("uma@testmans.example", company, Role.SUPPLIER, name="Uma Bouwer")
    invite(same_company_contract, user)
    return user

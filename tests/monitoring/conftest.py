"""Fixtures of the coordinator's workspace: the Oost-Nederland catalogue linked to the personas'
service point, and a contract of Arnhem handed over to it."""

import datetime
from decimal import Decimal

import pytest

from catalogue.models import CatalogueVersion, Region
from contracts.models import Contract
from monitoring import services
from tests.catalogue.factories import ship_catalogues
from tests.contracts.factories import ContractFactory
from tests.factories import member
from wizzr.models import Role


@pytest.fixture(autouse=True)
def private_root(settings, tmp_path):
    """Evidence files of a test live in its own temporary folder."""
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"


@pytest.fixture(autouse=True)
def shipped_catalogues(request):
    """The shipped catalogues, for every database test (a browser test run before may have flushed them)."""
    if request.node.get_closest_marker("django_db"):
        request.getfixturevalue("db")
        ship_catalogues()


@pytest.fixture
def v05(service_point, other_service_point):
    """Oost-Nederland V05 for Midden-Gelderland, Utrecht's catalogue for the other service point."""
    Region.objects.get(slug="oost-nederland").service_points.add(service_point)
    Region.objects.get(slug="utrecht").service_points.add(other_service_point)
    return CatalogueVersion.objects.get(catalogue__region__slug="oost-nederland")


@pytest.fixture
def utrecht_version(v05):
    """Utrecht's first shipped version (its blocks have other names and units than Oost-Nederland's)."""
    return CatalogueVersion.objects.get(catalogue__region__slug="utrecht", label="Utrecht 2023")


@pytest.fixture
def per_year_block(v05):
    """€ 30,000 per year, counted 2 years."""
    return v05.blocks.get(name="Participatiewet, uitkering korter dan 2 jaar")


@pytest.fixture
def per_month_block(v05):
    """€ 750 per month."""
    return v05.blocks.get(name="Werkervaringsplaats / proefplaatsing")


@pytest.fixture
def bbl_block(v05):
    """€ 20,000 per learn-work year."""
    return v05.blocks.get(name__startswith="BBL-leerling")


@pytest.fixture
def contract(arnhem, alice, v05):
    """Arnhem's contract, handed over to Midden-Gelderland: obligation 5 % of € 250,000 = € 12,500."""
    contract = ContractFactory(
        organisation=arnhem,
        contract_number="INK-2026-0042",
        title="Onderhoud openbare ruimte",
        start_date=datetime.date(2026, 1, 1),
        end_date=datetime.date(2027, 12, 31),
        contract_value=Decimal("250000.00"),
        handed_over=True,
        handed_over_by=alice,
    )
    contract.contact_persons.add(alice)
    return contract


@pytest.fixture
def accepted(contract, carol):
    services.contract_accept(contract=contract, by=carol)
    contract.refresh_from_db()
    return contract


@pytest.fixture
def renkum_contract(renkum, v05):
    return ContractFactory(organisation=renkum, contract_number="REN-001", title="Schoonmaak", handed_over=True)


@pytest.fixture
def utrecht_contract(utrecht, v05):
    return ContractFactory(organisation=utrecht, contract_number="UTR-001", title="Croeselaan", handed_over=True)


@pytest.fixture
def colleague(service_point):
    """A second coordinator of Midden-Gelderland."""
    return member("gijs@steunpunt-mg.example", service_point, Role.COORDINATOR, name="Gijs Hendriks")


@pytest.fixture
def draft(arnhem, v05):
    return ContractFactory(organisation=arnhem, contract_number="CONCEPT-1", status=Contract.Status.DRAFT)

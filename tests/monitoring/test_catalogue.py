"""The shipped catalogues and the choice of the version in force."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import IntegrityError

from catalogue.models import Bonus, BuildingBlock, Catalogue, CatalogueVersion, Region
from tests.catalogue.factories import BlockFactory, VersionFactory

pytestmark = pytest.mark.django_db


def test_oost_nederland_v05_is_shipped_with_its_blocks():
    version = CatalogueVersion.objects.get(catalogue__region__slug="oost-nederland", label="V05 april 2023")
    assert version.valid_from == date(2023, 4, 1)
    blocks = {b.name: b for b in version.blocks.all()}
    assert len(blocks) == 12  # 8 from the published table, 4 for social purchasing
    short = blocks["Participatiewet, uitkering korter dan 2 jaar"]
    assert (short.unit, short.value, short.counting_months) == ("per_year", Decimal("30000.00"), 24)
    always = blocks["Participatiewet en Wajong (doelgroepregister), WIA/WAO, WSW, Beschut Werk"]
    assert always.counts_always
    assert blocks["Werkervaringsplaats / proefplaatsing"].unit == "per_month"
    assert blocks["BBL-leerling (leerwerkbaan), niveau 1 en 2"].unit == "per_learn_work_year"
    assert not version.bonuses.exists()


def test_utrecht_is_shipped_with_its_bonuses():
    version = CatalogueVersion.objects.get(catalogue__region__slug="utrecht", label="Utrecht 2023")
    assert version.blocks.count() == 10
    assert version.blocks.get(unit="per_hour").value == Decimal("100.00")
    assert version.blocks.get(unit="invoice_percentage").category == "social_purchasing"
    bonuses = {b.kind: b for b in version.bonuses.all()}
    assert set(bonuses) == {"age", "status_holder", "permanent_contract"}
    assert bonuses["age"].min_age == 50
    assert all(b.value == Decimal("10000.00") for b in bonuses.values())


def test_the_version_in_force_is_the_latest_one_valid_on_the_day(service_point):
    region = Region.objects.get(slug="oost-nederland")
    region.service_points.add(service_point)
    v05 = CatalogueVersion.objects.get(catalogue__region=region)
    v06 = VersionFactory(catalogue=region.catalogue, label="V06 januari 2026", valid_from=date(2026, 1, 1))
    in_force = CatalogueVersion.objects.in_force_for
    assert in_force(service_point=service_point, on=date(2023, 3, 31)) is None
    assert in_force(service_point=service_point, on=date(2023, 4, 1)) == v05
    assert in_force(service_point=service_point, on=date(2025, 12, 31)) == v05
    assert in_force(service_point=service_point, on=date(2026, 1, 1)) == v06


def test_a_service_point_without_a_region_has_no_version(other_service_point):
    assert CatalogueVersion.objects.in_force_for(service_point=other_service_point, on=date(2026, 1, 1)) is None


def test_the_database_refuses_negative_values_and_percentages_above_100():
    version = VersionFactory()
    with pytest.raises(IntegrityError):
        BuildingBlock.objects.create(version=version, name="Negatief", category="employment", unit="per_hour", value=-1)


def test_the_database_refuses_a_percentage_above_100():
    with pytest.raises(IntegrityError):
        BlockFactory(unit="invoice_percentage", value=Decimal("150"), counting_months=None)


def test_the_database_refuses_a_counting_duration_on_a_per_month_block():
    with pytest.raises(IntegrityError):
        BlockFactory(unit="per_month", value=Decimal("750"), counting_months=12)


def test_an_age_bonus_needs_a_minimum_age():
    with pytest.raises(IntegrityError):
        Bonus.objects.create(version=VersionFactory(), name="Leeftijd", kind="age", value=1000)


def test_catalogues_read_as_their_names():
    catalogue = Catalogue.objects.get(region__slug="oost-nederland")
    assert str(catalogue.versions.get()) == "Uniform Bouwblokkenmodel Oost-Nederland V05 april 2023"

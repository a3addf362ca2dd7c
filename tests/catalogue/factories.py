"""Factories for regions, catalogues, versions, building blocks and bonuses, and the shipped catalogues."""

import datetime
from decimal import Decimal

import factory

from catalogue.models import Bonus, BuildingBlock, Catalogue, CatalogueVersion, Region


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Regio {n}")
    slug = factory.Sequence(lambda n: f"regio-{n}")


class CatalogueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Catalogue

    region = factory.SubFactory(RegionFactory)
    name = factory.Sequence(lambda n: f"Bouwblokkenmodel {n}")


class VersionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CatalogueVersion

    catalogue = factory.SubFactory(CatalogueFactory)
    label = factory.Sequence(lambda n: f"V{n:02d}")
    valid_from = datetime.date(2024, 1, 1)


class BlockFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BuildingBlock

    version = factory.SubFactory(VersionFactory)
    name = factory.Sequence(lambda n: f"Bouwblok {n}")
    category = BuildingBlock.Category.EMPLOYMENT
    unit = BuildingBlock.Unit.PER_YEAR
    value = Decimal("30000.00")
    counting_months = 24


class BonusFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Bonus

    version = factory.SubFactory(VersionFactory)
    name = factory.Sequence(lambda n: f"Bonus {n}")
    kind = Bonus.Kind.PERMANENT_CONTRACT
    value = Decimal("10000.00")


def ship_catalogues() -> None:
    """(Re)create the catalogues the data migrations ship.

    Transactional tests (the browser tests) flush every table when they end, shipped rows included;
    tests that rely on those rows call this first. It is idempotent, like the migrations.
    """
    import importlib

    from django.apps import apps

    for name in ("0002_shipped_catalogues", "0003_oost_nederland_social_blocks", "0004_utrecht_2026"):
        importlib.import_module(f"catalogue.migrations.{name}").ship(apps, None)

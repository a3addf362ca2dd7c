"""Factories for catalogues, follow-ups, agreements and realisations.

Agreements and realisations inherit contract and organisation from their parent, so cross-tenant
data is only built when a test asks for it.
"""

import datetime
from decimal import Decimal

import factory

from monitoring.models import Bonus, BuildingBlock, Catalogue, CatalogueVersion, Region


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


def agreement_for(contract, block, *, description="Twee leerwerkplekken", by=None, bonuses=(), **quantities):
    """Store an agreement through the service, so its planned value is computed as in the app."""
    from monitoring.models import Agreement
    from monitoring.services import agreement_save

    agreement = Agreement(contract=contract, block=block, description=description, **quantities)
    return agreement_save(agreement=agreement, bonuses=bonuses, by=by)


def realisation_for(contract, *, block=None, agreement=None, by=None, bonuses=(), uploads=(), **fields):
    """Store a submitted realisation through the service (value computed as in the app)."""
    from monitoring.models import Realisation
    from monitoring.services import realisation_save

    fields.setdefault("period_start", datetime.date(2026, 1, 1))
    fields.setdefault("period_end", datetime.date(2026, 6, 30))
    realisation = Realisation(
        contract=contract, agreement=agreement, block=block or agreement.block, **fields
    )
    return realisation_save(realisation=realisation, bonuses=bonuses, uploads=uploads, by=by)


def ship_catalogues() -> None:
    """(Re)create the catalogues the data migration ships.

    Transactional tests (the browser tests) flush every table when they end, shipped rows included;
    tests that rely on those rows call this first. It is idempotent, like the migration.
    """
    import importlib

    from django.apps import apps

    importlib.import_module("monitoring.migrations.0002_ship_catalogues").ship(apps, None)

"""The shipped catalogue data: Utrecht's current table as a newer version that only new contracts
get, and the social-purchasing blocks of Oost-Nederland V05."""

import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine

from catalogue.models import CatalogueVersion, Region
from catalogue.values import activity_value
from contracts.models import Contract
from contracts.services import contract_hand_over
from monitoring import services
from monitoring.models import Agreement, Realisation
from tests.catalogue.factories import ship_catalogues
from tests.contracts.factories import ContractFactory

pytestmark = pytest.mark.django_db

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def at(*args) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=AMSTERDAM)


@pytest.fixture
def utrecht_region(other_service_point):
    ship_catalogues()
    Region.objects.get(slug="utrecht").service_points.add(other_service_point)


def hand_over(utrecht, dave, moment: datetime.datetime, number: str) -> Contract:
    """A Utrecht contract handed over by its advisor, with the real handover, at ``moment``."""
    with time_machine.travel(moment, tick=False):
        contract = ContractFactory(
            organisation=utrecht, contract_number=number, start_date=datetime.date(2025, 11, 1),
            end_date=datetime.date(2027, 12, 31),
        )
        assert contract_hand_over(contract=contract, by=dave) is True
    return contract


def version_of(contract: Contract) -> CatalogueVersion:
    return services.follow_up_for(contract=contract).catalogue_version


# Utrecht 2026 ---------------------------------------------------------------------------------------


def test_utrecht_2026_is_shipped_with_the_current_table():
    ship_catalogues()  # a transactional test run before may have flushed the shipped rows
    version = CatalogueVersion.objects.get(catalogue__region__slug="utrecht", label="Utrecht 2026")
    assert (version.status, version.valid_from) == ("published", datetime.date(2026, 1, 1))
    blocks = {b.name: (b.category, b.unit, b.value, b.counting_months) for b in version.blocks.all()}
    assert blocks == {
        "Participatiewet, uitkering korter dan 2 jaar": ("employment", "per_year", Decimal("30000.00"), None),
        "Participatiewet, uitkering langer dan 2 jaar": ("employment", "per_year", Decimal("40000.00"), None),
        "WW, uitkering korter dan 1 jaar": ("employment", "per_year", Decimal("15000.00"), None),
        "WW, uitkering langer dan 1 jaar": ("employment", "per_year", Decimal("20000.00"), None),
        "WIA/WAO": ("employment", "per_year", Decimal("30000.00"), None),
        "Doelgroep banenafspraak": ("employment", "per_year", Decimal("35000.00"), None),
        "BBL-traject": ("learn_work", "per_year", Decimal("15000.00"), None),
        "BOL-traject": ("internship", "per_year", Decimal("10000.00"), None),
        "Niet-uitkeringsgerechtigd": ("employment", "per_year", Decimal("10000.00"), None),
        "Maatschappelijke activiteit: hulp of kennis voor een lokaal initiatief": (
            "social_activity", "per_hour", Decimal("100.00"), None,
        ),
        "Afname bij een sociale onderneming": ("social_purchasing", "invoice_percentage", Decimal("100.00"), None),
        "Wsw-inzet via het SW-bedrijf (betaalde facturen)": (
            "social_purchasing", "invoice_percentage", Decimal("100.00"), None,
        ),
    }
    bonuses = {b.kind: (b.value, b.min_age) for b in version.bonuses.all()}
    assert bonuses == {"permanent_contract": (Decimal("10000.00"), None), "age": (Decimal("5000.00"), 50)}
    # The older version is untouched.
    older = CatalogueVersion.objects.get(catalogue__region__slug="utrecht", label="Utrecht 2023")
    assert older.blocks.count() == 10 and older.bonuses.count() == 3


def test_the_handover_date_decides_the_version_at_the_turn_of_the_year(utrecht_region, utrecht, dave):
    late = hand_over(utrecht, dave, at(2025, 12, 31, 23, 30), "UTR-2025-1")
    early = hand_over(utrecht, dave, at(2026, 1, 1, 0, 30), "UTR-2026-1")
    assert version_of(late).label == "Utrecht 2023"
    assert version_of(early).label == "Utrecht 2026"


def test_a_contract_handed_over_today_gets_utrecht_2026(utrecht_region, utrecht, dave):
    contract = ContractFactory(organisation=utrecht)
    contract_hand_over(contract=contract, by=dave)
    assert version_of(contract).label == "Utrecht 2026"


def test_older_contracts_keep_their_figures_and_new_ones_use_the_new_values(utrecht_region, utrecht, dave, frank):
    # Handed over in November 2025: Utrecht 2023 (WW € 20,000, 50-plus bonus € 10,000).
    old = hand_over(utrecht, dave, at(2025, 11, 3, 10, 0), "UTR-2025-7")
    with time_machine.travel(at(2025, 11, 10, 9, 0), tick=False):
        services.contract_accept(contract=old, by=frank)
        old_version = version_of(old)
        ww = old_version.blocks.get(name="WW")
        fifty = old_version.bonuses.get(kind="age")
        planned = services.agreement_save(
            agreement=Agreement(contract=old, block=ww, description="Medewerker uit de WW", persons=1,
                                hours_per_week=Decimal("36"), months=Decimal("12")),
            bonuses=[fifty], by=frank,
        )
        services.agreements_record(contract=old, by=frank)
    assert planned.planned_value == Decimal("30000.00")  # (20,000 + 10,000) × 36/36 × 12/12

    # Handed over in March 2026: Utrecht 2026 (WW > 1 jaar € 20,000, 50-plus bonus € 5,000).
    new = hand_over(utrecht, dave, at(2026, 3, 2, 10, 0), "UTR-2026-3")
    with time_machine.travel(at(2026, 3, 9, 9, 0), tick=False):
        services.contract_accept(contract=new, by=frank)
        new_version = version_of(new)
        assert new_version.label == "Utrecht 2026"
        ww_long = new_version.blocks.get(name="WW, uitkering langer dan 1 jaar")
        fifty_new = new_version.bonuses.get(kind="age")
        agreement = services.agreement_save(
            agreement=Agreement(contract=new, block=ww_long, description="Medewerker uit de WW", persons=1,
                                hours_per_week=Decimal("36"), months=Decimal("12")),
            bonuses=[fifty_new], by=frank,
        )
        services.agreements_record(contract=new, by=frank)
        assert agreement.planned_value == Decimal("25000.00")  # (20,000 + 5,000) × 12/12

        # The same half year, 36 hours a week, a candidate of 56, on each contract.
        def realise(contract, agreement, bonus):
            return services.realisation_save(
                realisation=Realisation(
                    contract=contract, agreement=agreement, block=agreement.block,
                    period_start=datetime.date(2026, 1, 1), period_end=datetime.date(2026, 6, 30),
                    hours_per_week=Decimal("36"), candidate_reference="WW-1", birth_year=1970,
                ),
                bonuses=[bonus], by=frank,
            )

        on_old = realise(old, planned, fifty)
        on_new = realise(new, agreement, fifty_new)

    old.refresh_from_db()
    assert version_of(old) == old_version and old_version.label == "Utrecht 2023"
    on_old.refresh_from_db()
    on_new.refresh_from_db()
    assert on_old.value == Decimal("15000.00")  # (20,000 + 10,000) × 6/12: the 2023 figures
    assert on_new.value == Decimal("12500.00")  # (20,000 + 5,000) × 6/12: the 2026 figures
    assert Agreement.objects.get(pk=planned.pk).planned_value == Decimal("30000.00")


# Oost-Nederland V05: social purchasing -----------------------------------------------------------------


def v05() -> CatalogueVersion:
    ship_catalogues()
    return CatalogueVersion.objects.get(catalogue__region__slug="oost-nederland", label="V05 april 2023")


def test_oost_nederland_v05_has_the_social_purchasing_blocks():
    version = v05()
    purchasing = {b.name: (b.unit, b.value) for b in version.blocks.filter(category="social_purchasing")}
    assert purchasing == {
        "Inkoop bij een onderneming in het Register Code Sociale Ondernemingen": ("invoice_percentage", Decimal("100.00")),
        "Inkoop bij een lid van Social Enterprise NL": ("invoice_percentage", Decimal("50.00")),
        "Inkoop bij een SW-bedrijf (betaalde facturen)": ("invoice_percentage", Decimal("100.00")),
        "Inkoop bij een PSO 30+-gecertificeerde onderneming": ("invoice_percentage", Decimal("100.00")),
    }
    assert all("factuur" in b.description for b in version.blocks.filter(category="social_purchasing"))
    # No per-hour value is known for this model: no such block, and the notes say so.
    assert not version.blocks.filter(unit="per_hour").exists()
    assert "sociaal inkopen zijn toegevoegd" in version.notes
    assert "maatschappelijke activiteit" in version.notes and "niet bekend" in version.notes
    # The eight blocks of the published table come first.
    assert list(version.blocks.values_list("category", flat=True))[8:] == ["social_purchasing"] * 4


def test_the_purchasing_blocks_value_an_invoice_by_their_percentage():
    version = v05()
    register = version.blocks.get(name__startswith="Inkoop bij een onderneming in het Register")
    member = version.blocks.get(name="Inkoop bij een lid van Social Enterprise NL")
    amount = Decimal("12345.67")
    assert activity_value(block=register, invoice_amount=amount).total == Decimal("12345.67")
    assert activity_value(block=member, invoice_amount=amount).total == Decimal("6172.84")  # half-up from .835
    # Quantities of other units are ignored.
    assert activity_value(block=member, invoice_amount=amount, hours=Decimal("10")).total == Decimal("6172.84")
    assert member.value_label == "50 % van het factuurbedrag excl. btw"


def test_shipping_again_only_updates_the_shipped_rows():
    version = v05()
    count = version.blocks.count()
    ship_catalogues()
    assert version.blocks.count() == count
    assert CatalogueVersion.objects.filter(catalogue__region__slug="utrecht").count() == 2


def test_the_data_migrations_can_be_undone_and_shipped_again():
    import importlib

    from django.apps import apps

    version = v05()
    utrecht_2026 = importlib.import_module("catalogue.migrations.0004_utrecht_2026")
    social = importlib.import_module("catalogue.migrations.0003_oost_nederland_social_blocks")

    utrecht_2026.unship(apps, None)
    social.unship(apps, None)
    assert not CatalogueVersion.objects.filter(label="Utrecht 2026").exists()
    version.refresh_from_db()
    assert version.blocks.count() == 8 and "sociaal inkopen" not in version.notes

    social.ship(apps, None)
    utrecht_2026.ship(apps, None)
    version.refresh_from_db()
    assert version.blocks.count() == 12 and "sociaal inkopen zijn toegevoegd" in version.notes
    assert CatalogueVersion.objects.get(label="Utrecht 2026").blocks.count() == 12

"""A handed-over contract gets a follow-up that pins the catalogue version in force at handover."""

import datetime
from decimal import Decimal

import pytest

from contracts.models import Contract
from monitoring import services
from monitoring.models import ContractFollowUp, ContractStatusChange
from tests.catalogue.factories import BlockFactory, VersionFactory
from tests.contracts.factories import ContractFactory
from tests.monitoring.factories import agreement_for

pytestmark = pytest.mark.django_db


def test_handover_creates_the_follow_up_with_the_version_in_force(contract, v05, alice):
    follow_up = ContractFollowUp.objects.get(contract=contract)
    assert follow_up.catalogue_version == v05
    assert follow_up.organisation == contract.organisation
    assert follow_up.reporting_rhythm == "quarterly"
    assert follow_up.accepted_at is None
    first = ContractStatusChange.objects.get(contract=contract)
    assert (first.from_status, first.to_status, first.changed_by) == ("draft", "handed_over", alice)


def test_a_draft_has_no_follow_up(draft):
    assert not ContractFollowUp.objects.filter(contract=draft).exists()


def test_a_version_published_later_does_not_change_the_pinned_version(contract, v05):
    VersionFactory(catalogue=v05.catalogue, label="V06", valid_from=datetime.date(2026, 1, 1))
    assert services.follow_up_for(contract=contract).catalogue_version == v05


def test_a_contract_handed_over_after_a_new_version_pins_the_new_one(arnhem, v05):
    v06 = VersionFactory(catalogue=v05.catalogue, label="V06", valid_from=datetime.date(2026, 1, 1))
    later = ContractFactory(
        organisation=arnhem,
        status=Contract.Status.HANDED_OVER,
        handed_over_at=datetime.datetime(2026, 3, 1, 9, tzinfo=datetime.UTC),
    )
    earlier = ContractFactory(
        organisation=arnhem,
        status=Contract.Status.HANDED_OVER,
        handed_over_at=datetime.datetime(2025, 12, 31, 9, tzinfo=datetime.UTC),
    )
    assert later.follow_up.catalogue_version == v06
    assert earlier.follow_up.catalogue_version == v05


def test_stored_values_do_not_change_when_a_block_is_corrected_later(contract, per_year_block, carol):
    agreement = agreement_for(
        contract, per_year_block, by=carol, persons=1, hours_per_week=Decimal("24"), months=Decimal("18")
    )
    assert agreement.planned_value == Decimal("30000.00")
    per_year_block.value = Decimal("99999.00")
    per_year_block.save()
    agreement.refresh_from_db()
    assert agreement.planned_value == Decimal("30000.00")


def test_a_service_point_without_catalogue_gets_one_pinned_when_it_appears(utrecht):
    contract = ContractFactory(organisation=utrecht, handed_over=True)
    assert contract.follow_up.catalogue_version is None
    version = VersionFactory(valid_from=datetime.date(2020, 1, 1))
    version.catalogue.region.service_points.add(utrecht.served_by)
    BlockFactory(version=version)
    assert services.follow_up_for(contract=contract).catalogue_version == version

"""The sums per contract and building block that PostgreSQL keeps (monitoring.models.ContractTotal).

Lists and consolidated figures read these instead of summing every realisation, so they must
follow every kind of write: the services, a bulk update, a delete, a contract deleted whole.
Each case compares them with the sums computed from the rows themselves.
"""

from decimal import Decimal

import pytest
from django.db.models import Q, Sum

from contracts.models import Contract
from monitoring.models import Agreement, ContractBlockTotal, ContractTotal, Realisation
from tests.monitoring.factories import agreement_for, realisation_for

pytestmark = pytest.mark.django_db


def computed(contract) -> dict:
    """Planned, approved and submitted of ``contract`` summed from its agreements and realisations."""
    realised = Realisation.objects.filter(contract=contract).aggregate(
        approved=Sum("value", filter=Q(status="approved"), default=Decimal("0")),
        submitted=Sum("value", filter=Q(status="submitted"), default=Decimal("0")),
    )
    planned = Agreement.objects.filter(contract=contract).aggregate(total=Sum("planned_value", default=Decimal("0")))
    return {"planned": planned["total"], **realised}


def kept(contract) -> dict:
    row = ContractTotal.objects.filter(contract=contract).values("planned", "approved", "submitted").first()
    return row or {"planned": Decimal("0"), "approved": Decimal("0"), "submitted": Decimal("0")}


def kept_per_block(contract) -> dict:
    return {
        row["block_id"]: (row["planned"], row["approved"])
        for row in ContractBlockTotal.objects.filter(contract=contract).values("block_id", "planned", "approved")
        if row["planned"] or row["approved"]
    }


@pytest.fixture
def running(accepted, carol, per_year_block, per_month_block):
    """An accepted contract with two agreements made, ready for realisations."""
    from monitoring.services import agreements_record

    agreement_for(accepted, per_year_block, by=carol, persons=1, hours_per_week=Decimal("24"), months=Decimal("18"))
    agreement_for(accepted, per_month_block, by=carol, persons=2, months=Decimal("3"))
    agreements_record(contract=accepted, by=carol)
    accepted.refresh_from_db()
    return accepted


def assess(realisation, status, reason=""):
    realisation.status = status
    realisation.rejection_reason = reason
    realisation.save()


def test_a_contract_without_agreements_or_realisations_has_no_totals(contract):
    assert not ContractTotal.objects.filter(contract=contract).exists()
    assert kept(contract) == computed(contract)


def test_agreements_and_realisations_through_the_services_are_summed(running, per_year_block, per_month_block, carol):
    contract = running
    first = realisation_for(contract, block=per_year_block, by=carol, hours_per_week=Decimal("36"))
    second = realisation_for(contract, block=per_month_block, by=carol, months=Decimal("2"))
    totals = kept(contract)
    assert totals == computed(contract)
    assert totals["planned"] > 0 and totals["submitted"] == first.value + second.value and totals["approved"] == 0

    assess(first, Realisation.Status.APPROVED)
    assess(second, Realisation.Status.REJECTED, reason="Geen bewijs")
    totals = kept(contract)
    assert totals == computed(contract)
    assert totals["approved"] == first.value and totals["submitted"] == 0
    assert kept_per_block(contract)[per_year_block.pk][1] == first.value


def test_bulk_updates_deletes_and_moves_between_blocks_are_followed(running, per_year_block, per_month_block, carol):
    contract = running
    agreement = Agreement.objects.get(contract=contract, block=per_month_block)
    realisations = [
        realisation_for(contract, block=per_year_block, by=carol, hours_per_week=Decimal("36")) for _ in range(3)
    ]
    Realisation.objects.filter(contract=contract).update(status=Realisation.Status.APPROVED)
    assert kept(contract) == computed(contract)

    Realisation.objects.filter(pk=realisations[0].pk).update(value=Decimal("1234.56"))
    Realisation.objects.filter(pk=realisations[1].pk).update(block=per_month_block)
    realisations[2].delete()
    Agreement.objects.filter(pk=agreement.pk).update(planned_value=Decimal("999.99"))
    assert kept(contract) == computed(contract)
    blocks = kept_per_block(contract)
    year_planned = Agreement.objects.get(contract=contract, block=per_year_block).planned_value
    assert blocks[per_year_block.pk] == (year_planned, Decimal("1234.56"))
    assert blocks[per_month_block.pk] == (Decimal("999.99"), realisations[1].value)

    Agreement.objects.filter(pk=agreement.pk).delete()
    assert kept(contract) == computed(contract)


def test_contracts_of_another_organisation_keep_their_own_totals(running, utrecht_contract, per_year_block, carol):
    realisation_for(running, block=per_year_block, by=carol, hours_per_week=Decimal("36"))
    assert (
        kept(utrecht_contract)
        == computed(utrecht_contract)
        == {
            "planned": Decimal("0"),
            "approved": Decimal("0"),
            "submitted": Decimal("0"),
        }
    )


def test_deleting_a_contract_deletes_its_totals(running, per_year_block, carol):
    contract = running
    assert ContractTotal.objects.filter(contract=contract).exists()
    realisation_for(contract, block=per_year_block, by=carol, hours_per_week=Decimal("36"))
    Realisation.objects.filter(contract=contract).update(status=Realisation.Status.APPROVED)
    pk = contract.pk
    Contract.objects.filter(pk=pk).delete()
    assert not ContractTotal.objects.filter(contract_id=pk).exists()
    assert not ContractBlockTotal.objects.filter(contract_id=pk).exists()

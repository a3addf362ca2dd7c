"""Agreements and realisations with given values, for the buyer's monitoring figures.

The coordinator's services compute values from building blocks; the buyer's pages only read the
stored values, so these helpers store them as given. Both inherit the contract's organisation.
"""

import datetime
from decimal import Decimal

from monitoring.models import Agreement, BuildingBlock, Realisation
from tests.monitoring.factories import BlockFactory


def block(category: str = BuildingBlock.Category.EMPLOYMENT, **fields) -> BuildingBlock:
    return BlockFactory(category=category, **fields)


def agreement(contract, block, planned_value: str, *, description: str = "Afspraak") -> Agreement:
    return Agreement.objects.create(
        organisation=contract.organisation,
        contract=contract,
        block=block,
        description=description,
        planned_value=Decimal(planned_value),
    )


def realisation(contract, block, value: str, *, status: str = Realisation.Status.APPROVED, **fields) -> Realisation:
    fields.setdefault("period_start", datetime.date(2026, 1, 1))
    fields.setdefault("period_end", datetime.date(2026, 3, 31))
    if status == Realisation.Status.REJECTED:
        fields.setdefault("rejection_reason", "Bewijs ontbreekt")
    if status != Realisation.Status.SUBMITTED:
        fields.setdefault("assessed_at", datetime.datetime(2026, 4, 15, 10, 0, tzinfo=datetime.UTC))
    return Realisation.objects.create(
        organisation=contract.organisation,
        contract=contract,
        block=block,
        value=Decimal(value),
        status=status,
        **fields,
    )

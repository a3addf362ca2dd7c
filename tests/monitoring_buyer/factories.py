"""Agreements and realisations with given values, for the buyer's monitoring figures.

The coordinator's services compute values from building blocks; the buyer's pages only read the
stored values, so these helpers store them as given. Both inherit the contract's organisation.
"""

import datetime
from decimal import Decimal

from catalogue.models import BuildingBlock
from monitoring.models import Agreement, Realisation
from tests.catalogue.factories import BlockFactory


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


def settlement(
    contract,
    outcome: str,
    *,
    obligation: str,
    approved: str,
    recovery_deadline: datetime.date | None = None,
    final: tuple[str, str] | None = None,
    withholding: tuple[str, str] | None = None,
    reason: str = "",
):
    """The outcome recorded at the end of ``contract``'s term, stored as given. Without ``final``
    (final outcome, shortfall after the recovery period) it stays in its recovery period when it
    has a ``recovery_deadline``; otherwise it is settled with the same outcome."""
    from monitoring.models import Settlement

    shortfall = Decimal(obligation) - Decimal(approved)
    in_recovery = recovery_deadline is not None and final is None
    if final is None and not in_recovery:
        final = (outcome, str(shortfall))
    return Settlement.objects.create(
        organisation=contract.organisation,
        contract=contract,
        state=Settlement.State.RECOVERY if in_recovery else Settlement.State.SETTLED,
        obligation=Decimal(obligation),
        outcome=outcome,
        approved=Decimal(approved),
        shortfall=shortfall,
        reason=reason,
        recovery_deadline=recovery_deadline,
        final_outcome=final[0] if final else "",
        final_shortfall=Decimal(final[1]) if final else None,
        final_approved=Decimal(obligation) - Decimal(final[1]) if final else None,
        withholding_amount=(Decimal(withholding[0]) if withholding else Decimal("0.00")) if final else None,
        withholding_reason=withholding[1] if withholding else "",
    )

"""Creates the follow-up of a contract when it is handed over; defines the hooks other apps connect
to when a follow-up changes.

Contracts know nothing of monitoring; monitoring listens. The follow-up (with the catalogue
version pinned) is written in the same transaction as the handover.
"""

from __future__ import annotations

from django.db.models.signals import post_save
from django.dispatch import Signal, receiver

from contracts.models import Contract

# Sent inside the transaction of the change, after the contract row is saved, with the keyword
# arguments ``contract`` (the saved, locked instance), ``from_status``, ``to_status`` and ``by``.
# Monitoring does not know who listens (apps that build on it, such as the supplier's reporting cycle).
contract_status_changed = Signal()
# Sent inside the transaction of the change with ``contract``, ``rhythm`` (the new reporting rhythm)
# and ``by``.
reporting_rhythm_changed = Signal()


@receiver(post_save, sender=Contract, dispatch_uid="monitoring_follow_up_on_handover")
def create_follow_up_on_handover(sender, instance: Contract, raw: bool = False, **kwargs) -> None:
    if raw or instance.status == Contract.Status.DRAFT:
        return
    from monitoring.models import ContractFollowUp
    from monitoring.services import follow_up_for

    if not ContractFollowUp.objects.filter(contract_id=instance.pk).exists():
        follow_up_for(contract=instance)


def _register_contract_rows() -> None:
    """The follow-up rows carry the contract's organisation: they move with it (``contracts.tenancy``)."""
    from contracts.tenancy import contract_rows_register
    from monitoring import models as m

    for model in (
        m.ContractFollowUp, m.ContractStatusChange, m.Settlement, m.Agreement, m.Realisation, m.Reminder,
        m.LastingOutcome,
    ):
        contract_rows_register(model=model)
    for model in (m.Assessment, m.Evidence):
        contract_rows_register(model=model, contract_lookup="realisation__contract")


_register_contract_rows()

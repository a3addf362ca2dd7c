"""Creates the follow-up of a contract when it is handed over.

Contracts know nothing of monitoring; monitoring listens. The follow-up (with the catalogue
version pinned) is written in the same transaction as the handover.
"""

from __future__ import annotations

from django.db.models.signals import post_save
from django.dispatch import receiver

from contracts.models import Contract


@receiver(post_save, sender=Contract, dispatch_uid="monitoring_follow_up_on_handover")
def create_follow_up_on_handover(sender, instance: Contract, raw: bool = False, **kwargs) -> None:
    if raw or instance.status == Contract.Status.DRAFT:
        return
    from monitoring.models import ContractFollowUp
    from monitoring.services import follow_up_for

    if not ContractFollowUp.objects.filter(contract_id=instance.pk).exists():
        follow_up_for(contract=instance)

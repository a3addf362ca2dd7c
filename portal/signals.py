"""Hooks into the core and monitoring: an accepted invitation grants the contract access it was
sent for; an assessment updates the state of the reporting period and tells the supplier about a
rejection."""

from __future__ import annotations

from django.db.models.signals import post_save
from django.dispatch import receiver

from monitoring.models import Assessment
from wizzr.models import Invitation


@receiver(post_save, sender=Invitation, dispatch_uid="portal_bind_supplier_access")
def bind_supplier_access(sender, instance: Invitation, **kwargs) -> None:
    if instance.accepted_at is None or not instance.supplier_accesses.filter(user__isnull=True).exists():
        return
    from portal.services import supplier_access_bind

    supplier_access_bind(invitation=instance)


@receiver(post_save, sender=Assessment, dispatch_uid="portal_assessment_recorded")
def assessment_recorded(sender, instance: Assessment, created: bool, **kwargs) -> None:
    if not created:
        return
    from portal.models import PeriodRealisation
    from portal.services import notify_rejection, period_refresh

    entry = PeriodRealisation.objects.filter(realisation_id=instance.realisation_id).select_related("period").first()
    if entry is None:
        return
    period_refresh(period=entry.period)
    if instance.decision == Assessment.Decision.REJECTED:
        notify_rejection(realisation=instance.realisation, reason=instance.reason)

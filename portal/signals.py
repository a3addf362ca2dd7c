"""Hooks into the core, contracts and monitoring: an accepted invitation grants the contract access
it was sent for; an assessment updates the state of the reporting period and tells the supplier
about the decision; a change of a contract's status, rhythm or dates opens (and re-plans) its
reporting periods at once, in the transaction of the change."""

from __future__ import annotations

from django.db.models.signals import post_save
from django.dispatch import receiver

from contracts.models import Contract
from monitoring.models import Assessment
from monitoring.signals import contract_status_changed, reporting_rhythm_changed
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
    from portal.services import notify_approval, notify_rejection, period_refresh

    entry = PeriodRealisation.objects.filter(realisation_id=instance.realisation_id).select_related("period").first()
    if entry is None:
        return
    period_refresh(period=entry.period)
    if instance.decision == Assessment.Decision.REJECTED:
        notify_rejection(realisation=instance.realisation, reason=instance.reason)
    elif instance.decision == Assessment.Decision.APPROVED:
        notify_approval(realisation=instance.realisation)


@receiver(contract_status_changed, dispatch_uid="portal_periods_on_status")
def open_periods_on_status_change(sender, contract: Contract, to_status: str, **kwargs) -> None:
    """Agreements recorded or execution started: the periods that have started open now (late
    ones as overdue). A closed contract gets no new periods."""
    from portal.services import REPORTING_STATUSES, periods_open

    if to_status in REPORTING_STATUSES:
        periods_open(contract=contract)


@receiver(reporting_rhythm_changed, dispatch_uid="portal_periods_on_rhythm")
def open_periods_on_rhythm_change(sender, contract: Contract, **kwargs) -> None:
    from portal.services import periods_open

    periods_open(contract=contract)


@receiver(post_save, sender=Contract, dispatch_uid="portal_periods_on_contract_dates")
def open_periods_on_contract_change(sender, instance: Contract, raw: bool = False, update_fields=None, **kwargs) -> None:
    """A saved contract may have new dates (a change request, the admin): re-plan its periods.
    Saves of named fields other than the dates (a status move) are left to the hooks above."""
    from portal.services import REPORTING_STATUSES, periods_open

    if raw or instance.status not in REPORTING_STATUSES:
        return
    if update_fields is not None and not {"start_date", "end_date"} & set(update_fields):
        return
    periods_open(contract=instance)


def _register_contract_rows() -> None:
    """Reporting periods and their entries carry the contract's organisation and move
    with it (``contracts.tenancy``). Supplier access carries the supplier's company and stays."""
    from contracts.tenancy import contract_rows_register
    from portal.models import PeriodRealisation, ReportingPeriod

    contract_rows_register(model=ReportingPeriod)
    contract_rows_register(model=PeriodRealisation, contract_lookup="period__contract")


_register_contract_rows()

"""Multi-step writes of the coordinator's workspace. Each runs in one transaction, records who did
what (status history and audit events) and notifies through the outbox."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from catalogue.models import CatalogueVersion
from catalogue.values import activity_value
from contracts.models import Contract
from monitoring.models import (
    Agreement,
    Assessment,
    ContractFollowUp,
    ContractStatusChange,
    Evidence,
    Realisation,
    Settlement,
    evidence_root,
)
from monitoring.signals import contract_status_changed, reporting_rhythm_changed
from wizzr.audit import audit_record
from wizzr.models import Organisation, Role, User
from wizzr.notifications import notify
from wizzr.units import euro
from wizzr.uploads import ValidatedUpload, discard, store

S = Contract.Status

# The statuses in which the coordinator can still record agreements and realisations.
OPEN_STATUSES = (S.HANDED_OVER, S.AGREEMENTS_MADE, S.IN_PROGRESS)


class WorkflowError(Exception):
    """A move that is not possible in the current state; ``message`` is shown to the user (Dutch)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class InvoiceReused(Exception):
    """The database refused a social-purchasing realisation: its invoice number was recorded for the
    same company meanwhile (two saves at once). The form shows its message beside the field."""


INVOICE_CONSTRAINT = "realisation_invoice_once_per_company"


def _violated_constraint(error: IntegrityError) -> str:
    return getattr(getattr(error.__cause__, "diag", None), "constraint_name", None) or ""


def coordinators_of(contract: Contract):
    """The coordinators of the service point that serves ``contract``'s organisation."""
    return (
        User.objects.filter(
            memberships__organisation_id=contract.organisation.served_by_id,
            memberships__role=Role.COORDINATOR,
            is_active=True,
        )
        .distinct()
        .order_by("name")
    )


def follow_up_for(*, contract: Contract) -> ContractFollowUp:
    """Return the follow-up of a handed-over contract, creating it (and pinning the catalogue
    version in force on the handover date) the first time.

    A follow-up whose region had no version on the handover date is pinned later, as soon as one
    exists; the handover date decides, so the outcome is the same whenever it happens.
    """
    follow_up = ContractFollowUp.objects.filter(contract=contract).select_related("catalogue_version").first()
    if follow_up is None:
        with transaction.atomic():
            follow_up, created = ContractFollowUp.objects.get_or_create(
                contract=contract,
                defaults={"organisation_id": contract.organisation_id, "catalogue_version": _version_for(contract)},
            )
            if created and not contract.status_changes.exists():
                ContractStatusChange.objects.create(
                    organisation_id=contract.organisation_id,
                    contract=contract,
                    from_status=S.DRAFT,
                    to_status=S.HANDED_OVER,
                    changed_by=contract.handed_over_by,
                    changed_at=contract.handed_over_at or timezone.now(),
                )
            if created:
                _pso_discount_at_handover(contract, follow_up.catalogue_version)
    elif follow_up.catalogue_version_id is None:
        version = _version_for(contract)
        if version is not None:
            follow_up.catalogue_version = version
            follow_up.save(update_fields=["catalogue_version"])
            _pso_discount_at_handover(contract, version)
    return follow_up


def _pso_discount_at_handover(contract: Contract, version: CatalogueVersion | None) -> None:
    """The PSO discount the pinned version gives the supplier's certificate on the handover date."""
    from monitoring.pso import pso_discount_update

    if version is not None:
        pso_discount_update(contract=contract, version=version, reason="handover")


def _version_for(contract: Contract) -> CatalogueVersion | None:
    handed_over = contract.handed_over_at or timezone.now()
    return CatalogueVersion.objects.in_force_for(
        service_point=contract.organisation.served_by, on=timezone.localdate(handed_over)
    )


def _move(
    *,
    contract: Contract,
    to: str,
    by: User,
    request: HttpRequest | None,
    outcome: str = "",
    reason: str = "",
) -> ContractStatusChange:
    change = ContractStatusChange.objects.create(
        organisation_id=contract.organisation_id,
        contract=contract,
        from_status=contract.status,
        to_status=to,
        outcome=outcome,
        reason=reason,
        changed_by=by,
    )
    audit_record(
        action="contract_status_changed",
        actor=by,
        organisation=contract.organisation,
        obj=contract,
        request=request,
        detail={"from": contract.status, "to": to, **({"outcome": outcome} if outcome else {})},
    )
    from_status = contract.status
    contract.status = to
    contract.save(update_fields=["status", "updated_at"])
    contract_status_changed.send(sender=Contract, contract=contract, from_status=from_status, to_status=to, by=by)
    return change


def _locked(contract: Contract) -> Contract:
    """Lock the contract row for the rest of the transaction (two coordinators clicking at once)."""
    return Contract.objects.select_for_update().select_related("organisation").get(pk=contract.pk)


def contract_accept(*, contract: Contract, by: User, request: HttpRequest | None = None) -> ContractFollowUp:
    """The coordinator accepts a handed-over contract; it is assigned to them unless already assigned."""
    with transaction.atomic():
        contract = _locked(contract)
        follow_up = follow_up_for(contract=contract)
        if follow_up.accepted_at is not None:
            raise WorkflowError("Dit contract is al geaccepteerd.")
        follow_up.accepted_at = timezone.now()
        follow_up.accepted_by = by
        if follow_up.coordinator_id is None:
            follow_up.coordinator = by
        follow_up.save(update_fields=["accepted_at", "accepted_by", "coordinator"])
        audit_record(action="contract_accepted", actor=by, organisation=contract.organisation, obj=contract, request=request)
        _notify_accepted(contract, follow_up.coordinator)
    return follow_up


def contract_assign(
    *, contract: Contract, coordinator: User, by: User, request: HttpRequest | None = None
) -> ContractFollowUp:
    """Assign the follow-up to a coordinator of the same service point (oneself or a colleague)."""
    if not coordinators_of(contract).filter(pk=coordinator.pk).exists():
        raise WorkflowError("Kies een SROI-coördinator van het servicepunt van dit contract.")
    with transaction.atomic():
        contract = _locked(contract)
        follow_up = follow_up_for(contract=contract)
        follow_up.coordinator = coordinator
        fields = ["coordinator"]
        first_acceptance = follow_up.accepted_at is None
        if first_acceptance:
            follow_up.accepted_at, follow_up.accepted_by = timezone.now(), by
            fields += ["accepted_at", "accepted_by"]
        follow_up.save(update_fields=fields)
        if first_acceptance:
            _notify_accepted(contract, coordinator)
        audit_record(
            action="contract_assigned",
            actor=by,
            organisation=contract.organisation,
            obj=contract,
            request=request,
            detail={"coordinator": str(coordinator.uuid)},
        )
    return follow_up


def contract_set_rhythm(*, contract: Contract, rhythm: str, by: User, request: HttpRequest | None = None) -> None:
    with transaction.atomic():
        follow_up = follow_up_for(contract=contract)
        follow_up.reporting_rhythm = rhythm
        follow_up.save(update_fields=["reporting_rhythm"])
        reporting_rhythm_changed.send(sender=Contract, contract=contract, rhythm=rhythm, by=by)
        audit_record(
            action="reporting_rhythm_changed",
            actor=by,
            organisation=contract.organisation,
            obj=contract,
            request=request,
            detail={"rhythm": rhythm},
        )


def _require_open(contract: Contract) -> None:
    if contract.status not in OPEN_STATUSES:
        raise WorkflowError("Dit contract is afgerond; er kan niets meer worden gewijzigd.")


def agreement_save(
    *, agreement: Agreement, bonuses: Iterable, by: User, request: HttpRequest | None = None
) -> Agreement:
    """Store a new or changed agreement with its planned value computed by ``activity_value``."""
    with transaction.atomic():
        contract = _locked(agreement.contract)
        _require_open(contract)
        bonuses = list(bonuses)
        agreement.organisation_id = contract.organisation_id
        agreement.planned_value = activity_value(
            block=agreement.block,
            persons=agreement.persons,
            hours_per_week=agreement.hours_per_week,
            months=agreement.months,
            hours=agreement.hours,
            invoice_amount=agreement.invoice_amount,
            bonuses=bonuses,
        ).total
        created = agreement.pk is None
        if created:
            agreement.created_by = by
        agreement.save()
        agreement.bonuses.set(bonuses)
        audit_record(
            action="agreement_created" if created else "agreement_changed",
            actor=by,
            organisation=contract.organisation,
            obj=agreement,
            request=request,
            detail={"contract": str(contract.uuid), "planned_value": str(agreement.planned_value)},
        )
    return agreement


def agreement_delete(*, agreement: Agreement, by: User, request: HttpRequest | None = None) -> None:
    with transaction.atomic():
        contract = _locked(agreement.contract)
        _require_open(contract)
        if agreement.realisations.exists():
            raise WorkflowError("Deze afspraak heeft realisaties en kan daarom niet worden verwijderd.")
        audit_record(
            action="agreement_deleted", actor=by, organisation=contract.organisation, obj=agreement, request=request,
            detail={"contract": str(contract.uuid)},
        )
        agreement.delete()


def agreements_record(*, contract: Contract, by: User, request: HttpRequest | None = None) -> None:
    """Mark the agreements as made (overgedragen → afspraken gemaakt) and tell the buyer's contact persons."""
    with transaction.atomic():
        contract = _locked(contract)
        if contract.status != S.HANDED_OVER:
            raise WorkflowError("De afspraken van dit contract zijn al vastgelegd.")
        agreements = list(contract.agreements.select_related("block").order_by("created_at", "pk"))
        if not agreements:
            raise WorkflowError("Leg eerst ten minste één SR-invullingsafspraak vast.")
        follow_up = follow_up_for(contract=contract)
        follow_up.agreements_recorded_at = timezone.now()
        follow_up.save(update_fields=["agreements_recorded_at"])
        _move(contract=contract, to=S.AGREEMENTS_MADE, by=by, request=request)
        planned = sum((a.planned_value for a in agreements), Decimal("0.00"))
        notify(
            organisation=contract.organisation,
            recipients=_buyer_contacts(contract),
            template="agreements_recorded",
            context={
                **_mail_context(contract, by),
                "agreements": [{"block": a.block.name, "description": a.description, "value": euro(a.planned_value)} for a in agreements],
                "planned": euro(planned),
            },
        )


def contract_start_execution(*, contract: Contract, by: User, request: HttpRequest | None = None) -> None:
    """Afspraken gemaakt → in uitvoering."""
    with transaction.atomic():
        contract = _locked(contract)
        if contract.status != S.AGREEMENTS_MADE:
            raise WorkflowError("Alleen een contract met vastgelegde afspraken kan in uitvoering gaan.")
        _move(contract=contract, to=S.IN_PROGRESS, by=by, request=request)


def contract_close(
    *, contract: Contract, outcome: str, reason: str, by: User, request: HttpRequest | None = None
) -> Settlement:
    """Close the follow-up with its outcome (gerealiseerd / deels / niet) and notify the buyer.

    The outcome is stored in the contract's ``Settlement`` (its one place) with the obligation and
    the approved value of today; a settlement in its recovery period is finalised with it."""
    with transaction.atomic():
        contract = _locked(contract)
        if contract.status == S.CLOSED:
            raise WorkflowError("Dit contract is al afgerond.")
        if contract.realisations.filter(status=Realisation.Status.SUBMITTED).exists():
            raise WorkflowError("Beoordeel eerst alle ingediende realisaties voordat u het contract afrondt.")
        if outcome != ContractFollowUp.Outcome.REALISED and not reason.strip():
            raise WorkflowError("Geef een toelichting bij een deels of niet gerealiseerde verplichting.")
        settlement = Settlement.objects.select_for_update().filter(contract=contract).first()
        if settlement is None:
            settlement = _new_settlement(contract, outcome=outcome, reason=reason, by=by)
        elif reason.strip():
            settlement.reason = (settlement.reason + "\n" + reason.strip()).strip()
        _settle(settlement, outcome=outcome, withholding_amount=None, withholding_reason="", by=by)
        _close(contract, outcome=outcome, reason=reason.strip(), by=by, request=request)
    return settlement


def _close(contract: Contract, *, outcome: str, reason: str, by: User, request: HttpRequest | None) -> None:
    """Mark the follow-up closed, move the contract to closed and tell the buyer (in the caller's transaction)."""
    follow_up = follow_up_for(contract=contract)
    follow_up.closed_at = timezone.now()
    follow_up.closed_by = by
    follow_up.save(update_fields=["closed_at", "closed_by"])
    _move(contract=contract, to=S.CLOSED, by=by, request=request, outcome=outcome, reason=reason)
    notify(
        organisation=contract.organisation,
        recipients=_buyer_contacts(contract),
        template="contract_closed",
        context={
            **_mail_context(contract, by),
            "outcome": str(ContractFollowUp.Outcome(outcome).label),
            "reason": reason,
            "approved": euro(approved_value(contract)),
            "obligation": euro(contract.sroi_obligation) if contract.sroi_obligation is not None else "",
        },
    )


# Settlement: the outcome at the end of the term --------------------------------------------------

ZERO = Decimal("0.00")


def approved_value(contract: Contract) -> Decimal:
    """The value of the approved realisations of ``contract``."""
    total = contract.realisations.filter(status=Realisation.Status.APPROVED).aggregate(t=Sum("value"))["t"]
    return total or ZERO


def shortfall_of(contract: Contract) -> Decimal:
    """Obligation minus approved value, never below zero."""
    return max((contract.sroi_obligation or ZERO) - approved_value(contract), ZERO)


def _new_settlement(contract: Contract, *, outcome: str, reason: str, by: User) -> Settlement:
    """An unsaved settlement with the obligation, approved value and shortfall of today."""
    return Settlement(
        organisation_id=contract.organisation_id,
        contract=contract,
        obligation=contract.sroi_obligation or ZERO,
        outcome=outcome,
        approved=approved_value(contract),
        shortfall=shortfall_of(contract),
        reason=reason.strip(),
        recorded_by=by,
    )


def _settle(settlement: Settlement, *, outcome: str, withholding_amount, withholding_reason: str, by: User) -> None:
    if withholding_amount and withholding_amount > 0 and not withholding_reason.strip():
        raise WorkflowError("Geef een reden voor de inhouding.")
    contract = settlement.contract
    settlement.state = Settlement.State.SETTLED
    settlement.final_outcome = outcome
    settlement.final_approved = approved_value(contract)
    settlement.final_shortfall = shortfall_of(contract)
    settlement.withholding_amount = withholding_amount if withholding_amount is not None else ZERO
    settlement.withholding_reason = withholding_reason.strip() if withholding_amount else ""
    settlement.settled_by = by
    settlement.settled_at = timezone.now()
    settlement.save()


def _closing_reason(settlement: Settlement) -> str:
    parts = [settlement.reason] if settlement.reason else []
    if settlement.current_shortfall:
        parts.append(f"Tekort {euro(settlement.current_shortfall)}.")
    if settlement.withholding_amount:
        parts.append(f"Inhouding {euro(settlement.withholding_amount)}: {settlement.withholding_reason}")
    return " ".join(parts) or "Gerealiseerd."


def settlement_record(
    *,
    contract: Contract,
    outcome: str,
    reason: str,
    by: User,
    recovery_deadline=None,
    withholding_amount: Decimal | None = None,
    withholding_reason: str = "",
    request: HttpRequest | None = None,
) -> Settlement:
    """Record the outcome after the final report with the shortfall of today (the caller has checked
    that it may be recorded now). With a ``recovery_deadline`` and a shortfall the settlement waits
    in its recovery period; otherwise the outcome is final, with any withholding, and the contract
    is closed."""
    with transaction.atomic():
        contract = _locked(contract)
        if contract.status == S.CLOSED or Settlement.objects.filter(contract=contract).exists():
            raise WorkflowError("Het resultaat is al vastgelegd.")
        settlement = _new_settlement(contract, outcome=outcome, reason=reason, by=by)
        if recovery_deadline is not None and settlement.shortfall > 0:
            settlement.state = Settlement.State.RECOVERY
            settlement.recovery_deadline = recovery_deadline
            settlement.save()
        else:
            _settle(settlement, outcome=outcome, withholding_amount=withholding_amount,
                    withholding_reason=withholding_reason, by=by)
        audit_record(
            action="settlement_recorded", actor=by, organisation=contract.organisation, obj=settlement, request=request,
            detail={
                "contract": str(contract.uuid), "outcome": outcome, "shortfall": str(settlement.shortfall),
                "recovery": settlement.state == Settlement.State.RECOVERY,
            },
        )
        if settlement.state == Settlement.State.SETTLED:
            _close(contract, outcome=outcome, reason=_closing_reason(settlement), by=by, request=request)
    return settlement


def settlement_finalise(
    *,
    settlement: Settlement,
    outcome: str,
    reason: str,
    withholding_amount: Decimal | None,
    withholding_reason: str,
    by: User,
    request: HttpRequest | None = None,
) -> Settlement:
    """After the recovery period: record the final outcome, the remaining shortfall and any
    withholding, and close the contract (the caller has checked that the period is over)."""
    with transaction.atomic():
        settlement = (
            Settlement.objects.select_for_update(of=("self",))
            .select_related("contract__organisation__served_by")
            .get(pk=settlement.pk)
        )
        contract = _locked(settlement.contract)
        if settlement.state != Settlement.State.RECOVERY:
            raise WorkflowError("Het eindresultaat is al vastgelegd.")
        if reason.strip():
            settlement.reason = (settlement.reason + "\n" + reason.strip()).strip()
        _settle(settlement, outcome=outcome, withholding_amount=withholding_amount,
                withholding_reason=withholding_reason, by=by)
        audit_record(
            action="settlement_finalised", actor=by, organisation=contract.organisation, obj=settlement, request=request,
            detail={
                "contract": str(contract.uuid), "outcome": outcome, "shortfall": str(settlement.final_shortfall),
                "withholding": str(settlement.withholding_amount),
            },
        )
        _close(contract, outcome=outcome, reason=_closing_reason(settlement), by=by, request=request)
    return settlement


def _buyer_contacts(contract: Contract) -> list[User]:
    """The buyer's contact persons of the contract; without them, the advisors of the organisation."""
    contacts = list(contract.contact_persons.filter(is_active=True))
    if not contacts:
        contacts = list(
            User.objects.filter(
                is_active=True,
                memberships__organisation_id=contract.organisation_id,
                memberships__role=Role.ADVISOR,
            ).distinct()
        )
    return contacts


def _notify_accepted(contract: Contract, coordinator: User) -> None:
    """Tell the buyer's contact persons who follows the contract up from now on and how to reach them."""
    notify(
        organisation=contract.organisation,
        recipients=_buyer_contacts(contract),
        template="contract_accepted",
        context={**_mail_context(contract, coordinator), "coordinator_phone": coordinator.phone},
    )


def _mail_context(contract: Contract, by: User) -> dict:
    return {
        "contract_number": contract.contract_number,
        "title": contract.title,
        "organisation": contract.organisation.name,
        "coordinator": by.name,
        "coordinator_email": by.email,
        "service_point": contract.organisation.served_by.name if contract.organisation.served_by_id else "",
        # The buyer's contact persons follow the contract on their own monitoring page.
        "url": reverse("monitoring:contract", args=[contract.uuid]),
    }


# Realisations ------------------------------------------------------------------------------------


def prior_months(*, realisation: Realisation) -> Decimal:
    """Months already counted for the same placement (contract, block, candidate) by earlier,
    not rejected periods; they use up the block's counting duration."""
    if not realisation.candidate_reference or realisation.block.counting_months is None:
        return Decimal("0")
    earlier = (
        Realisation.objects.filter(
            contract_id=realisation.contract_id,
            block_id=realisation.block_id,
            candidate_reference__iexact=realisation.candidate_reference,
            period_start__lt=realisation.period_start,
        )
        .exclude(status=Realisation.Status.REJECTED)
        .exclude(pk=realisation.pk)
        .aggregate(total=Sum("counted_months"))["total"]
    )
    return earlier or Decimal("0")


def realisation_valuation(*, realisation: Realisation, bonuses: Iterable):
    """Value a (possibly unsaved) realisation with ``activity_value``; used for the preview and on save."""
    from wizzr.units import months_between

    realisation.months = months_between(realisation.period_start, realisation.period_end)
    return activity_value(
        block=realisation.block,
        persons=1,
        hours_per_week=realisation.hours_per_week,
        months=realisation.months,
        hours=realisation.hours,
        invoice_amount=realisation.invoice_amount,
        bonuses=bonuses,
        prior_months=prior_months(realisation=realisation),
    )


def realisation_save(
    *,
    realisation: Realisation,
    bonuses: Iterable,
    uploads: Iterable[ValidatedUpload] = (),
    by: User,
    request: HttpRequest | None = None,
) -> Realisation:
    """Store a new or corrected realisation as submitted, with its value and evidence files.

    A correction of a rejected realisation submits it again. The first realisation of a contract
    whose agreements are made moves it to "in uitvoering".
    """
    stored: list[str] = []
    try:
        with transaction.atomic():
            contract = _locked(realisation.contract)
            if contract.status not in (S.AGREEMENTS_MADE, S.IN_PROGRESS):
                raise WorkflowError(
                    "Realisaties worden vastgelegd nadat de afspraken zijn gemaakt, en zolang het contract niet is afgerond."
                )
            created = realisation.pk is None
            if not created:
                current = Realisation.objects.select_for_update().get(pk=realisation.pk)
                if current.is_locked:
                    raise WorkflowError("Een goedgekeurde realisatie kan niet meer worden gewijzigd.")
            bonuses = list(bonuses)
            valuation = realisation_valuation(realisation=realisation, bonuses=bonuses)
            realisation.organisation_id = contract.organisation_id
            realisation.value = valuation.total
            realisation.counted_months = valuation.counted_months
            realisation.status = Realisation.Status.SUBMITTED
            realisation.rejection_reason = ""
            realisation.assessed_at = None
            realisation.assessed_by = None
            realisation.submitted_by = by
            realisation.submitted_at = timezone.now()
            try:
                realisation.save()
            except IntegrityError as error:
                if _violated_constraint(error) == INVOICE_CONSTRAINT:
                    raise InvoiceReused from error
                raise
            realisation.bonuses.set(bonuses)
            for upload in uploads:
                stored_name = store(upload, root=evidence_root())
                stored.append(stored_name)
                Evidence.objects.create(
                    organisation_id=contract.organisation_id,
                    realisation=realisation,
                    stored_name=stored_name,
                    display_name=upload.display_name,
                    size=upload.size,
                    content_type=upload.content_type,
                    sha256=upload.sha256,
                    uploaded_by=by,
                    **upload.scan_fields,
                )
            audit_record(
                action="realisation_submitted" if created else "realisation_corrected",
                actor=by,
                organisation=contract.organisation,
                obj=realisation,
                request=request,
                detail={"contract": str(contract.uuid), "value": str(realisation.value), "evidence_files": len(stored)},
            )
            if contract.status == S.AGREEMENTS_MADE:
                _move(contract=contract, to=S.IN_PROGRESS, by=by, request=request)
    except Exception:
        for name in stored:
            discard(name, root=evidence_root())
        raise
    return realisation


def evidence_delete(*, evidence: Evidence, by: User, request: HttpRequest | None = None) -> None:
    with transaction.atomic():
        realisation = Realisation.objects.select_for_update().get(pk=evidence.realisation_id)
        if realisation.is_locked:
            raise WorkflowError("De bewijsstukken van een goedgekeurde realisatie kunnen niet meer worden gewijzigd.")
        if realisation.social_company_id and not realisation.evidence.exclude(pk=evidence.pk).exists():
            raise WorkflowError("De factuur is het bewijs van deze realisatie. Voeg eerst de juiste factuur toe en verwijder dan deze.")
        audit_record(
            action="evidence_deleted", actor=by, organisation=realisation.contract.organisation, obj=evidence, request=request
        )
        name = evidence.stored_name
        evidence.delete()
        transaction.on_commit(lambda: discard(name, root=evidence_root()))


def realisation_assess(
    *, realisation: Realisation, decision: str, reason: str = "", by: User, request: HttpRequest | None = None
) -> Assessment:
    """Approve or reject (with a reason) a submitted realisation; every assessment is kept."""
    reason = reason.strip()
    with transaction.atomic():
        realisation = Realisation.objects.select_for_update().select_related("contract__organisation").get(pk=realisation.pk)
        if realisation.contract.status == S.CLOSED:
            raise WorkflowError("Dit contract is afgerond; er kan niets meer worden beoordeeld.")
        if realisation.status != Realisation.Status.SUBMITTED:
            raise WorkflowError("Deze realisatie is al beoordeeld.")
        if decision == Assessment.Decision.REJECTED and not reason:
            raise WorkflowError("Geef een reden op waarom de realisatie wordt afgewezen.")
        if decision not in Assessment.Decision.values:
            raise WorkflowError("Kies goedkeuren of afwijzen.")
        now = timezone.now()
        realisation.status = decision
        realisation.rejection_reason = reason if decision == Assessment.Decision.REJECTED else ""
        realisation.assessed_by = by
        realisation.assessed_at = now
        realisation.save(update_fields=["status", "rejection_reason", "assessed_by", "assessed_at", "updated_at"])
        assessment = Assessment.objects.create(
            organisation_id=realisation.organisation_id,
            realisation=realisation,
            decision=decision,
            reason=reason,
            value=realisation.value,
            assessed_by=by,
            assessed_at=now,
        )
        audit_record(
            action=f"realisation_{decision}",
            actor=by,
            organisation=realisation.contract.organisation,
            obj=realisation,
            request=request,
            detail={"contract": str(realisation.contract.uuid), "value": str(realisation.value)},
        )
    return assessment




def candidate_references_purge(*, now=None) -> int:
    """Blank the candidate references of realisations of contracts closed longer than the retention period.

    The reference is pseudonymous personal data (AVG): once the contract is settled and the retention
    period (``settings.WIZZR_CANDIDATE_RETENTION_DAYS``) has passed, nobody needs it. Values and
    assessments stay. Returns the number of realisations changed; one audit event per organisation.
    """
    days = settings.WIZZR_CANDIDATE_RETENTION_DAYS
    cutoff = (now or timezone.now()) - timedelta(days=days)
    expired = Realisation.objects.filter(
        contract__status=Contract.Status.CLOSED, contract__follow_up__closed_at__lt=cutoff
    ).exclude(candidate_reference="")
    with transaction.atomic():
        counts = Counter(expired.values_list("organisation_id", flat=True))
        purged = expired.update(candidate_reference="")
        for organisation in Organisation.objects.filter(pk__in=counts):
            audit_record(
                action="candidate_references_purged",
                organisation=organisation,
                detail={"realisations": counts[organisation.pk], "retention_days": days},
            )
    return purged

"""Multi-step writes of the supplier portal. Each runs in one transaction, writes audit events and
notifies through the outbox."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable
from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils import formats, timezone

from contracts.models import Contract
from monitoring import services as monitoring_services
from monitoring.models import Realisation, Settlement
from monitoring.services import WorkflowError
from portal.access import existing_supplier_contact
from portal.models import PeriodRealisation, ReportingPeriod, SupplierAccess
from portal.periods import REGULAR, PlannedPeriod, due_date_for, schedule
from wizzr.audit import audit_record
from wizzr.models import Invitation, Membership, Organisation, Role, User
from wizzr.notifications import notify
from wizzr.units import euro
from wizzr.uploads import ValidatedUpload

S = Contract.Status
P = ReportingPeriod.Status
ZERO = Decimal("0.00")
# Contracts in these statuses have a reporting cycle.
REPORTING_STATUSES = (S.AGREEMENTS_MADE, S.IN_PROGRESS)
REMIND_DAYS_BEFORE_DUE = 7

__all__ = ["WorkflowError"]


def _date(value: date) -> str:
    return formats.date_format(value, "j F Y")


# Supplier company and invitations ---------------------------------------------------------------


def supplier_organisation_for(*, contract: Contract) -> Organisation:
    """Return the supplier company of ``contract`` (kind supplier, same KvK number), creating it once."""
    supplier = contract.supplier
    organisation = Organisation.objects.filter(kind=Organisation.Kind.SUPPLIER, kvk_number=supplier.kvk_number).first()
    if organisation is None:
        organisation = Organisation.objects.create(
            kind=Organisation.Kind.SUPPLIER,
            kvk_number=supplier.kvk_number,
            name=supplier.legal_name,
            slug=f"kvk-{supplier.kvk_number}",
            street=f"{supplier.street} {supplier.house_number}".strip(),
            postcode=supplier.postcode,
            city=supplier.city,
            email=supplier.email,
            phone=supplier.phone,
        )
    return organisation


def supplier_users(contract: Contract) -> list[User]:
    """The supplier contacts with active access to ``contract``."""
    return [access.user for access in SupplierAccess.objects.filter(
        contract=contract, user__isnull=False, user__is_active=True, revoked_at__isnull=True
    ).select_related("user")]


def _company(contract: Contract) -> Organisation:
    """The supplier company the contract's supplier contacts belong to."""
    return SupplierAccess.objects.filter(contract=contract).select_related("organisation").first().organisation


def _contract_context(contract: Contract) -> dict:
    return {
        "contract_number": contract.contract_number,
        "title": contract.title,
        "organisation": contract.organisation.name,
        "service_point": contract.organisation.served_by.name if contract.organisation.served_by_id else "",
        "url": reverse("portal:contract", args=[contract.uuid]),
    }


def supplier_invite(
    *, contract: Contract, name: str, email: str, by: User, request: HttpRequest | None = None
) -> SupplierAccess:
    """Give a supplier contact access to ``contract``.

    Somebody who already is a supplier member of the company gets access at once and an e-mail;
    anyone else gets an expiring invitation (the core invitation flow) that grants the access when
    accepted (``portal.signals``).
    """
    email = email.strip().lower()
    with transaction.atomic():
        company = supplier_organisation_for(contract=contract)
        if SupplierAccess.objects.filter(contract=contract, email__iexact=email, revoked_at__isnull=True).exists():
            raise WorkflowError("Deze persoon is al uitgenodigd voor dit contract.")
        existing = existing_supplier_contact(contract=contract, email=email)
        if existing is not None and existing.name:
            # One person, one name: the coordinator was shown the account's name before sending.
            name = existing.name
        access = SupplierAccess(organisation=company, contract=contract, email=email, name=name, invited_by=by)
        context = {**_contract_context(contract), "name": name, "company": contract.supplier.establishment_label, "invited_by": by.name}
        if existing is not None:
            access.user = existing
            access.save()
            notify(organisation=company, recipients=[existing], template="supplier_access_granted", context=context)
        else:
            token = secrets.token_urlsafe(32)
            invitation = Invitation.objects.create(
                organisation=company,
                email=email,
                name=name,
                role=Role.SUPPLIER,
                token_hash=hashlib.sha256(token.encode()).hexdigest(),
                invited_by=by,
                expires_at=timezone.now() + timedelta(days=settings.INVITATION_MAX_AGE_DAYS),
            )
            access.invitation = invitation
            access.save()
            notify(
                organisation=company,
                recipients=[User(email=email, name=name)],
                template="supplier_invitation",
                context={**context, "url": reverse("invitation_accept", args=[token]), "days": settings.INVITATION_MAX_AGE_DAYS},
                in_app=False,
            )
        audit_record(
            action="supplier_invited", actor=by, organisation=contract.organisation, obj=access, request=request,
            detail={"contract": str(contract.uuid)},
        )
    return access


def supplier_access_bind(*, invitation: Invitation) -> int:
    """Link the accesses of an accepted invitation to the user who accepted it; return how many."""
    user = User.objects.filter(email__iexact=invitation.email).first()
    if user is None:
        return 0
    bound = 0
    for access in SupplierAccess.objects.filter(invitation=invitation, user__isnull=True):
        if SupplierAccess.objects.filter(contract_id=access.contract_id, user=user).exists():
            continue
        access.user = user
        access.save(update_fields=["user"])
        bound += 1
    # A supplier contact of the company is a supplier member of it (the invitation made them one).
    Membership.objects.get_or_create(user=user, organisation=invitation.organisation, role=Role.SUPPLIER)
    return bound


def supplier_access_revoke(*, access: SupplierAccess, by: User, request: HttpRequest | None = None) -> None:
    with transaction.atomic():
        access.revoked_at = timezone.now()
        access.save(update_fields=["revoked_at"])
        audit_record(
            action="supplier_access_revoked", actor=by, organisation=access.contract.organisation, obj=access,
            request=request, detail={"contract": str(access.contract.uuid)},
        )


# Reporting periods ------------------------------------------------------------------------------


def _reported(period: ReportingPeriod) -> bool:
    """Whether the supplier put anything in ``period`` (then it is never removed)."""
    return period.status in (P.SUBMITTED, P.ASSESSED) or period.entries.exists()


def _make_final(period: ReportingPeriod, *, end: date, today: date) -> None:
    """Re-make the opened ``period`` that holds the end date as the final report: it ends on the end
    date and is due one month later. A new due date starts its reminders again; a period the
    supplier already submitted keeps its status."""
    if period.kind == ReportingPeriod.Kind.FINAL and period.period_end == end:
        return
    period.kind = ReportingPeriod.Kind.FINAL
    period.period_end = end
    due = due_date_for(end)
    if period.due_date != due:
        period.due_date = due
        if period.is_open:
            period.status = P.OVERDUE if due < today else P.OPEN
            period.reminded_at = None
            period.overdue_notified_at = None
    period.save()


def periods_open(*, contract: Contract, today: date | None = None) -> list[ReportingPeriod]:
    """Bring the reporting periods of ``contract`` in line with its term and rhythm and open those
    that have started by ``today``; return the newly opened ones.

    Called on the events that change the cycle (agreements recorded, execution started, a new
    rhythm, new dates: see ``portal.signals``) and by the daily job as a safety net. Idempotent; runs
    in the caller's transaction and locks the contract row.

    The rules:

    - Only a contract whose agreements are made or that is in progress reports; a closed contract
      gets no new periods.
    - A period opens on its first day. A period whose due date has passed opens at once, as overdue.
    - Opened periods keep their dates, status and reports; only what has not opened yet follows the
      current dates and rhythm. A new rhythm therefore applies from the day after the last opened
      period.
    - The final report always ends on the end date and is due one month later. When the end date
      moves later, an opened final period becomes a regular one and the schedule continues after
      it. When it moves earlier, opened periods that begin after the new end date are removed if
      the supplier reported nothing in them, and the opened period that holds the new end date is
      re-made as the final report (shortened to the end date, with the new due date). Opened
      periods that end before a later start date are removed on the same condition. What the
      supplier reported is never thrown away: such a period stays as a regular period.
    """
    today = today or timezone.localdate()
    with transaction.atomic():
        contract = Contract.objects.select_for_update().get(pk=contract.pk)
        if contract.status not in REPORTING_STATUSES:
            return []
        rhythm = monitoring_services.follow_up_for(contract=contract).reporting_rhythm
        start, end = contract.start_date, contract.end_date
        kept: list[ReportingPeriod] = []
        for period in ReportingPeriod.objects.filter(contract=contract).exclude(kind=ReportingPeriod.Kind.RECOVERY):
            if (period.period_start > end or period.period_end < start) and not _reported(period):
                period.delete()
            else:
                kept.append(period)
        for period in kept:
            if period.period_start <= end <= period.period_end:
                _make_final(period, end=end, today=today)
            elif period.kind == ReportingPeriod.Kind.FINAL:
                period.kind = ReportingPeriod.Kind.REGULAR
                period.save(update_fields=["kind"])
        planned = _not_opened(start=start, end=end, rhythm=rhythm, opened=kept)
        created = []
        for item in planned:
            if item.period_start > today:
                break
            period, made = ReportingPeriod.objects.get_or_create(
                contract=contract,
                period_start=item.period_start,
                kind=item.kind,
                defaults={
                    "organisation_id": contract.organisation_id,
                    "period_end": item.period_end,
                    "due_date": item.due_date,
                    "status": P.OVERDUE if item.due_date < today else P.OPEN,
                },
            )
            if made:
                created.append(period)
    return created


def _not_opened(*, start: date, end: date, rhythm: str, opened: Iterable[ReportingPeriod]) -> list[PlannedPeriod]:
    """The periods of the schedule around the ``opened`` ones, in date order: before the first one
    (the start date moved earlier) and after the last one up to the final report."""
    opened = sorted(opened, key=lambda period: period.period_start)
    if not opened:
        return schedule(start=start, end=end, rhythm=rhythm)
    if any(period.kind == ReportingPeriod.Kind.FINAL for period in opened):
        after: list[PlannedPeriod] = []
    else:
        after = schedule(start=start, end=end, rhythm=rhythm, after=max(period.period_end for period in opened))
    before = []
    if opened[0].period_start > start:
        before = [
            replace(item, kind=REGULAR)
            for item in schedule(start=start, end=opened[0].period_start - timedelta(days=1), rhythm=rhythm)
        ]
    return before + after


def upcoming_periods(*, contract: Contract, today: date | None = None) -> list[PlannedPeriod]:
    """The periods of the schedule that start after ``today``: what is coming, never what is due
    already (a period that has started is opened, by the events or the daily job). A closed
    contract has none."""
    today = today or timezone.localdate()
    if contract.status == S.CLOSED:
        return []
    follow_up = getattr(contract, "follow_up", None)
    rhythm = follow_up.reporting_rhythm if follow_up else "quarterly"
    opened = contract.reporting_periods.exclude(kind=ReportingPeriod.Kind.RECOVERY)
    planned = _not_opened(start=contract.start_date, end=contract.end_date, rhythm=rhythm, opened=opened)
    return [item for item in planned if item.period_start > today]


def period_refresh(*, period: ReportingPeriod) -> ReportingPeriod:
    """A submitted period whose realisations are all assessed becomes ‘beoordeeld’ (and back when
    a correction is submitted again)."""
    if period.status not in (P.SUBMITTED, P.ASSESSED):
        return period
    pending = period.entries.filter(realisation__status=Realisation.Status.SUBMITTED).exists()
    has_entries = period.entries.exists()
    wanted = P.SUBMITTED if pending or not has_entries else P.ASSESSED
    if period.status != wanted:
        period.status = wanted
        period.save(update_fields=["status"])
    return period


def _lock_period(period: ReportingPeriod) -> ReportingPeriod:
    return ReportingPeriod.objects.select_for_update(of=("self",)).select_related("contract__organisation").get(pk=period.pk)


def supplier_realisation_save(
    *,
    period: ReportingPeriod | None,
    realisation: Realisation,
    bonuses: Iterable,
    uploads: Iterable[ValidatedUpload] = (),
    by: User,
    request: HttpRequest | None = None,
) -> Realisation:
    """Store a realisation the supplier enters for ``period`` (new), or a correction of one.

    New realisations and corrections of not yet assessed ones need an open period; a rejected one
    can be corrected whenever the contract is open; an approved one is locked. Stored and valued by
    ``monitoring.services.realisation_save`` like the coordinator's.
    """
    with transaction.atomic():
        created = realisation.pk is None
        if not created:
            current = Realisation.objects.select_for_update().get(pk=realisation.pk)
            if current.is_locked:
                raise WorkflowError("Een goedgekeurde realisatie kan niet meer worden gewijzigd.")
            entry = PeriodRealisation.objects.filter(realisation=current).select_related("period").first()
            period = entry.period if entry else period
            if current.status == Realisation.Status.SUBMITTED and (period is None or not _lock_period(period).is_open):
                raise WorkflowError("Deze periode is al ingediend; wacht op de beoordeling voordat u iets wijzigt.")
        else:
            if period is None or not _lock_period(period).is_open:
                raise WorkflowError("Deze rapportageperiode is niet open. Kies een open periode.")
        monitoring_services.realisation_save(
            realisation=realisation, bonuses=bonuses, uploads=uploads, by=by, request=request
        )
        if created:
            PeriodRealisation.objects.create(
                organisation_id=realisation.organisation_id, period=period, realisation=realisation
            )
        elif period is not None:
            period_refresh(period=period)
    return realisation


def period_submit(
    *, period: ReportingPeriod, nothing_to_report: bool, reason: str = "", by: User, request: HttpRequest | None = None
) -> ReportingPeriod:
    """The supplier submits the period: its realisations are entered, or there is nothing to report
    (with a reason). A period that is not open is refused."""
    reason = reason.strip()
    with transaction.atomic():
        period = _lock_period(period)
        if not period.is_open:
            raise WorkflowError("Deze rapportageperiode is niet open; u kunt haar niet (opnieuw) indienen.")
        has_entries = period.entries.exists()
        if nothing_to_report:
            if not reason:
                raise WorkflowError("Geef een toelichting waarom er deze periode niets te melden is.")
            if has_entries:
                raise WorkflowError("Er zijn al realisaties voor deze periode; ‘niets te melden’ kan dan niet.")
        elif not has_entries:
            raise WorkflowError("Voeg eerst een realisatie toe, of kies ‘niets te melden’ met een toelichting.")
        period.nothing_to_report = nothing_to_report
        period.nothing_reason = reason if nothing_to_report else ""
        period.status = P.SUBMITTED
        period.submitted_by = by
        period.submitted_at = timezone.now()
        period.save()
        period_refresh(period=period)
        audit_record(
            action="reporting_period_submitted", actor=by, organisation=period.contract.organisation, obj=period,
            request=request, detail={"contract": str(period.contract.uuid), "nothing_to_report": nothing_to_report},
        )
        notify_submission(period=period, by=by)
    return period


def _coordinators(contract: Contract) -> list[User]:
    follow_up = getattr(contract, "follow_up", None)
    if follow_up is not None and follow_up.coordinator is not None and follow_up.coordinator.is_active:
        return [follow_up.coordinator]
    return list(monitoring_services.coordinators_of(contract))


def _period_context(period: ReportingPeriod) -> dict:
    return {
        **_contract_context(period.contract),
        "period_start": _date(period.period_start),
        "period_end": _date(period.period_end),
        "due_date": _date(period.due_date),
        "kind": str(period.get_kind_display()),
    }


def reporting_cycle_run(*, today: date | None = None) -> dict:
    """The daily run: open periods, mark late ones, remind suppliers before the due date and once
    when late, and tell the coordinator once per late report. Returns counts.

    Periods open on the events that change a contract's cycle; this run is the safety net for the
    days that pass (a period starts, a due date passes). Running it twice changes nothing."""
    today = today or timezone.localdate()
    counts = {"opened": 0, "overdue": 0, "reminded": 0, "overdue_notified": 0}
    contracts = Contract.objects.filter(status__in=REPORTING_STATUSES).select_related("organisation__served_by", "supplier")
    for contract in contracts:
        with transaction.atomic():
            counts["opened"] += len(periods_open(contract=contract, today=today))
    # A contract closed early (or settled) reminds nobody any more.
    reporting = ReportingPeriod.objects.filter(contract__status__in=REPORTING_STATUSES)
    counts["overdue"] = reporting.filter(status=P.OPEN, due_date__lt=today).update(status=P.OVERDUE)
    due_soon = reporting.filter(
        status=P.OPEN, reminded_at__isnull=True, due_date__lte=today + timedelta(days=REMIND_DAYS_BEFORE_DUE)
    ).select_related("contract__organisation__served_by", "contract__supplier")
    for period in due_soon:
        with transaction.atomic():
            if ReportingPeriod.objects.filter(pk=period.pk, reminded_at__isnull=True).update(reminded_at=timezone.now()):
                users = supplier_users(period.contract)
                if users:
                    notify(
                        organisation=_company(period.contract), recipients=users, template="supplier_report_due",
                        context=_period_context(period),
                    )
                    counts["reminded"] += 1
    late = reporting.filter(status=P.OVERDUE, overdue_notified_at__isnull=True).select_related(
        "contract__organisation__served_by", "contract__supplier", "contract__follow_up__coordinator"
    )
    for period in late:
        with transaction.atomic():
            if not ReportingPeriod.objects.filter(pk=period.pk, overdue_notified_at__isnull=True).update(
                overdue_notified_at=timezone.now()
            ):
                continue
            context = _period_context(period)
            users = supplier_users(period.contract)
            if users:
                notify(organisation=_company(period.contract), recipients=users, template="supplier_report_overdue", context=context)
            coordinators = _coordinators(period.contract)
            if coordinators and period.contract.organisation.served_by_id:
                notify(
                    organisation=period.contract.organisation.served_by,
                    recipients=coordinators,
                    template="supplier_report_overdue_coordinator",
                    context={**context, "url": reverse("monitoring:workspace", args=[period.contract.uuid])},
                )
            counts["overdue_notified"] += 1
    return counts


def notify_rejection(*, realisation: Realisation, reason: str) -> None:
    """Tell the supplier contacts that a realisation they entered was rejected (in the caller's transaction)."""
    contract = realisation.contract
    users = supplier_users(contract)
    if not users:
        return
    notify(
        organisation=_company(contract),
        recipients=users,
        template="supplier_realisation_rejected",
        context={
            **_contract_context(contract),
            "block_name": realisation.block.name,
            "period_start": _date(realisation.period_start),
            "period_end": _date(realisation.period_end),
            "reason": reason,
            "url": reverse("portal:realisation_update", args=[contract.uuid, realisation.uuid]),
        },
    )


def notify_approval(*, realisation: Realisation) -> None:
    """Tell the supplier contacts that a realisation they entered was approved (in the caller's transaction)."""
    contract = realisation.contract
    users = supplier_users(contract)
    if not users:
        return
    notify(
        organisation=_company(contract),
        recipients=users,
        template="realisation_approved",
        context={
            **_contract_context(contract),
            "block_name": realisation.block.name,
            "period_start": _date(realisation.period_start),
            "period_end": _date(realisation.period_end),
            "value": euro(realisation.value),
            "url": reverse("portal:realisation", args=[contract.uuid, realisation.uuid]),
        },
    )


def notify_submission(*, period: ReportingPeriod, by: User) -> None:
    """Tell the contract's coordinator that the supplier submitted ``period`` (in the caller's transaction)."""
    contract = period.contract
    coordinators = _coordinators(contract)
    if not coordinators or not contract.organisation.served_by_id:
        return
    values = [entry.realisation.value for entry in period.entries.select_related("realisation")]
    notify(
        organisation=contract.organisation.served_by,
        recipients=coordinators,
        template="realisation_submitted",
        context={
            **_period_context(period),
            "company": contract.supplier.establishment_label,
            "submitted_by": by.name or by.email,
            "count": len(values),
            "total": euro(sum(values, ZERO)),
            "nothing_to_report": period.nothing_to_report,
            "reason": period.nothing_reason,
            "url": reverse("monitoring:workspace", args=[contract.uuid]),
        },
    )


# Settlement --------------------------------------------------------------------------------------
# The outcome is monitoring's (``monitoring.models.Settlement``): the portal checks that the supplier's
# reports allow it, records it through ``monitoring.services`` and opens the recovery period.

approved_value = monitoring_services.approved_value
shortfall_of = monitoring_services.shortfall_of


def settlement_blockers(*, contract: Contract, today: date | None = None) -> list[str]:
    """Why the outcome cannot be recorded yet (empty when it can)."""
    today = today or timezone.localdate()
    reasons = []
    if contract.status == S.CLOSED:
        reasons.append("Dit contract is al afgerond.")
        return reasons
    if contract.end_date >= today:
        reasons.append("De looptijd is nog niet voorbij.")
    final = contract.reporting_periods.filter(kind=ReportingPeriod.Kind.FINAL).first()
    if final is None or final.is_open:
        reasons.append("De eindrapportage van de opdrachtnemer is nog niet ingediend.")
    if contract.realisations.filter(status=Realisation.Status.SUBMITTED).exists():
        reasons.append("Er zijn nog ingediende realisaties die u moet beoordelen.")
    return reasons


def _check_outcome(outcome: str, shortfall: Decimal) -> None:
    if outcome == Settlement.Outcome.REALISED and shortfall > 0:
        raise WorkflowError("Er is nog een tekort; kies ‘deels gerealiseerd’ of ‘niet gerealiseerd’.")
    if outcome != Settlement.Outcome.REALISED and shortfall == 0:
        raise WorkflowError("De verplichting is volledig gerealiseerd; kies ‘gerealiseerd’.")


def settlement_record(
    *,
    contract: Contract,
    outcome: str,
    reason: str,
    recovery_deadline: date | None,
    withholding_amount: Decimal | None,
    withholding_reason: str,
    by: User,
    request: HttpRequest | None = None,
) -> Settlement:
    """Record the outcome after the final report: the shortfall is computed; with a recovery period
    the supplier gets a new deadline, without one the outcome is final (with any withholding) and
    the contract is closed."""
    with transaction.atomic():
        contract = Contract.objects.select_for_update(of=("self",)).select_related("organisation__served_by", "supplier").get(pk=contract.pk)
        blockers = settlement_blockers(contract=contract)
        if blockers or Settlement.objects.filter(contract=contract).exists():
            raise WorkflowError(blockers[0] if blockers else "Het resultaat is al vastgelegd.")
        shortfall = shortfall_of(contract)
        _check_outcome(outcome, shortfall)
        with_recovery = recovery_deadline is not None and shortfall > 0
        if with_recovery and recovery_deadline <= timezone.localdate():
            raise WorkflowError("Het einde van de herstelperiode moet in de toekomst liggen.")
        settlement = monitoring_services.settlement_record(
            contract=contract, outcome=outcome, reason=reason, by=by,
            recovery_deadline=recovery_deadline if with_recovery else None,
            withholding_amount=withholding_amount, withholding_reason=withholding_reason, request=request,
        )
        if with_recovery:
            period = ReportingPeriod.objects.create(
                organisation_id=contract.organisation_id,
                contract=contract,
                kind=ReportingPeriod.Kind.RECOVERY,
                period_start=contract.end_date + timedelta(days=1),
                period_end=recovery_deadline,
                due_date=recovery_deadline,
            )
            users = supplier_users(contract)
            if users:
                notify(
                    organisation=_company(contract),
                    recipients=users,
                    template="supplier_recovery_period",
                    context={**_period_context(period), "shortfall": euro(shortfall), "obligation": euro(settlement.obligation)},
                )
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
    """After the recovery period: record the final outcome, the remaining shortfall and any withholding."""
    with transaction.atomic():
        settlement = (
            Settlement.objects.select_for_update(of=("self",))
            .select_related("contract__organisation__served_by")
            .get(pk=settlement.pk)
        )
        contract = settlement.contract
        if settlement.state != Settlement.State.RECOVERY:
            raise WorkflowError("Het eindresultaat is al vastgelegd.")
        recovery = contract.reporting_periods.filter(kind=ReportingPeriod.Kind.RECOVERY).first()
        if recovery is not None and recovery.is_open and settlement.recovery_deadline >= timezone.localdate():
            raise WorkflowError("De herstelperiode loopt nog en de opdrachtnemer heeft nog niet gerapporteerd.")
        if contract.realisations.filter(status=Realisation.Status.SUBMITTED).exists():
            raise WorkflowError("Er zijn nog ingediende realisaties die u moet beoordelen.")
        _check_outcome(outcome, shortfall_of(contract))
        if recovery is not None and recovery.is_open:
            recovery.status = P.OVERDUE
            recovery.save(update_fields=["status"])
        settlement = monitoring_services.settlement_finalise(
            settlement=settlement, outcome=outcome, reason=reason, withholding_amount=withholding_amount,
            withholding_reason=withholding_reason, by=by, request=request,
        )
    return settlement

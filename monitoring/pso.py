"""The PSO discount on a contract's obligation (Prestatieladder Socialer Ondernemen).

The rule is data: the catalogue version pinned at handover says which discount each PSO level gets
(``catalogue.models.PsoDiscount``); the registry holds the company's certificates
(``suppliers.models.PsoCertificate``); the contract stores the discount it gets
(``contracts.services.contract_obligation_discount_set``), which the one obligation rule applies
everywhere the obligation is shown or counted.

A contract gets the discount when a checked certificate of its supplier's company covered the
handover date and its version has a rule for that level. While the contract runs, the discount
follows the certificate that covers the day: renewed with another level, it follows the new level;
expired without a renewal, it is removed (``pso_discounts_recheck``, daily).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from catalogue.models import CatalogueVersion, pso_discount_for
from contracts.models import Contract
from contracts.services import contract_obligation_discount_set
from suppliers.models import PsoCertificate, pso_certificate_root
from wizzr.audit import audit_record
from wizzr.models import User
from wizzr.notifications import notify
from wizzr.uploads import ValidatedUpload, discard, store

S = Contract.Status
# A discount this module set carries a label starting with this (other discounts are not its own).
LABEL_PREFIX = "PSO "
# Contracts whose obligation can still change: handed over and not closed.
RUNNING_STATUSES = (S.HANDED_OVER, S.AGREEMENTS_MADE, S.IN_PROGRESS)


@dataclass(frozen=True)
class PsoDiscount:
    """The discount a contract should have: the percentage and its label, and the certificate it comes from."""

    percentage: Decimal | None
    label: str
    certificate: PsoCertificate | None


NONE = PsoDiscount(percentage=None, label="", certificate=None)


def level_label(level: str) -> str:
    """‘trede 2’, ‘30+’: the level in the words of the certificate (in the active language)."""
    return str(PsoCertificate.Level(level).label)


def discount_label(level: str) -> str:
    """The label stored with the contract's discount, always in Dutch: ‘PSO trede 2’."""
    with translation.override("nl"):
        return f"{LABEL_PREFIX}{level_label(level)}"


def _shown_level(label: str) -> str:
    """The level of a stored label in the active language (‘trede 2’ → ‘step 2’ in English)."""
    for level in PsoCertificate.Level:
        if discount_label(level) == label:
            return level_label(level)
    return label.removeprefix(LABEL_PREFIX)


def handover_date(contract: Contract) -> datetime.date:
    return timezone.localdate(contract.handed_over_at) if contract.handed_over_at else timezone.localdate()


def certificate_on(*, kvk_number: str, day: datetime.date) -> PsoCertificate | None:
    """The checked certificate of company ``kvk_number`` that covers ``day`` (the latest one if several)."""
    return PsoCertificate.objects.of_company(kvk_number).valid_on(day).order_by("-valid_from", "-pk").first()


def pso_discount_due(
    *, contract: Contract, version: CatalogueVersion | None, today: datetime.date | None = None
) -> PsoDiscount:
    """The PSO discount ``contract`` should have on ``today``.

    None without a checked certificate on the handover date or without a rule in ``version``. During
    the term the certificate that covers today decides the level (a renewal); after the end date the
    one that covered the end date.
    """
    if version is None:
        return NONE
    handed_over = handover_date(contract)
    kvk = contract.supplier.kvk_number
    if certificate_on(kvk_number=kvk, day=handed_over) is None:
        return NONE
    today = today or timezone.localdate()
    day = max(handed_over, min(today, contract.end_date))
    certificate = certificate_on(kvk_number=kvk, day=day)
    if certificate is None:
        return NONE
    percentage = pso_discount_for(version=version, level=certificate.level)
    if percentage is None:
        return NONE
    return PsoDiscount(percentage=percentage, label=discount_label(certificate.level), certificate=certificate)


def _is_pso_or_none(contract: Contract) -> bool:
    return contract.obligation_discount is None or contract.obligation_discount_label.startswith(LABEL_PREFIX)


def pso_discount_update(
    *,
    contract: Contract,
    version: CatalogueVersion | None,
    reason: str,
    today: datetime.date | None = None,
    by: User | None = None,
    request: HttpRequest | None = None,
) -> bool:
    """Give ``contract`` the PSO discount due today (see ``pso_discount_due``); True when it changed.

    Leaves closed contracts and discounts of another kind alone.
    """
    if contract.status not in RUNNING_STATUSES or not _is_pso_or_none(contract):
        return False
    due = pso_discount_due(contract=contract, version=version, today=today)
    return contract_obligation_discount_set(
        contract=contract, percentage=due.percentage, label=due.label, reason=reason, by=by, request=request
    )


def obligation_discount_text(contract: Contract) -> str:
    """The discount in words: ‘Verplichting € 25.000,00, PSO-korting 10 % (trede 2): € 22.500,00’;
    empty without a discount."""
    from wizzr.units import euro

    if getattr(contract, "obligation_discount", None) is None or contract.obligation_before_discount is None:
        return ""
    what = contract.obligation_discount_label
    if what.startswith(LABEL_PREFIX):
        what = _("PSO-korting %(percentage)s %% (%(level)s)") % {
            "percentage": _number(contract.obligation_discount),
            "level": _shown_level(what),
        }
    else:
        what = _("korting %(percentage)s %% (%(label)s)") % {
            "percentage": _number(contract.obligation_discount),
            "label": what,
        }
    return _("Verplichting %(full)s, %(discount)s: %(obligation)s") % {
        "full": euro(contract.obligation_before_discount),
        "discount": what,
        "obligation": euro(contract.sroi_obligation),
    }


def _number(value: Decimal) -> str:
    if value == value.to_integral_value():
        value = value.quantize(Decimal(1))
    return formats.number_format(value, use_l10n=True)


# Recording a certificate -------------------------------------------------------------------------


EXPIRED_AT_HANDOVER = gettext_lazy("Het PSO-certificaat was al verlopen op de datum van overdracht (%(date)s).")


def pso_certificate_record(
    *,
    contract: Contract,
    certificate: PsoCertificate,
    upload: ValidatedUpload,
    checked: bool,
    by: User,
    request: HttpRequest | None = None,
) -> PsoCertificate:
    """Store a certificate of ``contract``'s supplier's company recorded from the contract by its
    coordinator, with its file; checked or not. Then give the contract (and the other running
    contracts of that company at the same service point) the discount that is due.

    The file is written inside the transaction and removed again if anything fails: nothing is
    stored half.
    """
    stored_name = ""
    try:
        with transaction.atomic():
            now = timezone.now()
            stored_name = store(upload, root=pso_certificate_root())
            certificate.kvk_number = contract.supplier.kvk_number
            certificate.organisation_id = contract.organisation.served_by_id
            certificate.stored_name = stored_name
            certificate.display_name = upload.display_name
            certificate.size = upload.size
            certificate.content_type = upload.content_type
            certificate.sha256 = upload.sha256
            certificate.scan_status, certificate.scanned_at = upload.scan_status, upload.scanned_at
            certificate.recorded_by, certificate.recorded_at = by, now
            if checked:
                certificate.checked_by, certificate.checked_at = by, now
            certificate.save()
            audit_record(
                action="pso_certificate_recorded",
                actor=by,
                organisation=contract.organisation,
                obj=certificate,
                request=request,
                detail={"contract": str(contract.uuid), "level": certificate.level, "checked": checked},
            )
            _update_company_contracts(contract=contract, by=by, request=request)
    except Exception:
        if stored_name:
            discard(stored_name, root=pso_certificate_root())
        raise
    return certificate


def pso_certificate_check(
    *, contract: Contract, certificate: PsoCertificate, by: User, request: HttpRequest | None = None
) -> PsoCertificate:
    """Mark a recorded certificate as checked by ``by`` and give the contracts of the company the discount due."""
    with transaction.atomic():
        certificate = PsoCertificate.objects.select_for_update().get(pk=certificate.pk)
        if certificate.checked_at is None:
            certificate.checked_by, certificate.checked_at = by, timezone.now()
            certificate.save(update_fields=["checked_by", "checked_at"])
            audit_record(
                action="pso_certificate_checked",
                actor=by,
                organisation=contract.organisation,
                obj=certificate,
                request=request,
                detail={"contract": str(contract.uuid), "level": certificate.level},
            )
        _update_company_contracts(contract=contract, by=by, request=request)
    return certificate


def _update_company_contracts(*, contract: Contract, by: User, request: HttpRequest | None) -> None:
    """The running contracts of the company at the contract's service point get the discount due."""
    contracts = (
        Contract.objects.filter(
            supplier__kvk_number=contract.supplier.kvk_number,
            organisation__served_by_id=contract.organisation.served_by_id,
            status__in=RUNNING_STATUSES,
        )
        .select_related("supplier", "organisation", "follow_up__catalogue_version")
        .order_by("pk")
    )
    for each in contracts:
        follow_up = getattr(each, "follow_up", None)
        pso_discount_update(
            contract=each,
            version=follow_up.catalogue_version if follow_up else None,
            reason="certificate_recorded",
            by=by,
            request=request,
        )


# The daily re-check ------------------------------------------------------------------------------


def pso_discounts_recheck(*, today: datetime.date | None = None) -> int:
    """For every running contract with a PSO discount: is it still covered by a checked certificate
    today? Removes the discount when the certificate expired without a renewal, follows the level of
    a renewal, records the change on the contract's timeline and tells its coordinator and the
    buyer's contact persons. Returns the number of contracts changed; changes nothing when run twice.
    """
    from monitoring.services import _buyer_contacts, coordinators_of

    today = today or timezone.localdate()
    changed = 0
    contracts = (
        Contract.objects.filter(
            status__in=RUNNING_STATUSES,
            obligation_discount__isnull=False,
            obligation_discount_label__startswith=LABEL_PREFIX,
        )
        .select_related("supplier", "organisation__served_by", "follow_up__catalogue_version", "follow_up__coordinator")
        .order_by("pk")
    )
    for contract in contracts:
        with transaction.atomic():
            follow_up = getattr(contract, "follow_up", None)
            before, before_label = contract.obligation_discount, contract.obligation_discount_label
            before_obligation = contract.sroi_obligation
            if not pso_discount_update(
                contract=contract,
                version=follow_up.catalogue_version if follow_up else None,
                reason="certificate_expired",
                today=today,
            ):
                continue
            changed += 1
            context = {
                "contract_number": contract.contract_number,
                "title": contract.title,
                "organisation": contract.organisation.name,
                "supplier": contract.supplier.establishment_label,
                "before": f"{_number(before)} % ({_shown_level(before_label)})",
                "after": (
                    f"{_number(contract.obligation_discount)} % ({_shown_level(contract.obligation_discount_label)})"
                    if contract.obligation_discount is not None
                    else ""
                ),
                "obligation_before": _euro(before_obligation),
                "obligation": _euro(contract.sroi_obligation),
            }
            coordinators = [follow_up.coordinator] if follow_up and follow_up.coordinator else list(coordinators_of(contract))
            notify(
                organisation=contract.organisation,
                recipients=coordinators,
                template="pso_discount_changed_coordinator",
                context={**context, "url": reverse("monitoring:workspace", args=[contract.uuid])},
            )
            notify(
                organisation=contract.organisation,
                recipients=_buyer_contacts(contract),
                template="pso_discount_changed",
                context={**context, "url": reverse("monitoring:contract", args=[contract.uuid])},
            )
    return changed


def _euro(amount: Decimal | None) -> str:
    from wizzr.units import euro

    return euro(amount) if amount is not None else ""


# The timeline ------------------------------------------------------------------------------------


def _discount_event_detail(*, event, contract) -> str:
    detail = event.detail or {}
    after, label = detail.get("to"), _shown_level(detail.get("to_label") or "")
    if after is None:
        text = _("Geen korting meer op de verplichting.")
        if detail.get("reason") == "certificate_expired":
            text = _("Het PSO-certificaat is verlopen; de korting op de verplichting vervalt.")
        return text
    return _("Korting %(percentage)s %% (%(label)s).") % {"percentage": _number(Decimal(after)), "label": label}


def pso_panel(*, request: HttpRequest, contract: Contract) -> str:
    """The supplier's PSO certificate and the contract's discount, for the coordinator's workspace."""
    from django.template.loader import render_to_string

    from monitoring.access import is_coordinator_of

    certificate = (
        PsoCertificate.objects.of_company(contract.supplier.kvk_number)
        .filter(valid_until__gte=timezone.localdate())
        .order_by("-valid_from", "-pk")
        .first()
    )
    return render_to_string(
        "monitoring/_pso_panel.html",
        {
            "contract": contract,
            "certificate": certificate,
            "discount": obligation_discount_text(contract),
            "can_change": is_coordinator_of(request, contract),
        },
        request=request,
    )


def register() -> None:
    from monitoring.panels import WORKSPACE, register_contract_panel, register_timeline_action

    register_contract_panel("pso", pso_panel, pages=(WORKSPACE,))

    register_timeline_action(
        "obligation_discount_changed", gettext_lazy("Korting op de verplichting gewijzigd"), detail=_discount_event_detail
    )
    register_timeline_action(
        "pso_certificate_recorded",
        gettext_lazy("PSO-certificaat van de opdrachtnemer vastgelegd"),
        detail=lambda *, event, contract: event.object_repr,
    )
    register_timeline_action(
        "pso_certificate_checked",
        gettext_lazy("PSO-certificaat van de opdrachtnemer gecontroleerd"),
        detail=lambda *, event, contract: event.object_repr,
    )

"""Multi-step writes on contracts: create, update, delete a concept, attachments and the handover."""

from __future__ import annotations

import logging
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from contracts.forms import NUMBER_TAKEN, ContractForm
from contracts.models import Attachment, Contract, attachment_root
from wizzr.audit import audit_record
from wizzr.models import Organisation, Role, User
from wizzr.notifications import notify
from wizzr.uploads import ValidatedUpload, discard, store

logger = logging.getLogger(__name__)

NUMBER_CONSTRAINT = "contract_unique_number_per_organisation"


class ContractNotDraft(Exception):
    """The contract has been handed over: its data and attachments list are no longer the advisor's to change."""


class NoServicePoint(Exception):
    """The organisation is not served by an SROI service point, so there is nobody to hand over to."""


def _is_number_clash(error: IntegrityError) -> bool:
    diag = getattr(error.__cause__, "diag", None)
    return getattr(diag, "constraint_name", None) == NUMBER_CONSTRAINT


def _save_form(form: ContractForm, contract: Contract) -> Contract | None:
    """Save inside a savepoint; a contract-number clash (a race the form could not see) becomes a form error."""
    try:
        with transaction.atomic():
            contract.save()
            form._save_m2m()
    except IntegrityError as error:
        if not _is_number_clash(error):
            raise
        form.add_error("contract_number", NUMBER_TAKEN)
        return None
    return contract


def contract_create(
    *, form: ContractForm, organisation: Organisation, by: User, request: HttpRequest | None = None
) -> Contract | None:
    """Store a valid form as a concept of ``organisation``; return None (with a form error) on a number clash."""
    contract = form.save(commit=False)
    contract.organisation = organisation
    contract.created_by = by
    contract.status = Contract.Status.DRAFT
    with transaction.atomic():
        if _save_form(form, contract) is None:
            return None
        audit_record(action="contract_created", actor=by, organisation=organisation, obj=contract, request=request)
    return contract


def contract_update(*, form: ContractForm, by: User, request: HttpRequest | None = None) -> Contract | None:
    """Save changes to a concept; raise ContractNotDraft once it has been handed over."""
    contract = form.save(commit=False)
    with transaction.atomic():
        current = Contract.objects.select_for_update().get(pk=contract.pk)
        if current.status != Contract.Status.DRAFT:
            raise ContractNotDraft
        changed = sorted(form.changed_data)
        if _save_form(form, contract) is None:
            return None
        audit_record(
            action="contract_updated", actor=by, organisation=contract.organisation, obj=contract, request=request,
            detail={"fields": changed},
        )
    return contract


def contract_delete(*, contract: Contract, by: User, request: HttpRequest | None = None) -> None:
    """Delete a concept with its attachments; the files go once the delete is committed."""
    with transaction.atomic():
        current = Contract.objects.select_for_update().get(pk=contract.pk)
        if current.status != Contract.Status.DRAFT:
            raise ContractNotDraft
        stored_names = list(current.attachments.values_list("stored_name", flat=True))
        audit_record(
            action="contract_deleted", actor=by, organisation=current.organisation, obj=current, request=request,
            detail={"attachments": len(stored_names)},
        )
        current.delete()
        root = attachment_root()
        transaction.on_commit(lambda: [discard(name, root=root) for name in stored_names])


def attachments_add(
    *, contract: Contract, uploads: list[ValidatedUpload], by: User, request: HttpRequest | None = None
) -> list[Attachment]:
    """Write validated files and their rows; on any failure no file and no row remains.

    Allowed before and after handover. Call it outside an outer transaction: files are written
    before the rows, and removed again if the rows cannot be stored.
    """
    root = attachment_root()
    stored: list[str] = []
    try:
        for upload in uploads:
            stored.append(store(upload, root=root))
        with transaction.atomic():
            # Lock the contract so that a concurrent delete cannot leave rows or files behind.
            locked = Contract.objects.select_for_update().get(pk=contract.pk)
            attachments = []
            for upload, stored_name in zip(uploads, stored, strict=True):
                attachment = Attachment.objects.create(
                    organisation=locked.organisation,
                    contract=locked,
                    stored_name=stored_name,
                    display_name=upload.display_name,
                    size=upload.size,
                    content_type=upload.content_type,
                    sha256=upload.sha256,
                    uploaded_by=by,
                    **upload.scan_fields,
                )
                audit_record(
                    action="attachment_added", actor=by, organisation=locked.organisation, obj=attachment,
                    request=request, detail={"contract": str(locked.uuid), "size": upload.size},
                )
                attachments.append(attachment)
    except BaseException:
        for name in stored:
            discard(name, root=root)
        raise
    return attachments


def attachment_remove(*, attachment: Attachment, by: User, request: HttpRequest | None = None) -> None:
    """Remove an attachment of a concept; the file goes once the delete is committed."""
    with transaction.atomic():
        contract = Contract.objects.select_for_update().get(pk=attachment.contract_id)
        if contract.status != Contract.Status.DRAFT:
            raise ContractNotDraft
        audit_record(
            action="attachment_removed", actor=by, organisation=contract.organisation, obj=attachment,
            request=request, detail={"contract": str(contract.uuid)},
        )
        stored_name = attachment.stored_name
        attachment.delete()
        root = attachment_root()
        transaction.on_commit(lambda: discard(stored_name, root=root))


def coordinators_for(organisation: Organisation) -> list[User]:
    """The active coordinators of the service point that serves ``organisation``."""
    if organisation.served_by_id is None:
        return []
    return list(
        User.objects.filter(
            is_active=True,
            memberships__organisation_id=organisation.served_by_id,
            memberships__role=Role.COORDINATOR,
        )
        .distinct()
        .order_by("name")
    )


def money(value) -> str:
    """An amount in euro as people read it in the current language: "€ 12.345,00"."""
    if value is None:
        return ""
    return "€ " + formats.number_format(value, 2, use_l10n=True, force_grouping=True)


def _notification_context(contract: Contract, by: User) -> dict:
    """JSON-serialisable key data for the e-mail and the in-app notification (formatted in the request language)."""
    return {
        "contract_number": contract.contract_number,
        "title": contract.title,
        "organisation": contract.organisation.name,
        "supplier": contract.supplier.establishment_label,
        "supplier_kvk": contract.supplier.kvk_number,
        "start_date": formats.date_format(contract.start_date, "j F Y"),
        "end_date": formats.date_format(contract.end_date, "j F Y"),
        "contract_value": money(contract.contract_value),
        "sroi_obligation": money(contract.sroi_obligation),
        "handed_over_by": by.name or by.email,
        # Coordinators open the contract in their workspace (a URL name: contracts knows no monitoring code).
        "url": reverse("monitoring:workspace", args=[contract.uuid]),
    }


def contract_hand_over(*, contract: Contract, by: User, request: HttpRequest | None = None) -> bool:
    """Hand a concept over to the coordinators of the service point that serves its organisation.

    In one transaction: the status change, an audit event and the outbox rows (an e-mail and an
    in-app notification per coordinator). Returns True when this call handed it over and False when
    it already was (a double click or a second tab). Raises NoServicePoint when nobody serves the
    organisation.
    """
    with transaction.atomic():
        locked = (
            Contract.objects.select_for_update(of=("self",))
            .select_related("organisation", "supplier")
            .get(pk=contract.pk)
        )
        if locked.status != Contract.Status.DRAFT:
            return False
        if locked.organisation.served_by_id is None:
            raise NoServicePoint
        locked.status = Contract.Status.HANDED_OVER
        locked.handed_over_at = timezone.now()
        locked.handed_over_by = by
        locked.save(update_fields=["status", "handed_over_at", "handed_over_by", "updated_at"])
        coordinators = coordinators_for(locked.organisation)
        audit_record(
            action="contract_handed_over", actor=by, organisation=locked.organisation, obj=locked, request=request,
            detail={"service_point": str(locked.organisation.served_by.uuid), "coordinators": len(coordinators)},
        )
        if not coordinators:
            logger.warning("contract handed over to a service point without coordinators", extra={"event": "handover_no_coordinators"})
        notify(
            organisation=locked.organisation.served_by,
            recipients=coordinators,
            template="contract_handed_over",
            context=_notification_context(locked, by),
        )
    contract.refresh_from_db()
    return True


def handover_blocker(contract: Contract) -> str:
    """Why this concept cannot be handed over yet ('' when it can)."""
    if contract.organisation.served_by_id is None:
        return _("Uw organisatie is nog niet gekoppeld aan een Steunpunt SROI. Neem contact op met de beheerder van WIZZR.")
    return ""


class MoveRefused(ValueError):
    """The contract cannot move to that organisation; the message says why (in Dutch, for the administrator)."""


def contract_move_organisation(
    *, contract: Contract, to: Organisation, reason: str, by: User, request: HttpRequest | None = None
) -> dict[str, int]:
    """Move ``contract`` and every row that carries its organisation (attachments, and the rows other
    apps registered in ``contracts.tenancy``) to the contracting authority ``to``, in one transaction.

    Writes an audit event with the old and new organisation and the reason, filed under both.
    Returns the number of moved rows per model label. Raises MoveRefused when the reason is empty,
    ``to`` is not a contracting authority or already owns the contract, a handed-over contract would
    have no service point, or ``to`` already has a contract with the same number.
    """
    from contracts.tenancy import contract_rows

    reason = (reason or "").strip()
    if not reason:
        raise MoveRefused(_("Geef een reden op."))
    if to.kind != Organisation.Kind.AUTHORITY:
        raise MoveRefused(
            _("Een inkoopcontract hoort bij een opdrachtgever; %(name)s is een %(kind)s.")
            % {"name": to.name, "kind": to.get_kind_display()}
        )
    with transaction.atomic():
        locked = Contract.objects.select_for_update(of=("self",)).select_related("organisation").get(pk=contract.pk)
        previous = locked.organisation
        if previous.pk == to.pk:
            raise MoveRefused(_("Het inkoopcontract hoort al bij %(name)s.") % {"name": to.name})
        if not locked.is_draft and to.served_by_id is None:
            raise MoveRefused(
                _("%(name)s is niet gekoppeld aan een Steunpunt SROI; een overgedragen inkoopcontract heeft er een nodig.")
                % {"name": to.name}
            )
        if Contract.objects.filter(organisation=to, contract_number__iexact=locked.contract_number).exists():
            raise MoveRefused(
                _("%(name)s heeft al een inkoopcontract met nummer %(number)s.")
                % {"name": to.name, "number": locked.contract_number}
            )
        moved: dict[str, int] = {}
        rows = {Attachment: "contract", **contract_rows()}
        for model, lookup in rows.items():
            count = model._base_manager.filter(**{lookup: locked}).update(organisation=to)
            if count:
                moved[model._meta.label] = count
        locked.organisation = to
        locked.save(update_fields=["organisation", "updated_at"])
        detail = {
            "field": "organisation",
            "old": {"uuid": str(previous.uuid), "name": previous.name},
            "new": {"uuid": str(to.uuid), "name": to.name},
            "reason": reason,
            "moved": moved,
        }
        for organisation in (previous, to):
            audit_record(
                action="contract_organisation_changed", actor=by, organisation=organisation, obj=locked,
                request=request, detail=detail,
            )
    contract.refresh_from_db()
    return moved


def contract_obligation_discount_set(
    *,
    contract: Contract,
    percentage: Decimal | None,
    label: str = "",
    reason: str = "",
    by: User | None = None,
    request: HttpRequest | None = None,
) -> bool:
    """Set (or with ``percentage`` None remove) the discount on ``contract``'s obligation, with its
    short ``label`` ("PSO trede 2"). The system decides it (another app's rule, e.g. the region's PSO
    rule at handover); nobody types it. ``reason`` says why it changed, for the timeline.

    Returns True when the discount changed; writes an audit event on the contract then. Runs in the
    caller's transaction (or its own) and locks the contract row.
    """
    label = label if percentage is not None else ""
    with transaction.atomic():
        locked = Contract.objects.select_for_update().get(pk=contract.pk)
        before, before_label = locked.obligation_discount, locked.obligation_discount_label
        if before == percentage and before_label == label:
            return False
        # An update, not save(): the contract's post_save listeners react to the advisor's changes.
        Contract.objects.filter(pk=locked.pk).update(
            obligation_discount=percentage, obligation_discount_label=label, updated_at=timezone.now()
        )
        contract.obligation_discount, contract.obligation_discount_label = percentage, label
        audit_record(
            action="obligation_discount_changed",
            actor=by,
            organisation=locked.organisation,
            obj=locked,
            request=request,
            detail={
                "contract": str(locked.uuid),
                "from": str(before) if before is not None else None,
                "from_label": before_label,
                "to": str(percentage) if percentage is not None else None,
                "to_label": label,
                "reason": reason,
            },
        )
    return True

"""Contract entry: Opstarten nieuw contract → Bijlagen → Overdragen → De overdracht is succesvol!"""

from __future__ import annotations

from decimal import Decimal
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRedirect

from contracts import importer, services
from contracts.forms import (
    AttachmentUploadForm,
    ContractForm,
    advising_organisations,
    organisation_members,
)
from contracts.models import Attachment, Contract, ImportBatch
from wizzr.access import get_visible_or_404, has_role
from wizzr.models import Role, User
from wizzr.scanning import download_response
from wizzr.tenancy import current_roles
from wizzr.uploads import parse_uploads_strictly, validate_uploads


def _get_contract(request: HttpRequest, uuid: UUID) -> Contract:
    """Return the contract ``uuid`` if the user may see it; raise Http404 otherwise (also for other tenants)."""
    return get_visible_or_404(
        Contract.objects.select_related("organisation", "organisation__served_by", "supplier"), request, uuid=uuid
    )


def _get_attachment(request: HttpRequest, contract: Contract, uuid: UUID) -> Attachment:
    """Return attachment ``uuid`` of ``contract`` if the user may see it; raise Http404 otherwise."""
    return get_visible_or_404(
        Attachment.objects.filter(contract=contract).select_related("uploaded_by"), request, uuid=uuid
    )


def _is_advisor_of(request: HttpRequest, contract: Contract) -> bool:
    return has_role(request, contract.organisation_id, Role.ADVISOR)


def _require_advisor_of(request: HttpRequest, contract: Contract) -> None:
    """Raise PermissionDenied (403) unless the user advises the contract's organisation."""
    if not _is_advisor_of(request, contract):
        raise PermissionDenied


def _attachments_ctx(request: HttpRequest, contract: Contract, **extra) -> dict:
    is_advisor = _is_advisor_of(request, contract)
    return {
        "contract": contract,
        "attachments": contract.attachments.select_related("uploaded_by").order_by("uploaded_at", "pk"),
        "can_add": is_advisor,
        "can_remove": is_advisor and contract.is_draft,
        "can_hand_over": is_advisor and contract.is_draft,
        "handover_blocker": services.handover_blocker(contract) if contract.is_draft else "",
        "upload_form": AttachmentUploadForm(),
        **extra,
    }


def _advising_organisations_or_403(request: HttpRequest) -> list:
    """The organisations the user advises; raise PermissionDenied when there are none."""
    organisations = advising_organisations(request.user)
    if not organisations:
        raise PermissionDenied
    return organisations


def _obligation_preview(form: ContractForm) -> str:
    """The SROI obligation for what the form holds now, as shown before the script updates it."""
    if not form.is_bound:
        contract = form.instance
        if contract.pk is None:
            contract = Contract(sroi_percentage=Decimal("5.00"))
    else:
        # Only what the form accepted: a refused amount shows its message, not a computed obligation.
        names = ("contract_value", "sroi_percentage", "sroi_fixed_amount")
        if any(name in form.errors for name in names):
            return ""
        contract = Contract(**{name: form.cleaned_data.get(name) for name in names})
    obligation = contract.sroi_obligation
    return services.money(obligation) if obligation is not None and obligation >= 0 else ""


@login_required
def create(request: HttpRequest) -> HttpResponse:
    organisations = _advising_organisations_or_403(request)
    form = ContractForm(
        request.POST or None, user=request.user, organisations=organisations, organisation=request.organisation
    )
    if request.method == "POST" and form.is_valid():
        contract = services.contract_create(
            form=form, organisation=form.target_organisation, by=request.user, request=request
        )
        if contract is not None:
            messages.success(request, _("Het inkoopcontract is opgeslagen als concept. Voeg nu eventueel bijlagen toe."))
            return redirect("contracts:attachments", uuid=contract.uuid)
    drafts = Contract.objects.visible_to(request.user).filter(
        status=Contract.Status.DRAFT, organisation__in=organisations
    ).select_related("supplier", "organisation")[:20]
    ctx = {"form": form, "drafts": drafts, "is_new": True, "obligation": _obligation_preview(form)}
    return render(request, "contracts/contract_form.html", ctx, status=400 if form.errors else 200)


@login_required
@require_GET
def contact_persons(request: HttpRequest) -> HttpResponse:
    """The contact-person checkboxes for the organisation picked in the form (htmx partial)."""
    organisations = _advising_organisations_or_403(request)
    wanted = request.GET.get("organisation", "")
    organisation = next((o for o in organisations if str(o.uuid) == wanted), None)
    if organisation is None:
        raise Http404
    form = ContractForm(user=request.user, organisations=organisations, organisation=organisation)
    form.fields["contact_persons"].queryset = organisation_members(organisation)
    return render(request, "contracts/contract_form.html#contact-persons", {"form": form})


@login_required
def detail(request: HttpRequest, uuid: UUID) -> HttpResponse:
    contract = _get_contract(request, uuid)
    contract_with_people = Contract.objects.prefetch_related(
        Prefetch("contact_persons", queryset=User.objects.order_by("name"))
    ).get(pk=contract.pk)
    ctx = _attachments_ctx(request, contract, contact_people=list(contract_with_people.contact_persons.all()))
    ctx["can_edit"] = ctx["can_hand_over"]
    return render(request, "contracts/contract_detail.html", ctx)


@login_required
def edit(request: HttpRequest, uuid: UUID) -> HttpResponse:
    contract = _get_contract(request, uuid)
    _require_advisor_of(request, contract)
    if not contract.is_draft:
        messages.info(request, _("Dit inkoopcontract is overgedragen. Wijzigingen geeft u door aan de SROI-coördinator."))
        return redirect("contracts:detail", uuid=contract.uuid)
    form = ContractForm(
        request.POST or None, instance=contract, user=request.user, organisations=[contract.organisation]
    )
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.contract_update(form=form, by=request.user, request=request)
        except services.ContractNotDraft:
            messages.error(request, _("Dit inkoopcontract is intussen overgedragen; uw wijzigingen zijn niet opgeslagen."))
            return redirect("contracts:detail", uuid=contract.uuid)
        if saved is not None:
            messages.success(request, _("De wijzigingen zijn opgeslagen."))
            return redirect("contracts:attachments", uuid=contract.uuid)
    ctx = {"form": form, "contract": contract, "is_new": False, "obligation": _obligation_preview(form)}
    return render(request, "contracts/contract_form.html", ctx, status=400 if form.errors else 200)


@login_required
def delete(request: HttpRequest, uuid: UUID) -> HttpResponse:
    contract = _get_contract(request, uuid)
    _require_advisor_of(request, contract)
    if not contract.is_draft:
        messages.error(request, _("Een overgedragen inkoopcontract kan niet worden verwijderd."))
        return redirect("contracts:detail", uuid=contract.uuid)
    if request.method == "POST":
        try:
            services.contract_delete(contract=contract, by=request.user, request=request)
        except services.ContractNotDraft:
            messages.error(request, _("Een overgedragen inkoopcontract kan niet worden verwijderd."))
            return redirect("contracts:detail", uuid=contract.uuid)
        messages.success(
            request, _("Het concept %(number)s is verwijderd.") % {"number": contract.contract_number}
        )
        return redirect("contracts:create")
    return render(request, "contracts/contract_confirm_delete.html", {"contract": contract})


@login_required
@parse_uploads_strictly
def attachments(request: HttpRequest, uuid: UUID) -> HttpResponse:
    """Bijlagen: list, add (several at once), remove before handover."""
    contract = _get_contract(request, uuid)
    if request.method == "POST":
        _require_advisor_of(request, contract)
        accepted, errors = validate_uploads(request.FILES.getlist("files"), request=request)
        if not errors and not accepted:
            errors = [_("Kies een of meer bestanden om toe te voegen.")]
        if errors:
            ctx = _attachments_ctx(request, contract, upload_errors=errors)
            return render(request, "contracts/attachment_list.html", ctx, status=400)
        added = services.attachments_add(contract=contract, uploads=accepted, by=request.user, request=request)
        messages.success(
            request,
            ngettext("%(count)s bijlage toegevoegd: %(names)s", "%(count)s bijlagen toegevoegd: %(names)s", len(added))
            % {"count": len(added), "names": ", ".join(a.display_name for a in added)},
        )
        return redirect("contracts:attachments", uuid=contract.uuid)
    return render(request, "contracts/attachment_list.html", _attachments_ctx(request, contract))


@login_required
@require_POST
def attachment_remove(request: HttpRequest, uuid: UUID, attachment_uuid: UUID) -> HttpResponse:
    contract = _get_contract(request, uuid)
    attachment = _get_attachment(request, contract, attachment_uuid)
    _require_advisor_of(request, contract)
    try:
        services.attachment_remove(attachment=attachment, by=request.user, request=request)
    except services.ContractNotDraft:
        if request.htmx:
            return HttpResponseClientRedirect(reverse("contracts:attachments", args=[contract.uuid]))
        messages.error(request, _("Na de overdracht kunnen bijlagen niet meer worden verwijderd."))
        return redirect("contracts:attachments", uuid=contract.uuid)
    if request.htmx:
        ctx = _attachments_ctx(request, contract, removed=attachment.display_name)
        return render(request, "contracts/attachment_list.html#attachment-table", ctx)
    messages.success(request, _("De bijlage %(name)s is verwijderd.") % {"name": attachment.display_name})
    return redirect("contracts:attachments", uuid=contract.uuid)


@login_required
@require_GET
def attachment_download(request: HttpRequest, uuid: UUID, attachment_uuid: UUID) -> HttpResponse:
    """Serve a private document: only through visibility, always as a download, never rendered."""
    contract = _get_contract(request, uuid)
    attachment = _get_attachment(request, contract, attachment_uuid)
    return download_response(request, attachment)


def _handover_ctx(contract: Contract) -> dict:
    """What the advisor confirms before handing over: the contract, its attachments and who is notified."""
    return {
        "contract": contract,
        "attachments": contract.attachments.order_by("uploaded_at", "pk"),
        "service_point": contract.organisation.served_by,
        "handover_blocker": services.handover_blocker(contract),
    }


@login_required
@require_http_methods(["GET", "POST"])
def hand_over(request: HttpRequest, uuid: UUID) -> HttpResponse:
    """GET: the summary to confirm (a dialog for htmx, a page without script); POST: hand the concept over."""
    contract = _get_contract(request, uuid)
    _require_advisor_of(request, contract)
    if request.method == "GET":
        if not contract.is_draft:
            target = reverse("contracts:handed_over", args=[contract.uuid])
            return HttpResponseClientRedirect(target) if request.htmx else redirect(target)
        template = "contracts/hand_over_dialog.html" if request.htmx else "contracts/contract_confirm_handover.html"
        return render(request, template, _handover_ctx(contract))
    try:
        services.contract_hand_over(contract=contract, by=request.user, request=request)
    except services.NoServicePoint:
        messages.error(request, services.handover_blocker(contract))
        target = reverse("contracts:attachments", args=[contract.uuid])
    else:
        # Also when it was handed over already (double click, second tab): the outcome is the same.
        target = reverse("contracts:handed_over", args=[contract.uuid])
    if request.htmx:
        return HttpResponseClientRedirect(target)
    return redirect(target)


@login_required
def handed_over(request: HttpRequest, uuid: UUID) -> HttpResponse:
    """De overdracht is succesvol!"""
    contract = _get_contract(request, uuid)
    if contract.is_draft:
        return redirect("contracts:attachments", uuid=contract.uuid)
    return render(request, "contracts/contract_handed_over.html", {"contract": contract})


# --- importing existing contracts from a spreadsheet ---------------------------------------------------------


def _import_organisation_or_403(request: HttpRequest):
    """The current organisation, when the user administers it and it is a contracting authority."""
    organisation = getattr(request, "organisation", None)
    if organisation is None or not organisation.is_authority or Role.ORG_ADMIN not in current_roles(request):
        raise PermissionDenied
    return organisation


def _get_batch(request: HttpRequest, uuid: UUID) -> ImportBatch:
    return get_visible_or_404(ImportBatch.objects.select_related("organisation"), request, uuid=uuid)


@login_required
@require_http_methods(["GET", "POST"])
def import_start(request: HttpRequest) -> HttpResponse:
    """Download the template, upload a file; the dry run follows on the batch's page."""
    organisation = _import_organisation_or_403(request)
    error = ""
    if request.method == "POST":
        # Refuse an oversized upload before reading it: the declared length is known first.
        try:
            declared = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            declared = 0
        if declared > importer.MAX_UPLOAD_BYTES + 64 * 1024:
            error = importer.size_message()
        else:
            upload = request.FILES.get("bestand")
            if upload is None or not upload.size:
                error = _("Kies een bestand (.xlsx of .csv).")
            elif upload.size > importer.MAX_UPLOAD_BYTES:
                error = importer.size_message()
            else:
                try:
                    rows = importer.read_upload(upload.name, upload.read())
                except importer.ImportRefused as refused:
                    error = str(refused)
                else:
                    batch = importer.start(organisation=organisation, by=request.user, name=upload.name, rows=rows)
                    return redirect("contracts:import_batch", uuid=batch.uuid)
    batches = ImportBatch.objects.visible_to(request.user).filter(organisation=organisation).defer(
        "source_rows", "rows"
    )[:10]
    ctx = {"error": error, "batches": batches, "columns": importer.COLUMNS,
           "max_mb": importer.MAX_UPLOAD_BYTES // (1024 * 1024)}
    return render(request, "contracts/import_start.html", ctx, status=400 if error else 200)


@login_required
@require_GET
def import_template(request: HttpRequest, fmt: str) -> HttpResponse:
    _import_organisation_or_403(request)
    if fmt == "xlsx":
        response = HttpResponse(
            importer.template_xlsx(),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    elif fmt == "csv":
        response = HttpResponse(importer.template_csv(), content_type="text/csv; charset=utf-8")
    else:
        raise Http404
    response["Content-Disposition"] = f'attachment; filename="contracten-sjabloon.{fmt}"'
    return response


def _chosen_suppliers(request: HttpRequest) -> dict:
    return {
        key.removeprefix("leverancier_"): value[:64]
        for key, value in request.POST.items()
        if key.startswith("leverancier_") and len(key) < 40
    }


@login_required
@require_http_methods(["GET", "POST"])
def import_batch(request: HttpRequest, uuid: UUID) -> HttpResponse:
    """The dry run of one upload; POST confirms it (applies it)."""
    batch = _get_batch(request, uuid)
    if request.method == "POST":
        if batch.status != ImportBatch.Status.CHECKED:
            messages.error(request, _("Deze import is al verwerkt."))
            return redirect("contracts:import_batch", uuid=batch.uuid)
        chosen = _chosen_suppliers(request)
        if len(batch.source_rows) > importer.SYNC_ROWS:
            from contracts import tasks

            ImportBatch.objects.filter(pk=batch.pk).update(status=ImportBatch.Status.APPLYING, message="")
            user_id = request.user.pk
            transaction.on_commit(lambda: tasks.import_apply.delay(batch.pk, chosen, user_id))
            return redirect("contracts:import_batch", uuid=batch.uuid)
        done, message = importer.apply(batch.pk, chosen=chosen, by=request.user, request=request)
        (messages.success if done else messages.error)(request, message)
        return redirect("contracts:import_batch", uuid=batch.uuid)
    page = Paginator(batch.rows, 100).get_page(request.GET.get("pagina"))
    ctx = {
        "batch": batch,
        "page": page,
        "running": batch.status in (ImportBatch.Status.CHECKING, ImportBatch.Status.APPLYING),
        "can_apply": batch.status == ImportBatch.Status.CHECKED and not batch.summary.get("geweigerd"),
        "undo_blocker": importer.undo_blocker(batch) if batch.status == ImportBatch.Status.APPLIED else "",
        "can_undo": batch.status == ImportBatch.Status.APPLIED and not importer.undo_blocker(batch),
    }
    return render(request, "contracts/import_batch.html", ctx)


@login_required
@require_GET
def import_progress(request: HttpRequest, uuid: UUID) -> HttpResponse:
    """The progress fragment, polled by htmx while a large import is checked or applied."""
    batch = _get_batch(request, uuid)
    running = batch.status in (ImportBatch.Status.CHECKING, ImportBatch.Status.APPLYING)
    response = render(request, "contracts/_import_progress.html", {"batch": batch, "running": running})
    if not running and request.htmx:
        response["HX-Refresh"] = "true"
    return response


@login_required
@require_POST
def import_undo(request: HttpRequest, uuid: UUID) -> HttpResponse:
    batch = _get_batch(request, uuid)
    done, message = importer.undo(batch.pk, by=request.user, request=request)
    (messages.success if done else messages.error)(request, message)
    return redirect("contracts:import_batch", uuid=batch.uuid)

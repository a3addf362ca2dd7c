"""Supplier portal views, and the coordinator's pages for inviting supplier contacts and recording
the final outcome.

Supplier pages fetch the contract through ``portal.access`` (404 for everything the user was not
invited to); nested objects must belong to that contract (404 otherwise). Coordinator pages use
monitoring's access rule (404 for strangers, 403 for the buyer's own advisors).
"""

from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from contracts.models import Contract
from monitoring.access import get_contract_to_change
from monitoring.figures import contract_figures, with_progress
from monitoring.models import Realisation, Settlement
from monitoring.services import InvoiceReused
from portal import services
from portal.access import (
    existing_supplier_contact,
    get_evidence_or_404,
    get_period_or_404,
    get_realisation_or_404,
    get_supplier_contract_or_404,
    supplier_contracts,
)
from portal.forms import FinalOutcomeForm, InviteForm, PeriodSubmitForm, SettlementForm, SupplierRealisationForm
from portal.models import ReportingPeriod, SupplierAccess
from suppliers.options import listbox_id, options_response
from suppliers.ratelimit import rate_limited
from suppliers.search import search_suppliers
from wizzr.access import role_required
from wizzr.models import Role
from wizzr.scanning import download_response
from wizzr.uploads import ACCEPT, allowed_types_text, parse_uploads_strictly, validate_uploads

P = ReportingPeriod.Status
# The start page shows this many reports due and rejected realisations each; the to-do page shows all.
START_PAGE_ITEMS = 10
CONTRACTS_PER_PAGE = 25


def _run(request: HttpRequest, action, success: str) -> bool:
    try:
        action()
    except services.WorkflowError as error:
        messages.error(request, error.message)
        return False
    messages.success(request, success)
    return True


# Supplier: start and contract -------------------------------------------------------------------


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The supplier's start: what is due and what was rejected (the most urgent first, at most
    START_PAGE_ITEMS of each, with a link to all of it), and their contracts with progress, a page at a time."""
    # The user's contracts once, by id: the access rule joins memberships, contracts and suppliers,
    # and every list below would otherwise evaluate it again.
    ids = list(supplier_contracts(request.user).values_list("pk", flat=True))
    due, rejected = _todo(ids)
    contracts = with_progress(Contract.objects.filter(pk__in=ids).select_related("organisation")).order_by(
        "end_date", "contract_number", "pk"
    )
    ctx = {
        "due": due[:START_PAGE_ITEMS],
        "due_count": due.count(),
        "rejected": rejected[:START_PAGE_ITEMS],
        "rejected_count": rejected.count(),
        "preview": START_PAGE_ITEMS,
        "page": Paginator(contracts, CONTRACTS_PER_PAGE).get_page(request.GET.get("page")),
        "today": timezone.localdate(),
    }
    return render(request, "portal/home.html", ctx)


@login_required
def todo(request: HttpRequest) -> HttpResponse:
    """Everything the supplier has to do: every open or late report and every rejected realisation."""
    due, rejected = _todo(list(supplier_contracts(request.user).values_list("pk", flat=True)))
    return render(request, "portal/todo.html", {"due": due, "rejected": rejected, "today": timezone.localdate()})


def _todo(contract_ids: list[int]):
    """The reports to submit (the earliest due first) and the rejected realisations to correct of
    the contracts ``contract_ids`` (the user's, from ``supplier_contracts``)."""
    due = (
        ReportingPeriod.objects.filter(contract__in=contract_ids, status__in=[P.OPEN, P.OVERDUE])
        .select_related("contract")
        .order_by("due_date", "contract__contract_number", "pk")
    )
    rejected = (
        Realisation.objects.filter(contract__in=contract_ids, status=Realisation.Status.REJECTED)
        .exclude(contract__status=Contract.Status.CLOSED)
        .select_related("contract", "block")
        .order_by("period_start", "pk")
    )
    return due, rejected


@login_required
def contract_detail(request: HttpRequest, uuid: UUID) -> HttpResponse:
    contract = get_supplier_contract_or_404(request.user, uuid)
    periods = contract.reporting_periods.prefetch_related("entries").order_by("period_start", "kind")
    realisations = (
        contract.realisations.select_related("block", "reporting_entry__period")
        .prefetch_related("evidence")
        .order_by("period_start", "created_at", "pk")
    )
    ctx = {
        "contract": contract,
        "figures": contract_figures(contract),
        "agreements": contract.agreements.select_related("block").order_by("created_at", "pk"),
        "realisations": realisations,
        "periods": periods,
        "upcoming": services.upcoming_periods(contract=contract)[:4],
        "settlement": Settlement.objects.filter(contract=contract).first(),
        "coordinator": getattr(getattr(contract, "follow_up", None), "coordinator", None),
        "today": timezone.localdate(),
    }
    return render(request, "portal/contract_detail.html", ctx)


# Supplier: a reporting period --------------------------------------------------------------------


def _period_page(request, contract, period, form, status=200) -> HttpResponse:
    ctx = {
        "contract": contract,
        "period": period,
        "entries": Realisation.objects.filter(reporting_entry__period=period).select_related("block").order_by("period_start"),
        "form": form,
        "today": timezone.localdate(),
    }
    return render(request, "portal/period_detail.html", ctx, status=status)


@login_required
def period_detail(request: HttpRequest, uuid: UUID, period_uuid: UUID) -> HttpResponse:
    contract = get_supplier_contract_or_404(request.user, uuid)
    period = get_period_or_404(contract, period_uuid)
    return _period_page(request, contract, period, PeriodSubmitForm(has_entries=period.entries.exists()))


@login_required
@require_POST
def period_submit(request: HttpRequest, uuid: UUID, period_uuid: UUID) -> HttpResponse:
    contract = get_supplier_contract_or_404(request.user, uuid)
    period = get_period_or_404(contract, period_uuid)
    if not period.is_open:
        messages.error(request, _("Deze rapportageperiode is niet open; u kunt haar niet (opnieuw) indienen."))
        return _period_page(request, contract, period, PeriodSubmitForm(has_entries=True), status=400)
    form = PeriodSubmitForm(request.POST, has_entries=period.entries.exists())
    if form.is_valid():
        done = _run(
            request,
            lambda: services.period_submit(
                period=period,
                nothing_to_report=form.cleaned_data["nothing_to_report"],
                reason=form.cleaned_data["reason"],
                by=request.user,
                request=request,
            ),
            _("De rapportage over deze periode is ingediend bij de Regisseur Social Return."),
        )
        if done:
            return redirect("portal:contract", contract.uuid)
    return _period_page(request, contract, period, form, status=400)


# Supplier: realisations --------------------------------------------------------------------------


def _realisation_form(request, contract, period, instance=None) -> SupplierRealisationForm:
    follow_up = getattr(contract, "follow_up", None)
    return SupplierRealisationForm(
        request.POST or None,
        request.FILES or None,
        instance=instance,
        contract=contract,
        period=period,
        version=follow_up.catalogue_version if follow_up else None,
    )


def _realisation_page(request, contract, period, form, realisation, upload_errors=None) -> HttpResponse:
    ctx = {
        "contract": contract,
        "period": period,
        "form": form,
        "realisation": realisation,
        "version": form.version,
        "upload_errors": upload_errors or [],
        "accept": ACCEPT,
        "allowed_types": allowed_types_text(),
    }
    status = 400 if form.is_bound or upload_errors else 200
    return render(request, "portal/realisation_form.html", ctx, status=status)


def _save(request, contract, period, realisation) -> HttpResponse:
    form = _realisation_form(request, contract, period, realisation)
    if request.method != "POST":
        return _realisation_page(request, contract, period, form, realisation)
    uploads, upload_errors = validate_uploads(request.FILES.getlist("evidence"), request=request)
    if form.is_valid() and not upload_errors:
        created = realisation is None
        try:
            done = _run(
                request,
                lambda: services.supplier_realisation_save(
                    period=period,
                    realisation=form.save(),
                    bonuses=form.cleaned_data["bonuses"],
                    uploads=uploads,
                    by=request.user,
                    request=request,
                ),
                _("De realisatie is opgeslagen en ingediend ter beoordeling.")
                if created
                else _("De realisatie is gewijzigd en opnieuw ingediend ter beoordeling."),
            )
        except InvoiceReused:
            form.add_invoice_reused()
            done = False
        if done:
            if period is not None:
                return redirect("portal:period", contract.uuid, period.uuid)
            return redirect("portal:contract", contract.uuid)
    return _realisation_page(request, contract, period, form, realisation, upload_errors)


@login_required
@parse_uploads_strictly
def realisation_create(request: HttpRequest, uuid: UUID, period_uuid: UUID) -> HttpResponse:
    contract = get_supplier_contract_or_404(request.user, uuid)
    period = get_period_or_404(contract, period_uuid)
    if not period.is_open:
        messages.error(request, _("Deze rapportageperiode is niet open. Kies een open periode."))
        if request.method == "POST":
            return _period_page(request, contract, period, PeriodSubmitForm(has_entries=True), status=400)
        return redirect("portal:period", contract.uuid, period.uuid)
    return _save(request, contract, period, None)


def _period_of(realisation: Realisation) -> ReportingPeriod | None:
    entry = getattr(realisation, "reporting_entry", None)
    return entry.period if entry else None


@login_required
def realisation_detail(request: HttpRequest, uuid: UUID, realisation_uuid: UUID) -> HttpResponse:
    contract = get_supplier_contract_or_404(request.user, uuid)
    realisation = get_realisation_or_404(contract, realisation_uuid)
    ctx = {
        "contract": contract,
        "realisation": realisation,
        "period": _period_of(realisation),
        "evidence": realisation.evidence.all(),
        "assessments": realisation.assessments.all(),
    }
    return render(request, "portal/realisation_detail.html", ctx)


@login_required
@parse_uploads_strictly
def realisation_update(request: HttpRequest, uuid: UUID, realisation_uuid: UUID) -> HttpResponse:
    contract = get_supplier_contract_or_404(request.user, uuid)
    realisation = get_realisation_or_404(contract, realisation_uuid)
    if realisation.is_locked:
        messages.error(request, _("Een goedgekeurde realisatie kan niet meer worden gewijzigd."))
        if request.method == "POST":
            return render(
                request, "portal/realisation_detail.html",
                {"contract": contract, "realisation": realisation, "period": _period_of(realisation),
                 "evidence": realisation.evidence.all(), "assessments": realisation.assessments.all()},
                status=400,
            )
        return redirect("portal:realisation", contract.uuid, realisation.uuid)
    return _save(request, contract, _period_of(realisation), realisation)


@login_required
@require_POST
def realisation_preview(request: HttpRequest, uuid: UUID) -> HttpResponse:
    """htmx: the computed value of the form as it is filled in (nothing is stored)."""
    contract = get_supplier_contract_or_404(request.user, uuid)
    period = ReportingPeriod.objects.filter(contract=contract, uuid=_uuid_or_none(request.POST.get("period", ""))).first()
    instance = Realisation.objects.filter(contract=contract, uuid=_uuid_or_none(request.POST.get("realisation", ""))).first()
    form = _realisation_form(request, contract, period, instance)
    form.is_valid()
    return render(request, "_value_preview.html", {"form": form, "valuation": form.valuation, "kind": "realisation"})


def _uuid_or_none(value: str) -> UUID | None:
    try:
        return UUID(value)
    except ValueError:
        return None


@login_required
@require_GET
def social_company_search(request: HttpRequest) -> HttpResponse:
    """The typeahead of an invoice's social company: the registry's search, for a supplier contact
    with at least one contract (404 for anyone else; advisors and coordinators use the registry's own)."""
    if not supplier_contracts(request.user).exists():
        raise Http404
    if rate_limited(request):
        return HttpResponse(status=429)
    result = search_suppliers(request.GET.get("q"))
    return options_response(
        result.suppliers,
        listbox=listbox_id(request),
        searchable=result.searchable,
        query=result.query,
        highlight_terms=result.highlight_terms,
        more=result.more,
        more_is_estimate=result.more_is_estimate,
    )


@login_required
def evidence_download(request: HttpRequest, uuid: UUID, evidence_uuid: UUID) -> HttpResponse:
    """Serve an evidence file of the contract as an attachment, never rendered by the browser."""
    contract = get_supplier_contract_or_404(request.user, uuid)
    evidence = get_evidence_or_404(contract, evidence_uuid)
    return download_response(request, evidence)


@login_required
@require_POST
def evidence_delete(request: HttpRequest, uuid: UUID, evidence_uuid: UUID) -> HttpResponse:
    from monitoring.services import evidence_delete as delete

    contract = get_supplier_contract_or_404(request.user, uuid)
    evidence = get_evidence_or_404(contract, evidence_uuid)
    realisation = evidence.realisation
    _run(request, lambda: delete(evidence=evidence, by=request.user, request=request), _("Het bewijsstuk is verwijderd."))
    return redirect("portal:realisation_update", contract.uuid, realisation.uuid)


# Coordinator: invitations, late reports, final outcome --------------------------------------------


def _invite_page(request, contract, form, status=200) -> HttpResponse:
    email = form["email"].value() or ""
    ctx = {
        "contract": contract,
        "form": form,
        "account": existing_supplier_contact(contract=contract, email=email),
        "accesses": SupplierAccess.objects.filter(contract=contract, revoked_at__isnull=True).select_related("user"),
    }
    return render(request, "portal/invite_form.html", ctx, status=status)


@login_required
def invite(request: HttpRequest, uuid: UUID) -> HttpResponse:
    """The coordinator invites a supplier contact; the SROI contact entered by the buyer is proposed."""
    contract = get_contract_to_change(request, uuid)
    if request.method != "POST" and request.htmx and "email" in request.GET:
        # While the e-mail address is typed: does it belong to an account of the supplier company?
        account = existing_supplier_contact(contract=contract, email=request.GET["email"])
        return render(request, "portal/invite_form.html#account-hint", {"account": account})
    if request.method != "POST":
        initial = {"name": contract.supplier_contact_name, "email": contract.supplier_contact_email}
        if SupplierAccess.objects.filter(
            contract=contract, email__iexact=contract.supplier_contact_email, revoked_at__isnull=True
        ).exists():
            initial = {}  # the proposed contact is already invited
        return _invite_page(request, contract, InviteForm(initial=initial))
    form = InviteForm(request.POST)
    if form.is_valid():
        try:
            access = services.supplier_invite(
                contract=contract, name=form.cleaned_data["name"], email=form.cleaned_data["email"],
                by=request.user, request=request,
            )
        except services.WorkflowError as error:
            form.add_error("email", error.message)
        else:
            if access.is_pending:
                messages.success(request, _("De uitnodiging is verstuurd naar %(email)s.") % {"email": access.email})
            elif access.name != form.cleaned_data["name"]:
                messages.success(
                    request,
                    _("%(email)s hoort bij het bestaande account van %(name)s. %(name)s heeft nu toegang tot dit contract en krijgt bericht.")
                    % {"email": access.email, "name": access.name},
                )
            else:
                messages.success(request, _("%(name)s heeft nu toegang tot dit contract en krijgt bericht.") % {"name": access.name})
            return redirect("portal:invite", contract.uuid)
    return _invite_page(request, contract, form, status=400)


@login_required
@require_POST
def access_revoke(request: HttpRequest, uuid: UUID, access_uuid: UUID) -> HttpResponse:
    contract = get_contract_to_change(request, uuid)
    access = get_object_or_404(SupplierAccess.objects.filter(contract=contract, revoked_at__isnull=True), uuid=access_uuid)
    services.supplier_access_revoke(access=access, by=request.user, request=request)
    messages.success(request, _("De toegang van %(name)s tot dit contract is ingetrokken.") % {"name": access.name})
    return redirect("portal:invite", contract.uuid)


@login_required
@role_required(Role.COORDINATOR)
def overdue(request: HttpRequest) -> HttpResponse:
    """Late reports of the contracts of the authorities the coordinator's service point serves."""
    periods = (
        ReportingPeriod.objects.visible_to(request.user)
        .filter(status=P.OVERDUE, contract__organisation__served_by=request.organisation)
        .select_related("contract__organisation", "contract__supplier", "contract__follow_up__coordinator")
        .order_by("due_date")
    )
    return render(request, "portal/overdue_list.html", {"periods": periods, "today": timezone.localdate()})


def _settlement_page(request, contract, form, status=200) -> HttpResponse:
    settlement = Settlement.objects.filter(contract=contract).first()
    recovery = contract.reporting_periods.filter(kind=ReportingPeriod.Kind.RECOVERY).first()
    ctx = {
        "contract": contract,
        "settlement": settlement,
        "form": form,
        "figures": contract_figures(contract),
        "shortfall": services.shortfall_of(contract),
        "approved": services.approved_value(contract),
        "blockers": [] if settlement else services.settlement_blockers(contract=contract),
        "recovery_period": recovery,
        # While the recovery period runs and the supplier has not reported, there is nothing to finalise yet.
        "recovery_running": bool(
            settlement and settlement.state == Settlement.State.RECOVERY and recovery is not None and recovery.is_open
            and settlement.recovery_deadline >= timezone.localdate()
        ),
    }
    return render(request, "portal/settlement_form.html", ctx, status=status)


@login_required
def settlement(request: HttpRequest, uuid: UUID) -> HttpResponse:
    """Record the outcome and shortfall after the final report; after a recovery period, the final outcome."""
    contract = get_contract_to_change(request, uuid)
    existing = Settlement.objects.filter(contract=contract).first()
    today = timezone.localdate()
    if existing is not None and existing.state == Settlement.State.SETTLED:
        return _settlement_page(request, contract, None)
    if existing is None:
        form = SettlementForm(request.POST or None, today=today)
    else:
        form = FinalOutcomeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if existing is None:
                services.settlement_record(
                    contract=contract, outcome=data["outcome"], reason=data["reason"],
                    recovery_deadline=data.get("recovery_deadline"),
                    withholding_amount=data.get("withholding_amount"), withholding_reason=data["withholding_reason"],
                    by=request.user, request=request,
                )
            else:
                services.settlement_finalise(
                    settlement=existing, outcome=data["outcome"], reason=data["reason"],
                    withholding_amount=data.get("withholding_amount"), withholding_reason=data["withholding_reason"],
                    by=request.user, request=request,
                )
        except services.WorkflowError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Het resultaat is vastgelegd."))
            return redirect("portal:settlement", contract.uuid)
    return _settlement_page(request, contract, form, status=400 if form.is_bound else 200)

"""Monitoring views: the coordinator's work queue and follow-up of a contract (agreements,
realisations, evidence, assessment). The buyer-side pages are in ``monitoring.buyer_views``.

Reading goes through ``visible_to`` (404 for everything a user may not see); changing needs a
coordinator of the contract's service point (403 inside the tenant, see ``monitoring.access``).
"""

from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Case, Count, Q, Value, When
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_htmx.http import HttpResponseClientRedirect

from contracts.models import Contract
from monitoring import lasting, services
from monitoring.access import get_contract_or_404, get_contract_to_change, is_coordinator_of
from monitoring.figures import contract_figures, schedule, with_progress
from monitoring.filters import WorkQueueFilter
from monitoring.forms import AgreementForm, AssignForm, CloseForm, RealisationForm, RejectForm, RhythmForm
from monitoring.models import Agreement, Assessment, Evidence, Realisation, Settlement
from monitoring.reports import page_of_ids, timeline
from wizzr.access import get_visible_or_404, role_required
from wizzr.models import Organisation, Role
from wizzr.scanning import download_response
from wizzr.uploads import ACCEPT, allowed_types_text, parse_uploads_strictly, validate_uploads

WORK_QUEUE_PAGE_SIZE = 25


# Work queue ------------------------------------------------------------------------------------


def _wants_partial(request: HttpRequest) -> bool:
    return bool(request.htmx) and not request.htmx.history_restore_request


@login_required
@role_required(Role.COORDINATOR)
def work_queue(request: HttpRequest) -> HttpResponse:
    """Handed-over contracts of the authorities served by the coordinator's current service point."""
    service_point = request.organisation
    # The served authorities by id (a handful): PostgreSQL then knows how many contracts the region
    # has, and joins their follow-ups by hashing instead of looking each one up.
    served = list(Organisation.objects.filter(served_by=service_point).values_list("pk", flat=True))
    contracts = (
        Contract.objects.visible_to(request.user)
        .filter(organisation_id__in=served)
        .exclude(status=Contract.Status.DRAFT)
        .select_related("organisation", "supplier", "follow_up__coordinator")
    )
    filterset = WorkQueueFilter(request.GET or None, queryset=contracts, request=request, service_point=service_point)
    # New (not yet accepted) contracts first, then by end date. The page's ids come from the contracts and
    # their follow-ups alone; only those 25 rows are joined to supplier, totals and coordinator: sorting a
    # region's 12,000 contracts after those joins took 150 ms, before them about a tenth of that.
    new = Q(follow_up__accepted_at__isnull=True)
    ordered = filterset.qs.annotate(queue_rank=Case(When(new, then=Value(0)), default=Value(1))).order_by(
        "queue_rank", "end_date", "contract_number", "pk"
    )
    # The page's ids, the number found and how many are new in one query; the banner counts the new
    # contracts of the whole service point, so a filtered list asks for them apart.
    filtered = any(value for key, value in request.GET.items() if key != "page")
    page, ids, counts = page_of_ids(
        ordered, page=request.GET.get("page"), per_page=WORK_QUEUE_PAGE_SIZE,
        counts={} if filtered else {"new": Count("pk", filter=new)},
    )
    rows = with_progress(contracts.filter(pk__in=ids)).in_bulk()
    page.object_list = [rows[pk] for pk in ids]
    ctx = {
        "filter": filterset,
        "page": page,
        "service_point": service_point,
        "new_count": contracts.filter(new).count() if filtered else counts["new"],
        "today": timezone.localdate(),
    }
    template = "monitoring/work_queue_list.html"
    if _wants_partial(request):
        template += "#results"
    return render(request, template, ctx)


# One contract ----------------------------------------------------------------------------------


def _workspace_ctx(request: HttpRequest, contract: Contract) -> dict:
    follow_up = services.follow_up_for(contract=contract)
    can_change = is_coordinator_of(request, contract)
    agreements = contract.agreements.select_related("block").prefetch_related("bonuses").order_by("created_at", "pk")
    realisations = (
        contract.realisations.select_related("block", "agreement", "assessed_by", "social_company")
        .prefetch_related("bonuses", "evidence")
        .order_by("period_start", "created_at", "pk")
    )
    figures = contract_figures(contract)
    ctx = {
        "contract": contract,
        "follow_up": follow_up,
        "settlement": Settlement.objects.filter(contract=contract).first(),
        "version": follow_up.catalogue_version,
        "figures": figures,
        "schedule": schedule(figures, status=contract.status),
        "agreements": agreements,
        "realisations": realisations,
        # The buyer's documents the agreements are made from; downloaded through the contracts app.
        "attachments": list(contract.attachments.select_related("uploaded_by").order_by("uploaded_at", "pk")),
        "timeline": timeline(contract),
        "can_change": can_change,
        "is_open": contract.status in services.OPEN_STATUSES,
        "can_record": can_change and contract.status in (Contract.Status.AGREEMENTS_MADE, Contract.Status.IN_PROGRESS),
        "Status": Contract.Status,
    }
    if can_change:
        ctx["assign_form"] = AssignForm(
            coordinators=services.coordinators_of(contract),
            initial={"coordinator": follow_up.coordinator.uuid if follow_up.coordinator else request.user.uuid},
        )
        ctx["rhythm_form"] = RhythmForm(initial={"reporting_rhythm": follow_up.reporting_rhythm})
    return ctx


@login_required
def workspace(request: HttpRequest, uuid: UUID) -> HttpResponse:
    """The follow-up of one contract: readable by whoever may see the contract, changeable by its coordinators."""
    contract = get_contract_or_404(request, uuid)
    return render(request, "monitoring/followup_detail.html", _workspace_ctx(request, contract))


def _back(contract: Contract, anchor: str = "") -> HttpResponse:
    return redirect(reverse("monitoring:workspace", args=[contract.uuid]) + (f"#{anchor}" if anchor else ""))


def _run(request: HttpRequest, action, success: str) -> bool:
    try:
        action()
    except services.WorkflowError as error:
        messages.error(request, error.message)
        return False
    messages.success(request, success)
    return True


@login_required
@require_POST
def accept(request: HttpRequest, uuid: UUID) -> HttpResponse:
    contract = get_contract_to_change(request, uuid)
    _run(
        request,
        lambda: services.contract_accept(contract=contract, by=request.user, request=request),
        _("U heeft het contract geaccepteerd en volgt het op."),
    )
    return _back(contract)


@login_required
@require_POST
def assign(request: HttpRequest, uuid: UUID) -> HttpResponse:
    contract = get_contract_to_change(request, uuid)
    form = AssignForm(request.POST, coordinators=services.coordinators_of(contract))
    if not form.is_valid():
        messages.error(request, form.errors["coordinator"][0])
        return _back(contract, "opvolging")
    coordinator = form.cleaned_data["coordinator"]
    _run(
        request,
        lambda: services.contract_assign(contract=contract, coordinator=coordinator, by=request.user, request=request),
        _("Het contract is toegewezen aan %(name)s.") % {"name": coordinator.name},
    )
    return _back(contract, "opvolging")


@login_required
@require_POST
def rhythm(request: HttpRequest, uuid: UUID) -> HttpResponse:
    contract = get_contract_to_change(request, uuid)
    form = RhythmForm(request.POST)
    if form.is_valid():
        services.contract_set_rhythm(
            contract=contract, rhythm=form.cleaned_data["reporting_rhythm"], by=request.user, request=request
        )
        messages.success(request, _("Het rapportageritme is opgeslagen."))
    else:
        messages.error(request, _("Kies een rapportageritme uit de lijst."))
    return _back(contract, "opvolging")


@login_required
@require_POST
def record_agreements(request: HttpRequest, uuid: UUID) -> HttpResponse:
    contract = get_contract_to_change(request, uuid)
    _run(
        request,
        lambda: services.agreements_record(contract=contract, by=request.user, request=request),
        _("De afspraken zijn vastgelegd. De contactpersonen van de opdrachtgever krijgen bericht."),
    )
    return _back(contract)


@login_required
@require_POST
def start_execution(request: HttpRequest, uuid: UUID) -> HttpResponse:
    contract = get_contract_to_change(request, uuid)
    _run(
        request,
        lambda: services.contract_start_execution(contract=contract, by=request.user, request=request),
        _("Het contract is in uitvoering."),
    )
    return _back(contract)


@login_required
def close(request: HttpRequest, uuid: UUID) -> HttpResponse:
    contract = get_contract_to_change(request, uuid)
    if contract.status == Contract.Status.CLOSED:
        messages.info(request, _("Dit contract is al afgerond."))
        return _back(contract)
    form = CloseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        done = _run(
            request,
            lambda: services.contract_close(
                contract=contract,
                outcome=form.cleaned_data["outcome"],
                reason=form.cleaned_data["reason"],
                by=request.user,
                request=request,
            ),
            _("Het contract is afgerond. De contactpersonen van de opdrachtgever krijgen bericht."),
        )
        if done:
            return _back(contract)
    ctx = {
        "contract": contract,
        "form": form,
        "figures": contract_figures(contract),
        "open_realisations": contract.realisations.filter(status=Realisation.Status.SUBMITTED).count(),
    }
    return render(request, "monitoring/contract_close_form.html", ctx, status=400 if request.method == "POST" else 200)


# Agreements ------------------------------------------------------------------------------------


def _agreement_form(request: HttpRequest, contract: Contract, instance: Agreement | None = None) -> AgreementForm:
    follow_up = services.follow_up_for(contract=contract)
    return AgreementForm(
        request.POST or None, instance=instance, contract=contract, version=follow_up.catalogue_version
    )


def _agreement_page(request: HttpRequest, contract: Contract, form: AgreementForm, agreement: Agreement | None):
    ctx = {
        "contract": contract,
        "form": form,
        "agreement": agreement,
        "version": form.version,
        "figures": contract_figures(contract),
    }
    return render(request, "monitoring/agreement_form.html", ctx, status=400 if form.is_bound else 200)


@login_required
def agreement_create(request: HttpRequest, uuid: UUID) -> HttpResponse:
    contract = get_contract_to_change(request, uuid)
    if contract.status not in services.OPEN_STATUSES:
        messages.error(request, _("Dit contract is afgerond; er kan niets meer worden gewijzigd."))
        return _back(contract)
    form = _agreement_form(request, contract)
    if request.method == "POST" and form.is_valid():
        done = _run(
            request,
            lambda: services.agreement_save(
                agreement=form.save(), bonuses=form.cleaned_data["bonuses"], by=request.user, request=request
            ),
            _("De afspraak is opgeslagen."),
        )
        if done:
            return _back(contract, "afspraken")
    return _agreement_page(request, contract, form, None)


def _get_agreement(request: HttpRequest, contract: Contract, agreement_uuid: UUID) -> Agreement:
    return get_visible_or_404(Agreement.objects.filter(contract=contract), request, uuid=agreement_uuid)


@login_required
def agreement_update(request: HttpRequest, uuid: UUID, agreement_uuid: UUID) -> HttpResponse:
    contract = get_contract_to_change(request, uuid)
    agreement = _get_agreement(request, contract, agreement_uuid)
    form = _agreement_form(request, contract, agreement)
    if request.method == "POST" and form.is_valid():
        done = _run(
            request,
            lambda: services.agreement_save(
                agreement=form.save(), bonuses=form.cleaned_data["bonuses"], by=request.user, request=request
            ),
            _("De afspraak is gewijzigd."),
        )
        if done:
            return _back(contract, "afspraken")
    return _agreement_page(request, contract, form, agreement)


@login_required
@require_POST
def agreement_delete(request: HttpRequest, uuid: UUID, agreement_uuid: UUID) -> HttpResponse:
    contract = get_contract_to_change(request, uuid)
    agreement = _get_agreement(request, contract, agreement_uuid)
    _run(
        request,
        lambda: services.agreement_delete(agreement=agreement, by=request.user, request=request),
        _("De afspraak is verwijderd."),
    )
    return _back(contract, "afspraken")


@login_required
@require_POST
def agreement_preview(request: HttpRequest, uuid: UUID) -> HttpResponse:
    """htmx: the computed planned value of the agreement form as it is filled in (nothing is stored)."""
    contract = get_contract_to_change(request, uuid)
    form = _agreement_form(request, contract)
    form.is_valid()
    return render(request, "_value_preview.html", {"form": form, "valuation": form.valuation, "kind": "agreement"})


# Realisations ----------------------------------------------------------------------------------


def _realisation_form(request: HttpRequest, contract: Contract, instance: Realisation | None = None) -> RealisationForm:
    follow_up = services.follow_up_for(contract=contract)
    return RealisationForm(
        request.POST or None,
        request.FILES or None,
        instance=instance,
        contract=contract,
        version=follow_up.catalogue_version,
    )


def _realisation_page(
    request: HttpRequest,
    contract: Contract,
    form: RealisationForm,
    realisation: Realisation | None,
    upload_errors: list[str] | None = None,
) -> HttpResponse:
    ctx = {
        "contract": contract,
        "form": form,
        "realisation": realisation,
        "version": form.version,
        "upload_errors": upload_errors or [],
        "accept": ACCEPT,
        "allowed_types": allowed_types_text(),
        "can_record": contract.status in (Contract.Status.AGREEMENTS_MADE, Contract.Status.IN_PROGRESS),
    }
    status = 400 if form.is_bound or upload_errors else 200
    return render(request, "monitoring/realisation_form.html", ctx, status=status)


def _save_realisation(request: HttpRequest, contract: Contract, realisation: Realisation | None) -> HttpResponse:
    form = _realisation_form(request, contract, realisation)
    if request.method != "POST":
        return _realisation_page(request, contract, form, realisation)
    uploads, upload_errors = validate_uploads(request.FILES.getlist("evidence"), request=request)
    if form.is_valid() and not upload_errors:
        created = realisation is None
        try:
            done = _run(
                request,
                lambda: services.realisation_save(
                    realisation=form.save(),
                    bonuses=form.cleaned_data["bonuses"],
                    uploads=uploads,
                    by=request.user,
                    request=request,
                ),
                _("De realisatie is opgeslagen en staat klaar om te beoordelen.")
                if created
                else _("De realisatie is gewijzigd en opnieuw ingediend."),
            )
        except services.InvoiceReused:
            form.add_invoice_reused()
            done = False
        if done:
            return _back(contract, "realisaties")
    return _realisation_page(request, contract, form, realisation, upload_errors)


@login_required
@parse_uploads_strictly
def realisation_create(request: HttpRequest, uuid: UUID) -> HttpResponse:
    contract = get_contract_to_change(request, uuid)
    return _save_realisation(request, contract, None)


def _get_realisation(request: HttpRequest, contract: Contract, realisation_uuid: UUID) -> Realisation:
    realisations = Realisation.objects.filter(contract=contract).select_related(
        "block", "agreement", "submitted_by", "assessed_by", "social_company"
    )
    return get_visible_or_404(realisations, request, uuid=realisation_uuid)


@login_required
@parse_uploads_strictly
def realisation_update(request: HttpRequest, uuid: UUID, realisation_uuid: UUID) -> HttpResponse:
    contract = get_contract_to_change(request, uuid)
    realisation = _get_realisation(request, contract, realisation_uuid)
    if realisation.is_locked:
        messages.error(request, _("Een goedgekeurde realisatie kan niet meer worden gewijzigd."))
        return redirect("monitoring:realisation", contract.uuid, realisation.uuid)
    return _save_realisation(request, contract, realisation)


@login_required
@require_POST
def realisation_preview(request: HttpRequest, uuid: UUID) -> HttpResponse:
    """htmx: the computed value of the realisation form as it is filled in (nothing is stored)."""
    contract = get_contract_to_change(request, uuid)
    instance = None
    if request.POST.get("realisation"):
        instance = Realisation.objects.filter(contract=contract, uuid=_uuid_or_none(request.POST["realisation"])).first()
    form = _realisation_form(request, contract, instance)
    form.is_valid()
    return render(request, "_value_preview.html", {"form": form, "valuation": form.valuation, "kind": "realisation"})


def _uuid_or_none(value: str) -> UUID | None:
    try:
        return UUID(value)
    except ValueError:
        return None


def _realisation_detail(
    request: HttpRequest, contract: Contract, realisation: Realisation, reject_form: RejectForm | None = None
) -> HttpResponse:
    ctx = {
        "contract": contract,
        "realisation": realisation,
        "evidence": realisation.evidence.all(),
        "assessments": realisation.assessments.select_related("assessed_by"),
        "can_change": is_coordinator_of(request, contract) and contract.status != Contract.Status.CLOSED,
        "reject_form": reject_form or RejectForm(),
        # Lasting outcomes are recorded after the contract closed too.
        "lasting_moments": lasting.moments(realisation),
        "can_record_lasting": is_coordinator_of(request, contract),
    }
    return render(
        request, "monitoring/realisation_detail.html", ctx, status=400 if reject_form is not None else 200
    )


@login_required
def realisation_detail(request: HttpRequest, uuid: UUID, realisation_uuid: UUID) -> HttpResponse:
    contract = get_contract_or_404(request, uuid)
    realisation = _get_realisation(request, contract, realisation_uuid)
    return _realisation_detail(request, contract, realisation)


@login_required
@require_POST
def realisation_approve(request: HttpRequest, uuid: UUID, realisation_uuid: UUID) -> HttpResponse:
    contract = get_contract_to_change(request, uuid)
    realisation = _get_realisation(request, contract, realisation_uuid)
    _run(
        request,
        lambda: services.realisation_assess(
            realisation=realisation, decision=Assessment.Decision.APPROVED, by=request.user, request=request
        ),
        _("De realisatie is goedgekeurd en telt mee als gerealiseerd."),
    )
    return _after_assessment(request, contract, realisation)


@login_required
@require_POST
def realisation_reject(request: HttpRequest, uuid: UUID, realisation_uuid: UUID) -> HttpResponse:
    contract = get_contract_to_change(request, uuid)
    realisation = _get_realisation(request, contract, realisation_uuid)
    form = RejectForm(request.POST)
    if not form.is_valid():
        return _realisation_detail(request, contract, realisation, reject_form=form)
    _run(
        request,
        lambda: services.realisation_assess(
            realisation=realisation,
            decision=Assessment.Decision.REJECTED,
            reason=form.cleaned_data["reason"],
            by=request.user,
            request=request,
        ),
        _("De realisatie is afgewezen. De reden is vastgelegd."),
    )
    return _after_assessment(request, contract, realisation)


def _after_assessment(request: HttpRequest, contract: Contract, realisation: Realisation) -> HttpResponse:
    if request.POST.get("next") == "detail":
        return redirect("monitoring:realisation", contract.uuid, realisation.uuid)
    if request.htmx:
        return HttpResponseClientRedirect(reverse("monitoring:workspace", args=[contract.uuid]) + "#realisaties")
    return _back(contract, "realisaties")


# Evidence --------------------------------------------------------------------------------------


def _get_evidence(request: HttpRequest, contract: Contract, evidence_uuid: UUID) -> Evidence:
    evidence = Evidence.objects.filter(realisation__contract=contract).select_related("realisation")
    return get_visible_or_404(evidence, request, uuid=evidence_uuid)


@login_required
def evidence_download(request: HttpRequest, uuid: UUID, evidence_uuid: UUID) -> HttpResponse:
    """Serve an evidence file as an attachment, never rendered by the browser."""
    contract = get_contract_or_404(request, uuid)
    evidence = _get_evidence(request, contract, evidence_uuid)
    return download_response(request, evidence)


@login_required
@require_POST
def evidence_delete(request: HttpRequest, uuid: UUID, evidence_uuid: UUID) -> HttpResponse:
    contract = get_contract_to_change(request, uuid)
    evidence = _get_evidence(request, contract, evidence_uuid)
    realisation = evidence.realisation
    _run(
        request,
        lambda: services.evidence_delete(evidence=evidence, by=request.user, request=request),
        _("Het bewijsstuk is verwijderd."),
    )
    return redirect("monitoring:realisation_update", contract.uuid, realisation.uuid)


"""The coordinator's pages for the PSO certificates of a contract's supplier (``monitoring.pso``).

Reached from the contract's workspace. Only a coordinator of the service point that serves the
contract's organisation records, checks or downloads them (404 for whoever may not see the contract,
403 for a reader inside the tenant); the company is always the contract's supplier's.
"""

from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from contracts.models import Contract
from monitoring import pso, services
from monitoring.access import get_contract_to_change
from monitoring.forms import PsoCertificateForm
from suppliers.models import PsoCertificate
from wizzr.scanning import download_response
from wizzr.uploads import ACCEPT, allowed_types_text, parse_uploads_strictly, validate_uploads


def _certificates(contract: Contract) -> QuerySet:
    return (
        PsoCertificate.objects.of_company(contract.supplier.kvk_number)
        .select_related("checked_by", "recorded_by")
        .order_by("-valid_from", "-pk")
    )


def _page(request: HttpRequest, contract: Contract, form: PsoCertificateForm) -> HttpResponse:
    follow_up = services.follow_up_for(contract=contract)
    ctx = {
        "contract": contract,
        "form": form,
        "certificates": _certificates(contract),
        "handed_over": pso.handover_date(contract),
        "version": follow_up.catalogue_version,
        "rules": list(follow_up.catalogue_version.pso_discounts.all()) if follow_up.catalogue_version else [],
        "allowed_types": allowed_types_text(),
        "is_open": contract.status in pso.RUNNING_STATUSES,
    }
    return render(request, "monitoring/pso_certificate_form.html", ctx, status=400 if form.is_bound else 200)


@login_required
@parse_uploads_strictly
def certificates(request: HttpRequest, uuid: UUID) -> HttpResponse:
    """The company's PSO certificates and the form to record one (GET), recording it (POST)."""
    contract = get_contract_to_change(request, uuid)
    if request.method != "POST":
        return _page(request, contract, PsoCertificateForm(contract=contract, accept=ACCEPT))
    form = PsoCertificateForm(request.POST, request.FILES, contract=contract, accept=ACCEPT)
    uploads, upload_errors = validate_uploads(request.FILES.getlist("file"), request=request, max_files=1)
    for error in upload_errors:
        form.add_error("file", error)
    if not form.is_valid() or not uploads:
        return _page(request, contract, form)
    certificate = pso.pso_certificate_record(
        contract=contract,
        certificate=form.save(commit=False),
        upload=uploads[0],
        checked=form.cleaned_data["checked"],
        by=request.user,
        request=request,
    )
    contract.refresh_from_db()
    text = pso.obligation_discount_text(contract)
    messages.success(
        request,
        _("Het PSO-certificaat (%(level)s) is vastgelegd.") % {"level": certificate.get_level_display()}
        + (f" {text}." if text else ""),
    )
    return redirect("monitoring:pso_certificates", contract.uuid)


def _certificate_or_404(contract: Contract, certificate_uuid: UUID) -> PsoCertificate:
    """A certificate of the contract's supplier's company; Http404 for any other."""
    return get_object_or_404(_certificates(contract), uuid=certificate_uuid)


@login_required
@require_POST
def check(request: HttpRequest, uuid: UUID, certificate_uuid: UUID) -> HttpResponse:
    """Mark a recorded certificate as checked; the discounts of the company's contracts follow."""
    contract = get_contract_to_change(request, uuid)
    certificate = _certificate_or_404(contract, certificate_uuid)
    pso.pso_certificate_check(contract=contract, certificate=certificate, by=request.user, request=request)
    messages.success(request, _("Het PSO-certificaat is als gecontroleerd vastgelegd."))
    return redirect("monitoring:pso_certificates", contract.uuid)


@login_required
def download(request: HttpRequest, uuid: UUID, certificate_uuid: UUID) -> HttpResponse:
    """Serve a certificate file as an attachment, never rendered by the browser."""
    contract = get_contract_to_change(request, uuid)
    certificate = _certificate_or_404(contract, certificate_uuid)
    return download_response(request, certificate)

"""Registry views: the typeahead endpoint and the add-supplier dialog.

The registry is national reference data: every procurement advisor and coordinator may search it
and add a missing company; there is nothing tenant-owned here.
"""

from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods
from django_htmx.http import trigger_client_event

from suppliers.forms import SimilarSupplier, SupplierAddForm
from suppliers.models import Supplier

# listbox_id and options_response also answer the narrower pickers; they live in suppliers.options.
from suppliers.options import listbox_id, options_response, supplier_data
from suppliers.ratelimit import rate_limited
from suppliers.search import region_hint, search_suppliers
from wizzr.audit import audit_record
from wizzr.models import Role
from wizzr.tenancy import current_organisation, current_roles

REGISTRY_ROLES = {Role.ADVISOR, Role.COORDINATOR}


def require_registry_user(request: HttpRequest) -> None:
    """Allow staff and users who are advisor or coordinator in their current organisation.

    Raises PermissionDenied (403) for anyone else who is logged in.
    """
    if request.user.is_staff or current_roles(request) & REGISTRY_ROLES:
        return
    raise PermissionDenied


@login_required
@require_GET
def search(request: HttpRequest) -> HttpResponse:
    require_registry_user(request)
    listbox = listbox_id(request)
    if rate_limited(request):
        response = HttpResponse(status=429)
        return trigger_client_event(
            response,
            "supplierResults",
            {"count": 0, "message": _("U zoekt te snel achter elkaar. Wacht even en probeer het opnieuw.")},
        )
    # Establishments in the region of the user's organisation rank first among equals.
    result = search_suppliers(request.GET.get("q"), region=region_hint(current_organisation(request)))
    return options_response(
        result.suppliers,
        listbox=listbox,
        searchable=result.searchable,
        query=result.query,
        highlight_terms=result.highlight_terms,
        more=result.more,
        more_is_estimate=result.more_is_estimate,
    )


@login_required
@require_http_methods(["GET", "POST"])
def add(request: HttpRequest) -> HttpResponse:
    require_registry_user(request)
    template = "suppliers/supplier_add_dialog.html" if request.htmx else "suppliers/supplier_form.html"
    if request.method == "POST":
        form = SupplierAddForm(request.POST)
        if form.is_valid():
            try:
                with transaction.atomic():
                    supplier = form.save(commit=False)
                    supplier.source = Supplier.Source.USER
                    supplier.added_by = request.user
                    supplier.save()
                    audit_record(
                        action="supplier.created",
                        actor=request.user,
                        organisation=request.organisation,
                        obj=supplier,
                        request=request,
                    )
            except IntegrityError:
                # Someone added the same KvK + branch number a moment ago: show it as a duplicate.
                form = SupplierAddForm(request.POST)
                form.is_valid()
            else:
                if request.htmx:
                    response = HttpResponse(status=204)
                    return trigger_client_event(response, "supplierCreated", supplier_data(supplier))
                messages.success(request, _("%(name)s is toegevoegd aan het register.") % {"name": supplier})
                return redirect("suppliers:add")
        if request.htmx:
            template += "#form"
    else:
        form = SupplierAddForm(initial={"legal_name": (request.GET.get("naam") or "")[:200]})
    ctx = {
        "form": form,
        "add_url": reverse("suppliers:add"),
        "duplicate": form.duplicate,
        "duplicate_data": json.dumps(supplier_data(form.duplicate)) if form.duplicate else "",
        "similar": [_similar(candidate) for candidate in form.similar],
    }
    return render(request, template, ctx)


def _similar(candidate: SimilarSupplier) -> tuple[Supplier, str, list[str]]:
    """A candidate of the duplicate check as the dialog shows it: the establishment, its data for the
    pick button, and why it looks like the one being added (the check's reasons)."""
    return candidate.supplier, json.dumps(supplier_data(candidate.supplier)), list(candidate.reasons)

"""Registry views: the typeahead endpoint and the add-supplier dialog.

The registry is national reference data: every procurement advisor and coordinator may search it
and add a missing company; there is nothing tenant-owned here.
"""

from __future__ import annotations

import json
import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import escape
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods
from django_htmx.http import trigger_client_event

from suppliers.forms import SupplierAddForm
from suppliers.models import Supplier
from suppliers.ratelimit import rate_limited
from suppliers.search import search_suppliers
from wizzr.audit import audit_record
from wizzr.models import Role
from wizzr.tenancy import current_roles

REGISTRY_ROLES = {Role.ADVISOR, Role.COORDINATOR}
_LISTBOX_ID = re.compile(r"[A-Za-z][A-Za-z0-9_-]{0,80}")


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
    result = search_suppliers(request.GET.get("q"))
    return options_response(result.suppliers, listbox=listbox, searchable=result.searchable)


def listbox_id(request: HttpRequest) -> str:
    """The id of the widget's listbox (the options' ids derive from it), if it is a safe one."""
    listbox = request.GET.get("listbox", "")
    return listbox if _LISTBOX_ID.fullmatch(listbox) else "supplier-listbox"


def options_response(
    suppliers: list[Supplier], *, listbox: str, searchable: bool, empty_message: str | None = None
) -> HttpResponse:
    """The typeahead's options for ``suppliers``, with the ``supplierResults`` event that tells the
    widget how many there are (and what to announce; ``empty_message`` when nothing matched)."""
    if suppliers:
        message = ngettext(
            "%(count)d opdrachtnemer gevonden. Gebruik pijl omlaag en omhoog om te kiezen.",
            "%(count)d opdrachtnemers gevonden. Gebruik pijl omlaag en omhoog om te kiezen.",
            len(suppliers),
        ) % {"count": len(suppliers)}
    elif searchable:
        message = empty_message or _(
            "Geen opdrachtnemer gevonden. Staat hij er niet bij? Voeg hem toe met de knop naast het veld."
        )
    else:
        message = ""
    # Built in Python rather than by the template engine: a keystroke is answered several times a
    # second per user, and ten options through the engine cost more than the search itself.
    response = HttpResponse("".join(_option_html(index, supplier, listbox) for index, supplier in enumerate(suppliers)))
    # After the swap: the widget opens the list once the options are in it.
    return trigger_client_event(
        response, "supplierResults", {"count": len(suppliers), "message": message}, after="swap"
    )


def _option_html(index: int, supplier: Supplier, listbox: str) -> str:
    """One ``role="option"`` row: name, trade name if different, street, place and KvK/branch number."""
    trade = ""
    if supplier.trade_name and supplier.trade_name != supplier.legal_name:
        trade = f'<span class="wizzr-typeahead__trade"> — {escape(supplier.trade_name)}</span>'
    meta = f"{escape(supplier.street)} {escape(supplier.house_number)}, " if supplier.street else ""
    meta += f"{escape(supplier.city)} · {escape(_('KvK'))} {escape(supplier.kvk_number)}"
    if supplier.branch_number:
        meta += f" · {escape(_('vestiging'))} {escape(supplier.branch_number)}"
    if supplier.is_main_branch:
        meta += f" · {escape(_('hoofdvestiging'))}"
    return (
        '\n<li class="utrecht-listbox__option utrecht-listbox__option--html-li wizzr-typeahead__option" role="option" '
        f'id="{escape(listbox)}-{index}" aria-selected="false" data-supplier="{escape(json.dumps(supplier_data(supplier)))}">\n'
        f'  <span class="wizzr-typeahead__name">{escape(supplier.legal_name)}</span>{trade}\n'
        f'  <span class="wizzr-typeahead__meta">{meta}</span>\n</li>'
    )


def supplier_data(supplier: Supplier) -> dict:
    """What the widget needs to show a chosen supplier (and what ``supplierSelected`` carries)."""
    return {
        "uuid": str(supplier.uuid),
        "label": f"{supplier.legal_name}, {supplier.city}" if supplier.city else supplier.legal_name,
        "legal_name": supplier.legal_name,
        "trade_name": supplier.trade_name,
        "kvk_number": supplier.kvk_number,
        "branch_number": supplier.branch_number,
        "is_main_branch": supplier.is_main_branch,
        "street": supplier.street,
        "house_number": supplier.house_number,
        "postcode": supplier.postcode,
        "city": supplier.city,
        "address": supplier.address_line,
        "phone": supplier.phone,
        "email": supplier.email,
        "website": supplier.website,
    }


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
        "similar": [(s, json.dumps(supplier_data(s))) for s in form.similar],
    }
    return render(request, template, ctx)

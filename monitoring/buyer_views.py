"""Monitoren contracten for the buyer: individueel (the list), one contract, geconsolideerd, exports.

Everything reads through ``Contract.objects.visible_to``: advisors see the contracts of their
organisation(s), drafts included; coordinators those of the authorities their service point
serves, from handover on. Anything else answers 404, the same as an id that does not exist.
"""

from __future__ import annotations

from uuid import UUID

from allauth.account.decorators import reauthentication_required
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from contracts.models import Contract
from monitoring import exports, lasting, reports
from monitoring.buyer_filters import PER_PAGE_CHOICES, ContractListFilter, ScopedFilterSet, per_page
from monitoring.figures import contract_figures, schedule
from monitoring.list_rows import render_rows
from monitoring.models import ContractFollowUp, LastingOutcome, Realisation
from suppliers.options import listbox_id, options_response
from suppliers.search import clean_input
from wizzr.access import role_required
from wizzr.audit import audit_record
from wizzr.models import Role

MONITORING_ROLES = (Role.ADVISOR, Role.COORDINATOR, Role.ORG_ADMIN)

# (sort key, column heading, numeric) of the individual list, in display order.
COLUMNS = [
    ("contractnummer", _("Inkoopcontract"), False),  # number and title
    ("opdrachtnemer", _("Uitvoerende partij"), False),
    ("looptijd", _("Looptijd"), False),
    ("status", _("Status"), False),
    ("verplichting", _("Verplichting"), True),
    ("gerealiseerd", _("Gerealiseerd"), True),
    ("voortgang", _("Voortgang"), False),
    ("coordinator", _("SROI-coördinator"), False),
]


def _wants_partial(request: HttpRequest) -> bool:
    return bool(request.htmx) and not request.htmx.history_restore_request


def _render(request: HttpRequest, template: str, ctx: dict, partial: str) -> HttpResponse:
    is_partial = _wants_partial(request)
    ctx["is_partial"] = is_partial
    # The same URL answers a whole page or a fragment: wizzr.headers adds Vary: HX-Request to both.
    return render(request, f"{template}#{partial}" if is_partial else template, ctx)


def _list_filter(request: HttpRequest) -> ContractListFilter:
    """The filter set of the individual list over the user's contracts."""
    visible = Contract.objects.visible_to(request.user)
    authorities = list(reports.authorities_for(request.user))
    return ContractListFilter(
        request.GET,
        queryset=visible,
        authorities=authorities,
        default_organisation=request.organisation,
        coordinators=reports.coordinator_choices(authorities),
        request=request,
    )


@login_required
@role_required(*MONITORING_ROLES)
@require_GET
def supplier_options(request: HttpRequest) -> HttpResponse:
    """The supplier filter's typeahead: suppliers of the user's own contracts that match what was typed."""
    query = clean_input(request.GET.get("q"))
    searchable = any(ch.isalnum() for ch in query)
    visible = Contract.objects.visible_to(request.user)
    suppliers = reports.matching_suppliers(visible, query) if searchable else []
    return options_response(
        suppliers,
        listbox=listbox_id(request),
        searchable=searchable,
        empty_message=_("Geen uitvoerende partij van uw contracten gevonden."),
    )


def _scoped_filter(request: HttpRequest) -> ScopedFilterSet:
    """The filter set of the consolidated figures (year, status, organisation). Concepts do not count:
    monitoring starts at the handover, and coordinators never see them."""
    authorities = list(reports.authorities_for(request.user))
    visible = Contract.objects.visible_to(request.user).exclude(status=Contract.Status.DRAFT)
    if authorities:
        # The authorities by id as well (the same contracts: only authorities own contracts): PostgreSQL
        # then knows how many contracts the figures cover, and looks their totals up instead of hashing
        # the totals of every contract in the country. (Without any, the list would be an empty IN,
        # which the figures' SQL cannot be compiled with; visible_to already finds nothing.)
        visible = visible.filter(organisation_id__in=[a.pk for a in authorities])
    return ScopedFilterSet(
        request.GET,
        queryset=visible,
        statuses=[(value, label) for value, label in Contract.Status.choices if value != Contract.Status.DRAFT],
        authorities=authorities,
        default_organisation=request.organisation,
        span_scope="handed-over",
        request=request,
    )


def _sort_columns(sort: str) -> list[dict]:
    columns = []
    for key, label, numeric in COLUMNS:
        state = "ascending" if sort == key else "descending" if sort == f"-{key}" else ""
        columns.append(
            {
                "key": key,
                "label": label,
                "numeric": numeric,
                "aria_sort": state,
                # A click on the current column turns the order around; numbers start with the largest.
                "next": f"-{key}" if state == "ascending" or (not state and numeric) else key,
            }
        )
    return columns


@login_required
@role_required(*MONITORING_ROLES)
def individual(request: HttpRequest) -> HttpResponse:
    """Monitoren contracten — individueel: the filterable, sortable, paged list."""
    filterset = _list_filter(request)
    size = per_page(request.GET.get("per_page"))
    page, rows, sort = reports.list_page(
        filterset.qs, key=request.GET.get("o"), page=request.GET.get("page"), per_page=size
    )
    _prepare_rows(rows)
    show_organisation = filterset.has_organisation_filter
    ctx = {
        "filter": filterset,
        "page": page,
        "rows": rows,
        "sort": sort,
        "per_page": size,
        "per_page_choices": PER_PAGE_CHOICES,
        "columns": _sort_columns(sort),
        # Only an empty result asks whether there is anything at all (for the right empty state).
        "has_contracts": bool(rows) or Contract.objects.visible_to(request.user).exists(),
        "is_filtered": _is_filtered(request),
        "show_organisation": show_organisation,
        "rendered_rows": render_rows(rows, show_organisation=show_organisation, help_url=_help_url()),
        "tab": "individual",
    }
    return _render(request, "monitoring/buyer/contract_list.html", ctx, "results")


_ANY_UUID = "00000000-0000-0000-0000-000000000000"


def _help_url() -> str:
    """Where a row's menu asks a question about its contract (the knowledge base's help request form)."""
    try:
        return reverse("knowledgebase:help_request_create")
    except NoReverseMatch:
        return ""


def _prepare_rows(rows: list[Contract]) -> None:
    """Give each row its links and display texts. Reversing URLs and localising numbers in the
    template costs tens of microseconds per cell; a page has hundreds of cells."""
    monitor = reverse("monitoring:contract", args=[_ANY_UUID])
    edit = reverse("contracts:edit", args=[_ANY_UUID])
    attachments = reverse("contracts:attachments", args=[_ANY_UUID])
    for row in rows:
        uuid = str(row.uuid)
        row.monitor_url = monitor.replace(_ANY_UUID, uuid)
        row.edit_url = edit.replace(_ANY_UUID, uuid)
        row.attachments_url = attachments.replace(_ANY_UUID, uuid)
        row.term_text = (
            f"{row.start_date.day}-{row.start_date.month}-{row.start_date.year}",
            (f"{row.end_date.day}-{row.end_date.month}-{row.end_date.year}"),
        )
        row.obligation_text = exports.amount_text(row.obligation_amount)
        row.approved_text = exports.amount_text(row.approved_amount)
        row.progress_text = f"{row.progress:.0f}" if row.progress is not None else ""
        row.bar_text = f"{row.bar_width:.1f}"
        row.elapsed_text = f"{row.elapsed_share:.1f}"
        row.elapsed_whole = f"{row.elapsed_share:.0f}"


def _is_filtered(request: HttpRequest) -> bool:
    return any(value for key, value in request.GET.items() if key not in {"o", "page", "per_page"})


@login_required
@role_required(*MONITORING_ROLES)
def consolidated(request: HttpRequest) -> HttpResponse:
    """Monitoren contracten — geconsolideerd: totals over all contracts of the organisation(s)."""
    filterset = _scoped_filter(request)
    figures = reports.consolidated(filterset.qs)
    ctx = {
        "filter": filterset,
        "figures": figures,
        "charts": reports.charts(figures),
        "lasting_shares": lasting.shares_of_contracts(filterset.qs),
        "tab": "consolidated",
        "is_filtered": _is_filtered(request),
    }
    return _render(request, "monitoring/buyer/consolidated.html", ctx, "results")


# One contract -----------------------------------------------------------------------------------


def _get_contract(request: HttpRequest, uuid: UUID) -> Contract:
    """Return contract ``uuid`` if the user may see it; raise Http404 otherwise (other tenants, unknown ids)."""
    contracts = Contract.objects.visible_to(request.user).select_related(
        "organisation__served_by", "supplier", "handed_over_by", "created_by", "settlement", "follow_up__coordinator"
    )
    return get_object_or_404(contracts, uuid=uuid)


def _settlement_of(contract: Contract):
    """The contract's outcome (``Settlement``, joined by ``_get_contract``), or None."""
    try:
        return contract.settlement
    except ObjectDoesNotExist:
        return None


def _follow_up_of(contract: Contract) -> ContractFollowUp | None:
    """The contract's follow-up with its coordinator (joined by ``_get_contract``), or None."""
    try:
        return contract.follow_up
    except ObjectDoesNotExist:
        return None


@login_required
def contract_detail(request: HttpRequest, uuid: UUID) -> HttpResponse:
    """The buyer's view of one contract: progress, agreements, realisations, attachments, timeline,
    the contract information panel and "Vragen en informatie"."""
    contract = _get_contract(request, uuid)
    if contract.is_draft:
        # Nothing to monitor before the handover: the concept is continued in contract entry.
        return redirect("contracts:detail", uuid=contract.uuid)
    follow_up = _follow_up_of(contract)
    figures = contract_figures(contract)
    agreements = list(
        contract.agreements.select_related("block").prefetch_related("bonuses").order_by("created_at", "pk")
    )
    realisations = list(
        contract.realisations.select_related("block", "social_company").order_by("period_start", "created_at", "pk")
    )
    attachments = list(contract.attachments.select_related("uploaded_by").order_by("uploaded_at", "pk"))
    people = reports.people_with_access(contract, follow_up=follow_up)
    # Changes are passed on by the buyer; the coordinators make them themselves.
    is_member = any(p["is_member_of_buyer"] and p["user"].pk == request.user.pk for p in people)
    ctx = {
        "contract": contract,
        "follow_up": follow_up,
        "figures": figures,
        "schedule": schedule(figures, status=contract.status),
        "bars": reports.progress_bars(figures),
        "agreements": agreements,
        "realisations": realisations,
        "categories": reports.contract_categories(contract),
        "attachments": attachments,
        "timeline": reports.timeline(contract),
        "people": people,
        "contact": reports.coordinator_contact(contract, follow_up=follow_up),
        "can_pass_on_changes": is_member,
        "today": timezone.localdate(),
        "settlement": _settlement_of(contract),
        "lasting_shares": lasting.shares(LastingOutcome.objects.filter(contract=contract)),
    }
    return render(request, "monitoring/buyer/contract_detail.html", ctx)


# Exports ----------------------------------------------------------------------------------------


def _format_or_404(fmt: str) -> str:
    if fmt not in exports.FORMATS:
        raise Http404
    return fmt


@login_required
@role_required(*MONITORING_ROLES)
@reauthentication_required
def export_individual(request: HttpRequest, fmt: str) -> HttpResponse:
    """The individual list as CSV or XLSX: every row that matches the filters, in the chosen order."""
    fmt = _format_or_404(fmt)
    filterset = _list_filter(request)
    rows, _sort = reports.sort_rows(reports.contract_rows(filterset.qs), request.GET.get("o"))
    response, count = exports.individual(rows, fmt=fmt, today=timezone.localdate())
    _audit_export(request, report="individual", fmt=fmt, rows=count, filters=filterset.active_filters())
    return response


@login_required
@role_required(*MONITORING_ROLES)
@reauthentication_required
def export_consolidated(request: HttpRequest, fmt: str) -> HttpResponse:
    """The consolidated figures as CSV or XLSX, for the filters in use."""
    fmt = _format_or_404(fmt)
    filterset = _scoped_filter(request)
    figures = reports.consolidated(filterset.qs, behind_limit=10_000)
    response, count = exports.consolidated(figures, fmt=fmt, lasting_shares=lasting.shares_of_contracts(filterset.qs))
    _audit_export(request, report="consolidated", fmt=fmt, rows=count, filters=filterset.active_filters())
    return response


@login_required
@role_required(*MONITORING_ROLES)
@reauthentication_required
def export_realisations(request: HttpRequest, fmt: str) -> HttpResponse:
    """The realisations of the contracts that match the consolidated view's filters, as CSV or XLSX."""
    fmt = _format_or_404(fmt)
    filterset = _scoped_filter(request)
    rows = Realisation.objects.filter(contract__in=filterset.qs.values("pk"))
    response, count = exports.realisations(rows, fmt=fmt, today=timezone.localdate())
    _audit_export(request, report="realisations", fmt=fmt, rows=count, filters=filterset.active_filters())
    return response


def _audit_export(request: HttpRequest, *, report: str, fmt: str, rows: int, filters: dict) -> None:
    # Free text may hold anything a person typed: the audit log records only that it was used.
    if "q" in filters:
        filters["q"] = "…"
    audit_record(
        action="export",
        actor=request.user,
        organisation=request.organisation,
        request=request,
        detail={"report": report, "format": fmt, "rows": rows, "filters": filters},
    )

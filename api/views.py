"""The read-only JSON API (v1) for BI tools and contract-management systems.

Every answer is about the organisation of the key (``request.api_organisation``): an authority sees its
own contracts, a service point the handed-over contracts of the authorities it serves. Another
organisation's contract answers exactly like a contract that does not exist. The figures come from
the same functions as the monitoring pages and the annual report (``monitoring.figures.with_progress``,
``monitoring.annual``), each list in a fixed number of queries whatever its page size.
"""

from __future__ import annotations

from decimal import Decimal
from urllib.parse import urlencode

from django.db.models import Max, Min, Q, QuerySet, Sum
from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt

from api.auth import api_view, error, json_response
from api.openapi import document
from contracts.models import Contract
from monitoring.annual import FIRST_YEAR, in_year, trend_by_organisation, with_sroi
from monitoring.figures import with_progress
from monitoring.models import Agreement, Realisation
from monitoring.reports import share
from wizzr.models import Organisation

DEFAULT_PAGE_SIZE = 25
MAX_PAGE_SIZE = 100
LAST_YEAR = 2100


class BadRequest(Exception):
    pass


def contracts_of(organisation: Organisation) -> QuerySet[Contract]:
    """The contracts a key of ``organisation`` reads (the same scope as its members and coordinators)."""
    if organisation.kind == Organisation.Kind.SERVICE_POINT:
        return Contract.objects.filter(
            Q(organisation=organisation)
            | (Q(organisation__served_by=organisation) & ~Q(status=Contract.Status.DRAFT))
        )
    return Contract.objects.filter(organisation=organisation)


def money(value: Decimal | None) -> str | None:
    return None if value is None else f"{value:.2f}"


def decimal(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def whole_number(request: HttpRequest, name: str, *, default: int | None, low: int, high: int) -> int | None:
    raw = request.GET.get(name)
    if raw is None or raw == "":
        return default
    if not raw.isascii() or not raw.isdigit() or not low <= int(raw) <= high:
        raise BadRequest(
            f"Ongeldige waarde voor '{name}': een geheel getal van {low} tot en met {high}. / "
            f"Invalid value for '{name}': a whole number from {low} to {high}."
        )
    return int(raw)


def status_filter(request: HttpRequest) -> str | None:
    raw = request.GET.get("status")
    if raw is None or raw == "":
        return None
    if raw not in Contract.Status.values:
        allowed = ", ".join(Contract.Status.values)
        raise BadRequest(
            f"Ongeldige status; kies uit: {allowed}. / Invalid status; choose from: {allowed}."
        )
    return raw


def page_of(request: HttpRequest, items, count: int | None = None) -> dict:
    """Slice ``items`` (a queryset or a list) by ``page`` and ``page_size``, with links to the neighbours."""
    page = whole_number(request, "page", default=1, low=1, high=1_000_000)
    size = whole_number(request, "page_size", default=DEFAULT_PAGE_SIZE, low=1, high=MAX_PAGE_SIZE)
    total = count if count is not None else (items.count() if isinstance(items, QuerySet) else len(items))
    start = (page - 1) * size
    if start and start >= total:
        raise BadRequest("Deze pagina bestaat niet. / This page does not exist.")

    def link(number: int) -> str:
        query = request.GET.copy()
        query["page"] = str(number)
        query["page_size"] = str(size)
        return request.build_absolute_uri(request.path) + "?" + urlencode(sorted(query.items()))

    return {
        "count": total,
        "next": link(page + 1) if start + size < total else None,
        "previous": link(page - 1) if page > 1 else None,
        "results": list(items[start : start + size]),
    }


def handles_bad_requests(view):
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except BadRequest as problem:
            return error(str(problem), status=400)

    wrapper.__name__ = view.__name__
    wrapper.__doc__ = view.__doc__
    return wrapper


def not_found() -> JsonResponse:
    return error("Niet gevonden. / Not found.", status=404)


def contract_data(contract: Contract) -> dict:
    supplier = contract.supplier
    return {
        "uuid": str(contract.uuid),
        "number": contract.contract_number,
        "title": contract.title,
        "status": contract.status,
        "start_date": contract.start_date.isoformat(),
        "end_date": contract.end_date.isoformat(),
        "supplier": None
        if supplier is None
        else {
            "name": supplier.legal_name,
            "kvk_number": supplier.kvk_number,
            "branch_number": supplier.branch_number,
        },
        "obligation": money(contract.obligation_amount),
        "agreed": money(contract.planned_amount),
        "realised": money(contract.approved_amount),
        "on_track": contract.track_state,
    }


def contract_rows(organisation: Organisation) -> QuerySet[Contract]:
    return with_progress(contracts_of(organisation)).select_related("supplier").order_by(
        "start_date", "contract_number", "pk"
    )


def find_contract(request: HttpRequest, uuid) -> Contract | None:
    return contract_rows(request.api_organisation).filter(uuid=uuid).first()


@api_view
@handles_bad_requests
def contract_list(request: HttpRequest) -> JsonResponse:
    rows = contract_rows(request.api_organisation)
    year = whole_number(request, "year", default=None, low=FIRST_YEAR, high=LAST_YEAR)
    if year is not None:
        rows = rows.filter(in_year(year))
    status = status_filter(request)
    if status is not None:
        rows = rows.filter(status=status)
    body = page_of(request, rows)
    body["results"] = [contract_data(contract) for contract in body["results"]]
    return json_response(body)


@api_view
def contract_detail(request: HttpRequest, uuid) -> JsonResponse:
    contract = find_contract(request, uuid)
    if contract is None:
        return not_found()
    return json_response(contract_data(contract))


def block_data(block) -> dict:
    return {"uuid": str(block.uuid), "name": block.name, "category": block.category}


@api_view
@handles_bad_requests
def agreement_list(request: HttpRequest, uuid) -> JsonResponse:
    contract = contracts_of(request.api_organisation).filter(uuid=uuid).only("pk").first()
    if contract is None:
        return not_found()
    rows = Agreement.objects.filter(contract=contract).select_related("block").order_by("created_at", "pk")
    body = page_of(request, rows)
    body["results"] = [
        {
            "uuid": str(agreement.uuid),
            "building_block": block_data(agreement.block),
            "description": agreement.description,
            "persons": agreement.persons,
            "hours_per_week": decimal(agreement.hours_per_week),
            "months": decimal(agreement.months),
            "hours": decimal(agreement.hours),
            "invoice_amount": money(agreement.invoice_amount),
            "planned_value": money(agreement.planned_value),
        }
        for agreement in body["results"]
    ]
    return json_response(body)


@api_view
def realised(request: HttpRequest, uuid) -> JsonResponse:
    """Approved and submitted (not yet assessed) value per building block; only approved counts as realised."""
    contract = contracts_of(request.api_organisation).filter(uuid=uuid).only("pk", "uuid").first()
    if contract is None:
        return not_found()
    rows = (
        Realisation.objects.filter(contract=contract)
        .order_by()
        .values("block__uuid", "block__name", "block__category")
        .annotate(
            approved=Sum("value", filter=Q(status=Realisation.Status.APPROVED), default=Decimal("0.00")),
            submitted=Sum("value", filter=Q(status=Realisation.Status.SUBMITTED), default=Decimal("0.00")),
        )
        .order_by("block__name", "block__uuid")
    )
    blocks = [
        {
            "building_block": {"uuid": str(row["block__uuid"]), "name": row["block__name"], "category": row["block__category"]},
            "approved": money(row["approved"]),
            "submitted": money(row["submitted"]),
        }
        for row in rows
    ]
    return json_response(
        {
            "contract": str(contract.uuid),
            "approved": money(sum((Decimal(b["approved"]) for b in blocks), Decimal("0.00"))),
            "submitted": money(sum((Decimal(b["submitted"]) for b in blocks), Decimal("0.00"))),
            "building_blocks": blocks,
        }
    )


@api_view
@handles_bad_requests
def annual_figures(request: HttpRequest) -> JsonResponse:
    """Per year the contracts with an SROI obligation running in it, as in the annual report."""
    contracts = contracts_of(request.api_organisation)
    year = whole_number(request, "year", default=None, low=FIRST_YEAR, high=LAST_YEAR)
    if year is not None:
        years = [year]
    else:
        span = with_sroi(contracts).aggregate(first=Min("start_date"), last=Max("end_date"))
        this_year = timezone.localdate().year
        first = max(span["first"].year if span["first"] else this_year, FIRST_YEAR)
        last = min(span["last"].year if span["last"] else this_year, LAST_YEAR)
        years = list(range(first, last + 1))
    body = page_of(request, years)
    totals = {y: {"contracts": 0, "obligation": Decimal(0), "agreed": Decimal(0), "realised": Decimal(0)} for y in body["results"]}
    if body["results"]:
        for per_year in trend_by_organisation(contracts, body["results"]).values():
            for y, figures in per_year.items():
                totals[y]["contracts"] += figures.contracts
                totals[y]["obligation"] += figures.obligation
                totals[y]["agreed"] += figures.planned
                totals[y]["realised"] += figures.approved
    body["results"] = [
        {
            "year": y,
            "contracts": totals[y]["contracts"],
            "obligation": money(totals[y]["obligation"]),
            "agreed": money(totals[y]["agreed"]),
            "realised": money(totals[y]["realised"]),
            "share": share(totals[y]["realised"], totals[y]["obligation"]),
        }
        for y in body["results"]
    ]
    return json_response(body)


@csrf_exempt
def openapi_document(request: HttpRequest) -> JsonResponse:
    """The OpenAPI description of this API; public, so that a client can be set up before it has a key."""
    if request.method not in ("GET", "HEAD"):
        response = error("Methode niet toegestaan. / Method not allowed.", status=405)
        response["Allow"] = "GET, HEAD"
        return response
    return json_response(document(request.build_absolute_uri("/api/v1")))

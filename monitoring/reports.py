"""Figures of the buyer's monitoring pages (individueel, geconsolideerd) and of their exports.

Every function takes a queryset of contracts the user may see (``Contract.objects.visible_to``)
and answers in a fixed number of queries whatever the number of contracts: the progress of a row
comes from subqueries (``monitoring.figures.with_progress``), which PostgreSQL evaluates only for
the rows of the page, and the consolidated figures from a few grouped aggregates.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import FieldDoesNotExist
from django.core.paginator import Page, Paginator
from django.db import connection, models
from django.db.models import Case, Count, F, Q, QuerySet, Sum, Value, When, Window
from django.db.models.functions import Cast, Coalesce, ExtractYear, NullIf
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from catalogue.models import BuildingBlock
from contracts.models import Contract
from monitoring import panels
from monitoring.figures import Track, expected_by_now, set_schedule, with_progress, with_totals
from monitoring.models import ContractBlockTotal, ContractFollowUp
from suppliers.models import Supplier, establishment_text
from wizzr.models import AuditEvent, Membership, Organisation, Role, User

ZERO = Decimal("0.00")
PERCENT = models.DecimalField(max_digits=12, decimal_places=4)


# Scope ------------------------------------------------------------------------------------------


def authorities_for(user) -> QuerySet[Organisation]:
    """The contracting authorities whose contracts ``user`` may see: the authorities they are a
    member of, and those served by a service point they coordinate for. Ordered by name."""
    if not getattr(user, "is_authenticated", False):
        return Organisation.objects.none()
    member_of = Membership.objects.filter(user=user).values("organisation_id")
    coordinates = Membership.objects.filter(user=user, role=Role.COORDINATOR).values("organisation_id")
    return Organisation.objects.filter(
        Q(pk__in=member_of) | Q(served_by_id__in=coordinates), kind=Organisation.Kind.AUTHORITY
    ).order_by("name")


SUPPLIER_SUGGESTIONS = 10


def matching_suppliers(
    contracts: QuerySet[Contract], text: str, *, limit: int = SUPPLIER_SUGGESTIONS
) -> list[Supplier]:
    """The suppliers of ``contracts`` whose name, trade name or place contains ``text`` (compared
    unaccented and case-insensitively, like the registry search), or whose KvK number starts with it;
    by name. The supplier filter's typeahead offers no others."""
    key = models.Func(Value(text), function="suppliers_normalise", output_field=models.TextField(db_collation="C"))
    matches = Q(name_key__contains=F("typed")) | Q(trade_key__contains=F("typed")) | Q(city_key__contains=F("typed"))
    digits = "".join(ch for ch in text if ch.isdigit())
    if digits and len(digits) == len(text.replace(" ", "")):
        matches |= Q(kvk_number__startswith=digits)
    return list(
        Supplier.objects.filter(pk__in=contracts.order_by().values("supplier_id"))
        .alias(typed=key)
        .filter(matches)
        .order_by("legal_name", "city", "pk")[:limit]
    )


def is_supplier_of(contracts: QuerySet[Contract], supplier_uuid: str) -> bool:
    """Whether ``supplier_uuid`` is the supplier of one of ``contracts``."""
    return contracts.filter(supplier__uuid=supplier_uuid).exists()


def coordinator_choices(authorities: list[Organisation]) -> list[tuple[str, str]]:
    """(uuid, name) of the coordinators of the service points that serve ``authorities``: the
    people who can follow up these contracts. A few membership rows, whatever the number of contracts."""
    service_points = {a.served_by_id for a in authorities if a.served_by_id}
    users = (
        User.objects.filter(
            memberships__organisation_id__in=service_points, memberships__role=Role.COORDINATOR, is_active=True
        )
        .distinct()
        .order_by("name", "email")
        .values_list("uuid", "name", "email")
    )
    return [(str(uuid), name or email) for uuid, name, email in users]


# Individual list --------------------------------------------------------------------------------

SUPPLIER_NAME = Coalesce(NullIf("supplier__trade_name", Value("")), "supplier__legal_name")

# ?o=<key> (or -<key>) → the columns to order by; pk keeps pages stable.
SORTS: dict[str, tuple[str, ...]] = {
    "contractnummer": ("contract_number",),
    "titel": ("title",),
    "opdrachtnemer": ("supplier_name",),
    "looptijd": ("start_date", "end_date"),
    "status": ("status_rank",),
    "verplichting": ("obligation_amount",),
    "gerealiseerd": ("approved_amount",),
    "voortgang": ("progress",),
    "coordinator": ("coordinator_name",),
}
DEFAULT_SORT = "-looptijd"


def _status_rank() -> Case:
    return Case(
        *[When(status=value, then=Value(rank)) for rank, value in enumerate(Contract.Status.values)],
        output_field=models.IntegerField(),
    )


def _progress() -> Case:
    """Approved value as a percentage of the obligation; NULL without an obligation and for concepts."""
    return Case(
        When(
            Q(obligation_amount__gt=0) & ~Q(status=Contract.Status.DRAFT),
            then=F("approved_amount") * 100 / F("obligation_amount"),
        ),
        default=None,
        output_field=PERCENT,
    )


def contract_rows(contracts: QuerySet[Contract], *, today: date | None = None) -> QuerySet[Contract]:
    """The rows of the individual list with their figures (see ``with_progress``) and the related
    rows they show. Every figure is a subquery per row: fine for a page of rows, and for an export.
    ``decorate`` adds what is derived from the figures."""
    return with_progress(contracts, today=today).select_related("organisation", "supplier", "follow_up__coordinator")


def _percent(part, whole) -> Decimal | None:
    if not whole or part is None:
        return None
    return Decimal(part) * 100 / Decimal(whole)


def decorate(contract: Contract) -> Contract:
    """Set what a row shows besides the figures: ``progress`` (approved as a percentage of the
    obligation; None without an obligation and for concepts), ``bar_width`` (0–100),
    ``elapsed_share`` (percentage of the term passed), ``supplier_name`` with ``supplier_establishment``
    (place and which establishment: one company can have several), ``coordinator_name``,
    ``track_state`` and ``is_behind`` (``monitoring.figures.track_state``), ``expected_now`` and ``arrears``."""
    has_obligation = contract.obligation_amount is not None and contract.obligation_amount > 0
    contract.progress = _percent(contract.approved_amount, contract.obligation_amount) if has_obligation else None
    if contract.is_draft:
        contract.progress = None
    contract.bar_width = max(ZERO, min(contract.progress, Decimal(100))) if contract.progress is not None else ZERO
    contract.elapsed_share = _percent(contract.elapsed_days, contract.term_days) or ZERO
    if not hasattr(contract, "supplier_name"):  # page_rows annotates these; contract_rows joins them
        contract.supplier_name = contract.supplier.display_name
        contract.supplier_city = contract.supplier.city
        contract.supplier_branch = contract.supplier.branch_number
        contract.supplier_is_main = contract.supplier.is_main_branch
        contract.organisation_name = contract.organisation.name
        try:
            coordinator = contract.follow_up.coordinator  # select_related: no query
        except ContractFollowUp.DoesNotExist:
            coordinator = None
        contract.coordinator_name = coordinator.name if coordinator else ""
    contract.supplier_establishment = " · ".join(
        part for part in (contract.supplier_city, establishment_text(contract.supplier_branch, contract.supplier_is_main)) if part
    )
    contract.track_state = Track(contract.track_state)  # annotated by with_progress
    contract.is_behind = contract.track_state == Track.BEHIND
    contract.expected_now = expected_by_now(
        contract.obligation_amount, elapsed_days=contract.elapsed_days, term_days=contract.term_days
    )
    contract.arrears = (
        max(contract.expected_now - contract.approved_amount, ZERO) if contract.expected_now is not None else None
    )
    return contract


def _with_sort_key(contracts: QuerySet[Contract], name: str) -> QuerySet[Contract]:
    """Add only what ordering by ``name`` needs: nothing for plain columns, a join for names,
    the progress subqueries for realised value and progress."""
    present = contracts.query.annotations
    if name in ("gerealiseerd", "voortgang") and "approved_amount" not in present:
        contracts = with_progress(contracts)
    if name == "voortgang" and "progress" not in present:
        contracts = contracts.alias(progress=_progress())
    elif name == "verplichting" and "obligation_amount" not in present:
        contracts = contracts.with_obligation()
    elif name == "opdrachtnemer" and "supplier_name" not in present:
        contracts = contracts.alias(supplier_name=SUPPLIER_NAME)
    elif name == "coordinator" and "coordinator_name" not in present:
        contracts = contracts.alias(coordinator_name=F("follow_up__coordinator__name"))
    elif name == "status" and "status_rank" not in present:
        contracts = contracts.alias(status_rank=_status_rank())
    return contracts


def sort_rows(rows: QuerySet[Contract], key: str | None) -> tuple[QuerySet[Contract], str]:
    """Order ``rows`` by ``key`` from ``SORTS`` (prefix ``-`` for descending); an unknown key falls
    back to ``DEFAULT_SORT``. Returns the ordered rows and the key applied. Empty values sort last."""
    key = key or DEFAULT_SORT
    if key.lstrip("-") not in SORTS:
        key = DEFAULT_SORT
    descending = key.startswith("-")
    name = key.lstrip("-")
    columns = SORTS[name]
    order = [F(c).desc(nulls_last=True) if descending else F(c).asc(nulls_last=True) for c in columns]
    rows = _with_sort_key(rows, name)
    return rows.order_by(*order, F("pk").desc() if descending else F("pk").asc()), key


# The columns a page row shows (monitoring/list_rows.py and the consolidated view's contracts behind):
# not the texts of the contract form, which would be read and turned into fields for every row.
ROW_FIELDS = ("uuid", "contract_number", "title", "start_date", "end_date", "status", "stored_obligation")


def _page_rows_query(ids: list[int]) -> QuerySet[Contract]:
    # Unordered: page_rows puts the rows in the order of ``ids``.
    return with_totals(Contract.objects.filter(pk__in=ids).only(*ROW_FIELDS).order_by()).annotate(
        organisation_name=F("organisation__name"),
        supplier_name=SUPPLIER_NAME,
        supplier_city=F("supplier__city"),
        supplier_branch=F("supplier__branch_number"),
        supplier_is_main=F("supplier__is_main_branch"),
        coordinator_name=Coalesce(F("follow_up__coordinator__name"), Value("")),
    )


def page_rows(ids: list[int], *, today: date | None = None) -> list[Contract]:
    """The contracts ``ids`` (already checked for visibility) with their figures, in the order of
    ``ids``, decorated (see ``decorate``). One query; the on-track state of these few rows comes from
    the Python rule (``set_schedule``), the same answers as ``with_progress``' SQL."""
    if not ids:
        return []
    today = today or timezone.localdate()
    order = {pk: index for index, pk in enumerate(ids)}
    rows = sorted(_page_rows_query(ids), key=lambda row: order[row.pk])
    return [decorate(set_schedule(row, today=today)) for row in rows]


def _page_number(value: str | None) -> int:
    try:
        return int(value or 1)
    except ValueError:
        return 1


def list_page(
    contracts: QuerySet[Contract], *, key: str | None, page: str | None, per_page: int, today: date | None = None
) -> tuple[Page, list[Contract], str]:
    """One page of the individual list: the Django page (count, numbers), its rows with their
    figures, and the sort key applied. Two queries whatever the page size.

    The page is chosen over narrow rows (ids in the requested order, counted in the same query,
    filtered without any figures unless the order or a filter needs them); only its rows are then
    fetched with their figures. PostgreSQL never computes the figures of rows it does not show.
    A page number out of range shows the last page, like Django's ``Paginator.get_page``.
    """
    ordered, key = sort_rows(contracts, key)
    page_of, ids, _counts = page_of_ids(ordered, page=page, per_page=per_page)
    rows = page_rows(ids, today=today)
    page_of.object_list = rows
    return page_of, rows, key


def page_of_ids(
    ordered: QuerySet, *, page: str | None, per_page: int, counts: dict[str, Count] | None = None
) -> tuple[Page, list[int], dict[str, int]]:
    """The ids of one page of ``ordered`` (a Django ``Page`` of them: count and numbers), counted in
    the same query, with the window ``counts`` over all rows (e.g. how many are new). An empty page
    out of range asks again for the last page, like ``Paginator.get_page``; only then, or when there
    are no rows, a second query counts."""
    windows = {"total": Window(Count("pk")), **{name: Window(c) for name, c in (counts or {}).items()}}
    names = list(windows)
    narrow = ordered.annotate(**windows).values_list("pk", *names)
    number = _page_number(page)
    found = list(narrow[(number - 1) * per_page : number * per_page]) if number >= 1 else []
    if not found:
        total = ordered.count()
        number = max(1, -(-total // per_page))
        found = list(narrow[(number - 1) * per_page : number * per_page]) if total else []
    figures = dict(zip(names, found[0][1:], strict=True)) if found else dict.fromkeys(names, 0)
    ids = [row[0] for row in found]
    return Page(ids, number, Paginator(_Counted(figures["total"]), per_page)), ids, figures


class _Counted:
    """Stands in for a queryset whose length is known: Paginator needs only ``count()``."""

    def __init__(self, count: int):
        self._count = count

    def count(self) -> int:
        return self._count


# Consolidated figures ---------------------------------------------------------------------------


def share(part: Decimal | None, whole: Decimal | None) -> int | None:
    """``part`` as a whole percentage of ``whole``; None when there is no whole."""
    if not whole or part is None:
        return None
    return int((Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("1"), rounding=ROUND_HALF_UP))


@dataclass
class Bucket:
    """Totals of a group of contracts (a status, a year, a category, a supplier, or all)."""

    key: str
    label: str
    contracts: int = 0
    contract_value: Decimal = ZERO
    obligation: Decimal = ZERO
    planned: Decimal = ZERO
    approved: Decimal = ZERO

    @property
    def percentage(self) -> int | None:
        """Approved value as a percentage of the obligation."""
        return share(self.approved, self.obligation)

    @property
    def planned_percentage(self) -> int | None:
        return share(self.planned, self.obligation)


@dataclass
class OutcomeBucket:
    """The contracts whose outcome was recorded at the end of the term (``Settlement``) with
    one outcome: how many, how many of them are in a recovery period, their shortfall (after the
    recovery period where it is over) and what was withheld."""

    key: str
    label: str
    contracts: int = 0
    in_recovery: int = 0
    shortfall: Decimal = ZERO
    withheld: Decimal = ZERO


@dataclass
class Outcomes:
    """Recorded outcomes per outcome (gerealiseerd, deels, niet), always all three, in that order."""

    rows: list[OutcomeBucket]

    @property
    def contracts(self) -> int:
        return sum(r.contracts for r in self.rows)

    @property
    def in_recovery(self) -> int:
        return sum(r.in_recovery for r in self.rows)

    @property
    def shortfall(self) -> Decimal:
        return sum((r.shortfall for r in self.rows), ZERO)

    @property
    def withheld(self) -> Decimal:
        return sum((r.withheld for r in self.rows), ZERO)


def _outcome_rows() -> list[OutcomeBucket]:
    return [OutcomeBucket(key=key, label=str(label)) for key, label in ContractFollowUp.Outcome.choices]


@dataclass
class Consolidated:
    totals: Bucket
    by_status: list[Bucket]
    by_year: list[Bucket]
    by_category: list[Bucket]
    suppliers: list[Bucket]
    behind: list[Contract]
    behind_count: int
    today: date = field(default_factory=timezone.localdate)
    outcomes: Outcomes = field(default_factory=lambda: Outcomes(_outcome_rows()))

    @property
    def is_empty(self) -> bool:
        return self.totals.contracts == 0


def _buckets(keys: Iterable[tuple[str, str]]) -> dict[str, Bucket]:
    return {key: Bucket(key=key, label=str(label)) for key, label in keys}


def contract_categories(contract: Contract) -> list[Bucket]:
    """The agreed and approved value of one contract per building-block category, in the
    categories' order; only the categories the contract has figures in. From the sums the database
    keeps per contract and block (``ContractBlockTotal``)."""
    buckets = _buckets(BuildingBlock.Category.choices)
    rows = (
        ContractBlockTotal.objects.filter(contract=contract)
        .values("block__category")
        .annotate(planned_sum=Sum("planned"), approved_sum=Sum("approved"))
        .order_by()
    )
    for row in rows:
        bucket = buckets.get(row["block__category"])
        if bucket is not None:
            bucket.planned += row["planned_sum"] or ZERO
            bucket.approved += row["approved_sum"] or ZERO
    return [bucket for bucket in buckets.values() if bucket.planned or bucket.approved]


# One pass over the contracts, their agreements and their approved realisations. The CTEs are
# materialised once; the final UNION ALL reads them for every part of the page. Rows share one
# shape: (part, status, start_year, key, n, contract_value, obligation, planned, approved, expected).
CONSOLIDATED_SQL = """
-- The contracts come in as the compiled queryset with their figures (``_consolidated_rows``:
-- visibility, filters, the obligation and the on-track rule all stay with the ORM), one row per
-- contract with the sums the database keeps per contract (monitoring.models.ContractTotal).
WITH c AS MATERIALIZED ({contracts}),
behind AS MATERIALIZED (
    -- The arrears only order the list, so a float is precise enough for them.
    SELECT pc.*,
           pc.obligation::float8 * pc.elapsed_days / pc.term_days - pc.approved::float8 AS arrears
    FROM c pc
    WHERE pc.is_behind
)
SELECT 'group', status, start_year, NULL::text, COUNT(*), SUM(contract_value), SUM(obligation), SUM(planned),
       SUM(approved), NULL::numeric
FROM c GROUP BY status, start_year
UNION ALL
SELECT 'category', NULL, NULL, b.category, NULL, NULL, NULL, SUM(x.planned), SUM(x.approved), NULL
FROM (SELECT bt.block_id, SUM(bt.planned) AS planned, SUM(bt.approved) AS approved
      FROM monitoring_contractblocktotal bt
      WHERE bt.contract_id IN (SELECT id FROM c)
      GROUP BY bt.block_id) x
JOIN {blocks} b ON b.id = x.block_id
GROUP BY b.category
UNION ALL
(SELECT 'supplier', NULL, NULL, supplier_id::text, COUNT(*), COALESCE(SUM(contract_value), 0), SUM(obligation), SUM(planned),
        SUM(approved), NULL
 FROM c GROUP BY supplier_id ORDER BY 6 DESC, 5 DESC, supplier_id LIMIT 10)
UNION ALL
(SELECT 'behind', NULL, NULL, id::text, COUNT(*) OVER (), contract_value, obligation, planned, approved, NULL
 FROM behind ORDER BY arrears DESC, id LIMIT %s)
UNION ALL
-- The recorded outcomes (Settlement): the final outcome and shortfall once recorded, else
-- those at the final report. Shape: (part, state, -, outcome, n, -, shortfall, -, withheld, -).
SELECT 'outcome', s.state, NULL, COALESCE(NULLIF(s.final_outcome, ''), s.outcome), COUNT(*), NULL,
       SUM(COALESCE(s.final_shortfall, s.shortfall)), NULL, COALESCE(SUM(s.withholding_amount), 0), NULL
FROM monitoring_settlement s WHERE s.contract_id IN (SELECT id FROM c)
GROUP BY s.state, COALESCE(NULLIF(s.final_outcome, ''), s.outcome)
"""


def _consolidated_rows(contracts: QuerySet[Contract], *, today: date) -> QuerySet:
    """The columns ``CONSOLIDATED_SQL`` reads per contract, from ``with_progress``."""
    return with_progress(contracts.order_by(), today=today).values(
        "id",
        "status",
        "supplier_id",
        "contract_value",
        "term_days",
        "elapsed_days",
        "is_behind",
        start_year=Cast(ExtractYear("start_date"), output_field=models.IntegerField()),
        obligation=F("obligation_amount"),
        planned=F("planned_amount"),
        approved=F("approved_amount"),
    )


def consolidated(contracts: QuerySet[Contract], *, today: date | None = None, behind_limit: int = 10) -> Consolidated:
    """Totals over ``contracts``: overall, per status, per start year, per building-block category,
    the ten largest suppliers (by contract value), the contracts behind schedule (the largest
    arrears first, at most ``behind_limit``) and the outcomes recorded at the end of the term.

    Three queries whatever the number of contracts: one pass over the contracts and the sums the
    database keeps per contract and building block (``CONSOLIDATED_SQL``; the contracts come in as
    the compiled queryset, so visibility stays with ``visible_to``), then the names of the suppliers and the rows of the
    contracts behind schedule that are shown.
    """
    today = today or timezone.localdate()
    contracts_sql, contracts_params = _consolidated_rows(contracts, today=today).query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(CONSOLIDATED_SQL.format(contracts=contracts_sql, blocks=BuildingBlock._meta.db_table), [*contracts_params, behind_limit])
        rows = cursor.fetchall()

    status_buckets = _buckets(Contract.Status.choices)
    category_buckets = _buckets(BuildingBlock.Category.choices)
    year_buckets: dict[str, Bucket] = {}
    totals = Bucket(key="all", label=str(_("Totaal")))
    supplier_rows, behind_rows = [], []
    outcomes = Outcomes(_outcome_rows())
    outcome_buckets = {b.key: b for b in outcomes.rows}
    for part, status, year, key, n, value, obligation, planned, approved, _expected in rows:
        if part == "group":
            year_key = str(year or "")
            year_buckets.setdefault(year_key, Bucket(key=year_key, label=year_key or str(_("onbekend"))))
            for bucket in (totals, status_buckets[status], year_buckets[year_key]):
                bucket.contracts += n
                bucket.contract_value += value or ZERO
                bucket.obligation += obligation or ZERO
                bucket.planned += planned or ZERO
                bucket.approved += approved or ZERO
        elif part == "category" and key in category_buckets:
            category_buckets[key].planned += planned or ZERO
            category_buckets[key].approved += approved or ZERO
        elif part == "supplier":
            supplier_rows.append((int(key), n, value, obligation, planned, approved))
        elif part == "behind":
            behind_rows.append((int(key), n))
        elif part == "outcome" and key in outcome_buckets:
            bucket = outcome_buckets[key]
            bucket.contracts += n
            bucket.in_recovery += n if status == "recovery" else 0
            bucket.shortfall += obligation or ZERO
            bucket.withheld += approved or ZERO

    names = {
        s.pk: s.display_name
        for s in Supplier.objects.filter(pk__in=[r[0] for r in supplier_rows]).only("legal_name", "trade_name")
    }
    suppliers = [
        Bucket(
            key=str(pk),
            label=names.get(pk, ""),
            contracts=n,
            contract_value=value or ZERO,
            obligation=obligation or ZERO,
            planned=planned or ZERO,
            approved=approved or ZERO,
        )
        for pk, n, value, obligation, planned, approved in supplier_rows
    ]
    behind: list[Contract] = []
    if behind_rows:
        behind = page_rows([pk for pk, _n in behind_rows], today=today)

    return Consolidated(
        totals=totals,
        by_status=[b for b in status_buckets.values() if b.contracts],
        by_year=sorted(year_buckets.values(), key=lambda b: b.key),
        by_category=list(category_buckets.values()),
        suppliers=suppliers,
        behind=behind,
        behind_count=behind_rows[0][1] if behind_rows else 0,
        today=today,
        outcomes=outcomes,
    )


# One contract -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Bar:
    """One bar of a server-drawn chart: ``width`` is a share (0–100) of the chart's width."""

    key: str
    label: str
    value: Decimal
    width: float
    percentage: int | None = None


def _width(value: Decimal | None, largest: Decimal | None) -> float:
    if not value or not largest:
        return 0.0
    return round(min(float(value) * 100 / float(largest), 100.0), 1)


def progress_bars(figures) -> list[Bar]:
    """Obligation, agreed and realised of one contract as bars measured against the obligation (a
    full bar beyond it; the text says how far); against the largest of them without an obligation."""
    largest = figures.obligation or max(figures.planned, figures.approved)
    return [
        Bar(
            "obligation",
            str(_("SROI-verplichting")),
            figures.obligation or ZERO,
            _width(figures.obligation, largest),
            100 if figures.obligation else None,
        ),
        Bar(
            "planned",
            str(_("Afgesproken (gepland)")),
            figures.planned,
            _width(figures.planned, largest),
            figures.planned_percentage,
        ),
        Bar(
            "approved",
            str(_("Gerealiseerd (goedgekeurd)")),
            figures.approved,
            _width(figures.approved, largest),
            figures.approved_percentage,
        ),
    ]


SERIES = {
    "contracts": _("Aantal contracten"),
    "contract_value": _("Opdrachtsom"),
    "obligation": _("SROI-verplichting"),
    "planned": _("Afgesproken"),
    "approved": _("Gerealiseerd"),
}


def chart(buckets: list[Bucket], series: tuple[str, ...]) -> dict:
    """Rows of bars for ``buckets``: one bar per series, all measured against the largest value."""
    largest = max((getattr(b, s) for b in buckets for s in series), default=ZERO)
    return {
        "series": [(s, SERIES[s]) for s in series],
        "rows": [
            {
                "label": b.label,
                "bars": [Bar(s, str(SERIES[s]), getattr(b, s), _width(getattr(b, s), largest)) for s in series],
            }
            for b in buckets
        ],
    }


def charts(figures: Consolidated) -> dict:
    return {
        "status": chart(figures.by_status, ("obligation", "planned", "approved")),
        "year": chart(figures.by_year, ("obligation", "planned", "approved")),
        "category": chart(figures.by_category, ("planned", "approved")),
        "suppliers": chart(figures.suppliers, ("contract_value",)),
        "outcomes": chart(figures.outcomes.rows, ("contracts",)),
    }


def people_with_access(contract: Contract, *, follow_up: ContractFollowUp | None = None) -> list[dict]:
    """Who can see the contract's information, with their roles: the buyer's contact persons for
    this contract, the members of the owning organisation, and the coordinators of the service
    point that serves it. Contact persons first, then the buyer's colleagues, then the coordinators
    (the one following the contract up first). Each row: user, organisation, roles (labels),
    is_contact, is_member_of_buyer, is_assigned."""
    served_by = contract.organisation.served_by_id
    memberships = (
        Membership.objects.filter(
            Q(organisation_id=contract.organisation_id) | Q(organisation_id=served_by, role=Role.COORDINATOR),
            user__is_active=True,
        )
        .select_related("user", "organisation")
        .order_by("user__name", "user__email", "role")
    )
    contact_ids = set(contract.contact_persons.values_list("pk", flat=True))
    assigned_id = follow_up.coordinator_id if follow_up else None
    people: dict[int, dict] = {}
    for membership in memberships:
        row = people.setdefault(
            membership.user_id,
            {
                "user": membership.user,
                "organisation": membership.organisation,
                "roles": [],
                "is_contact": membership.user_id in contact_ids,
                "is_member_of_buyer": False,
                "is_assigned": membership.user_id == assigned_id,
            },
        )
        if membership.organisation_id == contract.organisation_id:
            row["is_member_of_buyer"] = True
            row["organisation"] = membership.organisation
        row["roles"].append(membership.get_role_display())
    for row in people.values():
        if row["is_contact"]:
            row["roles"].insert(0, str(_("contactpersoon voor dit contract")))
        if row["is_assigned"]:
            row["roles"].insert(0, str(_("volgt dit contract op")))

    def order(row: dict) -> tuple:
        return (not row["is_contact"], not row["is_member_of_buyer"], not row["is_assigned"], row["user"].name.lower())

    return sorted(people.values(), key=order)


@dataclass(frozen=True)
class Contact:
    """Whom the buyer asks about a contract: the assigned coordinator, else the service point."""

    name: str
    organisation: str
    email: str
    phone: str
    is_person: bool


def coordinator_contact(contract: Contract, *, follow_up: ContractFollowUp | None = None) -> Contact | None:
    service_point = contract.organisation.served_by
    coordinator = follow_up.coordinator if follow_up else None
    if coordinator is not None and coordinator.is_active:
        return Contact(
            name=coordinator.name or coordinator.email,
            organisation=service_point.name if service_point else "",
            email=coordinator.email,
            phone=coordinator.phone or (service_point.phone if service_point else ""),
            is_person=True,
        )
    if service_point is None:
        return None
    return Contact(
        name=service_point.name, organisation="", email=service_point.email, phone=service_point.phone, is_person=False
    )


# What the timeline says about audit events (other actions are not shown; other apps register theirs
# in ``monitoring.panels``). Events of the contract itself are found by its id; events of its
# attachments, agreements, realisations and settlement carry the contract's id in their detail.
TIMELINE_ACTIONS = {
    "contract_created": _("Inkoopcontract ingevoerd"),
    "contract_updated": _("Gegevens van het inkoopcontract gewijzigd"),
    "contract_changed": _("Doorgegeven wijziging verwerkt door de SROI-coördinator"),
    "contract_handed_over": _("Overgedragen aan de Regisseur Social Return"),
    "contract_accepted": _("Geaccepteerd door de SROI-coördinator"),
    "contract_assigned": _("Toegewezen aan een SROI-coördinator"),
    "reporting_rhythm_changed": _("Rapportageritme gewijzigd"),
    "attachment_added": _("Bijlage toegevoegd"),
    "attachment_removed": _("Bijlage verwijderd"),
    "agreement_created": _("SR-invullingsafspraak toegevoegd"),
    "agreement_changed": _("SR-invullingsafspraak gewijzigd"),
    "agreement_deleted": _("SR-invullingsafspraak verwijderd"),
    "realisation_submitted": _("Realisatie ingediend"),
    "realisation_corrected": _("Realisatie gecorrigeerd en opnieuw ingediend"),
    "realisation_approved": _("Realisatie goedgekeurd"),
    "realisation_rejected": _("Realisatie afgewezen"),
    "settlement_recorded": _("Resultaat na afloop van de looptijd vastgelegd"),
    "settlement_finalised": _("Eindresultaat na de herstelperiode vastgelegd"),
    "lasting_outcome_reported": _("Blijvend resultaat gemeld"),
}
TIMELINE_LIMIT = 100


@dataclass(frozen=True)
class Event:
    at: object
    title: str
    detail: str
    actor: str
    kind: str


def _changed_fields(changes: dict) -> str:
    """'titel: oud → nieuw; …' for a contract_changed event, with the fields' Dutch names."""
    parts = []
    for name, values in changes.items():
        try:
            label = str(Contract._meta.get_field(name).verbose_name)
        except FieldDoesNotExist:
            label = name
        if isinstance(values, list | tuple) and len(values) == 2:
            parts.append(f"{label}: {values[0]} → {values[1]}")
        else:
            parts.append(label)
    return "; ".join(parts)


def _outcome_label(value) -> str:
    try:
        return str(ContractFollowUp.Outcome(value).label)
    except ValueError:
        return ""


def _event_detail(event: AuditEvent, contract: Contract, names: dict[str, str]) -> str:
    """What a timeline line says besides its title: the object (file name, agreement, period) or
    what changed. No personal data beyond what the contract page shows anyway."""
    action, detail = event.action, event.detail or {}
    if action == "contract_changed":
        return _changed_fields(detail)
    if action == "contract_assigned":
        return names.get(detail.get("coordinator", ""), "")
    if action.startswith("settlement_"):
        return _outcome_label(detail.get("outcome"))
    if action == "lasting_outcome_reported":
        # Which moment, not the answer: the figures show the answers, the timeline who reported when.
        return str(_("%(months)s maanden na de plaatsing")) % {"months": detail.get("months_after", "")}
    registered = panels.timeline_actions().get(action)
    if registered is not None and registered.detail is not None:
        return registered.detail(event=event, contract=contract)
    if event.object_type == "contracts.contract":
        return ""
    return event.object_repr


def _uuids_as_text(queryset: QuerySet) -> QuerySet:
    return queryset.annotate(key=Cast("uuid", output_field=models.CharField())).values("key")


def timeline(contract: Contract) -> list[Event]:
    """The contract's history, newest first: its status changes and the audit events of the
    contract and of everything that belongs to it, each with who and when. The buyer's contract
    page and the coordinator's workspace both show it. Two queries, three when the contract was
    assigned (the coordinators' names)."""
    events: list[Event] = []
    handed_over_change = False
    for change in contract.status_changes.select_related("changed_by").order_by("-changed_at", "-pk")[:TIMELINE_LIMIT]:
        handed_over_change |= change.to_status == Contract.Status.HANDED_OVER
        detail = change.get_outcome_display() if change.outcome else ""
        if change.reason:
            detail = f"{detail}: {change.reason}" if detail else change.reason
        events.append(
            Event(
                at=change.changed_at,
                title=str(_("Status: %(status)s")) % {"status": Contract.Status(change.to_status).label},
                detail=detail,
                actor=_actor_name(change.changed_by),
                kind="status",
            )
        )
    key = str(contract.uuid)
    registered = panels.timeline_actions()
    audit = list(
        AuditEvent.objects.filter(
            Q(object_type="contracts.contract", object_id=key)
            | Q(detail__contract=key)
            # Events written before agreements and realisations carried their contract.
            | Q(object_type="monitoring.realisation", object_id__in=_uuids_as_text(contract.realisations.all()))
            | Q(object_type="monitoring.agreement", object_id__in=_uuids_as_text(contract.agreements.all())),
            organisation_id=contract.organisation_id,
            action__in=[*TIMELINE_ACTIONS, *registered],
            result=AuditEvent.Result.SUCCESS,
        )
        .select_related("actor")
        .order_by("-created_at", "-pk")[:TIMELINE_LIMIT]
    )
    assigned = {e.detail.get("coordinator") for e in audit if e.action == "contract_assigned" and e.detail}
    names = {}
    if assigned - {None}:
        names = {str(u.uuid): _actor_name(u) for u in User.objects.filter(uuid__in=assigned - {None})}
    for event in audit:
        if event.action == "contract_handed_over" and handed_over_change:
            continue  # the status change says the same
        events.append(
            Event(
                at=event.created_at,
                title=str(TIMELINE_ACTIONS.get(event.action) or registered[event.action].title),
                detail=_event_detail(event, contract, names),
                actor=_actor_name(event.actor),
                kind=event.action.split("_")[0],
            )
        )
    events.sort(key=lambda e: e.at, reverse=True)
    return events[:TIMELINE_LIMIT]


def _actor_name(user: User | None) -> str:
    if user is None:
        return ""
    return user.name or user.email

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

from django.db import models
from django.db.models import Case, Count, ExpressionWrapper, F, Max, Min, Q, QuerySet, Sum, Value, When
from django.db.models.functions import Coalesce, ExtractYear, Greatest, Least, NullIf
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from contracts.models import Contract
from monitoring.figures import MONEY, with_progress
from monitoring.models import Agreement, BuildingBlock, ContractFollowUp, Realisation
from suppliers.models import Supplier
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


def overview(contracts: QuerySet[Contract]) -> dict:
    """How many contracts there are and the years their terms span (for the year filter)."""
    return contracts.order_by().aggregate(
        count=Count("pk"), first_year=Min(ExtractYear("start_date")), last_year=Max(ExtractYear("end_date"))
    )


def supplier_choices(contracts: QuerySet[Contract]) -> list[tuple[str, str]]:
    """(uuid, name) of the suppliers of ``contracts``, by name: the supplier filter offers no others."""
    rows = (
        Supplier.objects.filter(pk__in=contracts.order_by().values("supplier_id"))
        .annotate(name=Coalesce(NullIf("trade_name", Value("")), "legal_name"))
        .order_by("name", "city", "pk")
        .values_list("uuid", "name", "city")
    )
    seen: dict[str, int] = {}
    for _uuid, name, _city in rows:
        seen[name] = seen.get(name, 0) + 1
    # Establishments of one company share a name: tell them apart by their place.
    return [(str(uuid), f"{name} ({city})" if seen[name] > 1 and city else name) for uuid, name, city in rows]


def coordinator_choices(contracts: QuerySet[Contract]) -> list[tuple[str, str]]:
    """(uuid, name) of the coordinators who follow up ``contracts``."""
    users = (
        User.objects.filter(followed_contracts__contract__in=contracts.order_by().values("pk"))
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


def contract_rows(contracts: QuerySet[Contract], *, today: date | None = None) -> QuerySet[Contract]:
    """The rows of the individual list: progress (see ``with_progress``), ``progress`` (approved as
    a percentage of the obligation, NULL without an obligation), ``elapsed_share`` (percentage of
    the term passed) and the sort keys of ``SORTS``."""
    return (
        with_progress(contracts, today=today)
        .select_related("organisation", "supplier", "follow_up__coordinator")
        .annotate(
            supplier_name=SUPPLIER_NAME,
            coordinator_name=F("follow_up__coordinator__name"),
            status_rank=_status_rank(),
            progress=Case(
                When(
                    Q(obligation_amount__gt=0) & ~Q(status=Contract.Status.DRAFT),
                    then=F("approved_amount") * 100 / F("obligation_amount"),
                ),
                default=None,
                output_field=PERCENT,
            ),
            elapsed_share=ExpressionWrapper(F("elapsed_days") * Decimal(100) / F("term_days"), output_field=PERCENT),
        )
        .annotate(
            bar_width=Least(Greatest(F("progress"), Value(0), output_field=PERCENT), Value(100), output_field=PERCENT)
        )
    )


def sort_rows(rows: QuerySet[Contract], key: str | None) -> tuple[QuerySet[Contract], str]:
    """Order ``rows`` by ``key`` from ``SORTS`` (prefix ``-`` for descending); an unknown key falls
    back to ``DEFAULT_SORT``. Returns the ordered rows and the key applied. Empty values sort last."""
    key = key or DEFAULT_SORT
    if key.lstrip("-") not in SORTS:
        key = DEFAULT_SORT
    descending = key.startswith("-")
    columns = SORTS[key.lstrip("-")]
    order = [F(c).desc(nulls_last=True) if descending else F(c).asc(nulls_last=True) for c in columns]
    return rows.order_by(*order, F("pk").desc() if descending else F("pk").asc()), key


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
class Consolidated:
    totals: Bucket
    by_status: list[Bucket]
    by_year: list[Bucket]
    by_category: list[Bucket]
    suppliers: list[Bucket]
    behind: list[Contract]
    behind_count: int
    today: date = field(default_factory=timezone.localdate)

    @property
    def is_empty(self) -> bool:
        return self.totals.contracts == 0


def _buckets(keys: Iterable[tuple[str, str]]) -> dict[str, Bucket]:
    return {key: Bucket(key=key, label=str(label)) for key, label in keys}


def consolidated(contracts: QuerySet[Contract], *, today: date | None = None, behind_limit: int = 10) -> Consolidated:
    """Totals over ``contracts``: overall, per status, per start year, per building-block category,
    the ten largest suppliers (by contract value) and the contracts behind schedule.

    Seven queries whatever the number of contracts.
    """
    today = today or timezone.localdate()
    contracts = contracts.order_by()
    ids = contracts.values("pk")
    status_buckets = _buckets(Contract.Status.choices)
    year_buckets: dict[str, Bucket] = {}
    category_buckets = _buckets(BuildingBlock.Category.choices)
    totals = Bucket(key="all", label=str(_("Totaal")))

    def year_bucket(year: int | None) -> Bucket:
        key = str(year or "")
        if key not in year_buckets:
            year_buckets[key] = Bucket(key=key, label=key or str(_("onbekend")))
        return year_buckets[key]

    # 1. Contracts per status and start year.
    grouped = (
        contracts.with_obligation()
        .annotate(year=ExtractYear("start_date"))
        .values("status", "year")
        .annotate(n=Count("pk"), value=Sum("contract_value"), obligation=Sum("obligation_amount"))
        .order_by()
    )
    for row in grouped:
        for bucket in (totals, status_buckets[row["status"]], year_bucket(row["year"])):
            bucket.contracts += row["n"]
            bucket.contract_value += row["value"] or ZERO
            bucket.obligation += row["obligation"] or ZERO

    # 2 and 3. Agreed (planned) and realised (approved) value per status, start year and category.
    def spread(queryset: QuerySet, value_field: str, attribute: str) -> None:
        rows = (
            queryset.filter(contract__in=ids)
            .values(
                contract_status=F("contract__status"),
                start_year=ExtractYear("contract__start_date"),
                block_category=F("block__category"),
            )
            .annotate(total=Sum(value_field))
            .order_by()
        )
        for row in rows:
            amount = row["total"] or ZERO
            targets = [totals, status_buckets[row["contract_status"]], year_bucket(row["start_year"])]
            if row["block_category"] in category_buckets:
                targets.append(category_buckets[row["block_category"]])
            for bucket in targets:
                setattr(bucket, attribute, getattr(bucket, attribute) + amount)

    spread(Agreement.objects.all(), "planned_value", "planned")
    spread(Realisation.objects.filter(status=Realisation.Status.APPROVED), "value", "approved")

    # 4–6. The ten largest suppliers by contract value, with their realised value.
    top = list(
        contracts.with_obligation()
        .values("supplier_id")
        .annotate(
            n=Count("pk"),
            value=Coalesce(Sum("contract_value"), Value(ZERO), output_field=MONEY),
            obligation=Sum("obligation_amount"),
        )
        .order_by("-value", "-n", "supplier_id")[:10]
    )
    supplier_ids = [row["supplier_id"] for row in top]
    names = {
        s.pk: s.display_name for s in Supplier.objects.filter(pk__in=supplier_ids).only("legal_name", "trade_name")
    }
    approved_by_supplier = (
        dict(
            Realisation.objects.filter(
                status=Realisation.Status.APPROVED, contract__in=ids, contract__supplier_id__in=supplier_ids
            )
            .values_list("contract__supplier_id")
            .annotate(total=Sum("value"))
            .order_by()
        )
        if supplier_ids
        else {}
    )
    suppliers = [
        Bucket(
            key=str(row["supplier_id"]),
            label=names.get(row["supplier_id"], ""),
            contracts=row["n"],
            contract_value=row["value"] or ZERO,
            obligation=row["obligation"] or ZERO,
            approved=approved_by_supplier.get(row["supplier_id"]) or ZERO,
        )
        for row in top
    ]

    # 7. Contracts behind schedule, the largest arrears first.
    behind_rows = contract_rows(contracts, today=today).filter(is_behind=True)
    behind = list(
        behind_rows.annotate(
            expected_now=ExpressionWrapper(
                F("obligation_amount") * F("elapsed_days") / F("term_days"), output_field=MONEY
            ),
        )
        .annotate(
            arrears=ExpressionWrapper(F("expected_now") - F("approved_amount"), output_field=MONEY),
            behind_total=models.Window(Count("pk")),
        )
        .order_by(F("arrears").desc(), "contract_number", "pk")[:behind_limit]
    )
    behind_count = behind[0].behind_total if behind else 0

    return Consolidated(
        totals=totals,
        by_status=[b for b in status_buckets.values() if b.contracts],
        by_year=sorted(year_buckets.values(), key=lambda b: b.key),
        by_category=list(category_buckets.values()),
        suppliers=suppliers,
        behind=behind,
        behind_count=behind_count,
        today=today,
    )


def expected_by_now(contract: Contract) -> Decimal | None:
    """What should have been realised by now if the obligation were spread evenly over the term."""
    if not contract.obligation_amount or not contract.term_days:
        return None
    value = Decimal(contract.obligation_amount) * contract.elapsed_days / contract.term_days
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


# One contract -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Schedule:
    """Whether a contract is on track: its approved value against the obligation spread evenly
    over the term. ``state`` is one of ``no_obligation``, ``closed``, ``not_started``,
    ``fulfilled``, ``on_track`` and ``behind``."""

    state: str
    expected: Decimal | None = None
    arrears: Decimal | None = None

    @property
    def is_behind(self) -> bool:
        return self.state == "behind"


def schedule(figures, *, status: str) -> Schedule:
    """The on-track judgement for the progress ``figures`` of one contract (``monitoring.figures.Figures``)."""
    if status == Contract.Status.CLOSED:
        return Schedule("closed")
    if not figures.obligation:
        return Schedule("no_obligation")
    if figures.approved >= figures.obligation:
        return Schedule("fulfilled")
    if figures.elapsed_days <= 0:
        return Schedule("not_started", expected=ZERO)
    exact = figures.obligation * figures.elapsed_days / figures.term_days
    expected = exact.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    # The same comparison as ``with_progress``'s ``is_behind``, so list and page always agree.
    if figures.approved < exact:
        return Schedule("behind", expected=expected, arrears=max(expected - figures.approved, Decimal("0.01")))
    return Schedule("on_track", expected=expected)


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
    """Obligation, agreed and realised of one contract as bars measured against the obligation
    (the largest of the three when the obligation is unknown or exceeded)."""
    largest = max(figures.obligation or ZERO, figures.planned, figures.approved)
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


# What the timeline says about audit events (other actions are not shown to the buyer).
TIMELINE_ACTIONS = {
    "contract_created": _("Inkoopcontract ingevoerd"),
    "contract_updated": _("Gegevens van het inkoopcontract gewijzigd"),
    "contract_handed_over": _("Overgedragen aan de Regisseur Social Return"),
    "contract_accepted": _("Geaccepteerd door de SROI-coördinator"),
    "contract_assigned": _("Toegewezen aan een SROI-coördinator"),
    "reporting_rhythm_changed": _("Rapportageritme gewijzigd"),
    "attachment_added": _("Bijlage toegevoegd"),
    "attachment_removed": _("Bijlage verwijderd"),
    "realisation_submitted": _("Realisatie ingediend"),
    "realisation_corrected": _("Realisatie gecorrigeerd en opnieuw ingediend"),
    "realisation_approved": _("Realisatie goedgekeurd"),
    "realisation_rejected": _("Realisatie afgewezen"),
}
TIMELINE_LIMIT = 100


@dataclass(frozen=True)
class Event:
    at: object
    title: str
    detail: str
    actor: str
    kind: str


def timeline(contract: Contract, *, realisations: Iterable[Realisation] = ()) -> list[Event]:
    """The contract's history, newest first: its status changes, and the audit events of the
    contract, its attachments and its realisations. Two queries."""
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
                actor=change.changed_by.name if change.changed_by else "",
                kind="status",
            )
        )
    realisation_ids = [str(r.uuid) for r in realisations]
    audit = (
        AuditEvent.objects.filter(
            Q(object_type="contracts.contract", object_id=str(contract.uuid))
            | Q(object_type="contracts.attachment", detail__contract=str(contract.uuid))
            | Q(object_type="monitoring.realisation", object_id__in=realisation_ids),
            action__in=list(TIMELINE_ACTIONS),
            result=AuditEvent.Result.SUCCESS,
        )
        .select_related("actor")
        .order_by("-created_at", "-pk")[:TIMELINE_LIMIT]
    )
    for event in audit:
        if event.action == "contract_handed_over" and handed_over_change:
            continue  # the status change says the same
        detail = event.object_repr if event.object_type != "contracts.contract" else ""
        events.append(
            Event(
                at=event.created_at,
                title=str(TIMELINE_ACTIONS[event.action]),
                detail=detail,
                actor=event.actor.name if event.actor else "",
                kind=event.action.split("_")[0],
            )
        )
    events.sort(key=lambda e: e.at, reverse=True)
    return events[:TIMELINE_LIMIT]

"""The annual SROI report (SROI-jaarrapportage) of a contracting authority, or of a service point over
the authorities it serves.

"In the year" means: the contract's term overlaps the calendar year, it has been handed over (concepts
do not count) and it carries an SROI obligation above zero. Its figures are those of the whole
contract on the report date: the obligation, what was agreed and what was realised (approved) so far.
A multi-year contract therefore counts in every year its term touches; the trend shows how the
contracts running in each year stand today.

Everything is read through the figure functions of the buyer's monitoring (``monitoring.figures``,
``monitoring.reports.consolidated``), in a fixed number of queries whatever the number of contracts.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import Concat
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from catalogue.models import BuildingBlock
from contracts.models import Contract
from monitoring.figures import with_progress
from monitoring.models import Realisation
from monitoring.reports import Bucket, Consolidated, chart, consolidated, share
from monitoring.templatetags.monitoring_tags import amount
from wizzr.models import Organisation

ZERO = Decimal("0.00")
FIRST_YEAR = 2000  # no SROI registration goes further back
TREND_YEARS = 5
BEHIND_LIMIT = 50


def year_bounds(year: int) -> tuple[date, date]:
    return date(year, 1, 1), date(year, 12, 31)


def in_year(year: int) -> Q:
    """Contracts whose term overlaps ``year``."""
    first, last = year_bounds(year)
    return Q(start_date__lte=last, end_date__gte=first)


def with_sroi(contracts: QuerySet[Contract]) -> QuerySet[Contract]:
    """The handed-over contracts of ``contracts`` with an SROI obligation above zero."""
    return contracts.exclude(status=Contract.Status.DRAFT).with_obligation().filter(obligation_amount__gt=0)


@dataclass
class YearFigures:
    year: int
    contracts: int = 0
    obligation: Decimal = ZERO
    planned: Decimal = ZERO
    approved: Decimal = ZERO

    @property
    def percentage(self) -> int | None:
        return share(self.approved, self.obligation)

    @property
    def planned_percentage(self) -> int | None:
        return share(self.planned, self.obligation)

    def add(self, other: YearFigures) -> None:
        self.contracts += other.contracts
        self.obligation += other.obligation
        self.planned += other.planned
        self.approved += other.approved


def trend_by_organisation(contracts: QuerySet[Contract], years: list[int]) -> dict[int, dict[int, YearFigures]]:
    """{organisation id: {year: figures}} of the contracts with an SROI obligation running in each of
    ``years``. One grouped query (``with_progress`` supplies the sums kept per contract)."""
    rows = with_progress(with_sroi(contracts))
    aggregates = {}
    for year in years:
        running = in_year(year)
        aggregates |= {
            f"n_{year}": Count("pk", filter=running),
            f"obligation_{year}": Sum("obligation_amount", filter=running),
            f"planned_{year}": Sum("planned_amount", filter=running),
            f"approved_{year}": Sum("approved_amount", filter=running),
        }
    result: dict[int, dict[int, YearFigures]] = {}
    for row in rows.order_by().values("organisation_id").annotate(**aggregates):
        result[row["organisation_id"]] = {
            year: YearFigures(
                year=year,
                contracts=row[f"n_{year}"],
                obligation=row[f"obligation_{year}"] or ZERO,
                planned=row[f"planned_{year}"] or ZERO,
                approved=row[f"approved_{year}"] or ZERO,
            )
            for year in years
        }
    return result


def department_buckets(contracts: QuerySet[Contract]) -> list[Bucket]:
    """Figures per department (``Contract.department``) of ``contracts``, the largest realised value
    first; contracts without a department together under "Geen afdeling". One grouped query."""
    rows = (
        with_progress(contracts)
        .order_by()
        .values("department")
        .annotate(
            n=Count("pk"),
            value=Sum("contract_value"),
            obligation=Sum("obligation_amount"),
            planned=Sum("planned_amount"),
            approved=Sum("approved_amount"),
        )
    )
    buckets = [
        Bucket(
            key=row["department"],
            label=row["department"] or _("Geen afdeling"),
            contracts=row["n"],
            contract_value=row["value"] or ZERO,
            obligation=row["obligation"] or ZERO,
            planned=row["planned"] or ZERO,
            approved=row["approved"] or ZERO,
        )
        for row in rows
    ]
    return sorted(buckets, key=lambda b: (not b.key, -b.approved, b.label.lower()))


@dataclass(frozen=True)
class Placements:
    """People placed in jobs through the contracts: the approved employment realisations. Whether they
    are still at work later is not recorded yet, so ``still_at_work`` is None ("nog niet bekend")."""

    people: int
    realisations: int
    still_at_work: int | None = None


def placements(contracts: QuerySet[Contract]) -> Placements:
    """The approved employment realisations of ``contracts``: how many, and how many people (one per
    candidate reference within a contract; a realisation without a reference counts as one person).
    One query."""
    found = Realisation.objects.filter(
        contract__in=contracts.values("pk"),
        status=Realisation.Status.APPROVED,
        block__category=BuildingBlock.Category.EMPLOYMENT,
    ).aggregate(
        realisations=Count("pk"),
        referenced=Count(Concat("contract_id", "candidate_reference"), distinct=True, filter=~Q(candidate_reference="")),
        unreferenced=Count("pk", filter=Q(candidate_reference="")),
    )
    return Placements(people=found["referenced"] + found["unreferenced"], realisations=found["realisations"])


def euros(value: Decimal) -> str:
    """An amount with the euro sign joined by a no-break space: it never breaks over two lines."""
    return f"€\u00a0{amount(value)}"


def summary(name: str, current: YearFigures, previous: YearFigures | None) -> list[str]:
    """The figures of ``current`` in words, compared with ``previous`` (the year before) when that
    year had an obligation too."""
    year = current.year
    if not current.contracts or not current.obligation:
        return [
            _("In %(year)s had %(name)s geen inkoopcontracten met een SROI-verplichting.")
            % {"year": year, "name": name.rstrip(".")}
        ]
    pct = current.percentage
    if previous is None or not previous.obligation:
        first = _("In %(year)s is %(pct)s %% van de verplichting gerealiseerd.") % {"year": year, "pct": pct}
    else:
        diff = pct - previous.percentage
        values = {"year": year, "pct": pct, "diff": abs(diff), "previous": previous.year}
        if diff > 0:
            first = ngettext(
                "In %(year)s is %(pct)s %% van de verplichting gerealiseerd, %(diff)s procentpunt meer dan in %(previous)s.",
                "In %(year)s is %(pct)s %% van de verplichting gerealiseerd, %(diff)s procentpunt meer dan in %(previous)s.",
                abs(diff),
            ) % values
        elif diff < 0:
            first = ngettext(
                "In %(year)s is %(pct)s %% van de verplichting gerealiseerd, %(diff)s procentpunt minder dan in %(previous)s.",
                "In %(year)s is %(pct)s %% van de verplichting gerealiseerd, %(diff)s procentpunt minder dan in %(previous)s.",
                abs(diff),
            ) % values
        else:
            first = (
                _("In %(year)s is %(pct)s %% van de verplichting gerealiseerd, evenveel als in %(previous)s.") % values
            )
    second = ngettext(
        "Het gaat om %(count)s inkoopcontract met een SROI-verplichting van %(obligation)s; "
        "daarvan is %(approved)s gerealiseerd.",
        "Het gaat om %(count)s inkoopcontracten met samen een SROI-verplichting van %(obligation)s; "
        "daarvan is %(approved)s gerealiseerd.",
        current.contracts,
    ) % {"count": current.contracts, "obligation": euros(current.obligation), "approved": euros(current.approved)}
    return [first, second]


@dataclass
class AuthoritySection:
    """One authority in a service point's report: its figures of the year, its trend and the words."""

    organisation: Organisation
    current: YearFigures
    trend: list[YearFigures]
    words: list[str]


@dataclass
class AnnualReport:
    name: str  # the organisation the report is about
    year: int
    today: date
    current: YearFigures
    trend: list[YearFigures]
    words: list[str]
    figures: Consolidated | None = None
    departments: list[Bucket] = field(default_factory=list)
    placements: Placements | None = None
    authorities: list[AuthoritySection] = field(default_factory=list)
    is_service_point: bool = False

    @property
    def is_empty(self) -> bool:
        return self.current.contracts == 0

    @property
    def charts(self) -> dict:
        trend = [
            Bucket(key=str(t.year), label=str(t.year), obligation=t.obligation, planned=t.planned, approved=t.approved)
            for t in self.trend
        ]
        result = {"trend": chart(trend, ("obligation", "approved"))}
        if self.figures is not None:
            result["category"] = chart(self.figures.by_category, ("approved",))
        result["department"] = chart(self.departments, ("approved",))
        return result


def annual_report(
    *,
    contracts: QuerySet[Contract],
    organisation: Organisation,
    year: int,
    authorities: list[Organisation] | None = None,
    today: date | None = None,
) -> AnnualReport:
    """The annual report of ``organisation`` for ``year`` over ``contracts`` (already scoped to what the
    user may see). With ``authorities`` (a service point's report) it adds a section per authority,
    and the other figures are the totals over them. About eight queries whatever the number of contracts."""
    today = today or timezone.localdate()
    years = list(range(year - TREND_YEARS + 1, year + 1))
    by_organisation = trend_by_organisation(contracts, years)
    totals = {y: YearFigures(year=y) for y in years}
    for per_year in by_organisation.values():
        for y, figures in per_year.items():
            totals[y].add(figures)
    trend = [totals[y] for y in years]
    current, previous = totals[year], totals[year - 1]
    report = AnnualReport(
        name=organisation.name,
        year=year,
        today=today,
        current=current,
        trend=trend,
        words=summary(organisation.name, current, previous),
        is_service_point=authorities is not None,
    )
    for authority in authorities or []:
        per_year = by_organisation.get(authority.pk) or {y: YearFigures(year=y) for y in years}
        report.authorities.append(
            AuthoritySection(
                organisation=authority,
                current=per_year[year],
                trend=[per_year[y] for y in years],
                words=summary(authority.name, per_year[year], per_year[year - 1]),
            )
        )
    if current.contracts:
        running = with_sroi(contracts).filter(in_year(year))
        report.figures = consolidated(running, today=today, behind_limit=BEHIND_LIMIT)
        report.departments = department_buckets(running)
        report.placements = placements(running)
    return report

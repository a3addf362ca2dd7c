"""Benchmarks across contracting authorities: where one authority stands against the others of its
region and of the country.

What is measured, per authority and per kind of contract (works, services, supplies, and all kinds):

- **Gerealiseerd aandeel** (``realised``): approved value ÷ SROI obligation, summed over the
  authority's handed-over contracts that have an obligation and whose term has begun (running or
  ended). Contracts that have not started yet count nowhere: nothing can be realised on them.
- **Contracten die achterlopen** (``behind``): the share of those contracts that is behind schedule,
  by the one on-track rule of ``monitoring.figures`` (``with_progress``' ``is_behind``).
- **Mix van bouwblokken** (``mix:<category>``): the share of the approved value of those contracts
  per building-block category. Only authorities with approved value contribute.

Privacy. The figures of other authorities are only ever shown as the 25th percentile, median and 75th
percentile over the contributing authorities of a region or of the country, and only when at least
``MIN_ORGANISATIONS`` (five) contributed. The group *includes* the authority that looks at it: every
authority of a region sees the same numbers, so no viewer can subtract itself from a mean of the
others, and percentiles (unlike sums or means) give nothing away by differencing the region against
the country. An authority with ``benchmark_opt_out`` is left out of every group (it still sees the
benchmark). The figures are computed each night into ``BenchmarkFigure`` (``benchmarks_compute``), not
on each request; the authority's own figures on the page are computed live (``organisation_values``).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from catalogue.models import BuildingBlock, Region
from contracts.models import Contract
from monitoring.figures import with_progress
from monitoring.models import BenchmarkFigure, Realisation
from wizzr.models import Organisation

MIN_ORGANISATIONS = 5
ALL_KINDS = ""
KINDS = (ALL_KINDS, *Contract.Kind.values)
REALISED = "realised"
BEHIND = "behind"
MIX_PREFIX = "mix:"
MIX_MEASURES = tuple(f"{MIX_PREFIX}{category}" for category in BuildingBlock.Category.values)
MEASURES = (REALISED, BEHIND, *MIX_MEASURES)
HUNDRED = Decimal(100)
CENT = Decimal("0.01")


def kind_label(kind: str) -> str:
    return Contract.Kind(kind).label if kind else _("Alle soorten")


def measure_label(measure: str) -> str:
    if measure == REALISED:
        return _("Gerealiseerd aandeel van de verplichting")
    if measure == BEHIND:
        return _("Contracten die achterlopen")
    return BuildingBlock.Category(measure.removeprefix(MIX_PREFIX)).label


def counted_contracts(*, today: date | None = None):
    """The contracts the benchmark counts: handed over (no concepts), with an obligation above zero,
    and a term that has begun by ``today``; annotated by ``with_progress``."""
    today = today or timezone.localdate()
    return with_progress(
        Contract.objects.exclude(status=Contract.Status.DRAFT).filter(start_date__lte=today), today=today
    ).filter(obligation_amount__gt=0)


def organisation_values(
    organisation_ids, *, today: date | None = None
) -> dict[str, dict[int, dict[str, Decimal]]]:
    """``{kind: {organisation id: {measure: percentage}}}`` for the given authorities (kind "" is all
    kinds). An authority without counted contracts of a kind has no entry for it; one without
    approved value has no mix measures. Three grouped queries, whatever the number of authorities."""
    contracts = counted_contracts(today=today).filter(organisation_id__in=organisation_ids)
    values: dict[str, dict[int, dict[str, Decimal]]] = {kind: defaultdict(dict) for kind in KINDS}

    totals = contracts.values("organisation_id", "kind").annotate(
        obligation=Sum("obligation_amount"),
        approved=Sum("approved_amount"),
        contracts=Count("pk"),
        behind=Count("pk", filter=Q(is_behind=True)),
    )
    summed: dict[tuple[str, int], list[Decimal]] = defaultdict(lambda: [Decimal(0)] * 4)
    for row in totals:
        for kind in {ALL_KINDS, row["kind"]} & set(KINDS):
            cell = summed[(kind, row["organisation_id"])]
            for i, key in enumerate(("obligation", "approved", "contracts", "behind")):
                cell[i] += row[key]
    for (kind, org_id), (obligation, approved, count, behind) in summed.items():
        values[kind][org_id][REALISED] = approved * HUNDRED / obligation
        values[kind][org_id][BEHIND] = behind * HUNDRED / count

    mix = (
        Realisation.objects.filter(status=Realisation.Status.APPROVED, contract__in=contracts.values("pk"))
        .values("organisation_id", "contract__kind", "block__category")
        .annotate(value=Sum("value"))
    )
    by_category: dict[tuple[str, int], dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    for row in mix:
        for kind in {ALL_KINDS, row["contract__kind"]} & set(KINDS):
            by_category[(kind, row["organisation_id"])][row["block__category"]] += row["value"]
    for (kind, org_id), categories in by_category.items():
        total = sum(categories.values())
        if total <= 0:
            continue
        for category in BuildingBlock.Category.values:
            values[kind][org_id][f"{MIX_PREFIX}{category}"] = categories.get(category, Decimal(0)) * HUNDRED / total
    return {kind: dict(per_org) for kind, per_org in values.items()}


def percentile(sorted_values: list[Decimal], q: Decimal) -> Decimal:
    """The ``q``-th quantile (0–1) of ``sorted_values`` by linear interpolation between the closest
    ranks (PostgreSQL's ``percentile_cont``, numpy's default)."""
    position = (len(sorted_values) - 1) * q
    lower = int(position)
    upper = min(lower + 1, len(sorted_values) - 1)
    fraction = position - lower
    return sorted_values[lower] + (sorted_values[upper] - sorted_values[lower]) * fraction


def _cell(values: list[Decimal]) -> dict:
    n = len(values)
    if n < MIN_ORGANISATIONS:
        return {"n_organisations": n, "p25": None, "median": None, "p75": None}
    ordered = sorted(values)
    return {
        "n_organisations": n,
        **{
            key: percentile(ordered, Decimal(q)).quantize(CENT, rounding=ROUND_HALF_UP)
            for key, q in (("p25", "0.25"), ("median", "0.5"), ("p75", "0.75"))
        },
    }


def contributing_authorities():
    """The authorities whose figures go into the benchmark: all but those that opted out."""
    return Organisation.objects.filter(kind=Organisation.Kind.AUTHORITY, benchmark_opt_out=False)


def region_members(region: Region) -> set[int]:
    """Ids of the contributing authorities served by a service point of ``region``."""
    return set(
        contributing_authorities()
        .filter(served_by__in=region.service_points.all())
        .values_list("pk", flat=True)
    )


def benchmarks_compute(*, today: date | None = None, now: datetime | None = None) -> int:
    """Compute every benchmark cell (each region and the country × each kind × each measure) and
    replace the stored ones in one transaction. Returns the number of cells stored."""
    now = now or timezone.now()
    authorities = set(contributing_authorities().values_list("pk", flat=True))
    values = organisation_values(authorities, today=today)
    groups: list[tuple[str, Region | None, set[int]]] = [(BenchmarkFigure.Scope.COUNTRY, None, authorities)]
    for region in Region.objects.prefetch_related("service_points"):
        groups.append((BenchmarkFigure.Scope.REGION, region, region_members(region)))
    rows = []
    for scope, region, members in groups:
        for kind in KINDS:
            for measure in MEASURES:
                sample = [v[measure] for org_id, v in values[kind].items() if org_id in members and measure in v]
                rows.append(
                    BenchmarkFigure(
                        scope=scope, region=region, kind=kind, measure=measure, computed_at=now, **_cell(sample)
                    )
                )
    with transaction.atomic():
        BenchmarkFigure.objects.all().delete()
        BenchmarkFigure.objects.bulk_create(rows)
    return len(rows)


# The page ---------------------------------------------------------------------------------------


def _rounded(value: Decimal | None) -> int | None:
    if value is None:
        return None
    return int(value.quantize(Decimal("1"), rounding=ROUND_HALF_UP))


def regions_of(organisation: Organisation) -> list[Region]:
    """The regions whose service points include the one that serves ``organisation``."""
    if not organisation.served_by_id:
        return []
    return list(Region.objects.filter(service_points=organisation.served_by_id).order_by("name"))


def benchmark_page(organisation: Organisation, *, kind: str) -> dict:
    """What the benchmark page shows ``organisation`` for ``kind``: its regions, when the figures
    were computed (None: never), and per measure its own value (live) beside the stored cells."""
    regions = regions_of(organisation)
    cells = {
        (f.scope, f.region_id, f.measure): f
        for f in BenchmarkFigure.objects.filter(kind=kind).filter(
            Q(scope=BenchmarkFigure.Scope.COUNTRY) | Q(region__in=regions)
        )
    }
    computed = BenchmarkFigure.objects.order_by("-computed_at").values_list("computed_at", flat=True).first()
    own = organisation_values([organisation.pk])[kind].get(organisation.pk, {})

    def row(measure: str) -> dict:
        country = cells.get((BenchmarkFigure.Scope.COUNTRY, None, measure))
        groups = [
            _group(region.name, cells.get((BenchmarkFigure.Scope.REGION, region.pk, measure))) for region in regions
        ] + [_group(_("Nederland"), country)]
        value = _rounded(own.get(measure))
        _place_on_chart(value, groups)
        return {"measure": measure, "label": measure_label(measure), "own": value, "groups": groups}

    return {
        "regions": regions,
        "computed_at": computed,
        "has_own": bool(own),
        "realised": row(REALISED),
        "behind": row(BEHIND),
        "mix": [row(measure) for measure in MIX_MEASURES],
    }


def _place_on_chart(own: int | None, groups: list[dict]) -> None:
    """Positions on a 0–100 chart axis (percentages, widened when a value exceeds 100 %): the box from
    the 25th to the 75th percentile, the median and the organisation's own value."""
    values = [own or 0] + [g["p75"] for g in groups if g["shown"]]
    top = max(100, *values)
    for group in groups:
        group["own_x"] = None if own is None else round(own * 100 / top, 1)
        if group["shown"]:
            group["box_x"] = round(group["p25"] * 100 / top, 1)
            group["box_w"] = max(round((group["p75"] - group["p25"]) * 100 / top, 1), 0.5)
            group["median_x"] = round(group["median"] * 100 / top, 1)


def _group(name: str, figure: BenchmarkFigure | None) -> dict:
    """One group's cell for the page: its name, n, and the rounded percentiles only when shown."""
    shown = figure is not None and figure.n_organisations >= MIN_ORGANISATIONS and figure.median is not None
    return {
        "name": name,
        "n": figure.n_organisations if figure is not None else 0,
        "shown": shown,
        "p25": _rounded(figure.p25) if shown else None,
        "median": _rounded(figure.median) if shown else None,
        "p75": _rounded(figure.p75) if shown else None,
    }


# Demo ------------------------------------------------------------------------------------------

# (slug, name, place, kind of contract, block, persons, hours per week, months realised) of four more
# authorities of Steunpunt SROI Midden-Gelderland, so that its region reaches five and the demo shows
# figures rather than "too few".
DEMO_PEERS = [
    ("gemeente-doesburg", "Gemeente Doesburg", "Doesburg", Contract.Kind.SERVICES, "Werkervaringsplaats", 1, None, 6),
    ("gemeente-duiven", "Gemeente Duiven", "Duiven", Contract.Kind.WORKS, "BBL-leerling", 2, None, 12),
    ("gemeente-zevenaar", "Gemeente Zevenaar", "Zevenaar", Contract.Kind.WORKS,
     "Participatiewet, uitkering langer", 1, Decimal("32"), 9),
    ("gemeente-westervoort", "Gemeente Westervoort", "Westervoort", Contract.Kind.SUPPLIES, "Werkervaringsplaats", 3, None, 3),
]


def _demo_peers() -> int:
    from monitoring import seed as demo
    from monitoring import services
    from wizzr.models import User
    from wizzr.units import add_months

    service_point = Organisation.objects.filter(slug="steunpunt-sroi-midden-gelderland").first()
    sanne = User.objects.filter(email=demo.MG_COORDINATOR).first()
    if service_point is None or sanne is None:
        return 0
    supplier = demo._supplier(*demo.SUPPLIERS[0])
    today, now = timezone.localdate(), timezone.now()
    made = 0
    for i, (slug, name, city, kind, block_name, persons, hours, months) in enumerate(DEMO_PEERS):
        organisation, _created = Organisation.objects.get_or_create(
            slug=slug,
            defaults={"name": name, "kind": Organisation.Kind.AUTHORITY, "served_by": service_point, "city": city},
        )
        start = add_months(today, -(8 + 2 * i))
        contract, new = demo._contract(
            f"SROI-DEMO-B{i + 1}", organisation, supplier, title="Onderhoud en beheer openbare ruimte",
            start_date=start, end_date=add_months(today, 16), contract_value=Decimal(300000 + 100000 * i),
            handed_over_at=now - (today - start), kind=kind,
        )
        if not new:
            continue
        made += 1
        services.contract_accept(contract=contract, by=sanne)
        quantities = {"persons": persons, "months": Decimal(12)}
        if hours:
            quantities["hours_per_week"] = hours
        agreement = demo._agreement(contract, sanne, block_name, "Afspraak voor de demonstratie", **quantities)
        services.agreements_record(contract=contract, by=sanne)
        extra = {"hours_per_week": hours} if hours else {}
        realisation = demo._realisation(
            contract, sanne, agreement, start, add_months(start, months) - demo.DAY, candidate_reference=f"B-{i}", **extra
        )
        services.realisation_assess(realisation=realisation, decision="approved", by=sanne)
    return made


def seed_demo(*, stdout, style) -> None:
    """``WIZZR_SEED_HOOKS`` entry (run last): four more authorities in Midden-Gelderland with a contract
    each, then the benchmark computed once so the demo shows figures (after that, the nightly task)."""
    with transaction.atomic():
        peers = _demo_peers()
    cells = benchmarks_compute()
    stdout.write(style.SUCCESS(f"Benchmarks: {peers} demo authorities' contracts added, {cells} cells computed."))

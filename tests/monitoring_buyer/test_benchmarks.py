"""Vergelijken met andere opdrachtgevers: the nightly computation, the k-anonymity of the page, the
choice not to take part, and the states without figures."""

import datetime
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from catalogue.models import BuildingBlock
from contracts.models import Contract
from monitoring.benchmarks import MIN_ORGANISATIONS, benchmarks_compute, organisation_values
from monitoring.models import BenchmarkFigure, Realisation
from monitoring.tasks import compute_benchmarks
from tests.catalogue.factories import RegionFactory, ship_catalogues
from tests.contracts.factories import ContractFactory
from tests.factories import AuthorityFactory, ServicePointFactory, member
from tests.monitoring_buyer.conftest import follow
from tests.monitoring_buyer.factories import block, realisation
from wizzr.models import AuditEvent, Role

pytestmark = pytest.mark.django_db

TOO_FEW = "Te weinig organisaties om te vergelijken (minimaal 5)"
URL = "/monitoren/vergelijken/"


def days(n: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=n)


@pytest.fixture
def employment():
    return block(BuildingBlock.Category.EMPLOYMENT)


def contract_with(organisation, employment, approved: str, *, kind=Contract.Kind.WORKS, obligation="1000.00", **fields):
    """A running, handed-over contract with a fixed obligation and ``approved`` value approved."""
    fields.setdefault("start_date", days(-100))
    fields.setdefault("end_date", days(265))
    contract = ContractFactory(
        organisation=organisation, handed_over=True, kind=kind, sroi_fixed_amount=Decimal(obligation), **fields
    )
    if Decimal(approved):
        realisation(contract, employment, approved)
    return contract


def region_of(*service_points, name="Regio"):
    region = RegionFactory(name=name)
    region.service_points.add(*service_points)
    return region


def authorities(service_point, approved_values, employment, prefix):
    orgs = []
    for i, approved in enumerate(approved_values):
        org = AuthorityFactory(name=f"{prefix} {i}", slug=f"{prefix.lower()}-{i}", served_by=service_point)
        contract_with(org, employment, approved)
        orgs.append(org)
    return orgs


def figure(region, measure="realised", kind=""):
    scope = BenchmarkFigure.Scope.REGION if region else BenchmarkFigure.Scope.COUNTRY
    return BenchmarkFigure.objects.get(scope=scope, region=region, kind=kind, measure=measure)


def page_text(client, user, query="") -> str:
    client.force_login(user)
    response = client.get(URL + query)
    assert response.status_code == 200
    return re.sub(r"\s+", " ", response.content.decode())


def group_row(html: str, testid: str) -> str:
    match = re.search(rf'<tr class="utrecht-table__row" data-testid="{testid}">(.*?)</tr>', html)
    assert match, testid
    return match.group(1)


# The computation --------------------------------------------------------------------------------


def test_the_task_computes_quartiles_per_region_and_for_the_country(employment):
    east, west = ServicePointFactory(), ServicePointFactory()
    region_east, region_west = region_of(east, name="Oost"), region_of(west, name="West")
    authorities(east, ["100.00", "200.00", "300.00", "400.00", "500.00", "600.00"], employment, "Oost")
    authorities(west, ["700.00", "800.00"], employment, "West")

    assert compute_benchmarks() > 0

    east_cell = figure(region_east)
    assert (east_cell.n_organisations, east_cell.p25, east_cell.median, east_cell.p75) == (
        6, Decimal("22.50"), Decimal("35.00"), Decimal("47.50"),
    )
    west_cell = figure(region_west)
    assert west_cell.n_organisations == 2
    assert (west_cell.p25, west_cell.median, west_cell.p75) == (None, None, None)
    country = figure(None)
    assert (country.n_organisations, country.p25, country.median, country.p75) == (
        8, Decimal("27.50"), Decimal("45.00"), Decimal("62.50"),
    )
    # All contracts are works: the works cell equals the total, services has nobody.
    assert figure(region_east, kind="works").median == Decimal("35.00")
    assert figure(region_east, kind="services").n_organisations == 0
    # Every authority realised only employment: the mix is 100 % employment, 0 % the rest.
    assert figure(region_east, measure="mix:employment").median == Decimal("100.00")
    assert figure(region_east, measure="mix:learn_work").median == Decimal("0.00")


def test_recomputing_replaces_the_cells_instead_of_adding_to_them(employment):
    east = ServicePointFactory()
    region = region_of(east)
    orgs = authorities(east, ["100.00"] * 5, employment, "Oost")
    first = benchmarks_compute()
    realisation(orgs[0].contracts.get(), employment, "900.00")
    second = benchmarks_compute()

    assert first == second == BenchmarkFigure.objects.count()
    assert figure(region).p75 == Decimal("10.00")
    assert figure(region).computed_at is not None


def test_the_share_behind_schedule_uses_the_on_track_rule_and_skips_contracts_not_yet_begun(employment, arnhem):
    # Half the term has passed, 5 % of the obligation approved: behind.
    behind = contract_with(arnhem, employment, "50.00", start_date=days(-365), end_date=days(364))
    follow(behind, None, Contract.Status.IN_PROGRESS)
    # Half the term, 60 % approved: on track.
    on_track = contract_with(arnhem, employment, "600.00", start_date=days(-365), end_date=days(364))
    follow(on_track, None, Contract.Status.IN_PROGRESS)
    # Not begun: counts nowhere, whatever is approved.
    contract_with(arnhem, employment, "1000.00", start_date=days(10), end_date=days(400))
    # A concept counts nowhere either.
    ContractFactory(organisation=arnhem, status=Contract.Status.DRAFT, sroi_fixed_amount=Decimal("1000.00"))

    values = organisation_values([arnhem.pk])[""][arnhem.pk]

    assert values["behind"] == Decimal(50)
    assert values["realised"] == Decimal(650) * 100 / Decimal(2000)


def test_an_opted_out_authority_is_in_no_group(employment):
    east = ServicePointFactory()
    region = region_of(east)
    orgs = authorities(east, ["100.00"] * 6, employment, "Oost")
    benchmarks_compute()
    assert figure(region).n_organisations == 6

    orgs[0].benchmark_opt_out = True
    orgs[0].save()
    benchmarks_compute()

    assert figure(region).n_organisations == 5
    assert figure(None).n_organisations == 5


def test_approved_value_only_counts_and_an_authority_without_it_adds_no_mix(employment):
    east = ServicePointFactory()
    region = region_of(east)
    orgs = authorities(east, ["0.00"] * 5, employment, "Oost")
    realisation(orgs[0].contracts.get(), employment, "500.00", status=Realisation.Status.SUBMITTED)
    benchmarks_compute()

    assert figure(region).median == Decimal("0.00")
    assert figure(region).n_organisations == 5
    assert figure(region, measure="mix:employment").n_organisations == 0


# The page ---------------------------------------------------------------------------------------


@pytest.fixture
def arnhem_region(service_point, arnhem, renkum, employment):
    """Arnhem (30 %), Renkum (10 %) and four more authorities of the same service point (20, 40, 50,
    60 %): six in the region."""
    contract_with(arnhem, employment, "300.00")
    contract_with(renkum, employment, "100.00")
    others = authorities(service_point, ["200.00", "400.00", "500.00", "600.00"], employment, "Gelders")
    return region_of(service_point, name="Midden-Gelderland"), others


def test_arnhem_sees_its_own_share_beside_the_quartiles_of_its_region_and_the_country(client, alice, arnhem_region):
    benchmarks_compute()

    html = page_text(client, alice)

    assert "Vergelijken met andere opdrachtgevers" in html
    assert re.search(r'data-testid="own-realised">30 %<', html)
    region_row = group_row(html, "group-realised-1")
    assert "Midden-Gelderland" in region_row
    # n = 6; 25th percentile 22.5 → 23, median 35, 75th 47.5 → 48
    assert re.findall(r">(\d+)(?: %)?<", region_row) == ["6", "23", "35", "48"]
    assert "berekend op" in html
    # No other authority is ever named on the page.
    for name in ("Gemeente Renkum", "Gelders 0", "Gelders 1", "Gelders 2", "Gelders 3"):
        assert name not in html


def test_the_figures_include_the_viewer_so_every_member_of_the_region_sees_the_same(
    client, alice, bob, arnhem_region, employment
):
    """With five in the region, a viewer could learn the one other it differs from if the figures
    excluded it; they include it, so Arnhem and Renkum see identical region figures."""
    _, others = arnhem_region
    others[0].benchmark_opt_out = True
    others[0].save()
    benchmarks_compute()

    seen_by_arnhem = group_row(page_text(client, alice), "group-realised-1")
    seen_by_renkum = group_row(page_text(client, bob), "group-realised-1")

    assert seen_by_arnhem == seen_by_renkum
    # Over all five (10, 30, 40, 50, 60): median 40. Over Arnhem's four others it would be 45.
    assert re.findall(r">(\d+)(?: %)?<", seen_by_arnhem) == ["5", "30", "40", "50"]


def test_no_cell_is_shown_over_fewer_than_five_and_one_opt_out_hides_the_region(
    client, alice, erin, arnhem_region
):
    _, others = arnhem_region
    for org in others[:1]:
        org.benchmark_opt_out = True
        org.save()
    benchmarks_compute()
    assert TOO_FEW not in group_row(page_text(client, alice), "group-realised-1")  # five: shown
    assert figure(None).n_organisations == 5

    others[1].benchmark_opt_out = True
    others[1].save()
    benchmarks_compute()
    html = page_text(client, alice)

    region_row = group_row(html, "group-realised-1")
    assert TOO_FEW in region_row
    assert re.findall(r">(\d+)(?: %)?<", region_row) == ["4"]  # n only, no percentile
    assert TOO_FEW in group_row(html, "group-realised-2")  # the country has the same four
    assert figure(None).median is None
    assert f"(minimaal {MIN_ORGANISATIONS})" in html


def test_an_authority_with_one_contract_in_a_small_region_sees_only_its_own_figure(client, alice, arnhem, employment):
    contract_with(arnhem, employment, "250.00")
    sp = arnhem.served_by
    region_of(sp, name="Klein")
    authorities(sp, ["100.00", "900.00"], employment, "Klein")
    benchmarks_compute()

    html = page_text(client, alice)

    assert re.search(r'data-testid="own-realised">25 %<', html)
    assert TOO_FEW in group_row(html, "group-realised-1")
    assert TOO_FEW in group_row(html, "group-realised-2")
    assert "90 %" not in html and "10 %" not in html


def test_the_kind_of_contract_narrows_the_comparison(client, alice, arnhem_region):
    benchmarks_compute()

    html = page_text(client, alice, "?soort=services")

    assert "Dienst" in html
    assert "Geen lopende of afgelopen contracten met een verplichting" in html
    assert TOO_FEW in group_row(html, "group-realised-1")
    # Nonsense in the query falls back to all kinds rather than failing.
    assert re.search(r'data-testid="own-realised">30 %<', page_text(client, alice, "?soort=%00zzz"))


def test_before_the_first_computation_the_page_says_there_are_no_figures_yet(client, alice, arnhem_region):
    html = page_text(client, alice)

    assert "Er zijn nog geen vergelijkingscijfers berekend" in html
    assert "benchmark-realised" not in html


def test_coordinators_suppliers_and_strangers_get_404(client, carol, arnhem_region):
    benchmarks_compute()
    supplier_company = AuthorityFactory(name="Bouwbedrijf", slug="bouwbedrijf", kind="supplier", served_by=None)
    sam = member("sam@bouw.example", supplier_company, Role.SUPPLIER)

    for user in (carol, sam):
        client.force_login(user)
        assert client.get(URL).status_code == 404
        assert client.post(reverse("monitoring:benchmark_participation"), {"opt_out": "on"}).status_code == 404


def test_the_consolidated_page_links_to_the_comparison_for_authorities_only(client, alice, carol):
    client.force_login(alice)
    assert 'data-testid="benchmarks-link"' in client.get(reverse("monitoring:consolidated")).content.decode()
    client.force_login(carol)
    assert 'data-testid="benchmarks-link"' not in client.get(reverse("monitoring:consolidated")).content.decode()


# Taking part ------------------------------------------------------------------------------------


def test_the_organisation_admin_opts_out_with_an_audit_event_and_the_figures_are_recomputed(
    client, erin, arnhem, arnhem_region, django_capture_on_commit_callbacks
):
    benchmarks_compute()
    assert figure(arnhem_region[0]).n_organisations == 6
    client.force_login(erin)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("monitoring:benchmark_participation"), {"opt_out": "on"})

    assert response.status_code == 302
    arnhem.refresh_from_db()
    assert arnhem.benchmark_opt_out is True
    event = AuditEvent.objects.get(action="benchmark_opt_out")
    assert (event.actor, event.organisation) == (erin, arnhem)
    assert figure(arnhem_region[0]).n_organisations == 5
    html = page_text(client, erin)
    assert "Uw organisatie doet niet mee aan de vergelijking" in html
    # It still sees the comparison and its own figure.
    assert re.search(r'data-testid="own-realised">30 %<', html)
    assert re.findall(r">(\d+)(?: %)?<", group_row(html, "group-realised-1"))[0] == "5"

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("monitoring:benchmark_participation"), {})
    arnhem.refresh_from_db()
    assert arnhem.benchmark_opt_out is False
    assert AuditEvent.objects.filter(action="benchmark_opt_in").count() == 1
    assert figure(arnhem_region[0]).n_organisations == 6


def test_an_advisor_cannot_change_the_participation_and_sees_no_form(client, alice, arnhem):
    client.force_login(alice)

    assert client.post(reverse("monitoring:benchmark_participation"), {"opt_out": "on"}).status_code == 403
    arnhem.refresh_from_db()
    assert arnhem.benchmark_opt_out is False
    assert "Meedoen aan de vergelijking" not in client.get(URL).content.decode()


def test_the_benchmark_is_scheduled_nightly_and_the_demo_seed_shows_a_region_with_figures(settings):
    from io import StringIO

    from django.core.management import call_command

    entry = settings.CELERY_BEAT_SCHEDULE["monitoring-compute-benchmarks"]
    assert entry["task"] == "monitoring.tasks.compute_benchmarks"
    assert (entry["schedule"].hour, entry["schedule"].minute) == ({4}, {0})
    assert settings.WIZZR_SEED_HOOKS[-1] == "monitoring.benchmarks.seed_demo"

    ship_catalogues()  # a browser test run before may have flushed them
    settings.WIZZR_SEED_HOOKS = ["contracts.seed.seed_demo", "monitoring.seed.seed_demo", "monitoring.benchmarks.seed_demo"]
    call_command("seed_demo", "--force", stdout=StringIO())

    region = RegionFactory._meta.model.objects.get(slug="oost-nederland")
    cell = figure(region)
    assert cell.n_organisations >= MIN_ORGANISATIONS
    assert cell.median is not None
    counts = (Contract.objects.count(), BenchmarkFigure.objects.count())
    call_command("seed_demo", "--force", stdout=StringIO())
    assert (Contract.objects.count(), BenchmarkFigure.objects.count()) == counts


def test_the_comparison_speaks_english_when_the_user_chose_english(client, alice, arnhem_region):
    benchmarks_compute()
    client.force_login(alice)
    client.post(reverse("set_language"), {"language": "en", "next": URL})
    html = page_text(client, alice)
    assert "Compare with other contracting authorities" in html
    assert "How we calculate" in html
    assert "Vergelijken met andere opdrachtgevers" not in html

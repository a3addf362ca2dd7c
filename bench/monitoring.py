"""Benchmark: Monitoren contracten with 10,000 contracts and 100,000 realisations in one organisation.

Targets (issue 6): the list page (individueel) p95 ≤ 50 ms and ≥ 150 requests per second per core
under gunicorn (loopback, 16 connections); the consolidated page p95 ≤ 100 ms; both with a constant
number of queries whatever the page size or the number of contracts.

The data lives in the development database under a dedicated organisation (``bench-gemeente``,
served by ``bench-steunpunt``) and is generated with COPY the first time; later runs reuse it
(``--monitoring-fresh`` builds it again, ``--monitoring-remove`` deletes it at the end). The run then

1. counts the queries of both pages (in process, through Django's test client),
2. times the page data the way the pages get it against the naive way (progress per row with its
   own queries; consolidated totals summed contract by contract), in the same run,
3. serves the app with gunicorn (production settings, DEBUG off, a logged-in advisor with MFA)
   and loads it with wrk (or, without wrk, a small threaded Python client): 16 connections. Every
   request computes its page. The targets are checked on these figures.

Run: ``make bench BENCH_ARGS=monitoring`` (``python -m bench monitoring``; options ``--monitoring-fresh``,
``--monitoring-remove``, ``--monitoring-workers N``, ``--monitoring-seconds S``), or on its own:
``DEBUG=1 .venv/bin/python -m devtools.devdb run -- .venv/bin/python -m bench.monitoring``
"""

from __future__ import annotations

import argparse
import datetime
import http.client
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

CONTRACTS = 10_000
REALISATIONS = 100_000
SUPPLIERS = 1_500
COORDINATORS = 6
CONNECTIONS = 16
SEQUENTIAL = 40
SERVICE_POINT_SLUG = "bench-steunpunt"
AUTHORITY_SLUG = "bench-gemeente"
ADVISOR_EMAIL = "bench-adviseur@wizzr.example"
SUPPLIER_PREFIX = "Bench Leverancier"
TARGET_LIST_P95_MS = 50.0
TARGET_LIST_RPS_PER_CORE = 150.0
TARGET_CONSOLIDATED_P95_MS = 100.0
BASE_DIR = Path(__file__).resolve().parent.parent

TITLES = [
    "Onderhoud openbare ruimte",
    "Schoonmaak gemeentelijke gebouwen",
    "Groenonderhoud wijken",
    "Leerlingenvervoer",
    "Renovatie sporthal",
    "ICT-werkplekken",
    "Beveiliging stadhuis",
    "Catering en koffievoorziening",
    "Wegonderhoud",
    "Rioolvervanging",
    "Afvalinzameling",
    "Straatverlichting",
    "Inhuur adviseurs sociaal domein",
    "Bouw brede school",
    "Gladheidsbestrijding",
    "Drukwerk en post",
    "Energielevering",
    "Verhuisdiensten",
]
CITIES = ["Arnhem", "Ede", "Nijmegen", "Apeldoorn", "Doetinchem", "Zevenaar", "Wageningen", "Renkum", "Tiel", "Velp"]


# Data ---------------------------------------------------------------------------------------------


def _bench_organisations():
    from wizzr.models import Organisation

    service_point, _ = Organisation.objects.get_or_create(
        slug=SERVICE_POINT_SLUG,
        defaults={
            "name": "Benchmark Steunpunt (synthetisch)",
            "kind": Organisation.Kind.SERVICE_POINT,
            "email": "bench@steunpunt.example",
            "phone": "026 000 00 00",
        },
    )
    authority, _ = Organisation.objects.get_or_create(
        slug=AUTHORITY_SLUG,
        defaults={
            "name": "Benchmark Gemeente (synthetisch)",
            "kind": Organisation.Kind.AUTHORITY,
            "served_by": service_point,
        },
    )
    return service_point, authority


def _bench_users(service_point, authority):
    from allauth.mfa.models import Authenticator

    from wizzr.models import Membership, Role, User

    advisor, created = User.objects.get_or_create(email=ADVISOR_EMAIL, defaults={"name": "Bench Adviseur"})
    if created:
        advisor.set_unusable_password()
        advisor.save(update_fields=["password"])
    Membership.objects.get_or_create(user=advisor, organisation=authority, role=Role.ADVISOR)
    # Production settings require MFA: the advisor has an authenticator, so the check runs and passes.
    Authenticator.objects.get_or_create(
        user=advisor, type=Authenticator.Type.TOTP, defaults={"data": {"secret": "bench"}}
    )
    coordinators = []
    for n in range(COORDINATORS):
        user, _ = User.objects.get_or_create(
            email=f"bench-regisseur-{n}@wizzr.example", defaults={"name": f"Bench Regisseur {n}"}
        )
        Membership.objects.get_or_create(user=user, organisation=service_point, role=Role.COORDINATOR)
        coordinators.append(user)
    return advisor, coordinators


def _existing_counts(authority) -> tuple[int, int]:
    from contracts.models import Contract
    from monitoring.models import Realisation

    return Contract.objects.filter(organisation=authority).count(), Realisation.objects.filter(
        organisation=authority
    ).count()


def _remove(authority) -> None:
    """Delete the bench organisation's contracts and everything hanging off them, table by table."""
    from django.db import connection, transaction

    statements = [
        "DELETE FROM monitoring_realisation_bonuses WHERE realisation_id IN (SELECT id FROM monitoring_realisation WHERE organisation_id = %s)",
        "DELETE FROM monitoring_assessment WHERE organisation_id = %s",
        "DELETE FROM monitoring_evidence WHERE organisation_id = %s",
        "DELETE FROM monitoring_realisation WHERE organisation_id = %s",
        "DELETE FROM monitoring_agreement_bonuses WHERE agreement_id IN (SELECT id FROM monitoring_agreement WHERE organisation_id = %s)",
        "DELETE FROM monitoring_agreement WHERE organisation_id = %s",
        "DELETE FROM monitoring_reminder WHERE organisation_id = %s",
        "DELETE FROM monitoring_contractstatuschange WHERE organisation_id = %s",
        "DELETE FROM monitoring_contractfollowup WHERE organisation_id = %s",
        "DELETE FROM contracts_contract_contact_persons WHERE contract_id IN (SELECT id FROM contracts_contract WHERE organisation_id = %s)",
        "DELETE FROM contracts_attachment WHERE organisation_id = %s",
        "DELETE FROM contracts_contract WHERE organisation_id = %s",
    ]
    with transaction.atomic(), connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql, [authority.pk])
        cursor.execute(
            "DELETE FROM suppliers_supplier WHERE legal_name LIKE %s AND NOT EXISTS "
            "(SELECT 1 FROM contracts_contract c WHERE c.supplier_id = suppliers_supplier.id)",
            [SUPPLIER_PREFIX + " %"],
        )


def _copy(model, rows: list[dict]) -> None:
    """COPY ``rows`` (attname → value) into ``model``'s table; missing fields get their defaults."""
    from django.db import connection
    from django.utils import timezone

    now = timezone.now()
    fields = [f for f in model._meta.concrete_fields if not f.primary_key and not getattr(f, "generated", False)]
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)

    def value(field, row):
        if field.attname in row:
            return row[field.attname]
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            return now
        if field.has_default():
            return field.get_default()
        return None if field.null else field.get_default()

    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(f"COPY {model._meta.db_table} ({columns}) FROM STDIN") as copy,
    ):
        for row in rows:
            copy.write_row([value(f, row) for f in fields])


def _generate(authority, service_point, coordinators, *, stdout, realisations: int = REALISATIONS) -> None:
    from django.db import connection, transaction
    from django.utils import timezone

    from catalogue.models import BuildingBlock
    from contracts.models import Contract
    from monitoring.models import Agreement, ContractFollowUp, Realisation
    from suppliers.models import Supplier

    rng = random.Random(20261127)
    started = time.perf_counter()
    blocks = list(BuildingBlock.objects.order_by("pk")[:12])
    if not blocks:
        raise SystemExit("No building blocks: run the migrations first (make migrate).")
    today = timezone.localdate()
    now = timezone.now()
    with transaction.atomic():
        Supplier.objects.bulk_create(
            [
                Supplier(
                    legal_name=f"{SUPPLIER_PREFIX} {n:04d} B.V.",
                    kvk_number=f"98{n:06d}",
                    branch_number=f"98{n:010d}",
                    is_main_branch=True,
                    city=rng.choice(CITIES),
                    street="Benchweg",
                    house_number=str(n % 200 + 1),
                )
                for n in range(SUPPLIERS)
            ],
            ignore_conflicts=True,
            batch_size=500,
        )
        supplier_ids = list(
            Supplier.objects.filter(legal_name__startswith=SUPPLIER_PREFIX).values_list("pk", flat=True)
        )
        # Some suppliers get many contracts, most a few (like a real municipality).
        weights = [1 / (i + 1) ** 0.7 for i in range(len(supplier_ids))]
        statuses = (
            ["draft"] * 3 + ["handed_over"] * 10 + ["agreements_made"] * 17 + ["in_progress"] * 55 + ["closed"] * 15
        )
        contract_rows = []
        for n in range(CONTRACTS):
            start = datetime.date(2019, 1, 1) + datetime.timedelta(days=rng.randrange(0, 2800))
            end = start + datetime.timedelta(days=rng.randrange(365, 1826))
            status = rng.choice(statuses)
            if status == "closed" and end > today:
                status = "in_progress"
            value = Decimal(rng.randrange(200_000_00, 5_000_000_00)) / 100
            contract_rows.append(
                {
                    "uuid": uuid.uuid4(),
                    "organisation_id": authority.pk,
                    "contract_number": f"BENCH-{n:05d}",
                    "title": f"{rng.choice(TITLES)} {n}",
                    "start_date": start,
                    "end_date": end,
                    "supplier_id": rng.choices(supplier_ids, weights)[0],
                    "contract_value": value,
                    "sroi_percentage": Decimal("5.00"),
                    "sroi_fixed_amount": (value * Decimal("0.04")).quantize(Decimal("0.01")) if n % 20 == 0 else None,
                    "kind": rng.choice(["works", "services", "supplies"]),
                    "status": status,
                    "created_at": now,
                    "handed_over_at": None if status == "draft" else now,
                    "description": "",
                    "sroi_paragraph": "",
                    "department": "",
                    "supplier_contact_name": "",
                    "supplier_contact_email": "",
                    "supplier_contact_phone": "",
                    "remarks_for_coordinator": "",
                }
            )
        _copy(Contract, contract_rows)
        contracts = list(
            Contract.objects.filter(organisation=authority)
            .with_obligation()
            .values_list("pk", "status", "start_date", "end_date", "obligation_amount")
        )
        _copy(
            ContractFollowUp,
            [
                {
                    "uuid": uuid.uuid4(),
                    "organisation_id": authority.pk,
                    "contract_id": pk,
                    "coordinator_id": rng.choice(coordinators).pk if rng.random() < 0.8 else None,
                    "accepted_at": now,
                    "reporting_rhythm": "quarterly",
                    "created_at": now,
                }
                for pk, status, *_ in contracts
                if status != "draft"
            ],
        )
        agreed = [c for c in contracts if c[1] in ("agreements_made", "in_progress", "closed")]
        agreement_rows, agreements_of = [], {}
        for pk, _status, _start, _end, obligation in agreed:
            parts = rng.randint(1, 4)
            for _ in range(parts):
                block = rng.choice(blocks)
                agreement_rows.append(
                    {
                        "uuid": uuid.uuid4(),
                        "organisation_id": authority.pk,
                        "contract_id": pk,
                        "block_id": block.pk,
                        "description": "Afspraak",
                        "planned_value": (obligation * Decimal(rng.uniform(0.6, 1.2)) / parts).quantize(
                            Decimal("0.01")
                        ),
                        "created_at": now,
                    }
                )
        _copy(Agreement, agreement_rows)
        for pk, contract_id, block_id in Agreement.objects.filter(organisation=authority).values_list(
            "pk", "contract_id", "block_id"
        ):
            agreements_of.setdefault(contract_id, []).append((pk, block_id))
        # ``realisations`` (100,000 by default) spread over the contracts with agreements.
        shares = [rng.random() + 0.2 for _ in agreed]
        total = sum(shares)
        counts = [int(realisations * s / total) for s in shares]
        counts[0] += realisations - sum(counts)
        realisation_rows = []
        for (pk, _status, start, end, obligation), count in zip(agreed, counts, strict=True):
            span = max((min(end, today) - start).days, 1)
            for _ in range(count):
                agreement_id, block_id = rng.choice(agreements_of[pk])
                period_start = start + datetime.timedelta(days=rng.randrange(0, span))
                status = rng.choices(["approved", "submitted", "rejected"], [70, 20, 10])[0]
                realisation_rows.append(
                    {
                        "uuid": uuid.uuid4(),
                        "organisation_id": authority.pk,
                        "contract_id": pk,
                        "agreement_id": agreement_id,
                        "block_id": block_id,
                        "period_start": period_start,
                        "period_end": period_start + datetime.timedelta(days=90),
                        "value": (obligation * Decimal(rng.uniform(0.005, 0.2))).quantize(Decimal("0.01")),
                        "status": status,
                        "rejection_reason": "Bewijs ontbreekt" if status == "rejected" else "",
                        "candidate_reference": "",
                        "months": Decimal("3.00"),
                        "submitted_at": now,
                        "assessed_at": None if status == "submitted" else now,
                        "created_at": now,
                    }
                )
        _copy(Realisation, realisation_rows)
    with connection.cursor() as cursor:
        for table in (
            "contracts_contract",
            "monitoring_contractfollowup",
            "monitoring_agreement",
            "monitoring_realisation",
            "suppliers_supplier",
        ):
            cursor.execute(f"ANALYZE {table}")
    stdout.write(
        f"  generated {len(contract_rows):,} contracts, {len(agreement_rows):,} agreements, "
        f"{len(realisation_rows):,} realisations, {SUPPLIERS:,} suppliers in {time.perf_counter() - started:.1f} s\n"
    )


def ensure_data(*, fresh: bool, stdout):
    from django.core.management import call_command

    # A fresh clone has never run `make run`: the database may still be empty.
    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    service_point, authority = _bench_organisations()
    advisor, coordinators = _bench_users(service_point, authority)
    contracts, realisations = _existing_counts(authority)
    if fresh or (contracts, realisations) != (CONTRACTS, REALISATIONS):
        if contracts or realisations:
            stdout.write(f"  removing earlier bench data ({contracts:,} contracts, {realisations:,} realisations)\n")
            _remove(authority)
        _generate(authority, service_point, coordinators, stdout=stdout)
    else:
        stdout.write(f"  reusing {contracts:,} contracts and {realisations:,} realisations of {authority.name}\n")
    return authority, advisor


# In-process measurements ---------------------------------------------------------------------------


def _p95(samples: list[float]) -> float:
    return statistics.quantiles(samples, n=100, method="inclusive")[94] if len(samples) > 1 else samples[0]


def _time(func: Callable[[], object], rounds: int) -> list[float]:
    func()  # warm-up
    samples = []
    for _ in range(rounds):
        start = time.perf_counter()
        func()
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def _list_data(contracts, size: int):
    """The way the list page gets its page: ids chosen over narrow rows, figures for those rows only."""
    from monitoring import reports

    page, rows, _key = reports.list_page(contracts, key=None, page="1", per_page=size)
    return page.paginator.count, [
        (c.obligation_amount, c.planned_amount, c.approved_amount, c.is_behind, c.coordinator_name) for c in rows
    ]


def _list_data_naive(contracts, size: int):
    """The obvious way: a page of contracts, then the figures of each row with queries of its own."""
    from django.core.paginator import Paginator

    from monitoring.figures import contract_figures
    from monitoring.models import ContractFollowUp

    page = Paginator(
        contracts.select_related("supplier", "organisation").order_by("-start_date", "-end_date", "-pk"), size
    ).get_page(1)
    out = []
    for contract in page:
        figures = contract_figures(contract)
        follow_up = ContractFollowUp.objects.filter(contract=contract).select_related("coordinator").first()
        out.append(
            (figures.obligation, figures.planned, figures.approved, follow_up.coordinator if follow_up else None)
        )
    return page.paginator.count, out


def _consolidated_naive(contracts):
    """The obvious way: sum the figures contract by contract."""
    from monitoring.figures import contract_figures

    totals = {"obligation": Decimal(0), "planned": Decimal(0), "approved": Decimal(0)}
    for contract in contracts.order_by("pk"):
        figures = contract_figures(contract)
        totals["obligation"] += figures.obligation or 0
        totals["planned"] += figures.planned
        totals["approved"] += figures.approved
    return totals


def _own_queries(client, url: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    client.get(reverse("accessibility"))  # the first request of a session may renew it
    with CaptureQueriesContext(connection) as base:
        client.get(reverse("accessibility"))
    with CaptureQueriesContext(connection) as page:
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
    return len(page) - len(base)


def measure_in_process(authority, advisor, *, stdout) -> dict:
    from django.test import Client
    from django.urls import reverse

    from contracts.models import Contract
    from monitoring import reports

    visible = Contract.objects.visible_to(advisor)
    handed_over = visible.exclude(status=Contract.Status.DRAFT)
    result: dict = {}

    client = Client(HTTP_HOST="localhost")
    client.force_login(advisor)
    individual, consolidated = reverse("monitoring:individual"), reverse("monitoring:consolidated")
    result["queries_list_10"] = _own_queries(client, f"{individual}?per_page=10")
    result["queries_list_100"] = _own_queries(client, f"{individual}?per_page=100")
    result["queries_list_sorted"] = _own_queries(client, f"{individual}?per_page=100&o=-gerealiseerd&behind=on")
    result["queries_consolidated"] = _own_queries(client, consolidated)
    stdout.write(
        f"  queries of the list page itself: {result['queries_list_10']} (10 rows), {result['queries_list_100']} (100 rows), "
        f"{result['queries_list_sorted']} (100 rows sorted by realised, behind only); consolidated page: "
        f"{result['queries_consolidated']}\n"
    )

    fast = _time(lambda: _list_data(visible, 25), 30)
    naive = _time(lambda: _list_data_naive(visible, 25), 30)
    fast100 = _time(lambda: _list_data(visible, 100), 15)
    naive100 = _time(lambda: _list_data_naive(visible, 100), 15)
    result.update(
        list_data_p95_ms=_p95(fast),
        list_naive_p95_ms=_p95(naive),
        list100_data_p95_ms=_p95(fast100),
        list100_naive_p95_ms=_p95(naive100),
    )
    stdout.write(
        f"  list data, 25 rows:  annotated {statistics.median(fast):.1f} ms median / {_p95(fast):.1f} ms p95; "
        f"per-row queries {statistics.median(naive):.1f} / {_p95(naive):.1f} ms — {statistics.median(naive) / statistics.median(fast):.1f}× slower\n"
        f"  list data, 100 rows: annotated {statistics.median(fast100):.1f} ms median / {_p95(fast100):.1f} ms p95; "
        f"per-row queries {statistics.median(naive100):.1f} / {_p95(naive100):.1f} ms — {statistics.median(naive100) / statistics.median(fast100):.1f}× slower\n"
    )
    consolidated_fast = _time(lambda: reports.consolidated(handed_over), 15)
    start = time.perf_counter()
    naive_totals = _consolidated_naive(handed_over)
    consolidated_naive_ms = (time.perf_counter() - start) * 1000
    figures = reports.consolidated(handed_over)
    assert figures.totals.approved == naive_totals["approved"], "consolidated totals differ from the naive sum"
    assert figures.totals.planned == naive_totals["planned"], "consolidated totals differ from the naive sum"
    result.update(consolidated_data_p95_ms=_p95(consolidated_fast), consolidated_naive_ms=consolidated_naive_ms)
    stdout.write(
        f"  consolidated data: grouped aggregates {statistics.median(consolidated_fast):.1f} ms median / "
        f"{_p95(consolidated_fast):.1f} ms p95; contract by contract {consolidated_naive_ms:,.0f} ms — "
        f"{consolidated_naive_ms / statistics.median(consolidated_fast):.0f}× slower (same totals: "
        f"€ {figures.totals.approved:,.2f} realised of € {figures.totals.obligation:,.2f})\n"
    )
    return result


# Under gunicorn ----------------------------------------------------------------------------------

WRK_SCRIPT = """
wrk.headers["Cookie"] = "{cookie}"
wrk.headers["X-Forwarded-Proto"] = "https"
done = function(summary, latency, requests)
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.status + summary.errors.timeout
  io.write(string.format("RESULT %d %d %d %.3f %.3f %.3f\\n", summary.requests, summary.duration, errors,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000))
end
"""


def _session_cookie(advisor) -> str:
    """A logged-in session for the advisor, as the login would leave it."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    session = SessionStore()
    session[SESSION_KEY] = str(advisor.pk)
    session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    session[HASH_SESSION_KEY] = advisor.get_session_auth_hash()
    session["wizzr_session_started"] = int(time.time())
    session.create()
    return session.session_key


def _get(port: int, path: str, cookie: str) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("GET", path, headers={"Cookie": cookie, "X-Forwarded-Proto": "https", "Host": "127.0.0.1"})
    response = conn.getresponse()
    body = response.read()
    conn.close()
    return response.status, body


def _python_load(port: int, path: str, cookie: str, seconds: float) -> dict:
    """A bounded threaded load generator for machines without wrk: CONNECTIONS keep-alive clients."""
    stop = time.perf_counter() + seconds
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()

    def worker():
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        mine = []
        while time.perf_counter() < stop:
            start = time.perf_counter()
            try:
                conn.request("GET", path, headers={"Cookie": cookie, "X-Forwarded-Proto": "https", "Host": "127.0.0.1"})
                response = conn.getresponse()
                response.read()
                if response.status != 200:
                    errors[0] += 1
            except OSError:
                errors[0] += 1
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                continue
            mine.append((time.perf_counter() - start) * 1000)
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=worker) for _ in range(CONNECTIONS)]
    began = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    duration = time.perf_counter() - began
    latencies.sort()
    return {
        "requests": len(latencies),
        "rps": len(latencies) / duration,
        "errors": errors[0],
        "p50_ms": statistics.median(latencies),
        "p95_ms": _p95(latencies),
        "p99_ms": latencies[int(len(latencies) * 0.99)],
    }


def _wrk(port: int, path: str, cookie: str, seconds: int, threads: int) -> dict:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(WRK_SCRIPT.format(cookie=cookie))
    try:
        out = subprocess.run(
            [
                "wrk",
                f"-t{threads}",
                f"-c{CONNECTIONS}",
                f"-d{seconds}s",
                "--timeout",
                "10s",
                "-s",
                script.name,
                f"http://127.0.0.1:{port}{path}",
            ],
            capture_output=True,
            text=True,
            timeout=seconds + 60,
            check=True,
        ).stdout
    finally:
        os.unlink(script.name)
    line = next(line for line in out.splitlines() if line.startswith("RESULT "))
    requests, duration_us, errors, p50, p95, p99 = line.split()[1:]
    return {
        "requests": int(requests),
        "rps": int(requests) / (int(duration_us) / 1e6),
        "errors": int(errors),
        "p50_ms": float(p50),
        "p95_ms": float(p95),
        "p99_ms": float(p99),
    }


def _database_url() -> str:
    """The database this process uses, as a URL for the gunicorn workers."""
    from django.db import connection

    db = connection.settings_dict
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    host = f"?host={db['HOST']}" if db["HOST"].startswith("/") else ""
    netloc = f"{auth}@" + ("" if host else f"{db['HOST']}:{db['PORT'] or 5432}")
    return f"postgresql://{netloc}/{db['NAME']}{host}"


def _cpu_seconds(pids: list[int]) -> dict[int, float]:
    """User + system CPU time of each of ``pids`` that still runs."""
    ticks = os.sysconf("SC_CLK_TCK")
    times = {}
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        times[pid] = (int(fields[11]) + int(fields[12])) / ticks  # utime, stime
    return times


def _cpu_used(before: dict[int, float], after: dict[int, float]) -> float:
    """CPU seconds used between two snapshots by the processes present in both."""
    return sum(after[pid] - before[pid] for pid in before.keys() & after.keys())


def _cpu_pressure() -> str:
    """The kernel's CPU pressure (share of time something waited for a CPU), when available."""
    try:
        line = Path("/proc/pressure/cpu").read_text().splitlines()[0]
    except OSError:
        return "unknown"
    return line.split()[2].split("=")[1] + " %"


def _server_pids(port: int) -> list[int]:
    """The gunicorn processes serving ``port`` (found by their command line)."""
    needle = f"127.0.0.1:{port}".encode()
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if needle in (entry / "cmdline").read_bytes():
                    pids.append(int(entry.name))
            except OSError:
                continue
    return pids


def _backend_pids() -> list[int]:
    """The PostgreSQL backends connected to this database (the gunicorn workers' among them)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
            "AND backend_type = 'client backend' AND pid <> pg_backend_pid()"
        )
        return [pid for (pid,) in cursor.fetchall()]


def measure_http(advisor, *, workers: int, seconds: int, stdout) -> dict:
    """Every page under gunicorn as the product runs: each request computes its page."""
    from django.conf import settings
    from django.utils.crypto import get_random_string

    from bench.server import production_env

    work = BASE_DIR / "var" / "bench"
    work.mkdir(parents=True, exist_ok=True)
    # The session below is signed with this process's key; MFA stays required (the advisor has an authenticator).
    env = production_env(_database_url(), work / "static", SECRET_KEY=settings.SECRET_KEY, WIZZR_REQUIRE_MFA="1")
    # The cookies a browser sends after its first page: the session and the CSRF secret.
    cookie = f"__Host-sessionid={_session_cookie(advisor)}; __Host-csrftoken={get_random_string(32)}"
    pages = {
        # For scale: a page that does nothing of its own (session, user, header, footer only).
        "reference": "/toegankelijkheid/",
        "list": "/monitoren/",
        "list_100_sorted": "/monitoren/?per_page=100&o=-gerealiseerd",
        "list_filtered_behind": "/monitoren/?status=in_progress&behind=on",
        "consolidated": "/monitoren/geconsolideerd/",
    }
    result: dict = {
        "workers": workers,
        "cores": os.cpu_count(),
        "load_generator": "wrk" if shutil.which("wrk") else "python",
    }
    result.update(_measure_pages(env, pages, cookie, workers=workers, seconds=seconds, stdout=stdout))
    return result


def _measure_pages(env: dict, pages: dict, cookie: str, *, workers: int, seconds: int, stdout) -> dict:
    from bench.server import gunicorn

    result: dict = {}
    with gunicorn(env, workers=workers, log=BASE_DIR / "var" / "bench" / "gunicorn-monitoring.log") as client:
        port = client.port
        status, body = _get(port, pages["list"], cookie)
        if status != 200 or b"contracten gevonden" not in body:
            raise SystemExit(f"the list page did not answer as the logged-in advisor (status {status})")
        servers = _server_pids(port)
        for name, path in pages.items():
            for _ in range(20):  # warm-up: connections, plans, template caches
                _get(port, path, cookie)
            # The page's own response time: one request at a time, nothing queued in front of it.
            single = []
            for _ in range(SEQUENTIAL):
                started = time.perf_counter()
                _get(port, path, cookie)
                single.append((time.perf_counter() - started) * 1000)
            backends = _backend_pids()
            django_before, postgres_before = _cpu_seconds(servers), _cpu_seconds(backends)
            if shutil.which("wrk"):
                figures = _wrk(port, path, cookie, seconds, threads=2)
            else:
                figures = _python_load(port, path, cookie, seconds)
            figures["single_p50_ms"], figures["single_p95_ms"] = statistics.median(single), _p95(single)
            requests = max(figures["requests"], 1)
            figures["django_cpu_ms"] = _cpu_used(django_before, _cpu_seconds(servers)) * 1000 / requests
            figures["postgres_cpu_ms"] = _cpu_used(postgres_before, _cpu_seconds(backends)) * 1000 / requests
            figures["cpu_pressure"] = _cpu_pressure()
            figures["cpu_ms"] = figures["django_cpu_ms"] + figures["postgres_cpu_ms"]
            # What one core serves when the request has it to itself: the measure that does not
            # depend on what else runs on the machine.
            figures["capacity_per_core"] = 1000 / figures["cpu_ms"] if figures["cpu_ms"] else 0.0
            figures["rps_per_core"] = figures["rps"] / (os.cpu_count() or 1)
            result[name] = figures
            stdout.write(
                f"  {path}\n"
                f"    one at a time:  p50 {figures['single_p50_ms']:6.1f} ms, p95 {figures['single_p95_ms']:6.1f} ms\n"
                f"    {CONNECTIONS} connections: {figures['rps']:6.1f} req/s ({figures['rps_per_core']:.1f} per core), "
                f"p50 {figures['p50_ms']:.1f} ms, p95 {figures['p95_ms']:.1f} ms, {figures['errors']} errors\n"
                f"    server CPU per request {figures['cpu_ms']:.1f} ms (Django {figures['django_cpu_ms']:.1f}, "
                f"PostgreSQL {figures['postgres_cpu_ms']:.1f}): {figures['capacity_per_core']:.0f} req/s per core of CPU; "
                f"CPU pressure {figures['cpu_pressure']}\n"
            )
            stdout.flush()
    return result


def add_arguments(parser) -> None:
    group = parser.add_argument_group("monitoring")
    group.add_argument("--monitoring-fresh", action="store_true", help="build the monitoring bench data again")
    group.add_argument("--monitoring-remove", action="store_true", help="delete the monitoring bench data at the end")
    group.add_argument("--monitoring-workers", type=int, default=None, help="gunicorn workers (default: 2 × cores + 1)")
    group.add_argument(
        "--monitoring-seconds", type=int, default=15, help="load per page in seconds (0: only the in-process part)"
    )


def run(args, *, stdout=sys.stdout) -> dict:
    """Build or reuse the data, measure, and (with --monitoring-remove) clean up; return the figures."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wizzr.settings")
    import django

    django.setup()
    workers = args.monitoring_workers or 2 * (os.cpu_count() or 1) + 1  # gunicorn's advice
    seconds = args.monitoring_seconds
    load = os.getloadavg()
    stdout.write(
        f"\nMonitoren contracten: {CONTRACTS:,} contracts and {REALISATIONS:,} realisations in one organisation\n"
        f"  {os.cpu_count()} cores (load average {load[0]:.1f} at the start), gunicorn {workers} sync workers, "
        f"{CONNECTIONS} connections, {seconds} s per page\n"
    )
    authority, advisor = ensure_data(fresh=args.monitoring_fresh, stdout=stdout)
    result: dict = {"suite": "monitoring", "started": time.strftime("%Y-%m-%d %H:%M:%S"), "load_average": load[0]}
    try:
        result.update(measure_in_process(authority, advisor, stdout=stdout))
        if seconds:
            result["http"] = measure_http(advisor, workers=workers, seconds=seconds, stdout=stdout)
    finally:
        if args.monitoring_remove:
            _remove(authority)
            stdout.write("  removed the bench data\n")
    checks = {"list queries constant and ≤ 8": result["queries_list_10"] == result["queries_list_100"] <= 8}
    if "http" in result:
        http_list, http_consolidated = result["http"]["list"], result["http"]["consolidated"]
        checks.update(
            {
                f"list p95 ≤ {TARGET_LIST_P95_MS:.0f} ms": http_list["p95_ms"] <= TARGET_LIST_P95_MS,
                f"list ≥ {TARGET_LIST_RPS_PER_CORE:.0f} req/s per core": http_list["rps_per_core"]
                >= TARGET_LIST_RPS_PER_CORE,
                f"consolidated p95 ≤ {TARGET_CONSOLIDATED_P95_MS:.0f} ms": http_consolidated["p95_ms"]
                <= TARGET_CONSOLIDATED_P95_MS,
            }
        )
    for name, ok in checks.items():
        stdout.write(f"  {'PASS' if ok else 'FAIL'}  {name}\n")
    result["checks"] = checks
    result["targets_met"] = all(checks.values()) and "http" in result
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bench.monitoring", description=__doc__.splitlines()[0])
    add_arguments(parser)
    return 0 if run(parser.parse_args(argv))["targets_met"] else 1


if __name__ == "__main__":
    sys.exit(main())

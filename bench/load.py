"""Load benchmark: a national-scale database under a mixed, open-loop workload of many organisations.

``make bench BENCH_ARGS=load`` (``python -m bench load``):

1. Builds the database ``wizzr_load`` from the migrations, then the data (``bench.loaddata``): 40
   organisations (SROI service points, contracting authorities, supplier companies), 400 people
   (advisors, coordinators, supplier contacts, each with a password and a TOTP authenticator),
   20,000 contracts in every status (10,000 of them of one authority), agreements, 200,000
   realisations, the supplier portal's accesses and open reporting periods, help requests,
   knowledge-base articles and the 2.6 M-row registry. A finished build leaves a marker row with its
   scale and a fingerprint of the schema; a later run reuses the database only when both match
   (``--load-fresh`` builds it again), otherwise the database is dropped and built anew. Each run
   works on a copy of it (``wizzr_load_run``, dropped afterwards), so that every run starts from the
   same data.
2. Serves the copy with gunicorn and the production settings (DEBUG off, the default caches and sessions
   in PostgreSQL, static files by WhiteNoise, MFA required). Loopback speaks plain HTTP, so the load
   tool sends ``X-Forwarded-Proto: https`` as the shipped nginx does (``SECURE_SSL_REDIRECT`` off for
   the health check only), and one ``X-Forwarded-For`` address per person (``TRUSTED_PROXY_COUNT=1``,
   as behind that nginx) so that the login rate limit per address sees 400 addresses, not one.
3. Drives it with Locust (``bench.load_driver``): every person logs in through the login form and
   the TOTP step, then walks the journeys of its role at a fixed pace — 400 people × one request per
   5 s = 80 requests/s — with 5 % writes. Then, in the same run, the same people ask only an empty
   page at the same rate, and the largest authority's advisors the monitoring list with 10 k
   contracts in view. Per page p50/p95/p99 and errors; CPU per request of the gunicorn processes, the
   Celery worker (on a Redis of its own, delivering mail to an SMTP server that only accepts it) and
   the database backends (from /proc).
4. Counts the queries of the list (10 and 100 rows) and of a contract page (few and many
   realisations), and profiles the list and the contract page in process (cProfile) under the
   same settings: bench/results/load-profile-latest.txt.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

from bench import loaddata

BASE_DIR = Path(__file__).resolve().parent.parent
WORK_DIR = BASE_DIR / "var" / "bench"
RESULTS = Path(__file__).resolve().parent / "results"
DATABASE = "wizzr_load"
RUN_DATABASE = "wizzr_load_run"  # the copy a run works on (run_copy)

# Targets on the 2-core reference machine.
TARGET_RATE = 80.0
TARGET_P95_MS = 150.0
TARGET_P99_MS = 400.0
TARGET_LIST_CPU_RATIO = 4.0


def add_arguments(parser) -> None:
    group = parser.add_argument_group("load")
    group.add_argument("--load-fresh", action="store_true", help="build the load database again")
    group.add_argument("--load-scale", choices=["national", "tiny"], default="national",
                       help="national (default) or tiny (a few hundred rows, to try the suite)")
    group.add_argument("--load-rate", type=float, default=TARGET_RATE, help="arrival rate, requests/s (default 80)")
    group.add_argument("--load-mixed-seconds", type=float, default=120, help="measured seconds of the mixed phase (default 120)")
    group.add_argument("--load-warmup", type=float, default=20, help="unmeasured seconds before each phase (default 20)")
    group.add_argument("--load-ratio-seconds", type=float, default=30,
                       help="measured seconds of the empty-page and 10 k list phases (default 30)")
    group.add_argument("--load-list-rate", type=float, default=20,
                       help="requests/s of the 10 k list phase (default 20)")
    group.add_argument("--load-workers", type=int, default=4, help="gunicorn sync workers (default 4)")
    group.add_argument("--load-no-profile", action="store_true", help="skip the in-process profile")


def run(args) -> dict:
    scale = loaddata.NATIONAL if args.load_scale == "national" else loaddata.TINY
    result: dict = {
        "suite": "load", "started": time.strftime("%Y-%m-%d %H:%M:%S %Z"), "cpus": os.cpu_count(),
        "load_average_at_start": round(os.getloadavg()[0], 2), "scale": args.load_scale,
    }
    prepare_database(scale, fresh=args.load_fresh, result=result)
    database_url = run_copy(result)
    try:
        WORK_DIR.mkdir(parents=True, exist_ok=True)
        plan = build_plan(scale, args)
        result["queries"] = count_queries()
        result["http"] = drive(database_url, plan, args)
        if not args.load_no_profile:
            result["profile"] = profile(database_url)
            result["pages_in_process"] = page_costs(database_url)
    finally:
        drop_run_copy()
    result["load_average_at_end"] = round(os.getloadavg()[0], 2)
    result["targets"], result["targets_met"] = check(result, args)
    report(result)
    return result


# The database ------------------------------------------------------------------------------------------


def _server_host() -> str:
    from devtools.devdb import database_settings

    return database_settings()["HOST"]


def _database_url(name: str, host: str) -> str:
    return f"postgresql://postgres@/{name}?host={host}"


def prepare_database(scale: loaddata.Scale, *, fresh: bool, result: dict) -> str:
    """Reuse ``wizzr_load`` when its marker says it is complete for this scale and schema; otherwise
    drop it, create it from the migrations and generate the data. Returns its URL."""
    import psycopg

    host = _server_host()
    url = _database_url(DATABASE, host)
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wizzr.settings")
    with psycopg.connect(host=host, user="postgres", dbname="postgres", autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DATABASE]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{DATABASE}"')
    import django
    from django.apps import apps

    if apps.ready:  # another suite of this run set Django up with its own database
        from django.db import connection

        connection.close()
        connection.settings_dict.update(NAME=DATABASE, HOST=host, USER="postgres", PASSWORD="", PORT="")
    else:
        django.setup()
    from dataclasses import asdict

    from django.core.management import call_command
    from django.db import connection

    found = loaddata.marker() if exists else None
    wanted = {"scale": asdict(scale), "schema": loaddata.schema_fingerprint()}
    if found and not fresh and all(found.get(k) == v for k, v in wanted.items()):
        print(f"Reusing {DATABASE} (generated {found['generated']} in {found['seconds']} s).", flush=True)
        call_command("createcachetable", verbosity=0)
        result["data"] = {"reused": True, **found}
        return url
    if exists:
        reason = "--load-fresh" if fresh else ("no complete build" if not found else "another scale or schema")
        print(f"Dropping {DATABASE} ({reason}) …", flush=True)
        connection.close()
        with psycopg.connect(host=host, user="postgres", dbname="postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE "{DATABASE}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{DATABASE}"')
    print(f"Building {DATABASE}: migrations …", flush=True)
    started = time.monotonic()
    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    migrate_seconds = round(time.monotonic() - started, 1)
    print(f"  migrations: {migrate_seconds} s", flush=True)
    csv = WORK_DIR / f"suppliers-{scale.registry}-seed{scale.seed}.csv"  # the suppliers suite's file, if there
    info = loaddata.generate(scale, registry_csv=csv, say=lambda m: print(m, flush=True))
    result["data"] = {"reused": False, "migrate_seconds": migrate_seconds, **info}
    print(f"  generated in {info['seconds']} s", flush=True)
    return url


def run_copy(result: dict) -> str:
    """A copy of the built database for this run (PostgreSQL copies the template's files), to which
    Django switches. The run's writes (help requests, agreements, realisations, notifications, sessions)
    land in the copy, which is dropped afterwards: every run starts from the same data (runs that wrote
    into the built database itself each measured a little more data than the one before). Returns the
    copy's URL."""
    import psycopg
    from django.db import connection

    host = _server_host()
    connection.close()  # a template must have no connections while it is copied
    started = time.monotonic()
    with psycopg.connect(host=host, user="postgres", dbname="postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{RUN_DATABASE}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{RUN_DATABASE}" TEMPLATE "{DATABASE}" STRATEGY FILE_COPY')
    result["run_copy_seconds"] = round(time.monotonic() - started, 1)
    print(f"Copied {DATABASE} to {RUN_DATABASE} for this run in {result['run_copy_seconds']} s.", flush=True)
    url = _database_url(RUN_DATABASE, host)
    os.environ["DATABASE_URL"] = url
    connection.settings_dict.update(NAME=RUN_DATABASE)
    return url


def drop_run_copy() -> None:
    """Drop the run's copy and point Django back at the built database (for the suites that follow)."""
    import psycopg
    from django.db import connection

    connection.close()
    host = _server_host()
    with psycopg.connect(host=host, user="postgres", dbname="postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{RUN_DATABASE}" WITH (FORCE)')
    os.environ["DATABASE_URL"] = _database_url(DATABASE, host)
    connection.settings_dict.update(NAME=DATABASE)


# The plan of the load tool ---------------------------------------------------------------------------


def build_plan(scale: loaddata.Scale, args) -> dict:
    """One entry per person: what they log in with and what their journeys may ask for."""
    import random

    from django.db.models import Count

    M = loaddata.model
    Contract, Membership, Realisation = M("Contract"), M("Membership"), M("Realisation")
    BuildingBlock, SupplierAccess, ReportingPeriod = M("BuildingBlock"), M("SupplierAccess"), M("ReportingPeriod")
    Agreement, Category, Organisation = M("Agreement"), M("Category"), M("Organisation")
    rng = random.Random(7)
    big = (
        Contract.objects.filter(organisation__slug__startswith="load-gemeente-").values("organisation_id")
        .annotate(n=Count("id")).order_by("-n").first()["organisation_id"]
    )
    people = []
    memberships = (
        Membership.objects.filter(user__email__endswith="@load.example").exclude(role="org_admin")
        .select_related("user", "organisation").order_by("user_id")
    )
    per_month = set(BuildingBlock.objects.filter(unit="per_month").values_list("pk", flat=True))
    open_statuses = ["handed_over", "agreements_made", "in_progress"]
    for n, m in enumerate(memberships):
        person = {
            "email": m.user.email, "totp": loaddata.totp_secret(m.user.email), "role": m.role,
            "ip": f"10.{n // 250}.{n % 250}.{rng.randrange(1, 250)}", "big": m.organisation_id == big,
            "contracts": [], "periods": [], "submit_targets": [], "to_assess": [], "agreement_targets": [], "authorities": [],
        }
        if m.role == "advisor":
            person["contracts"] = [str(u) for u in Contract.objects.filter(organisation=m.organisation)
                                   .exclude(status="draft").order_by("?").values_list("uuid", flat=True)[:40]]
        elif m.role == "coordinator":
            served = Contract.objects.filter(organisation__served_by=m.organisation).exclude(status="draft")
            person["contracts"] = [str(u) for u in served.order_by("?").values_list("uuid", flat=True)[:40]]
            person["authorities"] = [str(u) for u in Organisation.objects.filter(served_by=m.organisation).values_list("uuid", flat=True)]
            person["to_assess"] = [
                [str(c), str(r)] for c, r in Realisation.objects.filter(
                    contract__organisation__served_by=m.organisation, status="submitted", contract__status__in=open_statuses
                ).order_by("?").values_list("contract__uuid", "uuid")[:30]
            ]
            targets = served.filter(status__in=open_statuses).order_by("?").values_list("uuid", "follow_up__catalogue_version_id")[:30]
            for contract_uuid, version_id in targets:
                blocks = list(BuildingBlock.objects.filter(version_id=version_id, pk__in=per_month).values_list("uuid", flat=True))
                if blocks:
                    person["agreement_targets"].append([str(contract_uuid), str(rng.choice(blocks))])
        elif m.role == "supplier":
            accesses = SupplierAccess.objects.filter(user=m.user, revoked_at__isnull=True).values_list("contract_id", "contract__uuid")
            contract_ids = {pk: str(u) for pk, u in accesses}
            person["contracts"] = list(contract_ids.values())
            for period in ReportingPeriod.objects.filter(contract_id__in=contract_ids, status="open"):
                person["periods"].append([contract_ids[period.contract_id], str(period.uuid)])
                agreement = (Agreement.objects.filter(contract_id=period.contract_id, block_id__in=per_month)
                             .values_list("uuid", flat=True).first())
                if agreement:
                    person["submit_targets"].append([contract_ids[period.contract_id], str(period.uuid), str(agreement),
                                                     period.period_start.isoformat(), period.period_end.isoformat()])
        people.append(person)
    pace = len(people) / args.load_rate
    bigs = sum(1 for p in people if p["big"] and p["role"] == "advisor")
    return {
        "password": loaddata.PASSWORD,
        "database": RUN_DATABASE,
        "people": people,
        "pace": pace,
        "list10k_pace": bigs / args.load_list_rate,
        "categories": list(Category.objects.values_list("pk", flat=True)),
        "spawn_rate": 50,
        "login_concurrency": args.load_workers,
        "login_timeout": 1800,
        "phases": [
            ["mixed", args.load_mixed_seconds, args.load_warmup],
            ["empty", args.load_ratio_seconds, min(args.load_warmup, 10)],
            ["list10k", args.load_ratio_seconds, min(args.load_warmup, 10)],
        ],
    }


# Queries per page ---------------------------------------------------------------------------------------


def count_queries() -> dict:
    """The SQL statements of the list (10 and 100 rows) and of a contract page (few and many
    realisations), in process, beyond those of an empty page of the same session."""
    import logging

    from django.db import connection
    from django.db.models import Count
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    logging.getLogger("wizzr.request").setLevel(logging.WARNING)
    M = loaddata.model
    Contract, Membership = M("Contract"), M("Membership")
    advisor = Membership.objects.filter(role="advisor", user__email__endswith="@load.example").order_by("pk").first().user
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(advisor)

    def own(url: str) -> int:
        client.get(url)  # warm: what a page caches for a while (the list's year span) is not counted
        client.get("/toegankelijkheid/")
        with CaptureQueriesContext(connection) as base:
            client.get("/toegankelijkheid/")
        with CaptureQueriesContext(connection) as page:
            response = client.get(url)
        if response.status_code != 200:
            raise RuntimeError(f"{url} answered {response.status_code} in process")
        return len(page) - len(base)

    contracts = (Contract.objects.visible_to(advisor).exclude(status="draft").annotate(n=Count("realisations"))
                 .filter(n__gt=0).order_by("n").values_list("uuid", "n"))
    few, many = contracts.first(), contracts.last()
    figures = {
        "list_10_rows": own("/monitoren/?per_page=10"),
        "list_100_rows": own("/monitoren/?per_page=100"),
        "list_100_rows_sorted_behind": own("/monitoren/?per_page=100&o=-gerealiseerd&behind=on"),
        "contract_few_realisations": own(f"/monitoren/contracten/{few[0]}/"),
        "contract_many_realisations": own(f"/monitoren/contracten/{many[0]}/"),
        "realisations_few_many": [few[1], many[1]],
    }
    print(f"Queries: list {figures['list_10_rows']} (10 rows) / {figures['list_100_rows']} (100 rows); contract page "
          f"{figures['contract_few_realisations']} ({few[1]} realisations) / {figures['contract_many_realisations']} "
          f"({many[1]} realisations)", flush=True)
    return figures


# Under load ---------------------------------------------------------------------------------------------


@contextmanager
def celery_worker(env: dict[str, str], marker: str, log: Path):
    """A Celery worker (one process, the solo pool) on the benchmark's Redis, as production runs one
    beside gunicorn: the e-mails and in-app notifications that writes cause are delivered there, to an
    SMTP server that only accepts them. Its CPU counts as the server's."""
    with log.open("w") as output:
        process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "wizzr", "worker", "--pool", "solo", "--loglevel", "WARNING",
             "--without-gossip", "--without-mingle", "--without-heartbeat", "-n", marker],
            cwd=BASE_DIR, env=env, stdout=output, stderr=subprocess.STDOUT,
        )
        try:
            yield process
        finally:
            process.terminate()
            process.wait(timeout=30)


def drive(database_url: str, plan: dict, args) -> dict:
    from bench.server import gunicorn, production_env
    from devtools.devservices import RedisServer, SmtpSink, free_port

    redis_dir = WORK_DIR / "redis"
    redis_dir.mkdir(parents=True, exist_ok=True)
    redis = RedisServer(free_port(), redis_dir)
    redis.start()
    sink = SmtpSink().start()
    env = production_env(database_url, WORK_DIR / "static", TRUSTED_PROXY_COUNT="1", WIZZR_REQUIRE_MFA="1",
                         REDIS_URL=redis.url, SMTP_HOST="127.0.0.1", SMTP_PORT=str(sink.port), SMTP_USE_TLS="0")
    worker_marker = f"load-worker-{redis.port}@localhost"
    print(f"Serving {RUN_DATABASE} with gunicorn ({args.load_workers} sync workers) and a Celery worker, "
          f"{len(plan['people'])} people at {args.load_rate:g} requests/s …", flush=True)
    try:
        with (gunicorn(env, workers=args.load_workers, log=WORK_DIR / "gunicorn-load.log") as client,
              celery_worker(env, worker_marker, WORK_DIR / "celery-load.log")):
            figures = _drive(client, plan, worker_marker)
    finally:
        sink.stop()
        redis.stop()
    figures.update(workers=args.load_workers, rate_asked=args.load_rate, people=len(plan["people"]),
                   list_rate_asked=args.load_list_rate, mails_delivered=len(sink.mail))
    return figures


def _drive(client, plan: dict, worker_marker: str) -> dict:
    """Run the load tool in its own process against the server; its figures."""
    plan["base_url"] = f"http://127.0.0.1:{client.port}"
    plan["origin"] = f"https://127.0.0.1:{client.port}"
    plan["server_marker"] = f"127.0.0.1:{client.port}"
    plan["worker_marker"] = worker_marker
    plan_path, out_path = WORK_DIR / "load-plan.json", WORK_DIR / "load-driver.json"
    plan_path.write_text(json.dumps(plan))
    out_path.unlink(missing_ok=True)
    driver_env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE"}}
    subprocess.run([sys.executable, "-m", "bench.load_driver", str(plan_path), str(out_path)],
                   cwd=BASE_DIR, env=driver_env, check=True)
    return json.loads(out_path.read_text())


# Profile ------------------------------------------------------------------------------------------------

PROFILE_SCRIPT = r"""
import cProfile, io, pstats, sys
import django
django.setup()
from django.db.models import Count
from django.test import Client
from bench.loaddata import model
Contract, Membership = model("Contract"), model("Membership")
big = (Contract.objects.filter(organisation__slug__startswith="load-gemeente-").values("organisation_id")
       .annotate(n=Count("id")).order_by("-n").first()["organisation_id"])
advisor = Membership.objects.filter(role="advisor", organisation_id=big).order_by("pk").first().user
contract = (Contract.objects.filter(organisation_id=big).exclude(status="draft").annotate(n=Count("realisations"))
            .order_by("-n").values_list("uuid", flat=True)[50])
client = Client(HTTP_HOST="127.0.0.1", HTTP_X_FORWARDED_PROTO="https")
client.force_login(advisor)
out = io.StringIO()
for label, url in [("Monitoring list, 10 k contracts in view, 25 rows", "/monitoren/"),
                   ("Contract page (a contract with many realisations)", f"/monitoren/contracten/{contract}/")]:
    for _ in range(3):
        assert client.get(url).status_code == 200, url
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(20):
        client.get(url)
    profiler.disable()
    out.write(f"== {label}: {url} (20 requests)\n")
    for key in ("cumulative", "tottime"):
        stats = pstats.Stats(profiler, stream=out)
        stats.sort_stats(key).print_stats(25)
sys.stdout.write(out.getvalue())
"""


PAGES_SCRIPT = r"""
import json, os, random, sys, time
from pathlib import Path
import django
django.setup()
from django.db import connection
from django.db.models import Count
from django.test import Client
from bench.journeys import list_query, path
from bench.loaddata import model
Contract, Membership = model("Contract"), model("Membership")
TICKS = os.sysconf("SC_CLK_TCK")

def backend_cpu():
    pid = connection.cursor().connection.info.backend_pid
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS

authorities = (Contract.objects.filter(organisation__slug__startswith="load-gemeente-").values("organisation_id")
               .annotate(n=Count("id")).order_by("n"))
small = authorities.first()["organisation_id"]
def first(role, **where):
    return Membership.objects.filter(role=role, **where).order_by("pk").first().user
advisor, coordinator, supplier = first("advisor", organisation_id=small), first("coordinator"), first("supplier")
contract = Contract.objects.filter(organisation_id=small).exclude(status="draft").order_by("pk").values_list("uuid", flat=True)[5]
rng = random.Random(2026)
pages = [
    ("empty page", advisor, [path("empty")]),
    ("start page", advisor, [path("start")]),
    ("monitoring list (varying)", advisor, [path("list") + "?" + list_query(rng) for _ in range(20)]),
    ("consolidated", advisor, [path("consolidated")]),
    ("contract page", advisor, [path("contract", contract=contract)]),
    ("knowledge-base search", advisor, [path("kb_search") + "?q=bouwblok"]),
    ("help request (form)", advisor, [path("help_request_create")]),
    ("help requests", advisor, [path("help_requests")]),
    ("typeahead", advisor, [path("typeahead") + "?q=bouwbedr"]),
    ("coordinator work queue", coordinator, [path("work_queue")]),
    ("help request queue", coordinator, [path("help_request_queue")]),
    ("supplier portal home", supplier, [path("portal_home")]),
]
figures = {}
for label, user, urls in pages:
    client = Client(HTTP_HOST="127.0.0.1", HTTP_X_FORWARDED_PROTO="https")
    client.force_login(user)
    for url in urls[:3]:
        assert client.get(url).status_code == 200, url
    n = 40
    cpu, backend = time.process_time(), backend_cpu()
    for i in range(n):
        client.get(urls[i % len(urls)])
    figures[label] = {"django_ms": round((time.process_time() - cpu) * 1000 / n, 1),
                      "database_ms": round((backend_cpu() - backend) * 1000 / n, 1)}
sys.stdout.write(json.dumps(figures))
"""


def _in_process(database_url: str, script: str, what: str) -> str | None:
    """Run ``script`` in a process of its own with the production settings on the load database; its
    output, or None (with the error printed) when it failed."""
    from bench.server import production_env

    env = production_env(database_url, WORK_DIR / "static", WIZZR_REQUIRE_MFA="1")
    print(f"{what} …", flush=True)
    done = subprocess.run([sys.executable, "-c", script], cwd=BASE_DIR, env=env, capture_output=True, text=True)
    if done.returncode:
        print(f"  that failed:\n{done.stderr[-2000:]}", flush=True)
        return None
    return done.stdout


def page_costs(database_url: str) -> dict | None:
    """CPU per page in process (Django, and the database backend from /proc), 40 requests each, one
    person per role of a small authority: which pages the mixed workload's CPU goes to."""
    output = _in_process(database_url, PAGES_SCRIPT, "Measuring the CPU of each page in process")
    return json.loads(output.strip().splitlines()[-1]) if output else None


def profile(database_url: str) -> str | None:
    """cProfile of the list and the contract page in a process with the production settings."""
    text = _in_process(database_url, PROFILE_SCRIPT, "Profiling the list and a contract page in process")
    if text is None:
        return None
    RESULTS.mkdir(exist_ok=True)
    path = RESULTS / "load-profile-latest.txt"
    path.write_text(text)
    return str(path.relative_to(BASE_DIR))


# Targets and the report ----------------------------------------------------------------------------------


def check(result: dict, args) -> tuple[dict, bool]:
    http = result["http"]
    mixed, empty, big = (http["phases"][k] for k in ("mixed", "empty", "list10k"))
    # Only phases served without errors say what a page costs (an overloaded server also spends CPU on
    # requests whose client gave up, and the earlier phase's queue drains into the next).
    clean = empty["errors"] == 0 and big["errors"] == 0 and empty["cpu_ms_per_request"]
    ratio = big["cpu_ms_per_request"] / empty["cpu_ms_per_request"] if clean else None
    q = result["queries"]
    targets = {
        "all people logged in": http["login_failures"] == 0,
        f"arrival rate ≥ {TARGET_RATE:g}/s sustained": mixed["rate"] >= TARGET_RATE * 0.97,
        f"p95 of every page ≤ {TARGET_P95_MS:g} ms": all((p["p95_ms"] or 0) <= TARGET_P95_MS for p in mixed["pages"].values()),
        f"p99 of every page ≤ {TARGET_P99_MS:g} ms": all((p["p99_ms"] or 0) <= TARGET_P99_MS for p in mixed["pages"].values()),
        "no errors": mixed["errors"] == 0 and empty["errors"] == 0 and big["errors"] == 0,
        f"10 k list CPU ≤ {TARGET_LIST_CPU_RATIO:g} × empty page": ratio is not None and ratio <= TARGET_LIST_CPU_RATIO,
        "list queries constant in the rows shown": q["list_10_rows"] == q["list_100_rows"],
        "contract page queries constant in its realisations": q["contract_few_realisations"] == q["contract_many_realisations"],
    }
    http["list10k_cpu_ratio"] = round(ratio, 2) if ratio else None
    return targets, all(targets.values()) and args.load_scale == "national" and args.load_rate >= TARGET_RATE


def report(result: dict) -> None:
    http = result["http"]
    mixed = http["phases"]["mixed"]
    print(f"\nLoad benchmark — {result['scale']} scale, {http['people']} people, gunicorn {http['workers']} workers, "
          f"{result['cpus']} CPUs, load average {result['load_average_at_start']} → {result['load_average_at_end']}")
    print(f"Mixed workload: {mixed['requests']} requests in {mixed['seconds']} s = {mixed['rate']}/s "
          f"({mixed['posts']} POSTs), {mixed['errors']} errors")
    print(f"{'page':44}{'requests':>9}{'errors':>7}{'p50':>8}{'p95':>8}{'p99':>8}")
    for name, p in mixed["pages"].items():
        print(f"{name:44}{p['requests']:9}{p['errors']:7}{p['p50_ms']:8.0f}{p['p95_ms']:8.0f}{p['p99_ms']:8.0f}")
    print(f"{'CPU per request (ms)':44}{'server':>9}{'database':>9}{'total':>8}{'machine':>9}{'rate/s':>8}")
    for phase in ("mixed", "empty", "list10k"):
        f = http["phases"][phase]
        print(f"{phase:44}{f['server_cpu_ms_per_request']:9.1f}{f['database_cpu_ms_per_request']:9.1f}"
              f"{f['cpu_ms_per_request']:8.1f}{f.get('machine_cpu_ms_per_request', 0):9.1f}{f['rate']:8.1f}")
    print(f"10 k list ÷ empty page CPU: {http['list10k_cpu_ratio']}; of the mixed server CPU the Celery worker's "
          f"{mixed.get('worker_cpu_ms_per_request', 0):.1f} ms per request ({http.get('mails_delivered', 0)} e-mails); "
          f"load tool CPU share {mixed['driver_cpu_share']}")
    if result.get("pages_in_process"):
        print(f"{'CPU per page in process (ms)':44}{'Django':>9}{'database':>9}")
        for name, f in result["pages_in_process"].items():
            print(f"{name:44}{f['django_ms']:9.1f}{f['database_ms']:9.1f}")
    for name, ok in result["targets"].items():
        print(f"  {'PASS' if ok else 'FAIL'}  {name}")

"""Benchmark: the CPU of the monitoring list with 10,000 contracts in view, against an empty page.

Target (DESIGN.md, "simpler core, honest load"): the monitoring list, computed on every request (no
cache of the page), with 10 k contracts in view costs at most 4 × the CPU of an empty signed-in page.

1. Builds its own database ``wizzr_listcpu`` from the migrations (a fresh clone needs nothing else;
   later runs reuse it and apply any new migration), with the data of ``bench.monitoring``: one
   authority with 10,000 contracts, their follow-ups and agreements, and 13,000 realisations
   (``--listcpu-realisations``), and its advisor (with an authenticator, as MFA is required).
2. Signs the advisor in and asks each page in process through Django's test client, with DEBUG off
   and the production settings otherwise: the empty page (the accessibility statement: session,
   user, header and footer) and the list plainly, sorted by progress, filtered on "behind" and
   searched. Rounds of requests alternate the pages; each page's figure is the median of its rounds.
3. Per request: this process's CPU (``time.process_time``) and the CPU of its PostgreSQL backend
   (from /proc, in clock ticks of 10 ms: hence 40 requests per round; the connection persists between
   requests), their sum, the ratio to the empty page,
   and the number of SQL statements.

Run: ``make bench BENCH_ARGS=listcpu`` or
``.venv/bin/python -m devtools.devdb run -- .venv/bin/python -m bench.listcpu``
(options ``--listcpu-fresh``, ``--listcpu-requests N``, ``--listcpu-rounds N``).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
DATABASE = "wizzr_listcpu"
TARGET_RATIO = 4.0
REALISATIONS = 13_000
EMPTY = "/toegankelijkheid/"
PAGES = {
    "empty": EMPTY,
    "list": "/monitoren/",
    "list_by_progress": "/monitoren/?o=-voortgang",
    "list_behind": "/monitoren/?behind=on",
    "list_searched": "/monitoren/?q=onderhoud",
}


def add_arguments(parser) -> None:
    group = parser.add_argument_group("listcpu")
    group.add_argument("--listcpu-fresh", action="store_true", help="build the list CPU database again")
    group.add_argument(
        "--listcpu-realisations", type=int, default=REALISATIONS, help=f"realisations (default {REALISATIONS:,})"
    )
    group.add_argument("--listcpu-requests", type=int, default=40, help="requests per page and round (default 40)")
    group.add_argument("--listcpu-rounds", type=int, default=3, help="rounds (default 3)")


def _setup() -> bool:
    """Point Django at ``wizzr_listcpu`` (created if missing); returns whether DEBUG is off."""
    import psycopg

    from bench.load import _server_host

    host = _server_host()
    with psycopg.connect(host=host, user="postgres", dbname="postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DATABASE]).fetchone():
            conn.execute(f'CREATE DATABASE "{DATABASE}"')
    import django
    from django.apps import apps

    if apps.ready:  # another suite of this run set Django up: only the database can change now
        from django.db import connection

        connection.close()
        connection.settings_dict.update(NAME=DATABASE, HOST=host, USER="postgres", PASSWORD="", PORT="")
    else:
        os.environ["DATABASE_URL"] = f"postgresql://postgres@/{DATABASE}?host={host}"
        os.environ["DEBUG"] = "0"  # `make bench` sets DEBUG=1; DEBUG records every query
        os.environ.setdefault("SECRET_KEY", "listcpu-benchmark-only")
        os.environ["LOG_LEVEL"] = "WARNING"
        # Production serves the hashed static files of collectstatic (the manifest), here in var/bench.
        os.environ["STATIC_ROOT"] = str(BASE_DIR / "var" / "bench" / "listcpu-static")
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wizzr.settings")
        django.setup()
    from django.conf import settings

    return not settings.DEBUG


def _data(*, fresh: bool, realisations: int):
    from django.core.management import call_command

    from bench import monitoring

    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    service_point, authority = monitoring._bench_organisations()
    advisor, coordinators = monitoring._bench_users(service_point, authority)
    found = monitoring._existing_counts(authority)
    if fresh or found != (monitoring.CONTRACTS, realisations):
        if any(found):
            print(f"  removing earlier data ({found[0]:,} contracts, {found[1]:,} realisations)", flush=True)
            monitoring._remove(authority)
        monitoring._generate(authority, service_point, coordinators, stdout=sys.stdout, realisations=realisations)
    else:
        print(f"  reusing {found[0]:,} contracts and {found[1]:,} realisations", flush=True)
    return advisor


def _backend_cpu(pid: int) -> float:
    """CPU seconds (user + system) of the PostgreSQL backend ``pid`` so far."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _backend_pid() -> int:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return cursor.fetchone()[0]


def measure(advisor, *, requests: int, rounds: int) -> dict:
    import logging

    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    logging.getLogger("wizzr.request").setLevel(logging.WARNING)
    # As behind the shipped nginx: HTTPS is said by X-Forwarded-Proto (SECURE_PROXY_SSL_HEADER).
    client = Client(HTTP_HOST="127.0.0.1", HTTP_X_FORWARDED_PROTO="https", HTTP_ACCEPT_LANGUAGE="nl")
    client.force_login(advisor)
    queries = {}
    for name, url in PAGES.items():  # warm up: templates, translations, the plan cache
        for _ in range(5):
            response = client.get(url)
            if response.status_code != 200:
                raise RuntimeError(f"{url} answered {response.status_code}")
        with CaptureQueriesContext(connection) as captured:
            client.get(url)
        queries[name] = len(captured)
    samples: dict[str, list[tuple[float, float]]] = {name: [] for name in PAGES}
    for _ in range(rounds):
        for name, url in PAGES.items():
            client.get(url)  # the backend of this round's connection exists before the clock starts
            pid = _backend_pid()
            db_before, own_before = _backend_cpu(pid), time.process_time()
            for _ in range(requests):
                client.get(url)
            own, db = time.process_time() - own_before, _backend_cpu(pid) - db_before
            if _backend_pid() != pid:
                raise RuntimeError("the database connection changed during a round")
            samples[name].append((own * 1000 / requests, db * 1000 / requests))
    figures = {}
    for name in PAGES:
        django_ms = statistics.median(s[0] for s in samples[name])
        db_ms = statistics.median(s[1] for s in samples[name])
        figures[name] = {
            "url": PAGES[name],
            "django_cpu_ms": round(django_ms, 2),
            "db_cpu_ms": round(db_ms, 2),
            "cpu_ms": round(django_ms + db_ms, 2),
            "queries": queries[name],
        }
    empty = figures["empty"]["cpu_ms"]
    for page in figures.values():
        page["ratio"] = round(page["cpu_ms"] / empty, 2)
    return figures


def run(args) -> dict:
    load = os.getloadavg()[0]
    debug_off = _setup()
    print(f"\nList CPU: 10,000 contracts in view of one advisor ({DATABASE}); load average {load:.1f}", flush=True)
    advisor = _data(fresh=args.listcpu_fresh, realisations=args.listcpu_realisations)
    pages = measure(advisor, requests=args.listcpu_requests, rounds=args.listcpu_rounds)
    print(f"  {'page':<18} {'Django':>8} {'DB':>7} {'total':>8} {'ratio':>6} {'queries':>8}")
    for name, page in pages.items():
        print(
            f"  {name:<18} {page['django_cpu_ms']:>6.1f}ms {page['db_cpu_ms']:>5.1f}ms {page['cpu_ms']:>6.1f}ms "
            f"{page['ratio']:>5.2f}× {page['queries']:>8}"
        )
    targets = {
        f"list CPU ≤ {TARGET_RATIO:g} × empty page": pages["list"]["ratio"] <= TARGET_RATIO,
        "measured with DEBUG off": debug_off,
    }
    for name, ok in targets.items():
        print(f"  {'PASS' if ok else 'FAIL'}  {name}", flush=True)
    return {
        "suite": "listcpu",
        "started": time.strftime("%Y-%m-%d %H:%M:%S %Z"),
        "load_average_at_start": round(load, 2),
        "requests_per_round": args.listcpu_requests,
        "rounds": args.listcpu_rounds,
        "pages": pages,
        "targets": targets,
        "targets_met": all(targets.values()),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bench.listcpu", description=__doc__.splitlines()[0])
    add_arguments(parser)
    return 0 if run(parser.parse_args(argv))["targets_met"] else 1


if __name__ == "__main__":
    sys.exit(main())

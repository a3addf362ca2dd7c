"""Faults and load: real services on loopback, bounded runs (issue 8).

Starts a PostgreSQL of its own (data under ``var/reliability/``, its own port: it gets restarted,
which the shared development server must not be), a ``redis-server`` without persistence, an SMTP
sink, gunicorn with the production configuration (``deploy/gunicorn.conf.py``, DEBUG off), a Celery
worker and Celery beat (outbox relay every few seconds), and shows:

1. Redis stopped while 50 handovers are made through HTTP by logged-in advisors: no request fails;
   once Redis is back, exactly 50 e-mails reach the SMTP sink, none twice, and the outbox is empty.
2. The Celery worker killed with SIGKILL (its whole process group, as when a container is killed)
   while it talks to the mail server, ``--kills`` times (default 2), and started again: every
   e-mail arrives exactly once. (A kill in the instant between the server's acceptance and the
   commit can still duplicate one: see ``wizzr.notifications.deliver``; this check then fails.)
3. PostgreSQL restarted under load: requests fail only while it is down, and the same gunicorn
   serves again by itself once it is back.
4. wrk over the main journeys (start screen, typeahead, contract list, contract page, consolidated)
   with 20 logged-in users (connections) for ``--load-seconds`` (default 120): no errors (any
   answer other than 2xx/3xx counts), p50/p95 per page and requests per second. The users log in
   through the real login form first; those logins are timed too.

Data: ``seed_demo``, 5,000 generated suppliers and 300 contracts with 3,000 realisations in one
organisation (the monitoring benchmark's generator at a smaller size), in a fresh copy per run of a
template database that is built again when the migrations or the seed code change
(``--reliability-fresh`` forces it).

Run: ``make bench BENCH_ARGS=reliability`` (``--load-seconds 20`` for a short run); prints PASS/FAIL
per check and exits non-zero when one fails. Every process it starts is stopped at the end, also on
failure or Ctrl-C.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import inspect
import json
import os
import random
import re
import secrets
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from bench.http import Client
from bench.server import production_env
from devtools.devservices import PostgresInstance, RedisServer, SmtpSink, free_port, wait_for

BASE_DIR = Path(__file__).resolve().parent.parent
WORK_DIR = BASE_DIR / "var" / "reliability"
DATABASE = "wizzr_reliability"
USERS = 20
HANDOVERS = 50
KILL_BATCH = 120
KILLS = 2
RELAY_SECONDS = 5
SERVICE_POINT_SLUG = "betrouwbaarheid-steunpunt"
AUTHORITY_SLUG = "betrouwbaarheid-gemeente"
TYPEAHEAD = ["bouwbedr", "schoonmaakb", "van der m", "techniek", "arnhem", "bakkerij arnhem", "4320", "instalatie"]
PAGES = ["start", "typeahead", "list", "contract", "consolidated"]


# Data (in a child process, with the run's database) ------------------------------------------------


def prepare() -> dict:
    """Migrate a fresh database, seed it, and return what the run needs (users, contract ids)."""
    import django

    django.setup()
    from allauth.account.models import EmailAddress
    from django.contrib.auth.hashers import make_password
    from django.core.management import call_command
    from django.db import transaction

    import bench.monitoring as monitoring_bench
    from contracts.models import Contract
    from monitoring.models import Realisation
    from suppliers.models import Supplier
    from wizzr.models import Membership, Organisation, Role, User

    timings = {}
    started = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    call_command("createcachetable", verbosity=0)
    timings["migrate"] = time.perf_counter() - started
    started = time.perf_counter()
    with open(os.devnull, "w") as quiet:
        call_command("seed_demo", force=True, stdout=quiet)
        call_command("generate_suppliers", count=5000, stdout=quiet)
        # The monitoring benchmark's generator, at the size of a municipality of moderate size.
        monitoring_bench.CONTRACTS, monitoring_bench.REALISATIONS, monitoring_bench.SUPPLIERS = 300, 3000, 300
        authority, _advisor = monitoring_bench.ensure_data(fresh=False, stdout=quiet)
    timings["seed"] = time.perf_counter() - started

    password = make_password(os.environ["RELIABILITY_PASSWORD"])  # hashed once: the hasher is slow on purpose
    with transaction.atomic():
        service_point, _ = Organisation.objects.get_or_create(
            slug=SERVICE_POINT_SLUG,
            defaults={"name": "Steunpunt Betrouwbaarheid", "kind": Organisation.Kind.SERVICE_POINT},
        )
        handover_org, _ = Organisation.objects.get_or_create(
            slug=AUTHORITY_SLUG,
            defaults={"name": "Gemeente Betrouwbaarheid", "kind": Organisation.Kind.AUTHORITY, "served_by": service_point},
        )

        def user(email: str, name: str, organisation, role) -> User:
            person = User.objects.create(email=email, name=name, password=password)
            EmailAddress.objects.create(user=person, email=email, verified=True, primary=True)
            Membership.objects.create(user=person, organisation=organisation, role=role)
            return person

        # Exactly one coordinator: one e-mail per handover.
        user("regisseur@betrouwbaarheid.example", "Regisseur Betrouwbaarheid", service_point, Role.COORDINATOR)
        handover_advisors = [
            user(f"overdracht-{n}@betrouwbaarheid.example", f"Adviseur Overdracht {n}", handover_org, Role.ADVISOR)
            for n in range(2)
        ]
        load_users = [
            user(f"adviseur-{n:02d}@betrouwbaarheid.example", f"Adviseur {n:02d}", authority, Role.ADVISOR)
            for n in range(USERS)
        ]
        supplier = Supplier.objects.order_by("pk").first()
        drafts = {}
        for batch, count in (("R", HANDOVERS), ("K", KILL_BATCH)):
            drafts[batch] = [
                str(contract.uuid)
                for contract in Contract.objects.bulk_create(
                    [
                        Contract(
                            organisation=handover_org,
                            contract_number=f"REL-{batch}-{n:03d}",
                            title=f"Betrouwbaarheid {batch} {n}",
                            start_date="2026-01-01",
                            end_date="2027-12-31",
                            supplier=supplier,
                            contract_value=100_000,
                            created_by=handover_advisors[0],
                        )
                        for n in range(count)
                    ]
                )
            ]
    contracts = list(
        Contract.objects.filter(organisation=authority)
        .exclude(status=Contract.Status.DRAFT)
        .order_by("contract_number")
        .values_list("uuid", flat=True)[:40]
    )
    return {
        "timings": timings,
        "handover_advisors": [u.email for u in handover_advisors],
        "load_users": [u.email for u in load_users],
        "drafts": drafts,
        "contracts": [str(c) for c in contracts],
        "sizes": {
            "contracts": Contract.objects.count(),
            "suppliers": Supplier.objects.count(),
            "realisations": Realisation.objects.count(),
        },
    }


# Processes -------------------------------------------------------------------------------------------


class Services:
    """The run's services; ``close`` stops every one of them (what it started, by pid, in order)."""

    def __init__(self, env: dict[str, str], smtp: SmtpSink, redis: RedisServer, postgres: PostgresInstance):
        self.env, self.smtp, self.redis, self.postgres = env, smtp, redis, postgres
        self.processes: dict[str, subprocess.Popen] = {}
        self.logs: dict[str, Path] = {}

    def spawn(self, name: str, command: list[str]) -> subprocess.Popen:
        log = WORK_DIR / f"{name}.log"
        self.logs[name] = log
        with log.open("ab") as output:
            # A session of its own: the process and its children can be signalled as one group.
            process = subprocess.Popen(command, cwd=BASE_DIR, env=self.env, stdout=output, stderr=subprocess.STDOUT,
                                       start_new_session=True)
        self.processes[name] = process
        return process

    def stop_process(self, name: str, sig: int = signal.SIGTERM, timeout: float = 30) -> None:
        process = self.processes.pop(name, None)
        if process is None or process.poll() is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, sig)
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)
        # Whatever the group left behind (prefork children) goes too.
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)

    def start_worker(self) -> None:
        marker = WORK_DIR / "worker.log"
        size = marker.stat().st_size if marker.exists() else 0
        self.spawn("worker", [sys.executable, "-m", "celery", "-A", "wizzr", "worker", "--loglevel=INFO",
                              "--concurrency=2", "--without-mingle", "--without-gossip", "-n", "reliability@%h"])
        wait_for(lambda: b"ready." in marker.read_bytes()[size:] or self.processes["worker"].poll() is not None,
                 timeout=60, what="the Celery worker")
        if self.processes["worker"].poll() is not None:
            raise RuntimeError(f"the Celery worker did not start; see {marker}")

    def start_beat(self) -> None:
        schedule = WORK_DIR / "celerybeat-schedule"
        for leftover in WORK_DIR.glob("celerybeat-schedule*"):
            leftover.unlink()
        self.spawn("beat", [sys.executable, "-m", "celery", "-A", "wizzr", "beat", "--loglevel=INFO",
                            f"--schedule={schedule}"])

    def start_gunicorn(self) -> Client:
        port = free_port()
        self.spawn("gunicorn", [sys.executable, "-m", "gunicorn", "--config", "deploy/gunicorn.conf.py",
                                "--bind", f"127.0.0.1:{port}", "wizzr.wsgi"])
        client = Client("127.0.0.1", port)

        def healthy() -> bool:
            if self.processes["gunicorn"].poll() is not None:
                raise RuntimeError(f"gunicorn stopped; see {self.logs['gunicorn']}")
            with contextlib.suppress(OSError):
                return client.get("/healthz")[0] == 200
            return False

        wait_for(healthy, timeout=60, interval=0.2, what="gunicorn")
        return client

    def cpu_seconds(self) -> dict[str, float]:
        """CPU seconds (user + system) used so far by gunicorn and by PostgreSQL, each with all its processes.

        A process tree's total: the parent's own time, the time of its children that it has reaped
        (workers recycled by gunicorn, backends of closed connections), and that of the live ones.
        """
        import psutil

        def tree(root: int) -> float:
            parent = psutil.Process(root)
            own = parent.cpu_times()
            total = own.user + own.system + own.children_user + own.children_system
            for child in parent.children():
                with contextlib.suppress(psutil.Error):
                    cpu = child.cpu_times()
                    total += cpu.user + cpu.system
            return total

        postmaster = int((self.postgres.pgdata / "postmaster.pid").read_text().split("\n", 1)[0])
        return {"django": tree(self.processes["gunicorn"].pid), "postgres": tree(postmaster)}

    def close(self) -> None:
        for name in ("beat", "worker", "gunicorn"):
            with contextlib.suppress(Exception):
                self.stop_process(name)
        for name in list(self.processes):
            with contextlib.suppress(Exception):
                self.stop_process(name)
        with contextlib.suppress(Exception):
            self.redis.stop()
        with contextlib.suppress(Exception):
            self.smtp.stop()
        with contextlib.suppress(Exception):
            self.postgres.stop()


# Helpers -------------------------------------------------------------------------------------------


def _query(url: str, sql: str, params: list | None = None) -> list[tuple]:
    import psycopg

    with psycopg.connect(url, autocommit=True, connect_timeout=5) as conn:
        return conn.execute(sql, params or []).fetchall()


def _p(samples: list[float], q: int) -> float:
    if not samples:
        return float("nan")
    if len(samples) == 1:
        return samples[0]
    return statistics.quantiles(samples, n=100, method="inclusive")[q - 1]


# What the TLS proxy in front of gunicorn adds (gunicorn trusts it: forwarded_allow_ips).
BEHIND_TLS = {"X-Forwarded-Proto": "https"}


def _login(client: Client, email: str, password: str) -> float:
    started = time.perf_counter()
    client.login(email, password)
    return (time.perf_counter() - started) * 1000


def _csrf(client: Client) -> str:
    return next(value for key, value in client.cookies.items() if key.endswith("csrftoken"))


def _hand_over(client: Client, uuid: str) -> tuple[int, str, float]:
    status, headers, _body, seconds = client.request(
        "POST", f"/contracten/{uuid}/overdragen/", body={"csrfmiddlewaretoken": _csrf(client)}
    )
    return status, headers.get("Location") or "", seconds


def _email_rows(url: str, prefix: str) -> dict[str, tuple[str, int]]:
    """uuid → (status, attempts) of the e-mail outbox rows of the contracts numbered ``prefix``…"""
    rows = _query(
        url,
        "SELECT uuid::text, status, attempts FROM wizzr_outboxmessage WHERE channel = 'email' "
        "AND context->>'contract_number' LIKE %s",
        [prefix + "%"],
    )
    return {uuid: (status, attempts) for uuid, status, attempts in rows}


def _received(smtp: SmtpSink, prefix: str) -> list[str]:
    """Message-IDs (the outbox row's uuid) of the mails the sink accepted for contracts ``prefix``…"""
    ids = []
    for mail in smtp.mail:
        if prefix in mail.subject:
            match = re.fullmatch(r"<([0-9a-f-]{36})@wizzr>", mail.message_id.strip())
            ids.append(match.group(1) if match else mail.message_id)
    return ids


def _pending(url: str) -> int:
    return _query(url, "SELECT count(*) FROM wizzr_outboxmessage WHERE status <> 'sent'")[0][0]


# Scenarios -----------------------------------------------------------------------------------------


def redis_outage(services: Services, advisors: list[Client], drafts: list[str], url: str, out) -> dict:
    out.write(f"\n1. Redis stopped while {len(drafts)} handovers are made\n")
    services.redis.stop()
    answers, durations = [], []
    for n, uuid in enumerate(drafts):
        status, location, seconds = _hand_over(advisors[n % len(advisors)], uuid)
        answers.append((status, location))
        durations.append(seconds * 1000)
    failed = [a for a in answers if not (a[0] == 302 and a[1].endswith("/overgedragen/"))]
    rows = _email_rows(url, "REL-R-")
    out.write(
        f"   {len(drafts) - len(failed)} of {len(drafts)} handovers answered with the success page "
        f"(p50 {_p(durations, 50):.0f} ms, p95 {_p(durations, 95):.0f} ms, max {max(durations):.0f} ms); "
        f"{sum(1 for s, _ in rows.values() if s == 'pending')} e-mails waiting in the outbox, "
        f"{len(_received(services.smtp, 'REL-R-'))} at the SMTP sink\n"
    )
    services.redis.start()
    back = time.monotonic()
    out.write("   Redis started again\n")
    with contextlib.suppress(AssertionError):
        wait_for(lambda: len(_received(services.smtp, "REL-R-")) >= len(drafts), timeout=60, interval=0.1)
    arrived_after = time.monotonic() - back
    time.sleep(2 * RELAY_SECONDS)  # two more relay rounds: room for a duplicate to show up
    received = _received(services.smtp, "REL-R-")
    rows = _email_rows(url, "REL-R-")
    result = {
        "handovers": len(drafts),
        "failed_requests": len(failed),
        "handover_p50_ms": _p(durations, 50),
        "handover_p95_ms": _p(durations, 95),
        "handover_max_ms": max(durations),
        "emails": len(received),
        "distinct_emails": len(set(received)),
        "unknown_emails": len(set(received) - rows.keys()),
        "all_arrived_seconds_after_redis_back": round(arrived_after, 1),
        "outbox_not_sent": _pending(url),
    }
    out.write(
        f"   {result['emails']} e-mails arrived ({result['distinct_emails']} distinct) "
        f"{arrived_after:.1f} s after Redis was back; outbox rows not sent: {result['outbox_not_sent']}\n"
    )
    return result


def worker_kill(services: Services, advisors: list[Client], drafts: list[str], url: str, out, *, kills: int) -> dict:
    out.write(f"\n2. The Celery worker killed with SIGKILL in the middle of delivering {len(drafts)} e-mails, {kills}×\n")
    services.stop_process("worker")
    durations = []
    for n, uuid in enumerate(drafts):
        status, _location, seconds = _hand_over(advisors[n % len(advisors)], uuid)
        if status != 302:
            raise RuntimeError(f"handover answered {status} with Redis and PostgreSQL up")
        durations.append(seconds * 1000)
    out.write(
        f"   {len(drafts)} handovers made while the worker was stopped (Redis up: p50 {_p(durations, 50):.0f} ms, "
        f"p95 {_p(durations, 95):.0f} ms)\n"
    )
    rng = random.Random()
    killed = []
    for k in range(1, kills + 1):
        services.start_worker()
        target = len(drafts) * k // (kills + 1)
        wait_for(lambda t=target: len(_received(services.smtp, "REL-K-")) >= t, timeout=60, interval=0.005,
                 what="deliveries to start")
        # In the middle of a delivery: while the worker talks to the mail server (its row locked and
        # marked sent, not yet committed), at a random point of that conversation.
        wait_for(lambda: services.smtp.open_sessions > 0, timeout=30, interval=0.0005, what="an SMTP session")
        time.sleep(rng.uniform(0, 0.002))
        at_kill, in_flight = len(_received(services.smtp, "REL-K-")), services.smtp.open_sessions
        services.stop_process("worker", sig=signal.SIGKILL)
        pending = sum(1 for s, _ in _email_rows(url, "REL-K-").values() if s == "pending")
        killed.append({"delivered_before_kill": at_kill, "smtp_sessions_open": in_flight, "pending_after_kill": pending})
        out.write(
            f"   kill {k}: after {at_kill} e-mails delivered, with {in_flight} SMTP sessions open; {pending} still pending\n"
        )
    services.start_worker()
    restarted = time.monotonic()
    with contextlib.suppress(AssertionError):
        wait_for(lambda: len(set(_received(services.smtp, "REL-K-"))) >= len(drafts), timeout=90, interval=0.1)
    done_after = time.monotonic() - restarted
    time.sleep(2 * RELAY_SECONDS)
    received = _received(services.smtp, "REL-K-")
    rows = _email_rows(url, "REL-K-")
    counts: dict[str, int] = {}
    for message_id in received:
        counts[message_id] = counts.get(message_id, 0) + 1
    result = {
        "emails_expected": len(rows),
        "emails": len(received),
        "duplicates": sum(c - 1 for c in counts.values() if c > 1),
        "missing": len(rows.keys() - counts.keys()),
        "kills": killed,
        "handover_p50_ms": _p(durations, 50),
        "handover_p95_ms": _p(durations, 95),
        "all_arrived_seconds_after_restart": round(done_after, 1),
        "outbox_not_sent": _pending(url),
    }
    out.write(
        f"   after the restart: {result['emails']} e-mails for {result['emails_expected']} outbox rows, "
        f"{result['duplicates']} duplicates, {result['missing']} missing ({done_after:.1f} s); "
        f"outbox rows not sent: {result['outbox_not_sent']}\n"
    )
    return result


def postgres_restart(services: Services, users: list[Client], contracts: list[str], out, *, down_seconds: float = 5) -> dict:
    out.write(f"\n3. PostgreSQL restarted under load (down for {down_seconds:.0f} s)\n")
    stop = threading.Event()
    samples: list[tuple[float, float, int]] = []  # (sent, answered, status or 0 for no answer)
    lock = threading.Lock()

    def load(client: Client, n: int) -> None:
        paths = ["/monitoren/", f"/monitoren/contracten/{contracts[n % len(contracts)]}/", "/"]
        i = 0
        while not stop.is_set():
            sent = time.monotonic()
            try:
                status = client.get(paths[i % len(paths)], headers=BEHIND_TLS)[0]
            except OSError:
                status = 0
            with lock:
                samples.append((sent, time.monotonic(), status))
            i += 1
            time.sleep(0.02)

    threads = [threading.Thread(target=load, args=(client, n), daemon=True) for n, client in enumerate(users[:6])]
    for thread in threads:
        thread.start()
    time.sleep(4)
    down_at = time.monotonic()
    services.postgres.stop(mode="fast")
    stopped_at = time.monotonic()
    time.sleep(down_seconds)
    services.postgres.start()
    up_at = time.monotonic()
    time.sleep(10)
    stop.set()
    for thread in threads:
        thread.join(timeout=30)

    def ok(status: int) -> bool:
        return 200 <= status < 400

    before = [s for s in samples if s[1] < down_at]
    after = [s for s in samples if s[0] > up_at]
    errors = [s for s in samples if not ok(s[2])]
    errors_outside = [s for s in errors if s[1] < down_at or s[0] > up_at + 2]
    first_ok_after = min((s[1] for s in after if ok(s[2])), default=None)
    last_error = max((s[1] for s in errors), default=None)
    result = {
        "requests": len(samples),
        "errors": len(errors),
        "errors_before_stop": sum(1 for s in before if not ok(s[2])),
        "errors_outside_outage": len(errors_outside),
        "errors_after_up": sum(1 for s in after if not ok(s[2])),
        "after_up_requests": len(after),
        "stop_seconds": round(stopped_at - down_at, 2),
        "down_seconds": round(up_at - down_at, 2),
        "first_success_after_up_seconds": round(first_ok_after - up_at, 2) if first_ok_after else None,
        "last_error_after_up_seconds": round(last_error - up_at, 2) if last_error else None,
        "statuses_during_outage": sorted({s[2] for s in errors}),
    }
    out.write(
        f"   {len(samples)} requests from 6 users: {len(errors)} failed, all between the stop and the start "
        f"({result['errors_outside_outage']} outside); answers while down: {result['statuses_during_outage']}; "
        f"first success {result['first_success_after_up_seconds']} s after PostgreSQL was up, "
        f"{result['after_up_requests'] - result['errors_after_up']} of {result['after_up_requests']} requests "
        f"after that succeeded\n"
    )
    return result


WRK_SCRIPT = r"""
local ffi = require("ffi")
ffi.cdef[[
typedef struct { long tv_sec; long tv_nsec; } wizzr_timespec;
int clock_gettime(int clk_id, wizzr_timespec *tp);
]]
local ts = ffi.new("wizzr_timespec")
local function now_us()
  ffi.C.clock_gettime(1, ts)
  return tonumber(ts.tv_sec) * 1000000 + tonumber(ts.tv_nsec) / 1000
end

local journeys = {journeys}
local cookies = {cookies}
local out_dir = "{out_dir}"
local threads = 0
local counter, started, current, out = 0, 0, nil, nil

function setup(thread)
  thread:set("id", threads)
  threads = threads + 1
end

function init(args)
  out = io.open(out_dir .. "/thread-" .. id .. ".log", "w")
  out:setvbuf("line")
  counter = id
end

function request()
  counter = counter + 1
  local journey = journeys[(counter % #journeys) + 1]
  local paths = journey[2]
  local path = paths[(math.floor(counter / #journeys) % #paths) + 1]
  current = journey[1]
  local headers = { ["Cookie"] = cookies[(id % #cookies) + 1], ["X-Forwarded-Proto"] = "https" }
  if current == "typeahead" then
    headers["HX-Request"] = "true"
  end
  started = now_us()
  return wrk.format("GET", path, headers)
end

function response(status, headers, body)
  out:write(current, " ", status, " ", math.floor(now_us() - started), "\n")
end

done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("RESULT %d %d %d %d %d %d %d\n", summary.requests, summary.duration,
    e.connect, e.read, e.write, e.status, e.timeout))
end
"""


def _lua_list(values: list) -> str:
    def one(value):
        if isinstance(value, (list, tuple)):
            return _lua_list(list(value))
        return json.dumps(value)

    return "{" + ", ".join(one(v) for v in values) + "}"


def load_run(services: Services, client_port: int, users: list[Client], contracts: list[str], seconds: int, out) -> dict:
    out.write(f"\n4. wrk: {len(users)} logged-in users over the main journeys for {seconds} s\n")
    journeys = [
        ("start", ["/"]),
        ("typeahead", [f"/leveranciers/zoeken/?q={q.replace(' ', '+')}&listbox=supplier-listbox" for q in TYPEAHEAD]),
        ("list", ["/monitoren/"]),
        ("contract", [f"/monitoren/contracten/{uuid}/" for uuid in contracts]),
        ("consolidated", ["/monitoren/geconsolideerd/"]),
    ]
    cookies = ["; ".join(f"{k}={v}" for k, v in user.cookies.items()) for user in users]
    # Each page on its own first, one request at a time: its response time without a queue in front.
    alone: dict[str, list[float]] = {}
    for name, paths in journeys:
        headers = {**BEHIND_TLS, **({"HX-Request": "true"} if name == "typeahead" else {})}
        for n in range(13):
            status, _headers, _body, elapsed = users[n % len(users)].get(paths[n % len(paths)], headers=headers)
            if status != 200:
                raise RuntimeError(f"{name} answered {status} before the load run")
            if n >= 3:  # after a warm-up
                alone.setdefault(name, []).append(elapsed * 1000)
    with tempfile.TemporaryDirectory(prefix="wrk-", dir=WORK_DIR) as folder:
        script = Path(folder) / "journeys.lua"
        script.write_text(
            WRK_SCRIPT.replace("{journeys}", _lua_list([list(j) for j in journeys]))
            .replace("{cookies}", _lua_list(cookies))
            .replace("{out_dir}", folder)
        )
        load = os.getloadavg()
        cpu_before = services.cpu_seconds()
        completed = subprocess.run(
            ["wrk", f"-t{len(users)}", f"-c{len(users)}", f"-d{seconds}s", "--timeout", "10s", "--latency",
             "-s", str(script), f"http://127.0.0.1:{client_port}/"],
            capture_output=True, text=True, timeout=seconds + 60, check=False,
        )
        load_after = os.getloadavg()
        cpu_after = services.cpu_seconds()
        if completed.returncode != 0:
            raise RuntimeError(f"wrk failed: {completed.stderr or completed.stdout}")
        line = next(line for line in completed.stdout.splitlines() if line.startswith("RESULT "))
        requests, duration_us, *errors = (int(v) for v in line.split()[1:])
        non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", completed.stdout)
        per_page: dict[str, list[float]] = {name: [] for name, _ in journeys}
        statuses: dict[str, dict[str, int]] = {name: {} for name, _ in journeys}
        for log in Path(folder).glob("thread-*.log"):
            for entry in log.read_text().splitlines():
                name, status, micros = entry.split()
                per_page[name].append(int(micros) / 1000)
                statuses[name][status] = statuses[name].get(status, 0) + 1
    duration = duration_us / 1e6
    socket_errors = dict(zip(["connect", "read", "write", "status", "timeout"], errors, strict=True))
    result = {
        "seconds": round(duration, 1),
        "connections": len(users),
        "requests": requests,
        "rps": requests / duration,
        "socket_errors": {k: v for k, v in socket_errors.items() if k != "status"},
        "non_2xx_3xx": int(non_2xx.group(1)) if non_2xx else 0,
        "load_average_before": round(load[0], 2),
        "load_average_after": [round(v, 2) for v in load_after],
        "django_cpu_ms_per_request": (cpu_after["django"] - cpu_before["django"]) * 1000 / max(requests, 1),
        "postgres_cpu_ms_per_request": (cpu_after["postgres"] - cpu_before["postgres"]) * 1000 / max(requests, 1),
        "pages": {},
    }
    result["errors"] = result["non_2xx_3xx"] + sum(result["socket_errors"].values())
    for name, samples in per_page.items():
        bad = sum(n for status, n in statuses[name].items() if not ("200" <= status < "400"))
        result["pages"][name] = {
            "requests": len(samples),
            "rps": len(samples) / duration,
            "p50_ms": _p(samples, 50),
            "p95_ms": _p(samples, 95),
            "alone_p50_ms": _p(alone[name], 50),
            "errors": bad,
            "statuses": statuses[name],
        }
        out.write(
            f"   {name:<13} {len(samples):6d} requests {len(samples) / duration:6.1f}/s  "
            f"p50 {_p(samples, 50):6.1f} ms  p95 {_p(samples, 95):6.1f} ms  errors {bad}  "
            f"(alone: p50 {_p(alone[name], 50):5.1f} ms)\n"
        )
    out.write(
        f"   total         {requests:6d} requests {result['rps']:6.1f}/s; non-2xx/3xx {result['non_2xx_3xx']}, "
        f"socket errors {sum(result['socket_errors'].values())}; load average {load[0]:.1f} before, "
        f"{load_after[0]:.1f} after\n"
        f"   server CPU per request {result['django_cpu_ms_per_request'] + result['postgres_cpu_ms_per_request']:.1f} ms "
        f"(gunicorn {result['django_cpu_ms_per_request']:.1f}, PostgreSQL {result['postgres_cpu_ms_per_request']:.1f}): "
        f"{os.cpu_count()} cores could serve about "
        f"{1000 * (os.cpu_count() or 1) / (result['django_cpu_ms_per_request'] + result['postgres_cpu_ms_per_request']):.0f}"
        f" requests per second with nothing else running\n"
    )
    return result


# The suite ---------------------------------------------------------------------------------------


def add_arguments(parser) -> None:
    group = parser.add_argument_group("reliability")
    group.add_argument("--load-seconds", type=int, default=120, help="length of the wrk load run (default 120)")
    group.add_argument("--kills", type=int, default=KILLS, help=f"SIGKILLs of the worker mid-delivery (default {KILLS})")
    group.add_argument(
        "--reliability-fresh", action="store_true", help="build the seeded template database again even if it is current"
    )


def _fingerprint() -> str:
    """What the prepared data depends on: the migrations, the seed code and ``prepare``."""
    digest = hashlib.sha256()
    sources = sorted(BASE_DIR.glob("*/migrations/*.py")) + sorted(
        [*BASE_DIR.glob("*/seed.py"), *BASE_DIR.glob("*/demo.py"), *BASE_DIR.glob("*/synthetic.py"),
         BASE_DIR / "wizzr" / "management" / "commands" / "seed_demo.py", BASE_DIR / "bench" / "monitoring.py"]
    )
    digest.update(inspect.getsource(prepare).encode() + repr((USERS, HANDOVERS, KILL_BATCH)).encode())
    for source in sources:
        digest.update(str(source.relative_to(BASE_DIR)).encode() + source.read_bytes())
    return digest.hexdigest()


def _database(postgres: PostgresInstance, env: dict[str, str], *, fresh: bool, out) -> dict:
    """A fresh copy of a seeded template database; the template is built when missing or out of date."""
    template, meta = f"{DATABASE}_template", WORK_DIR / "template.json"
    fingerprint = _fingerprint()
    try:
        known = json.loads(meta.read_text())
    except (OSError, ValueError):
        known = {}
    exists = bool(_query(postgres.url("postgres"), "SELECT 1 FROM pg_database WHERE datname = %s", [template]))
    if fresh or not exists or known.get("fingerprint") != fingerprint:
        started = time.monotonic()
        meta.unlink(missing_ok=True)
        postgres.execute(f"DROP DATABASE IF EXISTS {template} WITH (FORCE)")
        postgres.execute(f"CREATE DATABASE {template}")
        password = secrets.token_urlsafe(16)
        prepared = subprocess.run(
            [sys.executable, "-m", "bench.reliability", "--prepare"], cwd=BASE_DIR,
            env={**env, "DATABASE_URL": postgres.url(template), "RELIABILITY_PASSWORD": password},
            capture_output=True, text=True, check=False, timeout=600,
        )
        if prepared.returncode != 0:
            raise RuntimeError(f"preparing the data failed:\n{prepared.stderr[-4000:]}")
        data = json.loads(prepared.stdout.strip().splitlines()[-1])
        known = {"fingerprint": fingerprint, "data": {**data, "password": password}}
        meta.write_text(json.dumps(known))
        out.write(
            f"  template database built in {time.monotonic() - started:.0f} s (migrations "
            f"{data['timings']['migrate']:.0f} s, seed {data['timings']['seed']:.0f} s); later runs copy it\n"
        )
    postgres.execute(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")
    postgres.execute(f"CREATE DATABASE {DATABASE} TEMPLATE {template}")
    return known["data"]


def _raise_on_sigterm(signum, frame):
    raise KeyboardInterrupt(f"signal {signum}")


def run(args, *, stdout=sys.stdout) -> dict:
    if not shutil.which("wrk"):
        raise SystemExit("wrk is not installed (apt-get install wrk)")
    out = stdout
    started = time.monotonic()
    load = os.getloadavg()
    out.write(
        f"\nFaults and load: PostgreSQL, Redis, SMTP sink, gunicorn, Celery worker and beat on loopback\n"
        f"  {os.cpu_count()} cores, load average {load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f} at the start\n"
    )
    out.flush()
    WORK_DIR.mkdir(parents=True, exist_ok=True)
    for old in WORK_DIR.glob("*.log"):
        old.unlink()
    postgres = PostgresInstance(WORK_DIR / "pgdata", free_port())
    redis = RedisServer(free_port(), WORK_DIR)
    smtp = SmtpSink()
    url = postgres.url(DATABASE)
    env = production_env(
        url,
        WORK_DIR / "static",
        REDIS_URL=redis.url,
        SMTP_HOST="127.0.0.1",
        SMTP_PORT=str(smtp.port),
        SMTP_USE_TLS="0",
        OUTBOX_RELAY_SECONDS=str(RELAY_SECONDS),
        SITE_URL="https://wizzr.example",
        LOG_LEVEL="WARNING",
        PYTHONPATH=str(BASE_DIR),
    )
    services = Services(env, smtp, redis, postgres)
    previous = signal.signal(signal.SIGTERM, _raise_on_sigterm)
    result: dict = {"suite": "reliability", "started": time.strftime("%Y-%m-%d %H:%M:%S"), "load_average": list(load)}
    checks: dict[str, bool] = {}
    try:
        postgres.start()
        data = _database(postgres, env, fresh=args.reliability_fresh, out=out)
        password = data["password"]
        redis.start()
        smtp.start()
        result["data"] = data["sizes"]
        out.write(
            f"  database: {data['sizes']['contracts']:,} contracts, {data['sizes']['realisations']:,} realisations, "
            f"{data['sizes']['suppliers']:,} suppliers, {len(data['load_users'])} advisors with a password)\n"
        )
        subprocess.run([sys.executable, "manage.py", "collectstatic", "--no-input", "-v0"], cwd=BASE_DIR, env=env,
                       check=True)
        client = services.start_gunicorn()
        services.start_worker()
        services.start_beat()
        out.write(f"  services up after {time.monotonic() - started:.0f} s\n")
        out.flush()

        # Log in like users do (form, CSRF, password), one after the other; the logins are timed.
        advisors = []
        for email in data["handover_advisors"]:
            advisor = Client("127.0.0.1", client.port)
            _login(advisor, email, password)
            advisors.append(advisor)
        users, login_ms = [], []
        for email in data["load_users"]:
            user = Client("127.0.0.1", client.port)
            login_ms.append(_login(user, email, password))
            users.append(user)
        result["login"] = {"logins": len(login_ms), "p50_ms": _p(login_ms, 50), "p95_ms": _p(login_ms, 95)}
        out.write(
            f"  {len(login_ms)} logins through the login form (GET + POST): p50 {_p(login_ms, 50):.0f} ms, "
            f"p95 {_p(login_ms, 95):.0f} ms\n"
        )
        out.flush()

        redis_result = result["redis_outage"] = redis_outage(services, advisors, data["drafts"]["R"], url, out)
        checks[f"Redis down: {HANDOVERS} handovers, 0 failed requests"] = redis_result["failed_requests"] == 0
        checks[f"Redis back: exactly {HANDOVERS} e-mails, no duplicates, outbox empty"] = (
            redis_result["emails"] == redis_result["distinct_emails"] == HANDOVERS
            and redis_result["unknown_emails"] == 0
            and redis_result["outbox_not_sent"] == 0
        )
        out.flush()

        kill_result = result["worker_kill"] = worker_kill(
            services, advisors, data["drafts"]["K"], url, out, kills=args.kills
        )
        checks[f"worker SIGKILLed {args.kills}× mid-delivery: every e-mail exactly once"] = (
            kill_result["emails"] == kill_result["emails_expected"] == KILL_BATCH
            and kill_result["duplicates"] == 0
            and kill_result["missing"] == 0
            and kill_result["outbox_not_sent"] == 0
        )
        out.flush()

        pg_result = result["postgres_restart"] = postgres_restart(services, users, data["contracts"], out)
        checks["PostgreSQL restart: errors only while it is down"] = (
            pg_result["errors_outside_outage"] == 0 and pg_result["errors"] > 0
        )
        checks["PostgreSQL restart: service recovers by itself"] = (
            pg_result["after_up_requests"] > 0
            and pg_result["last_error_after_up_seconds"] is not None
            and pg_result["last_error_after_up_seconds"] <= 2
            and services.processes["gunicorn"].poll() is None
        )
        out.flush()

        load_result = result["load"] = load_run(services, client.port, users, data["contracts"], args.load_seconds, out)
        checks[f"wrk {args.load_seconds} s at {USERS} users: 0 errors"] = (
            load_result["errors"] == 0 and all(p["errors"] == 0 for p in load_result["pages"].values())
        )
    finally:
        services.close()
        signal.signal(signal.SIGTERM, previous)
    result["seconds"] = round(time.monotonic() - started, 1)
    out.write("\n")
    for name, ok in checks.items():
        out.write(f"  {'PASS' if ok else 'FAIL'}  {name}\n")
    out.write(f"  whole run {result['seconds']:.0f} s\n")
    result["checks"] = checks
    result["targets_met"] = bool(checks) and all(checks.values())
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bench.reliability", description=__doc__.splitlines()[0])
    parser.add_argument("--prepare", action="store_true", help=argparse.SUPPRESS)
    add_arguments(parser)
    args = parser.parse_args(argv)
    if args.prepare:
        print(json.dumps(prepare()))
        return 0
    return 0 if run(args)["targets_met"] else 1


if __name__ == "__main__":
    sys.exit(main())

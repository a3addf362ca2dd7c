"""The load tool of the load benchmark: Locust (FastHttpUser) in its own process, driven as a library.

``python -m bench.load_driver PLAN.json RESULT.json`` — PLAN is written by ``bench.load``: the
server's address, the phases, and one entry per virtual user (e-mail, TOTP secret, role and the
contracts, realisations and forms it may use). Every virtual user logs in through the real login
form and the TOTP step, then walks the journeys of its role: one request per tick, ticks at a fixed
pace (users ÷ pace = the arrival rate; a user whose answer comes late starts its next one at once).
About 5 % of the requests are writes: a form is opened (GET) and sent (POST).

Phases, each measured on its own (the counters reset at its start):

- ``mixed``: every role's journeys at the main rate;
- ``empty``: the same users, the same pace, each asking only the accessibility statement (a page
  that does nothing of its own: session, user, header and footer) — what any page costs;
- ``list10k``: only the advisors of the largest authority, asking the monitoring list (10 k
  contracts in view, computed on every request), at the rate of the phase.

Besides the latencies, each phase records the CPU time the gunicorn processes and the database's
backends used, read from /proc before and after, and this process's own CPU time.
"""

from __future__ import annotations

import json
import os
import random
import re
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

import gevent
import gevent.lock
from locust import FastHttpUser, events, task
from locust.env import Environment

from bench.journeys import KB_QUERIES, TYPEAHEAD, list_query, path, work_queue_query
from bench.totp import totp_code

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
PLAN: dict = {}
STATE = {"mode": "login", "phase": None}
SAMPLES: dict[str, dict[str, list]] = defaultdict(lambda: defaultdict(list))
ERRORS: dict[str, dict[str, Counter]] = defaultdict(lambda: defaultdict(Counter))
LOGGED_IN: list[int] = [0, 0]  # succeeded, failed
LOGIN_RETRIES: list[int] = [0]
# Logging in costs the server a PBKDF2 hash (the production hasher, about 0.8 s of CPU): the people
# log in before the measured phases, a few at a time, as fast as the server hashes.
LOGIN_GATE = gevent.lock.BoundedSemaphore(4)
WRITE_SHARE = 0.0526  # of ticks: a write is two requests (form, post), so posts are 5 % of requests

class LoadUser(FastHttpUser):
    """A person of the plan; which one is taken from the plan's queue when the user starts."""

    abstract = False
    network_timeout = 60.0
    connection_timeout = 60.0
    _queue: list[dict] = []

    def wait_time(self) -> float:
        pace = self.pace()
        return max(0.0, pace - (time.monotonic() - self.tick_started))

    def pace(self) -> float:
        mode = STATE["mode"]
        if mode == "list10k":
            return PLAN["list10k_pace"] if self.person["big"] else 1.0
        return PLAN["pace"]

    def on_start(self) -> None:
        self.person = LoadUser._queue.pop()
        self.rng = random.Random(self.person["email"])
        self.headers = {
            "X-Forwarded-Proto": "https",
            "X-Forwarded-For": self.person["ip"],
            "Accept-Language": "nl",
        }
        self.tick_started = time.monotonic()
        for _attempt in range(3):  # as a person would: try again when the server did not answer in time
            try:
                with LOGIN_GATE:
                    self.login()
                LOGGED_IN[0] += 1
                break
            except Exception as error:  # noqa: BLE001 — counted and reported
                LOGIN_RETRIES[0] += 1
                print(f"login of {self.person['email']} failed: {error!r}", file=sys.stderr, flush=True)
        else:
            LOGGED_IN[1] += 1
            self.stop()
            return
        # Start somewhere in the first period, so that the users do not tick in step.
        gevent.sleep(self.rng.uniform(0, PLAN["pace"]))

    # HTTP helpers --------------------------------------------------------------------------------

    def send(self, method: str, url: str, name: str, *, data: dict | None = None, expect=(200,)):
        """One request with this person's cookies (kept here: the server's cookies are Secure and
        ``__Host-`` ones, which a cookie jar does not send over the loopback's plain HTTP)."""
        headers = dict(self.headers)
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if method == "POST":
            headers.update(Origin=PLAN["origin"], Referer=PLAN["origin"] + url)
        with self.client.request(method, url, name=name, data=data, headers=headers, allow_redirects=False,
                                 catch_response=True) as response:
            for value in response.headers.getlist("Set-Cookie") if response.headers else []:
                key, _, rest = value.partition("=")
                self.cookies[key.strip()] = rest.split(";", 1)[0]
            if response.status_code not in expect:
                response.failure(f"{response.status_code} for {method} {url}: {_error(response)}")
            return response

    def get(self, url: str, name: str, *, expect=(200,)) -> str:
        return self.send("GET", url, name, expect=expect).text or ""

    def post(self, url: str, name: str, data: dict, token: str, *, expect=(302,)) -> None:
        self.send("POST", url, name, data={"csrfmiddlewaretoken": token, **data}, expect=expect)

    def token(self, page: str) -> str:
        match = CSRF.search(page)
        if not match:
            raise RuntimeError("no CSRF token on the page")
        return match.group(1)

    def form(self, url: str, name: str) -> str | None:
        """Open a form; its CSRF token, or None (counted as a failed write) when there is no form."""
        page = self.get(url, name + " (form)")
        match = CSRF.search(page)
        if match is None:
            self.environment.events.request.fire(request_type="POST", name=name + " (post)", response_time=0,
                                                 response_length=0, exception=RuntimeError(f"no form at {url}"))
            return None
        return match.group(1)

    def login(self) -> None:
        self.client.client.cookiejar = None
        self.cookies: dict[str, str] = {}
        response = self.send("GET", path("login"), "login")
        if response.status_code != 200:
            raise RuntimeError(f"login page {response.status_code} {_error(response)}")
        response = self.send("POST", path("login"), "login", expect=(302,), data={
            "csrfmiddlewaretoken": self.token(response.text), "login": self.person["email"], "password": PLAN["password"],
        })
        if response.headers is None:
            raise RuntimeError(f"password step: {_error(response)}")
        location = response.headers.get("Location") or ""
        if response.status_code != 302 or "2fa" not in location:
            raise RuntimeError(f"password step answered {response.status_code} → {location!r}")
        response = self.send("GET", location, "login")
        response = self.send("POST", location, "login", expect=(302,), data={
            "csrfmiddlewaretoken": self.token(response.text), "code": totp_code(self.person["totp"]),
        })
        if response.status_code != 302 or "2fa" in (response.headers.get("Location") or ""):
            raise RuntimeError(f"TOTP step answered {response.status_code}")

    # The tick ------------------------------------------------------------------------------------

    @task
    def tick(self) -> None:
        self.tick_started = time.monotonic()
        mode = STATE["mode"]
        if mode == "empty":
            self.get(path("empty"), "empty page")
        elif mode == "list10k":
            if self.person["big"]:
                self.get(path("list") + "?" + list_query(self.rng), "list, 10 k in view")
        elif mode == "mixed":
            role = self.person["role"]
            if self.rng.random() < WRITE_SHARE:
                getattr(self, f"write_{role}")()
            else:
                getattr(self, f"read_{role}")()

    def pick(self, key: str):
        return self.rng.choice(self.person[key]) if self.person.get(key) else None

    # Reads ---------------------------------------------------------------------------------------

    def read_advisor(self) -> None:
        r = self.rng.random()
        if r < 0.35:
            name = "monitoring list (10 k in view)" if self.person["big"] else "monitoring list"
            self.get(path("list") + "?" + list_query(self.rng), name)
        elif r < 0.60 and self.person["contracts"]:
            self.get(path("contract", contract=self.pick("contracts")), "contract page")
        elif r < 0.70:
            self.get(path("consolidated") + self.rng.choice(["", "?status=in_progress", "?year=2025"]), "consolidated")
        elif r < 0.80:
            self.get(path("typeahead") + f"?q={self.rng.choice(TYPEAHEAD)}&listbox=id_supplier_listbox", "typeahead",
                     expect=(200, 429))
        elif r < 0.90:
            self.get(path("kb_search") + f"?q={self.rng.choice(KB_QUERIES)}", "knowledge-base search")
        elif r < 0.95:
            self.get(path("help_requests"), "help requests")
        else:
            self.get(path("start"), "start page")

    def read_coordinator(self) -> None:
        r = self.rng.random()
        if r < 0.35:
            query = work_queue_query(self.rng, self.person["authorities"])
            self.get(path("work_queue") + "?" + query, "coordinator work queue")
        elif r < 0.65 and self.person["contracts"]:
            self.get(path("workspace", contract=self.pick("contracts")), "coordinator contract workspace")
        elif r < 0.75:
            self.get(path("typeahead") + f"?q={self.rng.choice(TYPEAHEAD)}&listbox=id_supplier_listbox", "typeahead",
                     expect=(200, 429))
        elif r < 0.85:
            self.get(path("kb_search") + f"?q={self.rng.choice(KB_QUERIES)}", "knowledge-base search")
        else:
            self.get(path("help_request_queue"), "help request queue")

    def read_supplier(self) -> None:
        r = self.rng.random()
        if r < 0.40 or not self.person["contracts"]:
            self.get(path("portal_home"), "supplier portal home")
        elif r < 0.75:
            self.get(path("portal_contract", contract=self.pick("contracts")), "supplier contract page")
        elif r < 0.90 and self.person["periods"]:
            contract, period = self.pick("periods")
            self.get(path("portal_period", contract=contract, period=period), "supplier reporting period")
        else:
            self.get(path("kb_search") + f"?q={self.rng.choice(KB_QUERIES)}", "knowledge-base search")

    # Writes --------------------------------------------------------------------------------------

    def write_advisor(self) -> None:
        url = path("help_request_create")
        if token := self.form(url, "write: help request"):
            self.post(url, "write: help request (post)", {
                "subject": "Vraag over de rapportage", "category": str(self.rng.choice(PLAN["categories"])),
                "contract": "", "question": "Telt een leerwerkplek bij de onderaannemer mee voor de verplichting?",
            }, token)

    def write_coordinator(self) -> None:
        quantities = {"persons": "1", "hours_per_week": "36", "months": "12", "hours": "400", "invoice_amount": "10000"}
        if self.rng.random() < 0.5 and self.person["to_assess"]:
            contract, realisation = self.person["to_assess"].pop()
            if token := self.form(path("realisation", contract=contract, realisation=realisation), "write: assess realisation"):
                self.post(path("realisation_approve", contract=contract, realisation=realisation),
                          "write: assess realisation (post)", {}, token)
        elif self.person["agreement_targets"]:
            contract, block = self.pick("agreement_targets")
            url = path("agreement_create", contract=contract)
            if token := self.form(url, "write: agreement"):
                self.post(url, "write: agreement (post)", {"block": block, "description": "Leerwerkplek", **quantities},
                          token)

    def write_supplier(self) -> None:
        if not self.person["submit_targets"]:
            return self.read_supplier()
        contract, period, agreement, start, end = self.pick("submit_targets")
        url = path("portal_realisation_create", contract=contract, period=period)
        if token := self.form(url, "write: supplier realisation"):
            self.post(url, "write: supplier realisation (post)", {
                "agreement": agreement, "period_start": start, "period_end": end,
                "candidate_reference": f"LB-{self.rng.randrange(100, 999)}",
                "persons": "1", "hours_per_week": "36", "months": "3", "hours": "100", "invoice_amount": "1000",
            }, token)


def _error(response) -> str:
    inner = getattr(response, "_response", response)
    return repr(getattr(inner, "error", None) or "")


@events.request.add_listener
def _record(request_type, name, response_time, response_length, exception, **_kwargs):
    phase = STATE["phase"]
    if phase is not None:
        SAMPLES[phase][name].append((response_time, exception is not None, request_type))
        if exception is not None:
            ERRORS[phase][name][str(exception)[:160]] += 1


# CPU accounting -------------------------------------------------------------------------------------

TICKS = os.sysconf("SC_CLK_TCK")


def _cpu(pid: int) -> float | None:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / TICKS


def _processes(needle: bytes, *, title: bool = False) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes()
        except OSError:
            continue
        if (cmdline.startswith(b"postgres: ") and needle in cmdline) if title else needle in cmdline:
            found.append(int(entry.name))
    return found


KINDS = ("server", "worker", "database")
# How often the processes are read during a phase: a database connection that Django closes after
# CONN_MAX_AGE, and the new one it opens, are both counted up to the last reading of each.
SAMPLE_SECONDS = 0.5


def _pids() -> dict[str, list[int]]:
    return {
        "server": _processes(PLAN["server_marker"].encode()),
        "worker": _processes(PLAN["worker_marker"].encode()) if PLAN.get("worker_marker") else [],
        "database": _processes(f" {PLAN['database']} ".encode(), title=True),
    }


def _machine_busy() -> float:
    """CPU seconds the whole machine spent outside idle and iowait, over all cores."""
    fields = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    return (sum(fields) - fields[3] - fields[4]) / TICKS


class CpuMeter:
    """CPU used during a phase by the server (gunicorn), the Celery worker and the database's backends.

    Each process is read every SAMPLE_SECONDS; a process counts from its first reading (or from zero
    when it started during the phase) to its last, so processes that end within the phase still count.
    """

    def __init__(self):
        self.first: dict[str, dict[int, float]] = {kind: {} for kind in KINDS}
        self.last: dict[str, dict[int, float]] = {kind: {} for kind in KINDS}
        self.running = True
        for kind, pids in _pids().items():
            for pid in pids:
                if (seconds := _cpu(pid)) is not None:
                    self.first[kind][pid] = self.last[kind][pid] = seconds
        self.driver = time.process_time()
        self.machine = _machine_busy()
        self.wall = time.monotonic()
        self._greenlet = gevent.spawn(self._sample)

    def _read(self) -> None:
        for kind, pids in _pids().items():
            for pid in pids:
                if (seconds := _cpu(pid)) is not None:
                    self.first[kind].setdefault(pid, 0.0)
                    self.last[kind][pid] = seconds

    def _sample(self) -> None:
        while self.running:
            gevent.sleep(SAMPLE_SECONDS)
            self._read()

    def stop(self) -> dict:
        self.running = False
        self._greenlet.kill()
        self._read()
        used = {kind: sum(self.last[kind][pid] - self.first[kind][pid] for pid in self.last[kind]) for kind in KINDS}
        used["driver"] = time.process_time() - self.driver
        used["machine"] = _machine_busy() - self.machine
        used["wall"] = time.monotonic() - self.wall
        return used


def wait_for_idle_worker(*, quiet: float = 2.0, step: float = 1.0, timeout: float = 300.0) -> float:
    """Wait until the Celery worker has used no CPU for ``quiet`` seconds (it has delivered what an
    earlier phase's writes queued), so that a read-only phase is not charged with that work. Returns the
    seconds waited."""
    started = time.monotonic()
    pids = _pids()["worker"]
    if not pids:
        return 0.0
    idle = 0.0
    before = sum(_cpu(pid) or 0.0 for pid in pids)
    while idle < quiet and time.monotonic() - started < timeout:
        gevent.sleep(step)
        now = sum(_cpu(pid) or 0.0 for pid in pids)
        idle = idle + step if now - before < 0.005 else 0.0
        before = now
    return round(time.monotonic() - started, 1)


def measure(phase: str, seconds: float) -> dict:
    SAMPLES.pop(phase, None)
    ERRORS.pop(phase, None)
    meter = CpuMeter()
    STATE["phase"] = phase
    gevent.sleep(seconds)
    STATE["phase"] = None
    used = meter.stop()
    wall = used["wall"]
    pages = {}
    all_requests = 0
    for name, samples in sorted(SAMPLES[phase].items()):
        times = sorted(t for t, _failed, _m in samples)
        all_requests += len(samples)
        pages[name] = {
            "requests": len(samples),
            "errors": sum(1 for _t, failed, _m in samples if failed),
            "p50_ms": _percentile(times, 50),
            "p95_ms": _percentile(times, 95),
            "p99_ms": _percentile(times, 99),
            "max_ms": round(times[-1], 1) if times else None,
            "writes": sum(1 for _t, _f, method in samples if method == "POST"),
            "error_kinds": dict(ERRORS[phase][name].most_common(3)),
        }
    # The Celery worker beside gunicorn is part of the server: its CPU counts with gunicorn's.
    worker = used["worker"]
    server, database = used["server"] + worker, used["database"]
    requests = max(all_requests, 1)
    return {
        "seconds": round(wall, 1),
        "requests": all_requests,
        "rate": round(all_requests / wall, 1),
        "errors": sum(p["errors"] for p in pages.values()),
        "posts": sum(p["writes"] for p in pages.values()),
        "server_cpu_ms_per_request": round(server * 1000 / requests, 2),
        "database_cpu_ms_per_request": round(database * 1000 / requests, 2),
        "cpu_ms_per_request": round((server + database) * 1000 / requests, 2),
        "worker_cpu_ms_per_request": round(worker * 1000 / requests, 2),
        "server_cpu_share": round(server / wall, 2),
        "database_cpu_share": round(database / wall, 2),
        "driver_cpu_share": round(used["driver"] / wall, 2),
        # Everything the machine did, less the load tool: a check on the attribution above.
        "machine_cpu_ms_per_request": round((used["machine"] - used["driver"]) * 1000 / requests, 2),
        "machine_cpu_share": round(used["machine"] / wall, 2),
        "pages": pages,
    }


def _percentile(ordered: list[float], p: float) -> float | None:
    if not ordered:
        return None
    index = max(0, min(len(ordered) - 1, -(-p * len(ordered) // 100) - 1))
    return round(ordered[int(index)], 1)


def main(plan_path: str, result_path: str) -> int:
    PLAN.update(json.loads(Path(plan_path).read_text()))
    people = list(PLAN["people"])
    random.Random(1).shuffle(people)
    LoadUser._queue = list(people)
    LoadUser.host = PLAN["base_url"]
    global LOGIN_GATE
    LOGIN_GATE = gevent.lock.BoundedSemaphore(PLAN["login_concurrency"])
    env = Environment(user_classes=[LoadUser], events=events)
    runner = env.create_local_runner()
    result: dict = {"phases": {}}
    started = time.monotonic()
    runner.start(len(people), spawn_rate=PLAN["spawn_rate"])
    while LOGGED_IN[0] + LOGGED_IN[1] < len(people) and time.monotonic() - started < PLAN["login_timeout"]:
        gevent.sleep(0.5)
    result["logged_in"], result["login_failures"] = LOGGED_IN
    result["login_attempts_failed"] = LOGIN_RETRIES[0]
    result["login_seconds"] = round(time.monotonic() - started, 1)
    print(f"  {LOGGED_IN[0]} users logged in ({LOGGED_IN[1]} failed) in {result['login_seconds']} s", flush=True)
    for phase, seconds, warmup in PLAN["phases"]:
        STATE["mode"] = phase
        print(f"  phase {phase}: {warmup} s warm-up, {seconds} s measured …", flush=True)
        gevent.sleep(warmup)
        # The read-only phases measure only their own pages: the e-mails and notifications that the
        # mixed phase's writes queued are delivered first (they used to be delivered during the
        # empty-page phase and charged to it, which made that page look dearer).
        waited = wait_for_idle_worker() if phase != "mixed" else 0.0
        result["phases"][phase] = figures = measure(phase, seconds)
        figures["waited_for_worker_seconds"] = waited
        print(f"    {figures['requests']} requests ({figures['rate']}/s), {figures['errors']} errors, "
              f"{figures['cpu_ms_per_request']} ms CPU per request", flush=True)
    STATE["mode"] = "done"
    runner.quit()
    Path(result_path).write_text(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:3]))

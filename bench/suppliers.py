"""Supplier registry benchmark on 2.6 M establishments: the typeahead, the naive search, the admin.

Two registries, side by side (--registry picks one):
  synthetic  the registry of suppliers/synthetic.py (``Registry``), database ``wizzr_bench``;
  faker      names, streets, places and postcodes from Faker's nl_NL providers, which the search was
             not designed for (``FakerRegistry``), database ``wizzr_bench_faker``.

Per registry:
1. Generate the registry CSV (reused when it exists) and import it with ``import_suppliers``' code,
   timed (reused when the rows are there; --fresh imports again, --recreate drops the database
   first). Migrations run first, so a fresh clone needs nothing else.
2. Check in process that no keystroke runs a COUNT over the registry.
3. Time, per input class, (a) the typeahead endpoint over HTTP and (b) the naive way in process: one
   ``ILIKE '%…%'`` query over legal name, trade name and place of the same table, printed as the
   ratio. The naive query reads the whole table (20-40 s an input), so only the first
   --naive-inputs inputs of each class (default 1) and the admin's search texts are timed that way.
4. Time in process what the "more" count costs: the search with its ranking window of 1,000 (what
   the typeahead runs) against the same search with a window of only the ten it shows.
5. Time (c) the registry pages of Django admin over HTTP as a logged-in staff member: the list, a
   search by name, KvK number and postcode, ``%`` and a quote, a deep page, the page of a supplier with
   many establishments and the merge confirmation; p50/p95 each against the target p95. The admin
   search ratio is the naive ILIKE query's time for the same text over the admin search page's p50.

The server is gunicorn on loopback with production-like settings (DEBUG off), logged in through the
login form.
"""

from __future__ import annotations

import json
import os
import secrets
import statistics
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
WORK_DIR = BASE_DIR / "var" / "bench"

# The fixed inputs per class (chosen against the synthetic registry of seed 2026).
INPUTS: dict[str, list[str]] = {
    "1-2 letters": ["b", "ba", "ve", "de", "sc", "zw"],
    "prefix": ["bouwbedr", "schoonmaakb", "van der m", "gebr. de", "stichting he", "hoveniersbedrijf ja"],
    "word start": ["heuvel", "zonen", "techniek", "holdi", "vakwer", "dijkst"],
    "place": ["arnhem", "zwolle", "den haag", "'s-hertogenbosch", "capelle aan den", "apeldoorn"],
    "several words": ["bakkerij arnhem", "van der berg zwolle", "schildersbedrijf de vries", "installatietechniek utrecht",
                      "cafe hoekje renkum", "jansen bouw ede"],
    "kvk digits": ["6", "43", "8850", "665439", "4320419", "43204198"],
    "typo": ["instalatie", "bakkrij", "schilderbedrijf", "hoveniersbedrjif", "aanemersbedrijf", "loodgietersbedrif"],
    "accent": ["cafe", "creperie", "patisserie", "creche", "celik", "ozturk"],
    "no match": ["xqzvbn", "qqqqqq", "zzyzx corp", "bakkerij plutostad", "kwbnmdf", "vlrkbrg arnhem"],
    "order + typo": ["bouwbedrijf jansen", "jansen bouw", "schildersbedrijf vries", "bakkerij janssen",
                     "installatiebedrijf smit", "hoveniersbedrijf bakker"],
}
# Inputs taken from each registry itself (postcodes and KvK numbers differ per registry): see _registry_inputs.
DATA_CLASSES = ["postcode", "kvk in text"]
RARE = {"several words", "typo", "no match", "order + typo"}
REGISTRIES = {"synthetic": "wizzr_bench", "faker": "wizzr_bench_faker"}
TARGET_P95_MS = 15.0
TARGET_RATIO = 100.0
TARGET_IMPORT_SECONDS = 300.0
TARGET_ADMIN_P95_MS = 300.0
BENCH_EMAIL = "bench@wizzr.example"


def add_arguments(parser) -> None:
    group = parser.add_argument_group("suppliers")
    group.add_argument("--rows", type=int, default=2_600_000, help="establishments in the registry (default 2,600,000)")
    group.add_argument("--seed", type=int, default=2026, help="seed of the synthetic registry")
    group.add_argument("--fresh", action="store_true", help="import the registry again even if it is there")
    group.add_argument("--repeat", type=int, default=20, help="timed typeahead requests per input (default 20)")
    group.add_argument("--naive-repeat", type=int, default=1, help="timed ILIKE queries per input (default 1)")
    group.add_argument("--admin-repeat", type=int, default=20, help="timed requests per admin page, after one untimed (default 20)")
    group.add_argument("--registry", choices=["both", *REGISTRIES], default="both", help="which registry (default both)")
    group.add_argument("--recreate", action="store_true", help="drop the bench databases and build them again")
    group.add_argument("--naive-inputs", type=int, default=1, help="inputs per class timed with ILIKE (default 1)")
    group.add_argument("--prepare-only", action="store_true", help="generate and import the registries, time nothing")


def run(args) -> dict:
    names = list(REGISTRIES) if args.registry == "both" else [args.registry]
    os.environ["DATABASE_URL"] = _bench_database_url(REGISTRIES[names[0]], recreate=args.recreate)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wizzr.settings")
    import django

    django.setup()
    WORK_DIR.mkdir(parents=True, exist_ok=True)
    result: dict = {
        "suite": "suppliers", "rows": args.rows, "seed": args.seed, "started": time.strftime("%Y-%m-%d %H:%M:%S %Z"),
        "cpus": os.cpu_count(), "load_average_at_start": os.getloadavg()[0], "registries": {},
    }
    for index, name in enumerate(names):
        url = os.environ["DATABASE_URL"] if index == 0 else _bench_database_url(REGISTRIES[name], recreate=args.recreate)
        _use_database(url)
        print(f"\n=== Registry: {name} ({REGISTRIES[name]}) ===", flush=True)
        result["registries"][name] = _run_registry(name, url, args)
    result["load_average_at_end"] = os.getloadavg()[0]
    if args.prepare_only:
        return result
    result["targets_met"] = _report(result)
    return result


def _run_registry(name: str, database_url: str, args) -> dict:
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    _apply_search_sql()
    result: dict = {"database": REGISTRIES[name], "data": _ensure_registry(name, args)}
    if args.prepare_only:
        return result
    password = _bench_user()
    inputs = {**INPUTS, **_registry_inputs()}
    result["inputs"] = inputs
    result["queries"] = _check_keystrokes(inputs)
    print("Timing the cost of the 'more' count in process …", flush=True)
    result["more_cost"] = _measure_more_cost(inputs)

    from bench.server import gunicorn, production_env

    env = production_env(database_url, WORK_DIR / "static", SUPPLIER_SEARCH_RATE="1000000/m")
    with gunicorn(env, log=WORK_DIR / "gunicorn.log") as client:
        client.login(BENCH_EMAIL, password)
        print(f"Timing the typeahead over HTTP ({args.repeat} requests per input) …", flush=True)
        result["floor"] = _floor(client, args.repeat * 10)
        typeahead = _measure(client, "/leveranciers/zoeken/", args.repeat, inputs)
        cases = _admin_cases()
        print(f"Timing the admin's registry pages over HTTP ({args.admin_repeat} requests per page) …", flush=True)
        result["admin"] = _measure_admin(client, cases, args.admin_repeat)
    admin_texts = [params["q"] for case, _method, _path, params in cases if case.startswith("search name")]
    naive_inputs = {cls: values[: args.naive_inputs] for cls, values in inputs.items()}
    print(f"Timing the naive ILIKE query in process ({args.naive_repeat} per input, {args.naive_inputs} input(s) "
          "per class and the admin's name searches) …", flush=True)
    naive, naive_by_text = _measure_naive(args.naive_repeat, naive_inputs, extra=admin_texts)
    result["classes"] = _summarise(typeahead, naive, inputs)
    for case, figures in result["admin"].items():
        text = next((params.get("q") for c, _m, _p, params in cases if c == case and isinstance(params, dict)), None)
        if case.startswith("search name") and text in naive_by_text:
            figures["ilike_median_ms"] = round(naive_by_text[text], 1)
            figures["ratio_ilike_over_p50"] = round(naive_by_text[text] / figures["p50_ms"], 1)
    return result


def _apply_search_sql() -> None:
    """Run suppliers/sql/search.sql (all CREATE OR REPLACE) on the bench database, so that a database
    built before the file last changed measures the search as it is in the working tree."""
    from django.db import connection

    from suppliers.sql import sql_file

    with connection.cursor() as cursor:
        cursor.execute(sql_file("search.sql"))


def _use_database(url: str) -> None:
    """Point Django's default connection at the database of ``url`` (same server, another name)."""
    from urllib.parse import urlsplit

    from django.conf import settings
    from django.db import connections

    name = urlsplit(url).path.lstrip("/")
    connections["default"].close()
    settings.DATABASES["default"]["NAME"] = name
    connections["default"].settings_dict["NAME"] = name
    os.environ["DATABASE_URL"] = url


def _bench_database_url(name: str, *, recreate: bool = False) -> str:
    """The URL of bench database ``name``: on BENCH_DATABASE_URL's server when set, else on the
    embedded server. ``recreate`` drops it first."""
    from urllib.parse import urlsplit, urlunsplit

    import psycopg

    if os.environ.get("BENCH_DATABASE_URL"):
        parts = urlsplit(os.environ["BENCH_DATABASE_URL"])
        url = urlunsplit(parts._replace(path="/" + name))
        admin_url = urlunsplit(parts._replace(path="/postgres"))
        marker = None
    else:
        from devtools.devdb import PGDATA, database_settings

        host = database_settings()["HOST"]
        url = f"postgresql://postgres@/{name}?host={host}"
        admin_url = f"postgresql://postgres@/postgres?host={host}"
        marker = PGDATA / f".created-{name}"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        if recreate:
            print(f"Dropping the bench database {name} …", flush=True)
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')
    if marker is not None:
        marker.touch()
    return url


def _ensure_registry(name: str, args) -> dict:
    from django.db import connection

    from suppliers.importer import COLUMNS, import_rows, read_csv, write_csv
    from suppliers.synthetic import FakerRegistry, Registry

    info: dict = {}
    prefix = "suppliers" if name == "synthetic" else f"suppliers-{name}"
    csv_path = WORK_DIR / f"{prefix}-{args.rows}-seed{args.seed}.csv"
    if csv_path.exists():
        with csv_path.open(encoding="utf-8") as handle:
            if handle.readline().strip() != ",".join(COLUMNS):
                csv_path.unlink()  # written before the current columns: generate again
    if not csv_path.exists():
        print(f"Generating {args.rows:,} establishments into {csv_path.relative_to(BASE_DIR)} …", flush=True)
        started = time.monotonic()
        partial = csv_path.with_suffix(".partial")
        with partial.open("w", encoding="utf-8", newline="") as target:
            write_csv((Registry if name == "synthetic" else FakerRegistry)(args.rows, args.seed), target)
        partial.rename(csv_path)
        info["generate_seconds"] = round(time.monotonic() - started, 1)
        print(f"  generated in {info['generate_seconds']} s")
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM suppliers_supplier WHERE source = 'registry'")
        present = cursor.fetchone()[0]
    import_record = WORK_DIR / f"import-{prefix}-{args.rows}-seed{args.seed}.json"
    if present >= args.rows and not args.fresh:
        previous = json.loads(import_record.read_text()) if import_record.exists() else {}
        info.update(reused=True, import_measured=previous.pop("measured", None), **previous)
        print(f"Reusing the {present:,} establishments in the bench database (--fresh imports again).")
        return info
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE suppliers_supplier, suppliers_supplierword, suppliers_searchword CASCADE")
    print(f"Importing {csv_path.name} with import_suppliers …", flush=True)
    columns, records = read_csv(csv_path)
    backend = _backend_cpu_reader(connection)
    python_cpu, backend_cpu = time.process_time(), backend()
    report = import_rows(records, columns=columns, progress=lambda message: print("  " + message, flush=True))
    python_cpu, backend_cpu = time.process_time() - python_cpu, backend() - backend_cpu
    info.update(
        reused=False,
        import_seconds=round(report.seconds, 1),
        measured=time.strftime("%Y-%m-%d %H:%M:%S %Z"),
        inserted=report.inserted,
        rejected=report.rejected,
        load_average=os.getloadavg()[0],
        # CPU seconds (without PostgreSQL's parallel workers): what the import costs whatever else
        # the machine is doing.
        cpu_python=round(python_cpu, 1),
        cpu_postgres_backend=round(backend_cpu, 1) if backend_cpu >= 0 else None,
    )
    # Kept beside the data, so a later run that reuses the data still reports how long it took.
    keep = ("import_seconds", "measured", "load_average", "cpu_python", "cpu_postgres_backend")
    import_record.write_text(json.dumps({k: info[k] for k in keep}))
    return info


def _backend_cpu_reader(connection):
    """A function returning the CPU seconds used so far by this connection's PostgreSQL backend,
    or -1 when the server runs elsewhere (no /proc entry for it)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        stat = Path(f"/proc/{cursor.fetchone()[0]}/stat")

    def read() -> float:
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            return -1.0
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    return read


def _bench_user() -> str:
    """A staff user who is also an advisor (the typeahead needs that role); returns its new password."""
    from allauth.account.models import EmailAddress

    from wizzr.models import Membership, Organisation, Role, User

    password = secrets.token_urlsafe(16)
    organisation, _ = Organisation.objects.get_or_create(
        slug="gemeente-benchmark", defaults={"name": "Gemeente Benchmark", "kind": Organisation.Kind.AUTHORITY}
    )
    user = User.objects.filter(email=BENCH_EMAIL).first() or User(email=BENCH_EMAIL, name="Benchmark")
    user.is_staff = user.is_superuser = True
    user.set_password(password)
    user.save()
    EmailAddress.objects.update_or_create(user=user, email=BENCH_EMAIL, defaults={"verified": True, "primary": True})
    Membership.objects.get_or_create(user=user, organisation=organisation, role=Role.ADVISOR)
    return password


def _check_keystrokes(all_inputs: dict[str, list[str]]) -> dict:
    """Every input once through the real view in process: no COUNT over the registry, and how many
    SQL statements a keystroke costs (session, user, organisation, rate limit and search)."""
    import logging

    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from wizzr.models import User

    logging.getLogger("wizzr.request").setLevel(logging.WARNING)
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(User.objects.get(email=BENCH_EMAIL))
    most, counts, sizes = 0, [], []
    for inputs in all_inputs.values():
        for text in inputs:
            with CaptureQueriesContext(connection) as queries:
                response = client.get("/leveranciers/zoeken/", {"q": text}, HTTP_HX_REQUEST="true")
            assert response.status_code == 200, (text, response.status_code)
            most = max(most, len(queries))
            sizes.append(len(queries))
            counts += [
                q["sql"] for q in queries
                if "count(" in q["sql"].lower() and "supplier" in q["sql"].lower()
            ]
    assert not counts, f"COUNT over the registry during a keystroke: {counts[:3]}"
    typical = sorted(sizes)[len(sizes) // 2]
    print(f"No COUNT over the registry in any keystroke; {typical} SQL statements per keystroke (median: session, "
          f"user, memberships, search), at most {most} (the first of a session renews it; every tenth, after its response, "
          "adds the shared rate counter).")
    return {"count_statements": 0, "max_statements_per_keystroke": most, "median_statements_per_keystroke": typical}


def _measure(client, path: str, repeat: int, all_inputs: dict[str, list[str]]) -> dict[str, list[float]]:
    headers = {"HX-Request": "true"}
    timings: dict[str, list[float]] = {}
    for name, inputs in all_inputs.items():
        samples: list[float] = []
        for text in inputs:
            params = {"q": text, "listbox": "id_supplier_listbox"}
            status, *_ = client.get(path, params, headers)  # warm-up, not counted
            if status != 200:
                raise RuntimeError(f"{path}?q={text!r} answered {status}")
            for _ in range(repeat):
                status, _headers, _body, seconds = client.get(path, params, headers)
                if status != 200:
                    raise RuntimeError(f"{path}?q={text!r} answered {status}")
                samples.append(seconds * 1000)
        timings[name] = samples
        print(f"  typeahead {name:14} median {statistics.median(samples):9.1f} ms", flush=True)
    return timings


def _measure_naive(
    repeat: int, all_inputs: dict[str, list[str]], extra: list[str] = ()
) -> tuple[dict[str, list[float]], dict[str, float]]:
    """The obvious way, in process on the same table: active establishments whose legal name, trade
    name or place contains the input (``ILIKE '%…%'``, wildcards escaped), first ten by name.
    Returns the samples per class and the median per text (``extra`` texts are timed too)."""
    from django.db.models import Q

    from suppliers.models import Supplier

    def timed(text: str) -> list[float]:
        query = (
            Supplier.objects.filter(is_active=True)
            .filter(Q(legal_name__icontains=text) | Q(trade_name__icontains=text) | Q(city__icontains=text))
            .order_by("name_key", "id")
            .values_list("id", flat=True)[:10]
        )
        samples = []
        # No warm-up: each statement reads the whole table anyway. A fresh copy each time (no result cache).
        for _ in range(repeat):
            started = time.perf_counter()
            list(query.all())
            samples.append((time.perf_counter() - started) * 1000)
        return samples

    timings: dict[str, list[float]] = {}
    by_text: dict[str, float] = {}
    for name, inputs in all_inputs.items():
        samples: list[float] = []
        for text in inputs:
            own = timed(text)
            by_text[text] = statistics.median(own)
            samples += own
        if samples:
            timings[name] = samples
            print(f"  ILIKE     {name:14} median {statistics.median(samples):9.1f} ms", flush=True)
    for text in extra if repeat > 0 else ():
        if text not in by_text:
            by_text[text] = statistics.median(timed(text))
    return timings, by_text


def _registry_inputs() -> dict[str, list[str]]:
    """Postcode and KvK-number inputs taken from the registry itself (the same rows each run of a
    seeded registry): a postcode alone and with a name word, a KvK number inside text."""
    from suppliers.models import Supplier

    first = Supplier.objects.order_by("id").values_list("id", flat=True).first() or 0
    rows = [
        Supplier.objects.filter(is_active=True, id__gte=first + 1000 + 100_000 * k).exclude(postcode="")
        .order_by("id").values_list("legal_name", "postcode", "kvk_number", "city").first()
        for k in range(6)
    ]
    rows = [row for row in rows if row]
    postcodes, kvk = [], []
    for index, (legal, postcode, number, city) in enumerate(rows[:6]):
        word = next((w for w in legal.split() if len(w) > 3), legal.split()[0]).lower()
        postcodes.append([postcode, postcode.replace(" ", "").lower(), f"{word} {postcode}"][index % 3])
        kvk.append([f"{word} {number}", f"kvk {number}", f"{number} {city.lower()}"][index % 3])
    return {"postcode": postcodes, "kvk in text": kvk}


def _measure_more_cost(all_inputs: dict[str, list[str]], repeat: int = 3) -> dict[str, dict]:
    """In process, per class: the search as the typeahead runs it (ranking and counting a window of
    up to 1,000 matches) against the same search ranking only the ten it shows (window 10)."""
    from django.db import connection

    results: dict[str, dict] = {}
    with connection.cursor() as cursor:
        for name, inputs in all_inputs.items():
            costs = {}
            for window in (1000, 10):
                samples = []
                for text in inputs:
                    cursor.execute("SELECT more FROM suppliers_search_ids(%s, 10, '{}', %s)", [text, window])
                    for _ in range(repeat):
                        started = time.perf_counter()
                        cursor.execute("SELECT more FROM suppliers_search_ids(%s, 10, '{}', %s)", [text, window])
                        cursor.fetchone()
                        samples.append((time.perf_counter() - started) * 1000)
                costs[window] = statistics.median(samples)
            results[name] = {"with_count_ms": round(costs[1000], 2), "without_count_ms": round(costs[10], 2),
                             "count_cost_ms": round(costs[1000] - costs[10], 2)}
            print(f"  more      {name:14} {costs[1000]:7.2f} ms with the count, {costs[10]:7.2f} ms without", flush=True)
    return results


def _admin_cases() -> list[tuple[str, str, str, dict | list]]:
    """(name, method, path, parameters) of the admin pages to time, with identifiers taken from the
    registry itself: a company with many establishments, one of its postcodes and KvK number."""
    from django.db import connection

    from suppliers.models import Supplier

    with connection.cursor() as cursor:
        # Read once, outside the timing: the company with the most establishments.
        cursor.execute(
            "SELECT kvk_number FROM suppliers_supplier GROUP BY kvk_number ORDER BY count(*) DESC, kvk_number LIMIT 1"
        )
        big_kvk = cursor.fetchone()[0]
    company = list(Supplier.objects.filter(kvk_number=big_kvk).order_by("branch_number")[:3])
    other_kvk = Supplier.objects.exclude(kvk_number=big_kvk).order_by("id").values_list("kvk_number", flat=True)[12345]
    postcode = next(s.postcode for s in company if s.postcode)
    changelist = "/admin/suppliers/supplier/"
    return [
        ("list, unfiltered", "GET", changelist, {}),
        ("list, filter inactive", "GET", changelist, {"is_active__exact": "0"}),
        ("search name: bouwbedr", "GET", changelist, {"q": "bouwbedr"}),
        ("search name: van der berg zwolle", "GET", changelist, {"q": "van der berg zwolle"}),
        ("search name: arnhem", "GET", changelist, {"q": "arnhem"}),
        ("search name: instalatie (typo)", "GET", changelist, {"q": "instalatie"}),
        ("search KvK number", "GET", changelist, {"q": other_kvk}),
        ("search KvK of the big company", "GET", changelist, {"q": big_kvk}),
        ("search branch number", "GET", changelist, {"q": company[0].branch_number}),
        ("search postcode", "GET", changelist, {"q": postcode.replace(" ", "")}),
        ("search %", "GET", changelist, {"q": "%"}),
        ("search '", "GET", changelist, {"q": "'"}),
        ("search o'brien %", "GET", changelist, {"q": "o'brien %"}),
        ("deep page (200)", "GET", changelist, {"p": "200"}),
        ("page beyond 200", "GET", changelist, {"p": "5000"}),
        ("supplier page, big company", "GET", f"{changelist}{company[0].pk}/change/", {}),
        ("merge confirmation", "POST", changelist,
         [("action", "merge_suppliers"), ("index", "0"), *(("_selected_action", str(s.pk)) for s in company[:2])]),
    ]


def _measure_admin(client, cases, repeat: int) -> dict[str, dict]:
    import re

    status, _headers, body, _ = client.get("/admin/suppliers/supplier/")
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body)
    if status != 200 or not token:
        raise RuntimeError(f"the admin changelist answered {status}")
    results: dict[str, dict] = {}
    for name, method, path, params in cases:
        if method == "POST":
            body = [("csrfmiddlewaretoken", token.group(1).decode()), *params]

            def call(path=path, body=body):
                return client.request("POST", path, body=body)
        else:
            def call(path=path, params=params):
                return client.get(path, params)
        status, *_ = call()  # warm-up, not counted
        if status != 200:
            raise RuntimeError(f"{method} {path} {params} answered {status}")
        samples = []
        for _ in range(repeat):
            status, _headers, _body, seconds = call()
            if status != 200:
                raise RuntimeError(f"{method} {path} {params} answered {status}")
            samples.append(seconds * 1000)
        results[name] = {
            "p50_ms": round(statistics.median(samples), 1),
            "p95_ms": round(_p95(samples), 1),
            "samples": len(samples),
            "pass": _p95(samples) <= TARGET_ADMIN_P95_MS,
        }
        figures = results[name]
        print(f"  admin     {name:34} p50 {figures['p50_ms']:7.1f} ms  p95 {figures['p95_ms']:7.1f} ms", flush=True)
    return results


def _floor(client, repeat: int) -> dict:
    """The same server's answer to /healthz (one SELECT 1): what any request costs on this machine now."""
    samples = []
    for _ in range(repeat):
        status, _headers, _body, seconds = client.get("/healthz")
        samples.append(seconds * 1000)
    floor = {"median_ms": round(statistics.median(samples), 2), "p95_ms": round(_p95(samples), 2)}
    print(f"  floor     /healthz       median {floor['median_ms']:9.1f} ms  p95 {floor['p95_ms']:.1f} ms", flush=True)
    return floor


def _p95(samples: list[float]) -> float:
    ordered = sorted(samples)
    return ordered[max(0, -(-95 * len(ordered) // 100) - 1)]


def _summarise(typeahead: dict, naive: dict, all_inputs: dict[str, list[str]]) -> dict:
    classes = {}
    for name in all_inputs:
        t_median = statistics.median(typeahead[name])
        n_median = statistics.median(naive[name]) if naive.get(name) else None
        classes[name] = {
            "typeahead_median_ms": round(t_median, 2),
            "typeahead_p95_ms": round(_p95(typeahead[name]), 2),
            "ilike_median_ms": round(n_median, 1) if n_median is not None else None,
            "ratio_median": round(n_median / t_median, 1) if n_median is not None else None,
            "samples": [len(typeahead[name]), len(naive.get(name, []))],
        }
    return classes


def _report(result: dict) -> bool:
    """Print the registries side by side; return whether every target was met."""
    registries = result["registries"]
    names = list(registries)
    ok = True
    print(f"\nSupplier typeahead (HTTP) vs a plain ILIKE query (in process) — {result['rows']:,} establishments per "
          f"registry, {result['cpus']} CPUs, load average {result['load_average_at_start']:.1f} at the start")
    print(f"{'class':16}" + "".join(f"{name + ': median / p95 / ratio':>40}" for name in names))
    classes = list(dict.fromkeys(c for r in registries.values() for c in r["classes"]))
    marks_seen = []
    for cls in classes:
        line = f"{cls:16}"
        for name in names:
            c = registries[name]["classes"].get(cls)
            if c is None:
                line += f"{'–':>40}"
                continue
            marks = []
            if c["typeahead_p95_ms"] > TARGET_P95_MS:
                marks.append("p95")
            if cls in RARE and c["ratio_median"] is not None and c["ratio_median"] < TARGET_RATIO:
                marks.append("ratio")
            ok = ok and not marks
            marks_seen += marks
            ratio = "–" if c["ratio_median"] is None else f"{c['ratio_median']:.0f}×"
            cell = f"{c['typeahead_median_ms']:.1f} / {c['typeahead_p95_ms']:.1f} ms / {ratio}"
            line += f"{cell + (' ←' if marks else ''):>40}"
        print(line)
    if marks_seen:
        print(f"  ← p95 above {TARGET_P95_MS:g} ms, or (for rare classes) ratio below {TARGET_RATIO:g}×")
    print("\nThe 'more' count: search in process with a ranking window of 1,000 vs 10 (median ms)")
    for cls in classes:
        cells = []
        for name in names:
            m = registries[name]["more_cost"].get(cls)
            cells.append(f"{m['with_count_ms']:.2f} vs {m['without_count_ms']:.2f} ms" if m else "–")
        print(f"{cls:16}" + "".join(f"{cell:>30}" for cell in cells))
    print(f"\nDjango admin, registry pages over HTTP as staff (target p95 ≤ {TARGET_ADMIN_P95_MS:g} ms); "
          "search ratio = ILIKE median / admin p50")
    print(f"{'page':36}" + "".join(f"{name + ': p50 / p95 (ratio)':>34}" for name in names))
    pages = list(dict.fromkeys(p for r in registries.values() for p in r["admin"]))
    for page in pages:
        line = f"{page:36}"
        for name in names:
            a = registries[name]["admin"].get(page)
            if a is None:
                line += f"{'–':>34}"
                continue
            ok = ok and a["pass"]
            ratio = f" ({a['ratio_ilike_over_p50']:.0f}×)" if "ratio_ilike_over_p50" in a else ""
            cell = f"{a['p50_ms']:.0f} / {a['p95_ms']:.0f} ms{ratio}" + ("" if a["pass"] else " FAIL")
            line += f"{cell:>34}"
        print(line)
    for name in names:
        data = registries[name]["data"]
        seconds = data.get("import_seconds")
        if seconds is None:
            print(f"Import ({name}): not measured in this database yet (run with --fresh).")
            continue
        reused = " (measured earlier, " + str(data.get("import_measured")) + ")" if data.get("reused") else ""
        within = seconds <= TARGET_IMPORT_SECONDS
        ok = ok and within
        print(f"Import ({name}) of {result['rows']:,} rows: {seconds:.0f} s{reused}"
              + ("" if within else f"   ← more than {TARGET_IMPORT_SECONDS:g} s")
              + (f"; generated in {data['generate_seconds']:.0f} s" if data.get("generate_seconds") else ""))
        if data.get("cpu_python") is not None:
            print(f"  CPU time: {data['cpu_python']:.0f} s Python, {data.get('cpu_postgres_backend') or 0:.0f} s PostgreSQL "
                  f"backend (parallel workers not counted); load average {data.get('load_average', 0):.1f}.")
    for name in names:
        r = registries[name]
        print(f"{name}: no COUNT over the registry per keystroke; at most {r['queries']['max_statements_per_keystroke']} "
              f"SQL statements. /healthz on the same server: {r['floor']['median_ms']:.1f} ms median, "
              f"{r['floor']['p95_ms']:.1f} ms p95.")
    print(f"Load average {result['load_average_at_end']:.1f} at the end.")
    print("Targets met." if ok else "Some targets were not met (marked ←).")
    return ok

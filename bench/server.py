"""Run the application under gunicorn on loopback for a benchmark, with production-like settings."""

from __future__ import annotations

import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

from bench.http import Client

BASE_DIR = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def production_env(database_url: str, static_root: Path, **extra: str) -> dict[str, str]:
    """DEBUG off, compressed manifest static files, persistent connections; no TLS on loopback."""
    env = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "WIZZR_TESTING", "DJANGO_SETTINGS_MODULE"}}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "wizzr.settings",
            "DEBUG": "0",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "DATABASE_URL": database_url,
            "ALLOWED_HOSTS": "127.0.0.1",
            "SECURE_SSL_REDIRECT": "0",
            "WIZZR_REQUIRE_MFA": "0",
            "STATIC_ROOT": str(static_root),
            "LOG_LEVEL": "WARNING",
            **extra,
        }
    )
    return env


@contextmanager
def gunicorn(env: dict[str, str], *, workers: int = 2, log: Path):
    """Start gunicorn on a free loopback port; yield a Client for it; stop it afterwards."""
    python = sys.executable
    subprocess.run([python, "manage.py", "collectstatic", "--no-input", "-v0"], cwd=BASE_DIR, env=env, check=True)
    port = free_port()
    with log.open("w") as output:
        process = subprocess.Popen(
            [python, "-m", "gunicorn", "wizzr.wsgi:application", "--bind", f"127.0.0.1:{port}",
             "--workers", str(workers), "--no-control-socket", "--timeout", "300"],
            cwd=BASE_DIR, env=env, stdout=output, stderr=subprocess.STDOUT,
        )
    try:
        client = Client("127.0.0.1", port)
        deadline = time.monotonic() + 60
        while True:
            try:
                if client.get("/healthz")[0] == 200:
                    break
            except OSError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"gunicorn did not start; see {log}")
            time.sleep(0.2)
        yield client
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()

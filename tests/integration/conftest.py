"""Real services on loopback for the integration tests: a redis-server and a Celery worker that
shares the test database of this run."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

import pytest

from devtools.devservices import REDIS_SERVER, RedisServer, free_port, wait_for

BASE_DIR = Path(__file__).resolve().parents[2]


@pytest.fixture
def redis_server(tmp_path):
    if not Path(REDIS_SERVER).exists():
        # .ci/run installs it, so in CI a missing server is a failure, never a silent skip.
        if os.environ.get("CI"):
            pytest.fail("redis-server is not installed")
        pytest.skip("redis-server is not installed (apt-get install redis-server)")
    server = RedisServer(free_port(), tmp_path)
    server.start()
    yield server
    server.stop()


@pytest.fixture
def mail_file(tmp_path) -> Path:
    return tmp_path / "mail.jsonl"


@pytest.fixture
def celery_worker_process(transactional_db, redis_server, mail_file, tmp_path):
    """A real `celery worker` subprocess on the test database, mailing into ``mail_file``."""
    from django.db import connection

    db = connection.settings_dict
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.integration.worker_settings",
        "REDIS_URL": redis_server.url,
        "DATABASE_URL": f"postgresql://{db['USER']}@/{db['NAME']}?host={quote(db['HOST'], safe='/')}",
        "WIZZR_TEST_MAIL_FILE": str(mail_file),
        "PYTHONPATH": str(BASE_DIR),
    }
    log_path = tmp_path / "worker.log"
    with open(log_path, "wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "wizzr", "worker", "--pool=solo", "--loglevel=INFO",
             "--without-gossip", "--without-mingle", "--without-heartbeat", "-n", f"integration-{redis_server.port}@%h"],
            cwd=BASE_DIR,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        wait_for(lambda: b" ready." in log_path.read_bytes() or process.poll() is not None, timeout=60, what="the worker")
        assert process.poll() is None, log_path.read_text(errors="replace")
        process.log_path = log_path
        yield process
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture
def celery_through_redis(redis_server):
    """Let this test process queue tasks on the real broker instead of running them in process."""
    from wizzr.celery import app

    saved = {key: app.conf[key] for key in ("broker_url", "task_always_eager")}
    app.conf.update(broker_url=redis_server.url, task_always_eager=False)
    app._pool = None
    app.amqp._producer_pool = None
    yield app
    app.conf.update(saved)
    if app._pool is not None:
        app._pool.force_close_all()
    app._pool = None
    app.amqp._producer_pool = None

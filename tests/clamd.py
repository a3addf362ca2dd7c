"""A real ClamAV daemon for the tests that scan uploads.

The suite cannot download ClamAV's signature databases, so the daemon loads one database of our
own: a body signature for the EICAR test string, which ClamAV finds anywhere in a file (inside a
PDF too). The string is assembled from pieces so that this file does not trip a scanner itself.

``clamd_daemon`` (session) starts ``clamd -c <conf>`` in a temporary folder with a local socket
only, waits until it answers PING and stops it by its pid at the end. When clamd is not installed
it fails: a CI machine without it must not pass silently. The rest of the suite runs with an empty
``CLAMD_URL`` (see wizzr/settings_test.py); tests opt in with ``clamd_scanner`` or ``clamd_down``.
"""

from __future__ import annotations

import shutil
import signal
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

SIGNATURE = "Eicar-Test-Signature"
CLAMD_START_SECONDS = 60


def eicar() -> bytes:
    """The 68-byte EICAR anti-virus test string."""
    return ("X5O!P%@AP[4\\PZX54(P^)7CC)7}$" + "EICAR-STANDARD-" + "ANTIVIRUS-TEST-FILE!$H+H*").encode()


def eicar_pdf() -> bytes:
    """A file that passes the PDF signature check and carries the EICAR string."""
    return b"%PDF-1.4\n% test\n" + eicar() + b"\n%%EOF\n"


def clean_pdf() -> bytes:
    return b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


@dataclass
class Clamd:
    socket: Path
    pid: int

    @property
    def url(self) -> str:
        return f"unix://{self.socket}"


def _clamd_binary() -> str:
    found = shutil.which("clamd") or next(
        (p for p in ("/usr/sbin/clamd", "/usr/local/sbin/clamd") if Path(p).exists()), None
    )
    if not found:
        pytest.fail("clamd is not installed (Debian: apt-get install clamav-daemon); the upload scan tests need it.")
    return found


@pytest.fixture(scope="session")
def clamd_daemon(tmp_path_factory) -> Clamd:
    from wizzr.scanning import ping

    binary = _clamd_binary()
    folder = tmp_path_factory.mktemp("clamd")
    database = folder / "db"
    database.mkdir()
    (database / "eicar.ndb").write_text(f"{SIGNATURE}:0:*:{eicar().hex()}\n")
    sock = folder / "clamd.sock"
    conf = folder / "clamd.conf"
    conf.write_text(
        "\n".join(
            [
                "Foreground yes",
                f"LocalSocket {sock}",
                f"DatabaseDirectory {database}",
                f"LogFile {folder / 'clamd.log'}",
                f"TemporaryDirectory {folder}",
                f"PidFile {folder / 'clamd.pid'}",
                "SelfCheck 0",
                "",
            ]
        )
    )
    process = subprocess.Popen(
        [binary, "-c", str(conf)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
    )
    try:
        deadline = time.monotonic() + CLAMD_START_SECONDS
        while not (sock.exists() and ping(f"unix://{sock}")):
            if process.poll() is not None:
                log = (folder / "clamd.log").read_text() if (folder / "clamd.log").exists() else ""
                pytest.fail(f"clamd exited with {process.returncode}:\n{log[-2000:]}")
            if time.monotonic() > deadline:
                pytest.fail("clamd did not answer PING in time")
            time.sleep(0.1)
        yield Clamd(socket=sock, pid=process.pid)
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


@pytest.fixture
def clamd_scanner(clamd_daemon, settings) -> Clamd:
    """Uploads in this test are scanned by the real daemon."""
    settings.CLAMD_URL = clamd_daemon.url
    return clamd_daemon


@pytest.fixture
def clamd_down(settings, tmp_path) -> str:
    """A scanner is configured, but nobody listens on its socket."""
    settings.CLAMD_URL = f"unix://{tmp_path / 'nobody-listens.sock'}"
    return settings.CLAMD_URL

"""Malware scanning of uploaded files through a ClamAV daemon (clamd).

``CLAMD_URL`` names the daemon: ``unix:///run/clamav/clamd.ctl`` or ``tcp://clamav:3310``. Empty
means no scanner is configured: uploads are accepted unscanned, and every upload form says so.

A file gets one of four scan states:

- ``clean``: clamd scanned it and found nothing; it can be downloaded;
- ``pending``: a scanner is configured but could not be reached when it arrived; it is listed as
  "wacht op controle" and not served until ``rescan_pending`` finds it clean;
- ``infected``: found infected after it was stored; the file is deleted, the row stays as a record;
- ``unscanned``: stored while no scanner was configured (and files from before scanning existed).
  Served as before while no scanner is configured; once one is, it waits for a scan like ``pending``.

A file found infected while it is uploaded is never stored at all (see ``wizzr.uploads``).

The models that hold scanned files (in the domain apps) inherit ``ScannedFile`` and register
themselves with ``register`` in their ``AppConfig.ready``, so the periodic re-scan lives here
without the core importing any domain app.
"""

from __future__ import annotations

import logging
import socket
import struct
import time
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO
from urllib.parse import urlparse

from clamav_client.clamd import (
    BufferTooLongError,
    ClamdError,
    ClamdNetworkSocket,
    ClamdUnixSocket,
    CommunicationError,
)
from django.conf import settings
from django.db import models, transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy

logger = logging.getLogger(__name__)

# Seconds to wait for clamd to accept a connection: a daemon that is down must not hold up an upload.
CONNECT_TIMEOUT = 2.0
CHUNK_SIZE = 64 * 1024
# ClamAV marks signatures from databases other than its own; the suffix means nothing to a user.
_UNOFFICIAL = ".UNOFFICIAL"


class ScanStatus(models.TextChoices):
    CLEAN = "clean", gettext_lazy("gecontroleerd")
    PENDING = "pending", gettext_lazy("wacht op controle")
    INFECTED = "infected", gettext_lazy("geweigerd: bevat mogelijk een virus")
    UNSCANNED = "unscanned", gettext_lazy("niet gecontroleerd")


@dataclass(frozen=True)
class ScanResult:
    """What clamd said about one file: ``clean``, ``infected`` (with the signature) or ``unavailable``."""

    outcome: str
    signature: str = ""
    detail: str = ""

    CLEAN = "clean"
    INFECTED = "infected"
    UNAVAILABLE = "unavailable"

    @property
    def is_clean(self) -> bool:
        return self.outcome == self.CLEAN

    @property
    def is_infected(self) -> bool:
        return self.outcome == self.INFECTED


def scanner_configured() -> bool:
    return bool(getattr(settings, "CLAMD_URL", ""))


class _ShortConnectMixin:
    """Connect with a short timeout, then allow ``timeout`` for each read and write of the scan."""

    timeout: float

    def _connect(self, family: int, address) -> None:
        self.clamd_socket = socket.socket(family, socket.SOCK_STREAM)
        try:
            self.clamd_socket.settimeout(min(CONNECT_TIMEOUT, self.timeout))
            self.clamd_socket.connect(address)
            self.clamd_socket.settimeout(self.timeout)
        except OSError as err:
            self.clamd_socket.close()
            raise CommunicationError(self._error_message(err)) from err

    def instream(self, buff: BinaryIO):
        # The library sends 1 KB chunks; 64 KB chunks cut the system calls for a 25 MB file 64-fold.
        try:
            self._init_socket()
            self._send_command("INSTREAM")
            while chunk := buff.read(CHUNK_SIZE):
                self.clamd_socket.sendall(struct.pack(b"!L", len(chunk)) + chunk)
            self.clamd_socket.sendall(struct.pack(b"!L", 0))
            result = self._recv_response()
            if not result:
                return {}
            if result.endswith("size limit exceeded. ERROR"):
                raise BufferTooLongError(result)
            filename, reason, status = self._parse_response(result)
            return {filename: (status, reason)}
        finally:
            self._close_socket()


class _UnixClient(_ShortConnectMixin, ClamdUnixSocket):
    def _init_socket(self) -> None:
        self._connect(socket.AF_UNIX, self.unix_socket)


class _TcpClient(_ShortConnectMixin, ClamdNetworkSocket):
    def _init_socket(self) -> None:
        self._connect(socket.AF_INET, (self.host, self.port))


def client(url: str | None = None):
    """A clamd client for ``url`` (default ``settings.CLAMD_URL``). Raises ValueError for a bad URL."""
    url = settings.CLAMD_URL if url is None else url
    timeout = float(getattr(settings, "CLAMD_TIMEOUT", 15))
    parts = urlparse(url)
    if parts.scheme == "unix" and parts.path:
        return _UnixClient(path=parts.path, timeout=timeout)
    if parts.scheme == "tcp" and parts.hostname:
        return _TcpClient(host=parts.hostname, port=parts.port or 3310, timeout=timeout)
    raise ValueError("CLAMD_URL must look like unix:///path/to/clamd.ctl or tcp://host:3310")


def scan(file: BinaryIO | Path | str) -> ScanResult:
    """Scan one file (an open binary file, read from its start, or a path) through clamd.

    Never raises for the daemon's sake: a daemon that is down, slow or answers nonsense gives
    ``unavailable``; only an answer of FOUND gives ``infected`` and only OK gives ``clean``.
    Call it only when ``scanner_configured()``.
    """
    started = time.monotonic()
    try:
        if isinstance(file, (str, Path)):
            with open(file, "rb") as handle:
                report = client().instream(handle)
        else:
            file.seek(0)
            try:
                report = client().instream(file)
            finally:
                file.seek(0)
    except (ClamdError, OSError, ValueError) as err:
        logger.warning("virus scanner unavailable", extra={"event": "scan_unavailable", "error": type(err).__name__})
        return ScanResult(ScanResult.UNAVAILABLE, detail=type(err).__name__)
    status, reason = report.get("stream", ("ERROR", "no answer"))
    elapsed_ms = round((time.monotonic() - started) * 1000)
    if status == "OK":
        logger.info("file scanned", extra={"event": "scan_clean", "ms": elapsed_ms})
        return ScanResult(ScanResult.CLEAN)
    if status == "FOUND":
        signature = (reason or "").removesuffix(_UNOFFICIAL) or "onbekend"
        logger.warning("file infected", extra={"event": "scan_infected", "signature": signature, "ms": elapsed_ms})
        return ScanResult(ScanResult.INFECTED, signature=signature)
    logger.warning("virus scanner error", extra={"event": "scan_error", "detail": (reason or "")[:200]})
    return ScanResult(ScanResult.UNAVAILABLE, detail=reason or "")


def ping(url: str | None = None) -> bool:
    try:
        return client(url).ping() == "PONG"
    except (ClamdError, OSError, ValueError):
        return False


# Models -------------------------------------------------------------------------------------


class ScannedFile(models.Model):
    """Scan state of a stored file. Concrete models need ``path``, ``organisation`` and ``display_name``."""

    scan_status = models.CharField(
        gettext_lazy("viruscontrole"),
        max_length=10,
        choices=ScanStatus.choices,
        default=ScanStatus.UNSCANNED,
        db_index=True,
    )
    scanned_at = models.DateTimeField(gettext_lazy("gecontroleerd op"), null=True, blank=True)

    class Meta:
        abstract = True

    @property
    def is_downloadable(self) -> bool:
        """A file is served when it is clean, or, while no scanner is configured, when it was never scanned."""
        if self.scan_status == ScanStatus.CLEAN:
            return True
        return self.scan_status == ScanStatus.UNSCANNED and not scanner_configured()

    @property
    def scan_state_label(self) -> str:
        """What a list shows beside a file that cannot be downloaded (empty when it can)."""
        if self.is_downloadable:
            return ""
        if self.scan_status == ScanStatus.INFECTED:
            return str(ScanStatus.INFECTED.label)
        return str(ScanStatus.PENDING.label)


def held_response(request: HttpRequest, file: ScannedFile) -> HttpResponse | None:
    """The page a download view answers instead of the bytes of a file not (yet) known to be clean.

    Returns None when the file may be served.
    """
    if file.is_downloadable:
        return None
    infected = file.scan_status == ScanStatus.INFECTED
    return render(
        request,
        "wizzr/file_held.html",
        {"file_name": file.display_name, "infected": infected},
        status=410 if infected else 409,
    )


def download_response(request: HttpRequest, file: ScannedFile) -> HttpResponse:
    """A stored file as a download, never rendered by the browser: the held page while it is not
    known to be clean (``held_response``), 404 (and an error in the log) when its bytes are gone."""
    if (held := held_response(request, file)) is not None:
        return held
    try:
        handle = open(file.path, "rb")  # noqa: SIM115 - FileResponse closes it
    except FileNotFoundError:
        logger.error(
            "stored file missing",
            extra={"event": "file_missing", "model": file._meta.label, "uuid": str(getattr(file, "uuid", ""))},
        )
        raise Http404 from None
    response = FileResponse(handle, as_attachment=True, filename=file.display_name, content_type=file.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    return response


_registry: list[type[ScannedFile]] = []


def register(model: type[ScannedFile]) -> None:
    """Let ``rescan_pending`` find the files of ``model`` (call from the app's ``AppConfig.ready``)."""
    if model not in _registry:
        _registry.append(model)


def registered_models() -> list[type[ScannedFile]]:
    return list(_registry)


def rescan_pending(*, limit: int = 200) -> dict[str, int]:
    """Scan the files that wait for a scan; returns counts per outcome.

    Clean files become downloadable. An infected file is deleted from storage (after the commit
    that marks it) and an ``upload_infected`` audit event is written. Stops at the first
    ``unavailable``: the next run tries again.
    """
    counts = {"clean": 0, "infected": 0, "unavailable": 0, "missing": 0}
    if not scanner_configured():
        return counts
    waiting = [ScanStatus.PENDING, ScanStatus.UNSCANNED]
    for model in registered_models():
        for row in model.objects.filter(scan_status__in=waiting).order_by("pk")[:limit]:
            if not row.path.exists():
                counts["missing"] += 1
                logger.error("file to scan is missing", extra={"event": "scan_missing", "object": str(row.uuid)})
                continue
            result = scan(row.path)
            if result.outcome == ScanResult.UNAVAILABLE:
                counts["unavailable"] += 1
                return counts
            _settle(row, result)
            counts[result.outcome] += 1
    return counts


def _settle(row: ScannedFile, result: ScanResult) -> None:
    from wizzr.audit import audit_record
    from wizzr.models import AuditEvent

    model = type(row)
    status = ScanStatus.CLEAN if result.is_clean else ScanStatus.INFECTED
    with transaction.atomic():
        changed = model.objects.filter(pk=row.pk, scan_status=row.scan_status).update(
            scan_status=status, scanned_at=timezone.now()
        )
        if not changed or not result.is_infected:
            return
        audit_record(
            action="upload_infected",
            organisation=row.organisation,
            obj=row,
            result=AuditEvent.Result.DENIED,
            detail={"file_name": row.display_name, "signature": result.signature, "stored": True},
        )
        path = row.path
        transaction.on_commit(lambda: path.unlink(missing_ok=True))


# Deployment check ---------------------------------------------------------------------------


def check_scanner_configured(app_configs=None, **kwargs) -> list:
    """Production without CLAMD_URL would store and serve files nobody scanned: say so at deploy time."""
    from django.core.checks import Warning

    if settings.DEBUG or getattr(settings, "TESTING", False) or scanner_configured():
        return []
    return [
        Warning(
            "CLAMD_URL is empty: uploaded files are stored and served without a virus scan.",
            hint="Point CLAMD_URL at a clamd daemon, e.g. tcp://clamav:3310 (see docker-compose.yml).",
            id="wizzr.W010",
        )
    ]

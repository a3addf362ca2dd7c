"""Validation and private storage of uploaded documents (reused for evidence and help-request files).

The rules of the security bar, in one place:

- allow-list by extension AND by file signature: pdf, docx, xlsx, odt, ods, png, jpg;
- office files are ZIP containers: entry count and total uncompressed size are checked (from the
  central directory, without extracting anything), and the entries that make the format must be there;
- a size limit per file (``settings.UPLOAD_MAX_FILE_BYTES``) enforced while the upload streams in,
  and a limit on files per request (``settings.UPLOAD_MAX_FILES_PER_REQUEST``);
- display names are sanitised; a name that carries a path is refused;
- every file is scanned by clamd (``wizzr.scanning``) when a scanner is configured: a file found
  infected refuses the request; while the scanner is down files are accepted but held as pending;
- files are written under a random name below ``settings.PRIVATE_MEDIA_ROOT`` only after every file
  of the request passed, so a refused request stores nothing.

Use ``parse_uploads_strictly`` on a view that receives files, then ``validate_uploads(request.FILES.getlist(...),
request=request)``, then ``store`` each result inside the caller's write (and ``discard`` on failure),
giving the row ``**upload.scan_fields``.
"""

from __future__ import annotations

import datetime
import hashlib
import html
import re
import unicodedata
import uuid
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import wraps
from pathlib import Path
from types import MethodType

from django.conf import settings
from django.core.exceptions import TooManyFilesSent
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.http import HttpRequest, HttpResponse, QueryDict
from django.http.multipartparser import MultiPartParser
from django.utils import timezone
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect

from wizzr import scanning
from wizzr.audit import audit_record
from wizzr.models import AuditEvent

MAX_DISPLAY_NAME = 200
# ZIP containers (docx, xlsx, odt, ods). Real documents have tens to a few hundred entries.
MAX_ZIP_ENTRIES = getattr(settings, "UPLOAD_MAX_ZIP_ENTRIES", 1000)
MAX_ZIP_UNCOMPRESSED_BYTES = getattr(settings, "UPLOAD_MAX_ZIP_UNCOMPRESSED_BYTES", 200 * 1024 * 1024)

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
JPEG_SIGNATURE = b"\xff\xd8\xff"
PDF_SIGNATURE = b"%PDF-"
ZIP_SIGNATURE = b"PK\x03\x04"


@dataclass(frozen=True)
class FileType:
    extension: str
    content_type: str
    label: str
    signature: bytes
    # For ZIP containers: entries that must be present, and for OpenDocument the "mimetype" entry.
    required_entries: tuple[str, ...] = ()
    odf_mimetype: str = ""


FILE_TYPES: dict[str, FileType] = {
    t.extension: t
    for t in [
        FileType("pdf", "application/pdf", "PDF", PDF_SIGNATURE),
        FileType(
            "docx",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            "Word (DOCX)",
            ZIP_SIGNATURE,
            required_entries=("[Content_Types].xml", "word/document.xml"),
        ),
        FileType(
            "xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "Excel (XLSX)",
            ZIP_SIGNATURE,
            required_entries=("[Content_Types].xml", "xl/workbook.xml"),
        ),
        FileType(
            "odt",
            "application/vnd.oasis.opendocument.text",
            "OpenDocument-tekst (ODT)",
            ZIP_SIGNATURE,
            required_entries=("mimetype", "content.xml"),
            odf_mimetype="application/vnd.oasis.opendocument.text",
        ),
        FileType(
            "ods",
            "application/vnd.oasis.opendocument.spreadsheet",
            "OpenDocument-rekenblad (ODS)",
            ZIP_SIGNATURE,
            required_entries=("mimetype", "content.xml"),
            odf_mimetype="application/vnd.oasis.opendocument.spreadsheet",
        ),
        FileType("png", "image/png", "PNG", PNG_SIGNATURE),
        FileType("jpg", "image/jpeg", "JPG", JPEG_SIGNATURE),
    ]
}
EXTENSION_ALIASES = {"jpeg": "jpg"}
# For <input accept="...">: a hint to the browser only; the server decides.
ACCEPT = ",".join([f".{ext}" for ext in FILE_TYPES] + [".jpeg"])


@dataclass
class ValidatedUpload:
    """An uploaded file that passed every check, with the facts we store about it."""

    file: UploadedFile
    display_name: str
    file_type: FileType
    size: int
    sha256: str
    scan_status: str = scanning.ScanStatus.UNSCANNED
    scanned_at: datetime.datetime | None = None

    @property
    def content_type(self) -> str:
        return self.file_type.content_type

    @property
    def scan_fields(self) -> dict:
        """The scan state for the stored row (a ``wizzr.scanning.ScannedFile``)."""
        return {"scan_status": self.scan_status, "scanned_at": self.scanned_at}


class UploadRefused(Exception):
    """One file failed a check; ``message`` is the Dutch text shown to the user."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


# Names ----------------------------------------------------------------------------------------

_DRIVE = re.compile(r"^[A-Za-z]:")
_RESERVED = re.compile(r'[<>:"|?*]')


def has_path(name: str) -> bool:
    """True when ``name`` carries directory parts, a drive, or is a relative directory itself."""
    name = html.unescape(name).strip()
    return "/" in name or "\\" in name or bool(_DRIVE.match(name)) or name in {".", ".."}


def sanitise_display_name(name: str) -> str:
    """Return a safe name to show and to offer on download.

    Drops control, format (bidi overrides included) and unassigned characters, replaces characters
    that are not allowed in Windows file names, trims dots and spaces, and caps the length while
    keeping the extension. Never returns an empty string.
    """
    name = unicodedata.normalize("NFC", name)
    name = "".join(ch for ch in name if unicodedata.category(ch) not in {"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"})
    name = name.replace("/", "_").replace("\\", "_")
    name = _RESERVED.sub("_", name)
    name = re.sub(r"\s+", " ", name).strip(" .")
    if len(name) > MAX_DISPLAY_NAME:
        stem, dot, ext = name.rpartition(".")
        if dot and 0 < len(ext) <= 10:
            name = stem[: MAX_DISPLAY_NAME - len(ext) - 1].rstrip(" .") + "." + ext
        else:
            name = name[:MAX_DISPLAY_NAME].rstrip(" .")
    return name or "bijlage"


def extension_of(name: str) -> str:
    ext = name.rpartition(".")[2].lower() if "." in name else ""
    return EXTENSION_ALIASES.get(ext, ext)


# Content -------------------------------------------------------------------------------------


def _head(file: UploadedFile, size: int = 16) -> bytes:
    file.seek(0)
    head = file.read(size)
    file.seek(0)
    return head


def _check_zip(file: UploadedFile, file_type: FileType, shown: str) -> None:
    not_valid = _("“%(name)s” is geen geldig %(kind)s-bestand.") % {"name": shown, "kind": file_type.label}
    file.seek(0)
    try:
        with zipfile.ZipFile(file) as archive:
            entries = archive.infolist()
            if len(entries) > MAX_ZIP_ENTRIES:
                raise UploadRefused(
                    _("“%(name)s” bevat te veel onderdelen (meer dan %(max)s).") % {"name": shown, "max": MAX_ZIP_ENTRIES}
                )
            total = sum(entry.file_size for entry in entries)
            if total > MAX_ZIP_UNCOMPRESSED_BYTES:
                raise UploadRefused(
                    _("“%(name)s” is uitgepakt groter dan %(max)s MB en wordt daarom geweigerd.")
                    % {"name": shown, "max": MAX_ZIP_UNCOMPRESSED_BYTES // (1024 * 1024)}
                )
            names = {entry.filename for entry in entries}
            if not all(required in names for required in file_type.required_entries):
                raise UploadRefused(not_valid)
            if any(name.lower().endswith("vbaproject.bin") for name in names):
                raise UploadRefused(_("“%(name)s” bevat macro's; die worden niet geaccepteerd.") % {"name": shown})
            if file_type.odf_mimetype:
                mimetype_entry = archive.getinfo("mimetype")
                if mimetype_entry.file_size > 100:
                    raise UploadRefused(not_valid)
                if archive.read(mimetype_entry).strip() != file_type.odf_mimetype.encode():
                    raise UploadRefused(not_valid)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, KeyError, NotImplementedError, RuntimeError, ValueError, OSError):
        raise UploadRefused(not_valid) from None
    finally:
        file.seek(0)


def check_content(file: UploadedFile, file_type: FileType, shown: str) -> None:
    """Refuse a file whose first bytes do not match its extension (a program renamed to .pdf, an SVG as .png)."""
    if not _head(file).startswith(file_type.signature):
        raise UploadRefused(
            _("De inhoud van “%(name)s” past niet bij een %(kind)s-bestand.") % {"name": shown, "kind": file_type.label}
        )
    if file_type.signature == ZIP_SIGNATURE:
        _check_zip(file, file_type, shown)


def _sha256(file: UploadedFile) -> str:
    digest = hashlib.sha256()
    file.seek(0)
    for chunk in file.chunks():
        digest.update(chunk)
    file.seek(0)
    return digest.hexdigest()


def allowed_types_text() -> str:
    return _("Toegestaan zijn PDF, DOCX, XLSX, ODT, ODS, PNG en JPG, tot %(max)s MB per bestand.") % {
        "max": settings.UPLOAD_MAX_FILE_BYTES // (1024 * 1024)
    }


def validate_upload(file: UploadedFile) -> ValidatedUpload:
    """Check one uploaded file; return what to store or raise UploadRefused with a Dutch message."""
    raw_name = file.name or ""
    shown = sanitise_display_name(raw_name)
    if has_path(raw_name):
        raise UploadRefused(_("De bestandsnaam “%(name)s” bevat een pad of map; kies het bestand zelf.") % {"name": shown})
    size = file.size or 0
    if size == 0:
        raise UploadRefused(_("“%(name)s” is leeg (0 bytes).") % {"name": shown})
    if size > settings.UPLOAD_MAX_FILE_BYTES:
        raise UploadRefused(
            _("“%(name)s” is groter dan %(max)s MB.") % {"name": shown, "max": settings.UPLOAD_MAX_FILE_BYTES // (1024 * 1024)}
        )
    file_type = FILE_TYPES.get(extension_of(shown))
    if file_type is None:
        raise UploadRefused(
            _("“%(name)s” heeft een bestandstype dat niet is toegestaan.") % {"name": shown} + " " + allowed_types_text()
        )
    check_content(file, file_type, shown)
    return ValidatedUpload(file=file, display_name=shown, file_type=file_type, size=size, sha256=_sha256(file))


def validate_uploads(
    files: Iterable[UploadedFile], *, request: HttpRequest | None = None, max_files: int | None = None
) -> tuple[list[ValidatedUpload], list[str]]:
    """Check every file of one request. Returns (accepted, errors); store nothing unless errors is empty.

    With ``request``, the problems ``parse_uploads_strictly`` found while parsing are reported too
    (names with a path, files over the size limit, too many files).
    """
    files = list(files)
    max_files = max_files or settings.UPLOAD_MAX_FILES_PER_REQUEST
    problems: UploadProblems = getattr(request, "upload_problems", None) or UploadProblems()
    errors: list[str] = []
    if problems.too_many_files or len(files) + len(problems.too_large) + len(problems.path_names) > max_files:
        errors.append(_("U kunt maximaal %(max)s bestanden tegelijk toevoegen.") % {"max": max_files})
        return [], errors
    for name in problems.path_names:
        errors.append(
            _("De bestandsnaam “%(name)s” bevat een pad of map; kies het bestand zelf.") % {"name": sanitise_display_name(name)}
        )
    for name in problems.too_large:
        errors.append(
            _("“%(name)s” is groter dan %(max)s MB.")
            % {"name": sanitise_display_name(name), "max": settings.UPLOAD_MAX_FILE_BYTES // (1024 * 1024)}
        )
    accepted = []
    for file in files:
        try:
            accepted.append(validate_upload(file))
        except UploadRefused as refused:
            errors.append(refused.message)
    if errors:
        return [], errors
    for upload in accepted:
        try:
            scan_upload(upload, request=request)
        except UploadRefused as refused:
            errors.append(refused.message)
    return (accepted if not errors else []), errors


def scan_upload(upload: ValidatedUpload, *, request: HttpRequest | None = None) -> None:
    """Scan one validated file and record the outcome on it; raise UploadRefused when it is infected.

    Without a configured scanner the file stays ``unscanned``; with a scanner that cannot be reached
    it becomes ``pending`` (stored, but not served until a later scan finds it clean).
    """
    if not scanning.scanner_configured():
        return
    result = scanning.scan(upload.file)
    if result.is_infected:
        user = getattr(request, "user", None)
        audit_record(
            action="upload_infected",
            actor=user,
            organisation=getattr(request, "organisation", None),
            result=AuditEvent.Result.DENIED,
            request=request,
            detail={"file_name": upload.display_name, "signature": result.signature, "stored": False},
        )
        raise UploadRefused(
            _("Het bestand ‘%(name)s’ bevat mogelijk een virus (%(signature)s) en is geweigerd.")
            % {"name": upload.display_name, "signature": result.signature}
        )
    if result.is_clean:
        upload.scan_status, upload.scanned_at = scanning.ScanStatus.CLEAN, timezone.now()
    else:
        upload.scan_status, upload.scanned_at = scanning.ScanStatus.PENDING, None


# Storage -------------------------------------------------------------------------------------


def store(upload: ValidatedUpload, *, root: Path) -> str:
    """Write the file under a new random name below ``root``; return that name (relative to root)."""
    stored_name = uuid.uuid4().hex
    root.mkdir(parents=True, exist_ok=True, mode=0o750)
    target = root / stored_name
    upload.file.seek(0)
    with open(target, "xb") as out:
        for chunk in upload.file.chunks():
            out.write(chunk)
    target.chmod(0o640)
    return stored_name


def discard(stored_name: str, *, root: Path) -> None:
    """Remove a stored file; a file that is already gone is fine."""
    if not stored_name or has_path(stored_name):
        return
    (root / stored_name).unlink(missing_ok=True)


# Parsing -------------------------------------------------------------------------------------


@dataclass
class UploadProblems:
    """What the strict parser noticed before any view code ran."""

    path_names: list[str] = field(default_factory=list)
    too_large: list[str] = field(default_factory=list)
    too_many_files: bool = False


class _SizeLimitHandler(FileUploadHandler):
    """Stops reading a file as soon as it passes the size limit, so nothing big reaches the disk."""

    def __init__(self, request: HttpRequest, problems: UploadProblems):
        super().__init__(request)
        self.problems = problems
        self.received = 0

    def new_file(self, *args, **kwargs) -> None:
        super().new_file(*args, **kwargs)
        self.received = 0

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        self.received += len(raw_data)
        if self.received > settings.UPLOAD_MAX_FILE_BYTES:
            self.problems.too_large.append(self.file_name)
            raise SkipFile
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None


class _NameKeepingParser(MultiPartParser):
    """Django's parser strips directories from file names silently; we note such names to refuse them."""

    problems: UploadProblems

    def sanitize_file_name(self, file_name: str) -> str | None:
        if has_path(file_name):
            self.problems.path_names.append(file_name)
            return None
        return super().sanitize_file_name(file_name)


def parse_uploads_strictly(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """View decorator for views that receive files.

    Parses multipart bodies so that names with a path, files over the size limit and more files
    than Django accepts become ``request.upload_problems`` (reported by ``validate_uploads``) instead of
    being silently dropped or answered with a bare 400. CSRF is still checked, after parsing; a
    request with too many files is not parsed at all and reaches the view with an empty POST.
    """
    protected = csrf_protect(view)

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        problems = UploadProblems()
        request.upload_problems = problems
        if request.method == "POST" and request.content_type == "multipart/form-data":
            request.upload_handlers.insert(0, _SizeLimitHandler(request, problems))

            def parse_file_upload(self, META, post_data):
                parser = _NameKeepingParser(META, post_data, self.upload_handlers, self.encoding)
                parser.problems = problems
                return parser.parse()

            request.parse_file_upload = MethodType(parse_file_upload, request)
            try:
                request.POST  # noqa: B018 - parse now, with our parser
            except TooManyFilesSent:
                problems.too_many_files = True
                request._post, request._files = QueryDict(), MultiValueDict()
                # Nothing can change without a CSRF token: the view only shows the message.
                return view(request, *args, **kwargs)
        return protected(request, *args, **kwargs)

    return csrf_exempt(wrapper)

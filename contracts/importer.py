"""Importing existing contracts from a spreadsheet (XLSX or CSV): read, dry run, apply, undo.

Reading refuses a whole file only for what makes every row doubtful (too large, unreadable, merged
cells, unknown or missing columns); everything else is judged per row and per cell in the dry run.
Nothing is stored until the admin confirms, and then everything is stored in one transaction or
nothing is (the dry run is repeated inside it, so that the file is judged against the data as it is
then). Contracts are matched by inkoopcontractnummer, so importing the same file twice changes nothing.

Imported contracts are drafts (status *concept*): handing over notifies the coordinator and runs
through ``services.contract_hand_over``, one contract at a time. A row may name an existing contract
that is already handed over only when it changes nothing.
"""

from __future__ import annotations

import csv
import datetime
import io
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext as _

from contracts.models import Contract, ImportBatch
from suppliers.models import Supplier
from suppliers.search import search_suppliers
from wizzr.audit import audit_record
from wizzr.bounds import MONEY_MAX, MONEY_TOO_LARGE

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
# An XLSX is a ZIP; openpyxl unpacks all of it. A workbook of 20,000 rows unpacks to a few tens of MB.
MAX_UNPACKED_XLSX_BYTES = 200 * 1024 * 1024
MAX_ROWS = 20_000
# Files with more rows than this are checked and applied by a Celery task with a progress bar.
SYNC_ROWS = 500
UNDO_HOURS = 24

COLUMNS = [
    "inkoopcontractnummer", "titel", "startdatum", "einddatum", "kvk_nummer", "vestigingsnummer",
    "leverancier_naam", "plaats", "opdrachtsom", "sroi_percentage", "soort", "afdeling", "status",
]
REQUIRED_COLUMNS = ["inkoopcontractnummer", "titel", "startdatum", "einddatum"]
KINDS = {"werk": Contract.Kind.WORKS, "dienst": Contract.Kind.SERVICES, "levering": Contract.Kind.SUPPLIES}
STATUSES = {str(label).lower(): value for value, label in Contract.Status.choices} | {"concept": "draft"}
# The fields an import sets, and so the ones it compares and restores.
FIELDS = ["title", "start_date", "end_date", "supplier_id", "contract_value", "sroi_percentage", "kind", "department"]

NEW, CHANGED, UNCHANGED, REFUSED = "nieuw", "gewijzigd", "ongewijzigd", "geweigerd"


class ImportRefused(Exception):
    """The whole file is refused; the message says why, in Dutch."""


# --- reading --------------------------------------------------------------------------------------------------


def template_csv() -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow(COLUMNS)
    writer.writerow(["INK-2026-0001", "Onderhoud groen", "01-01-2026", "31-12-2027", "12345678", "000012345678",
                     "Groenbedrijf B.V.", "Arnhem", "250000,00", "5", "dienst", "Beheer openbare ruimte", "concept"])
    return buffer.getvalue().encode("utf-8-sig")


def template_xlsx() -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "contracten"
    sheet.append(COLUMNS)
    sheet.append(["INK-2026-0001", "Onderhoud groen", datetime.date(2026, 1, 1), datetime.date(2027, 12, 31),
                  "12345678", "000012345678", "Groenbedrijf B.V.", "Arnhem", 250000, 5, "dienst",
                  "Beheer openbare ruimte", "concept"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            return "NaN"
        text = format(Decimal(repr(value)), "f")  # plain digits: 10.0 → "10", never "1E+1"
        return text.rstrip("0").rstrip(".") if "." in text else text
    return str(value).strip()


def _header(cells: list[str]) -> list[str]:
    header = [c.strip().lower() for c in cells]
    while header and not header[-1]:
        header.pop()
    unknown = [c or _("(leeg)") for c in header if c not in COLUMNS]
    if unknown:
        raise ImportRefused(
            _("Onbekende kolom(men): %(columns)s. Gebruik alleen de kolommen van het sjabloon: %(known)s.")
            % {"columns": ", ".join(unknown), "known": ", ".join(COLUMNS)}
        )
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if missing:
        raise ImportRefused(_("Verplichte kolom(men) ontbreken: %(columns)s.") % {"columns": ", ".join(missing)})
    doubled = sorted({c for c in header if header.count(c) > 1})
    if doubled:
        raise ImportRefused(_("Kolom(men) staan er meer dan één keer in: %(columns)s.") % {"columns": ", ".join(doubled)})
    return header


def _rows_from(header: list[str], records) -> list[dict]:
    rows = []
    for number, cells in records:
        if not any(str(c).strip() for c in cells):
            continue
        if len(rows) >= MAX_ROWS:
            raise ImportRefused(_("Het bestand heeft meer dan %(max)s rijen; splits het op.") % {"max": MAX_ROWS})
        extra = [c for c in cells[len(header):] if str(c).strip()]
        row = {"_rij": number, "_fouten": {}}
        if extra:
            row["_fouten"]["bestand"] = _("Deze rij heeft meer cellen dan er kolommen zijn.")
        for index, column in enumerate(header):
            value = cells[index] if index < len(cells) else ""
            if isinstance(value, dict):  # a formula, see read_xlsx
                row["_fouten"][column] = value["fout"]
                value = ""
            row[column] = value
        rows.append(row)
    if not rows:
        raise ImportRefused(_("Het bestand bevat geen contracten."))
    return rows


def read_csv(data: bytes) -> list[dict]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")  # Windows-1252: what Excel saves as "CSV" in Dutch Windows
    if "\x00" in text:
        raise ImportRefused(_("Dit bestand is geen CSV- of Excel-bestand."))
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") >= first.count(",") else ","
    try:
        records = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error:
        raise ImportRefused(_("Dit CSV-bestand kan niet worden gelezen.")) from None
    if not records:
        raise ImportRefused(_("Het bestand bevat geen contracten."))
    header = _header(records[0])
    return _rows_from(header, ((n, [c.strip() for c in r]) for n, r in enumerate(records[1:], start=2)))


def _check_unpacked_size(data: bytes) -> None:
    """Refuse a workbook that would unpack to far more than a spreadsheet of contracts needs (a ZIP bomb),
    reading only the ZIP's central directory."""
    import zipfile

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(entry.file_size for entry in archive.infolist())
    except (zipfile.BadZipFile, ValueError):
        raise ImportRefused(_("Dit Excel-bestand kan niet worden gelezen.")) from None
    if unpacked > MAX_UNPACKED_XLSX_BYTES:
        raise ImportRefused(size_message())


def read_xlsx(data: bytes) -> list[dict]:
    from openpyxl import load_workbook

    _check_unpacked_size(data)
    try:
        workbook = load_workbook(io.BytesIO(data), data_only=False)
    except Exception:
        raise ImportRefused(_("Dit Excel-bestand kan niet worden gelezen.")) from None
    sheet = workbook.worksheets[0]
    if sheet.merged_cells.ranges:
        cells = ", ".join(str(r) for r in list(sheet.merged_cells.ranges)[:5])
        raise ImportRefused(
            _("Het werkblad bevat samengevoegde cellen (%(cells)s). Maak de samenvoeging ongedaan: "
              "één waarde per cel.") % {"cells": cells}
        )
    records = sheet.iter_rows()
    try:
        header_cells = next(records)
    except StopIteration:
        raise ImportRefused(_("Het bestand bevat geen contracten.")) from None
    header = _header([_cell_text(c.value) for c in header_cells])

    def values():
        for cells in records:
            out = []
            for cell in cells:
                if cell.data_type == "f":
                    out.append({"fout": _("Cel %(cell)s bevat een formule; vul de waarde zelf in.")
                                % {"cell": cell.coordinate}})
                else:
                    out.append(_cell_text(cell.value))
            yield cells[0].row, out

    return _rows_from(header, values())


def read_upload(name: str, data: bytes) -> list[dict]:
    if len(data) > MAX_UPLOAD_BYTES:
        raise ImportRefused(size_message())
    if data[:2] == b"PK":
        return read_xlsx(data)
    if name.lower().endswith((".xlsx", ".xlsm", ".xls")):
        raise ImportRefused(_("Dit Excel-bestand kan niet worden gelezen. Sla het op als .xlsx of als CSV."))
    return read_csv(data)


def size_message() -> str:
    return _("Het bestand is groter dan %(mb)s MB. Splits het op in kleinere bestanden.") % {
        "mb": MAX_UPLOAD_BYTES // (1024 * 1024)
    }


# --- judging --------------------------------------------------------------------------------------------------


_DATE_FORMATS = ("%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y", "%d.%m.%Y")


def parse_date(text: str) -> datetime.date | None:
    for fmt in _DATE_FORMATS:
        try:
            return datetime.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


def parse_amount(text: str) -> Decimal | None:
    """A Dutch (1.234,56) or plain (1234.56) amount; None when it is no number."""
    text = text.replace("€", "").replace(" ", "").replace("\u00a0", "")
    if not re.fullmatch(r"-?[0-9.,]+", text):
        return None
    if "," in text:
        text = text.replace(".", "").replace(",", ".")
    elif text.count(".") > 1:
        text = text.replace(".", "")
    try:
        value = Decimal(text)
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


@dataclass
class Plan:
    rows: list[dict]
    summary: dict = field(default_factory=dict)

    @property
    def applicable(self) -> bool:
        return not self.summary.get(REFUSED) and not self.summary.get("kiezen")


def _supplier_label(supplier: Supplier) -> str:
    place = f", {supplier.city}" if supplier.city else ""
    return f"{supplier.legal_name}{place} (KvK {supplier.kvk_number} {supplier.branch_number})".strip()


def _match_supplier(row: dict, errors: dict, cache: dict) -> tuple[Supplier | None, list[Supplier]]:
    """The supplier the row names: exact by KvK (+ vestigingsnummer); else candidates by name and place."""
    kvk = re.sub(r"\s", "", row.get("kvk_nummer", ""))
    branch = re.sub(r"\s", "", row.get("vestigingsnummer", ""))
    name, place = row.get("leverancier_naam", "").strip(), row.get("plaats", "").strip()
    key = (kvk, branch, name.lower(), place.lower())
    if key in cache:
        found, candidates, error = cache[key]
        if error:
            errors[error[0]] = error[1]
        return found, candidates
    found, candidates, error = None, [], None
    if kvk:
        if not re.fullmatch(r"[0-9]{8}", kvk):
            error = ("kvk_nummer", _("Een KvK-nummer heeft 8 cijfers."))
        elif branch and not re.fullmatch(r"[0-9]{12}", branch):
            error = ("vestigingsnummer", _("Een vestigingsnummer heeft 12 cijfers."))
        else:
            query = Supplier.objects.filter(kvk_number=kvk, is_active=True)
            if branch:
                query = query.filter(branch_number=branch)
            matches = list(query.order_by("-is_main_branch", "city", "pk")[:20])
            if len(matches) == 1:
                found = matches[0]
            elif matches:
                candidates = matches
            else:
                error = ("kvk_nummer", _("Geen leverancier gevonden met dit KvK-nummer en vestigingsnummer."))
    elif name:
        found_by_search = search_suppliers(f"{name} {place}".strip(), limit=10).suppliers
        if not found_by_search:
            found_by_search = search_suppliers(name, limit=10).suppliers
        in_place = [s for s in found_by_search if not place or s.city.lower() == place.lower()] or found_by_search
        # A name spelt exactly as in the registry first; every match is still confirmed by hand.
        candidates = sorted(in_place, key=lambda s: name.lower() not in (s.legal_name.lower(), s.trade_name.lower()))
        if not candidates:
            error = ("leverancier_naam", _("Geen leverancier gevonden met deze naam en plaats."))
    else:
        error = ("kvk_nummer", _("Vul een KvK-nummer in, of de naam en plaats van de leverancier."))
    cache[key] = (found, candidates, error)
    if error:
        errors[error[0]] = error[1]
    return found, candidates


def _judge(row: dict, errors: dict, existing: dict, seen: dict, supplier_cache: dict, chosen: dict) -> dict:
    number = row.get("inkoopcontractnummer", "").strip()
    values: dict = {}
    if not number:
        errors["inkoopcontractnummer"] = _("Vul het inkoopcontractnummer in.")
    elif len(number) > 50:
        errors["inkoopcontractnummer"] = _("Een inkoopcontractnummer heeft ten hoogste 50 tekens.")
    elif number.lower() in seen:
        errors["inkoopcontractnummer"] = _("Dit inkoopcontractnummer staat ook in rij %(row)s van het bestand.") % {
            "row": seen[number.lower()]
        }
    else:
        seen[number.lower()] = row["_rij"]
    title = row.get("titel", "").strip()
    if not title:
        errors["titel"] = _("Vul de titel in.")
    elif len(title) > 200:
        errors["titel"] = _("Een titel heeft ten hoogste 200 tekens.")
    values["title"] = title
    for column, key in (("startdatum", "start_date"), ("einddatum", "end_date")):
        text = row.get(column, "").strip()
        parsed = parse_date(text) if text else None
        if not text:
            errors.setdefault(column, _("Vul de datum in."))
        elif parsed is None:
            errors.setdefault(column, _("Ongeldige datum “%(value)s”: gebruik dd-mm-jjjj.") % {"value": text[:40]})
        values[key] = parsed
    if values["start_date"] and values["end_date"] and values["end_date"] < values["start_date"]:
        errors["einddatum"] = _("De einddatum ligt vóór de startdatum.")

    amount_text = row.get("opdrachtsom", "").strip()
    values["contract_value"] = None
    if amount_text:
        amount = parse_amount(amount_text)
        if amount is None:
            errors["opdrachtsom"] = _("Ongeldig bedrag “%(value)s”.") % {"value": amount_text[:40]}
        elif amount < 0:
            errors["opdrachtsom"] = _("Het bedrag mag niet negatief zijn.")
        elif amount > MONEY_MAX:
            errors["opdrachtsom"] = str(MONEY_TOO_LARGE)
        elif amount != amount.quantize(Decimal("0.01")):
            errors["opdrachtsom"] = _("Een bedrag heeft ten hoogste twee decimalen.")
        else:
            values["contract_value"] = amount.quantize(Decimal("0.01"))
    percentage_text = row.get("sroi_percentage", "").strip().rstrip("%").strip()
    values["sroi_percentage"] = Decimal("5.00")
    if percentage_text:
        percentage = parse_amount(percentage_text)
        if percentage is None or not (0 <= percentage <= 100) or percentage != percentage.quantize(Decimal("0.01")):
            errors["sroi_percentage"] = _("Het SROI-percentage ligt tussen 0 en 100, met ten hoogste twee decimalen.")
        else:
            values["sroi_percentage"] = percentage.quantize(Decimal("0.01"))
    kind_text = row.get("soort", "").strip().lower()
    values["kind"] = ""
    if kind_text:
        if kind_text in KINDS:
            values["kind"] = KINDS[kind_text]
        else:
            errors["soort"] = _("Onbekende soort “%(value)s”: kies werk, dienst of levering.") % {"value": kind_text[:40]}
    department = row.get("afdeling", "").strip()
    if len(department) > 200:
        errors["afdeling"] = _("Een afdeling heeft ten hoogste 200 tekens.")
    values["department"] = department
    status_text = row.get("status", "").strip().lower()
    status = "draft"
    if status_text:
        if status_text not in STATUSES:
            errors["status"] = _("Onbekende status “%(value)s”.") % {"value": status_text[:40]}
        else:
            status = STATUSES[status_text]

    supplier, candidates = _match_supplier(row, errors, supplier_cache)
    choice = None
    if supplier is None and candidates:
        picked = chosen.get(str(row["_rij"]))
        supplier = next((s for s in candidates if str(s.uuid) == picked), None)
        choice = [{"uuid": str(s.uuid), "label": _supplier_label(s)} for s in candidates]
    values["supplier_id"] = supplier.pk if supplier else None

    current = existing.get(number.lower()) if number else None
    outcome = NEW
    if current is not None:
        differences = [f for f in FIELDS if values.get(f) != getattr(current, f)]
        if status != current.status:
            errors["status"] = _("De status verandert niet door een import; die blijft “%(status)s”.") % {
                "status": current.get_status_display()
            }
        elif differences and not current.is_draft and not errors:
            errors["inkoopcontractnummer"] = _(
                "Dit inkoopcontract is al overgedragen; wijzigingen lopen via de SROI-coördinator."
            )
        outcome = CHANGED if differences else UNCHANGED
        values["differences"] = differences
    elif status != "draft":
        errors["status"] = _("Een geïmporteerd inkoopcontract wordt een concept; draag het daarna over in WIZZR.")
    return {
        "rij": row["_rij"], "nummer": number, "titel": title,
        "uitkomst": REFUSED if errors else outcome, "fouten": errors,
        "kiezen": choice if choice is not None and not errors else None,
        "gekozen": str(supplier.uuid) if supplier and choice else "",
        "leverancier": _supplier_label(supplier) if supplier else "",
        "waarden": _serialise(values) | {"supplier_id": values["supplier_id"]},
    }


def _serialise(values: dict) -> dict:
    return {
        k: (v.isoformat() if isinstance(v, datetime.date) else str(v) if isinstance(v, Decimal) else v)
        for k, v in values.items()
    }


def dry_run(batch: ImportBatch, *, chosen: dict | None = None, progress: bool = False) -> Plan:
    """Judge every row of ``batch`` against the organisation's contracts as they are now."""
    chosen = chosen or {}
    numbers = {str(r.get("inkoopcontractnummer", "")).strip().lower() for r in batch.source_rows}
    existing = {
        c.lower_number: c
        for c in Contract.objects.filter(organisation=batch.organisation)
        .annotate(lower_number=Lower("contract_number"))
        .filter(lower_number__in=numbers)
    }
    seen: dict = {}
    supplier_cache: dict = {}
    rows = []
    total = len(batch.source_rows)
    for index, row in enumerate(batch.source_rows, start=1):
        errors = dict(row.get("_fouten") or {})
        rows.append(_judge(row, errors, existing, seen, supplier_cache, chosen))
        if progress and index % 200 == 0:
            ImportBatch.objects.filter(pk=batch.pk).update(progress=min(99, index * 100 // total))
    summary = {k: 0 for k in (NEW, CHANGED, UNCHANGED, REFUSED)}
    for row in rows:
        summary[row["uitkomst"]] += 1
    summary["kiezen"] = sum(1 for r in rows if r["kiezen"] and not r["gekozen"])
    return Plan(rows=rows, summary=summary)


def check(batch: ImportBatch, *, progress: bool = False) -> ImportBatch:
    plan = dry_run(batch, progress=progress)
    batch.rows, batch.summary = plan.rows, plan.summary
    batch.status, batch.progress = ImportBatch.Status.CHECKED, 100
    batch.save(update_fields=["rows", "summary", "status", "progress"])
    return batch


def start(*, organisation, by, name: str, rows: list[dict]) -> ImportBatch:
    """Store the rows read from the file and check them (in a task for large files)."""
    from contracts import tasks

    batch = ImportBatch.objects.create(
        organisation=organisation, created_by=by, file_name=name[:255], source_rows=rows,
    )
    if len(rows) > SYNC_ROWS:
        transaction.on_commit(lambda: tasks.import_check.delay(batch.pk))
    else:
        check(batch)
    return batch


# --- applying and undoing -------------------------------------------------------------------------------------


def _contract_values(contract: Contract) -> dict:
    return _serialise({f: getattr(contract, f) for f in FIELDS})


def _from_serialised(values: dict) -> dict:
    out = {}
    for f in FIELDS:
        v = values.get(f)
        if f in ("start_date", "end_date") and v:
            v = datetime.date.fromisoformat(v)
        elif f in ("contract_value", "sroi_percentage") and v is not None:
            v = Decimal(v)
        out[f] = v
    return out


def apply(batch_id: int, *, chosen: dict, by, request=None) -> tuple[bool, str]:
    """Store every new and changed row of the batch in one transaction, or nothing.

    Returns (done, message). The batch is judged again inside the transaction; when anything is
    refused or a supplier is still to be chosen, nothing is stored.
    """
    with transaction.atomic():
        batch = ImportBatch.objects.select_for_update().select_related("organisation").get(pk=batch_id)
        if batch.status not in (ImportBatch.Status.CHECKED, ImportBatch.Status.APPLYING):
            return False, _("Deze import is al verwerkt.")
        plan = dry_run(batch, chosen=chosen)
        batch.rows, batch.summary = plan.rows, plan.summary
        if not plan.applicable:
            batch.status = ImportBatch.Status.CHECKED
            batch.save(update_fields=["rows", "summary", "status"])
            return False, _("Er is niets ingelezen: los eerst de geweigerde rijen op en kies een leverancier waar "
                            "dat gevraagd wordt.")
        numbers = [r["nummer"].lower() for r in plan.rows if r["uitkomst"] == CHANGED]
        current = {
            c.lower_number: c
            for c in Contract.objects.select_for_update(of=("self",))
            .filter(organisation=batch.organisation)
            .annotate(lower_number=Lower("contract_number"))
            .filter(lower_number__in=numbers)
        }
        created, changed = [], []
        for row in plan.rows:
            values = _from_serialised(row["waarden"])
            if row["uitkomst"] == NEW:
                contract = Contract.objects.create(
                    organisation=batch.organisation, contract_number=row["nummer"], created_by=by,
                    status=Contract.Status.DRAFT, **values,
                )
                created.append({"uuid": str(contract.uuid), "updated_at": contract.updated_at.isoformat()})
            elif row["uitkomst"] == CHANGED:
                contract = current[row["nummer"].lower()]
                previous = _contract_values(contract)
                for key, value in values.items():
                    setattr(contract, key, value)
                contract.save()
                changed.append({"uuid": str(contract.uuid), "updated_at": contract.updated_at.isoformat(),
                                "previous": previous})
        batch.changes = {"created": created, "changed": changed}
        batch.status, batch.progress, batch.applied_at = ImportBatch.Status.APPLIED, 100, timezone.now()
        batch.save(update_fields=["rows", "summary", "changes", "status", "progress", "applied_at"])
        audit_record(
            action="contracts_imported", actor=by, organisation=batch.organisation, obj=batch, request=request,
            detail={"created": len(created), "changed": len(changed), "unchanged": plan.summary[UNCHANGED]},
        )
    return True, _("De import is verwerkt: %(new)s nieuw, %(changed)s gewijzigd, %(same)s ongewijzigd.") % {
        "new": len(created), "changed": len(changed), "same": plan.summary[UNCHANGED]
    }


def undo_blocker(batch: ImportBatch) -> str:
    """Why ``batch`` cannot be undone now, or ""."""
    if batch.status != ImportBatch.Status.APPLIED:
        return _("Alleen een verwerkte import kan ongedaan worden gemaakt.")
    if timezone.now() - batch.applied_at > datetime.timedelta(hours=UNDO_HOURS):
        return _("Een import kan tot %(hours)s uur na het verwerken ongedaan worden gemaakt.") % {"hours": UNDO_HOURS}
    return ""


def undo(batch_id: int, *, by, request=None) -> tuple[bool, str]:
    """Delete what the batch created and restore what it changed, if nothing changed them since."""
    with transaction.atomic():
        batch = ImportBatch.objects.select_for_update().select_related("organisation").get(pk=batch_id)
        if blocker := undo_blocker(batch):
            return False, blocker
        entries = batch.changes.get("created", []) + batch.changes.get("changed", [])
        contracts = {
            str(c.uuid): c
            for c in Contract.objects.select_for_update(of=("self",)).filter(
                organisation=batch.organisation, uuid__in=[e["uuid"] for e in entries]
            )
        }
        touched = []
        for entry in entries:
            contract = contracts.get(entry["uuid"])
            if contract is None or contract.updated_at.isoformat() != entry["updated_at"] or not contract.is_draft:
                touched.append(contract.contract_number if contract else entry["uuid"])
            elif entry in batch.changes.get("created", []) and contract.attachments.exists():
                touched.append(contract.contract_number)
        if touched:
            return False, _("Ongedaan maken kan niet meer: deze inkoopcontracten zijn na de import gewijzigd: "
                            "%(numbers)s.") % {"numbers": ", ".join(sorted(touched)[:20])}
        for entry in batch.changes.get("changed", []):
            contract = contracts[entry["uuid"]]
            for key, value in _from_serialised(entry["previous"]).items():
                setattr(contract, key, value)
            contract.save()
        Contract.objects.filter(pk__in=[contracts[e["uuid"]].pk for e in batch.changes.get("created", [])]).delete()
        batch.status, batch.undone_at = ImportBatch.Status.UNDONE, timezone.now()
        batch.save(update_fields=["status", "undone_at"])
        audit_record(
            action="contract_import_undone", actor=by, organisation=batch.organisation, obj=batch, request=request,
            detail={"deleted": len(batch.changes.get("created", [])), "restored": len(batch.changes.get("changed", []))},
        )
    return True, _("De import is ongedaan gemaakt.")

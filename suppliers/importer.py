"""Bulk import of registry rows: COPY into a staging table, check in SQL, upsert on KvK + branch.

Memory stays bounded whatever the size of the file: rows stream from the reader into PostgreSQL's
COPY, checks and the upsert are set-based statements, and rejected rows are read back through a
server-side cursor. Everything happens in one transaction: a failed import stores nothing.

Large imports switch the per-row search trigger off (``SET LOCAL suppliers.bulk_load``) and
rebuild the word table and vocabulary in one pass beside the live ones, then swap them in; the
typeahead keeps answering from the old tables until the commit.
"""

from __future__ import annotations

import csv
import io
import re
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from django.db import connection, transaction
from django.utils.translation import gettext as _

from suppliers.signals import registry_bulk_loaded

# The columns of an import file, in this order when the file has no header row of its own.
COLUMNS = [
    "kvk_number",
    "branch_number",
    "legal_name",
    "trade_name",
    "is_main_branch",
    "street",
    "house_number",
    "postcode",
    "city",
    "phone",
    "email",
    "website",
    # Optional: the contact person the registry knows for the establishment.
    "contact_name",
    "contact_email",
    "contact_phone",
]
REQUIRED_COLUMNS = {"kvk_number", "legal_name"}
TRUE_VALUES = ("ja", "j", "yes", "y", "true", "waar", "1", "x")
FALSE_VALUES = ("nee", "n", "no", "false", "onwaar", "0", "")
# From this many valid rows on, the search tables are rebuilt in one pass instead of row by row.
BULK_THRESHOLD = 20_000
REPORT_LIMIT = 1_000


@dataclass
class ImportReport:
    rows: int = 0
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    rejections: list[tuple[int, str]] = field(default_factory=list)
    rebuilt_search: bool = False
    seconds: float = 0.0


class ImportFileError(ValueError):
    """The file cannot be imported at all (unknown columns, no KvK-number column …)."""


def read_csv(path: Path | str, *, delimiter: str | None = None) -> tuple[list[str], Iterator[tuple[int, list[str] | str]]]:
    """Open a CSV file and return its columns and an iterator of (line number, values or reason).

    The first line must name the columns (see COLUMNS); ``;`` or ``,`` separated, UTF-8 (a BOM is
    allowed). Raises ImportFileError for a header that cannot be used.
    """
    handle = open(path, encoding="utf-8-sig", errors="replace", newline="")
    first = handle.readline()
    if delimiter is None:
        delimiter = ";" if first.count(";") > first.count(",") else ","
    header = [name.strip().lower() for name in next(csv.reader([first], delimiter=delimiter), [])]
    unknown = [name for name in header if name not in COLUMNS]
    if unknown:
        handle.close()
        raise ImportFileError(_("Onbekende kolommen: %(names)s. Toegestaan: %(allowed)s.") % {
            "names": ", ".join(unknown), "allowed": ", ".join(COLUMNS)})
    missing = REQUIRED_COLUMNS - set(header)
    if missing:
        handle.close()
        raise ImportFileError(_("Verplichte kolommen ontbreken: %(names)s.") % {"names": ", ".join(sorted(missing))})

    def records() -> Iterator[tuple[int, list[str] | str]]:
        with handle:
            reader = csv.reader(handle, delimiter=delimiter, strict=True)
            start = 2
            while True:
                try:
                    values = next(reader)
                except StopIteration:
                    return
                except csv.Error as error:
                    yield start, _("onleesbare regel (%(error)s)") % {"error": error}
                    start = reader.line_num + 2
                    continue
                # The reader counts from the line after the header; a record may span lines.
                line, start = start, reader.line_num + 2
                if not values or values == [""]:
                    continue
                if len(values) != len(header):
                    yield line, _("%(found)s velden in plaats van %(expected)s") % {
                        "found": len(values), "expected": len(header)}
                elif any("\x00" in v or "\ufffd" in v for v in values):
                    yield line, _("ongeldige tekens (geen UTF-8 of een NUL-teken)")
                else:
                    yield line, values

    return header, records()


def import_rows(
    records: Iterable[tuple[int, list[str] | str]],
    *,
    columns: list[str] = COLUMNS,
    progress: Callable[[str], None] | None = None,
) -> ImportReport:
    """Import ``records`` (line number and values in ``columns`` order, or a rejection reason).

    Returns the counts and the first REPORT_LIMIT rejections with their reasons.
    """
    report = ImportReport()
    started = time.monotonic()

    def say(message: str) -> None:
        if progress:
            progress(f"{time.monotonic() - started:7.1f} s  {message}")

    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
        cursor.execute("SET LOCAL work_mem = '256MB'")
        cursor.execute("SET LOCAL synchronous_commit = off")
        # One import at a time; other writers wait, the typeahead (readers) does not.
        cursor.execute("LOCK TABLE suppliers_supplier IN SHARE ROW EXCLUSIVE MODE")
        # Dropped at the end as well: inside an outer transaction ON COMMIT comes late.
        cursor.execute("DROP TABLE IF EXISTS supplier_import")
        cursor.execute(
            "CREATE TEMP TABLE supplier_import (line bigint, reason text, "
            + ", ".join(f"{name} text" for name in COLUMNS)
            + ") ON COMMIT DROP"
        )
        report.rows = _copy(cursor, records, columns)
        say(f"copied {report.rows} rows")
        valid = _check(cursor)
        say(f"checked: {valid} valid")
        bulk = valid >= BULK_THRESHOLD
        if bulk:
            cursor.execute("SET LOCAL suppliers.bulk_load = 'on'")
        cursor.execute("SELECT NOT EXISTS (SELECT 1 FROM suppliers_supplier)")
        if bulk and cursor.fetchone()[0]:
            # First load of an empty registry: nobody can be searching it, so build the indexes
            # and check the foreign keys once afterwards instead of row by row.
            with _secondary_structures_dropped(cursor, progress=say):
                report.inserted, report.updated = _upsert(cursor, into_empty=True)
        else:
            report.inserted, report.updated = _upsert(cursor)
        report.unchanged = valid - report.inserted - report.updated
        say(f"upserted: {report.inserted} inserted, {report.updated} updated")
        if bulk:
            rebuild_search_tables(cursor, progress=say)
            cursor.execute("SET LOCAL suppliers.bulk_load = 'off'")
            registry_bulk_loaded.send(sender=__name__)
            report.rebuilt_search = True
            say("search tables rebuilt")
        report.rejected = report.rows - valid
        report.rejections = _rejections(cursor)
        cursor.execute("DROP TABLE supplier_import")
    if report.rebuilt_search and not connection.in_atomic_block:
        # Marks the new pages all-visible, so that searches over the word table are index-only scans.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM (ANALYZE) suppliers_supplierword")
            cursor.execute("ANALYZE suppliers_supplier")
        say("vacuumed")
    report.seconds = time.monotonic() - started
    return report


def _copy(cursor, records: Iterable[tuple[int, list[str] | str]], columns: list[str]) -> int:
    count = 0
    names = ", ".join(["line", "reason", *COLUMNS])
    positions = [columns.index(name) if name in columns else None for name in COLUMNS]
    blank = [None] * len(COLUMNS)
    with cursor.cursor.copy(f"COPY supplier_import ({names}) FROM STDIN") as copy:
        for line, values in records:
            count += 1
            if isinstance(values, str):
                copy.write_row([line, values, *blank])
                continue
            if columns is not COLUMNS:
                values = ["" if i is None else values[i] for i in positions]
            cleaned = clean_row(values)
            if isinstance(cleaned, str):
                copy.write_row([line, cleaned, *blank])
            else:
                copy.write_row([line, None, *cleaned])
    cursor.execute("ANALYZE supplier_import")
    return count


_KVK = re.compile(r"[0-9]{8}")
_BRANCH = re.compile(r"(?:[0-9]{12})?")
_POSTCODE = re.compile(r"([1-9][0-9]{3}) ?([A-Za-z]{2})")
_PHONE = re.compile(r"[0-9 +()-]{0,30}")
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
_WEBSITE = re.compile(r"https?://[a-z0-9.-]+\.[a-z]{2,}(?::[0-9]{1,5})?(?:[/?#]\S*)?", re.IGNORECASE)


def clean_row(values: list[str]) -> list[str] | str:
    """Return the row in COLUMNS order, trimmed and normalised, or the reason to reject it.

    The same rules as the add-supplier form: KvK number 8 digits, branch number empty or 12 digits,
    Dutch postcode (written "1234 AB"), a plausible e-mail address and web address.
    """
    values = list(values) + [""] * (len(COLUMNS) - len(values))
    (kvk, branch, legal, trade, main, street, number, postcode, city, phone, email, website,
     contact_name, contact_email, contact_phone) = (v.strip() for v in values)
    if not _KVK.fullmatch(kvk):
        return _("KvK-nummer moet uit 8 cijfers bestaan")
    if not _BRANCH.fullmatch(branch):
        return _("vestigingsnummer moet leeg zijn of uit 12 cijfers bestaan")
    if not legal:
        return _("statutaire naam ontbreekt")
    if len(legal) > 200 or len(trade) > 200:
        return _("naam is langer dan 200 tekens")
    main = main.lower()
    if main not in TRUE_VALUES and main not in FALSE_VALUES:
        return _("hoofdvestiging moet ja of nee zijn")
    if postcode:
        match = _POSTCODE.fullmatch(postcode)
        if not match or match[2].upper() in ("SA", "SD", "SS"):
            return _("postcode is geen Nederlandse postcode (1234 AB)")
        postcode = f"{match[1]} {match[2].upper()}"
    if len(street) > 200 or len(number) > 20 or len(city) > 100:
        return _("adres is te lang")
    if not _PHONE.fullmatch(phone):
        return _("telefoonnummer is ongeldig")
    if email and (len(email) > 254 or not _EMAIL.fullmatch(email)):
        return _("e-mailadres is ongeldig")
    if len(contact_name) > 150:
        return _("naam contactpersoon is langer dan 150 tekens")
    if contact_email and (len(contact_email) > 254 or not _EMAIL.fullmatch(contact_email)):
        return _("e-mailadres contactpersoon is ongeldig")
    if not _PHONE.fullmatch(contact_phone):
        return _("telefoonnummer contactpersoon is ongeldig")
    if website:
        if "://" not in website:
            website = "https://" + website
        if len(website) > 200 or not _WEBSITE.fullmatch(website):
            return _("website is geen geldig webadres")
    return [kvk, branch, legal, trade, "t" if main in TRUE_VALUES else "f", street, number, postcode, city, phone,
            email.lower(), website, contact_name, contact_email.lower(), contact_phone]


def _check(cursor) -> int:
    """Reject all but the last of rows that share KvK + branch number; return the number of good rows."""
    cursor.execute(
        """
        UPDATE supplier_import c SET reason = replace(%s, %s, d.last_line::text)
        FROM (
            SELECT ctid, row_number() OVER w AS position, first_value(line) OVER w AS last_line
            FROM supplier_import WHERE reason IS NULL
            WINDOW w AS (PARTITION BY kvk_number, branch_number ORDER BY line DESC)
        ) AS d
        WHERE c.ctid = d.ctid AND d.position > 1
        """,
        # The translated sentence keeps its placeholder; the database fills in the line number per row.
        [_("KvK- en vestigingsnummer komen later in het bestand nog eens voor, op regel %(line)s"), "%(line)s"],
    )
    cursor.execute("SELECT count(*) FROM supplier_import WHERE reason IS NULL")
    return cursor.fetchone()[0]


_DATA_COLUMNS = [
    "legal_name", "trade_name", "is_main_branch", "street", "house_number", "postcode", "city", "phone", "email", "website",
    "contact_name", "contact_email", "contact_phone",
]


def _upsert(cursor, *, into_empty: bool = False) -> tuple[int, int]:
    """Insert new establishments and update changed ones; rows that did not change are not touched.

    ``into_empty``: the table is empty (and locked), so there is nothing to conflict with."""
    updates = ", ".join(f"{c} = EXCLUDED.{c}" for c in _DATA_COLUMNS)
    current = ", ".join(f"s.{c}" for c in _DATA_COLUMNS)
    incoming = ", ".join(f"EXCLUDED.{c}" for c in _DATA_COLUMNS)
    conflict = "" if into_empty else (
        f"ON CONFLICT (kvk_number, branch_number) DO UPDATE SET {updates}, source = 'registry' "
        f"WHERE ({current}) IS DISTINCT FROM ({incoming})"
    )
    cursor.execute(  # column names from _DATA_COLUMNS only
        f"""
        WITH changed AS (
            INSERT INTO suppliers_supplier AS s (
                uuid, kvk_number, branch_number, {", ".join(_DATA_COLUMNS)}, source, added_at, is_active)
            SELECT gen_random_uuid(), kvk_number, branch_number, legal_name, trade_name, is_main_branch::boolean,
                   street, house_number, postcode, city, phone, email, website, contact_name, contact_email,
                   contact_phone, 'registry', now(), true
            FROM supplier_import WHERE reason IS NULL
            {conflict}
            RETURNING (xmax = 0) AS inserted
        )
        SELECT count(*) FILTER (WHERE inserted), count(*) FILTER (WHERE NOT inserted) FROM changed
        """  # noqa: S608
    )
    inserted, updated = cursor.fetchone()
    return inserted, updated


@contextmanager
def _secondary_structures_dropped(cursor, progress: Callable[[str], None]):
    """Drop the supplier table's indexes, unique and foreign-key constraints (not its primary key
    or checks) for the duration of the block and recreate them after, from their own definitions."""
    cursor.execute(
        """
        SELECT format('ALTER TABLE suppliers_supplier DROP CONSTRAINT %I', conname),
               format('ALTER TABLE suppliers_supplier ADD CONSTRAINT %I %s', conname, pg_get_constraintdef(oid))
        FROM pg_constraint
        WHERE conrelid = 'suppliers_supplier'::regclass AND contype IN ('u', 'f')
        """
    )
    constraints = cursor.fetchall()
    cursor.execute(
        """
        SELECT format('DROP INDEX %I', c.relname), pg_get_indexdef(i.indexrelid)
        FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
        WHERE i.indrelid = 'suppliers_supplier'::regclass AND NOT i.indisprimary
          AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid)
        """
    )
    indexes = cursor.fetchall()
    for drop, _create in constraints + indexes:
        cursor.execute(drop)
    yield
    for _drop, create in indexes + constraints:
        cursor.execute(create)
    progress("indexes and constraints rebuilt")


def _rejections(cursor) -> list[tuple[int, str]]:
    cursor.execute(
        "SELECT line, reason FROM supplier_import WHERE reason IS NOT NULL ORDER BY line LIMIT %s", [REPORT_LIMIT]
    )
    return [(line, reason) for line, reason in cursor.fetchall()]


def rebuild_search_tables(cursor, progress: Callable[[str], None] | None = None) -> None:
    """Rebuild the word table and the vocabulary from the active suppliers, beside the live tables,
    and swap them in. Must run inside a transaction; readers see the old tables until commit."""
    for label, sql in _REBUILD:
        cursor.execute(sql)
        if progress:
            progress(label)


_REBUILD = [
    (
        "words collected",
        # CREATE TABLE AS may run its query in parallel (INSERT ... SELECT may not).
        """
        CREATE TABLE suppliers_supplierword_next AS
        SELECT x.w COLLATE "C" AS word, s.name_key, s.id AS supplier_id, s.trade_key, s.city_key,
               b.bits AS word_bits, s.is_main_branch AS is_main,
               suppliers_postcode_area(s.postcode) COLLATE "C" AS area
        FROM suppliers_supplier s
        CROSS JOIN LATERAL string_to_array(concat_ws(' ', s.name_key, s.trade_key, s.city_key), ' ') AS a(words)
        -- once per establishment, not per word (OFFSET 0 keeps the sub-select from being flattened)
        CROSS JOIN LATERAL (SELECT suppliers_word_bits(a.words) OFFSET 0) AS b(bits)
        CROSS JOIN LATERAL unnest(a.words) WITH ORDINALITY AS x(w, i)
        -- the first occurrence of each word only: the same as suppliers_words(), without a sort per row
        WHERE s.is_active AND x.w <> '' AND array_position(a.words, x.w) = x.i
        """,
    ),
    (
        "word index built",
        """
        ALTER TABLE suppliers_supplierword_next
            ALTER COLUMN trade_key SET NOT NULL,
            ALTER COLUMN city_key SET NOT NULL,
            ALTER COLUMN word_bits SET NOT NULL,
            ALTER COLUMN is_main SET NOT NULL,
            ALTER COLUMN area SET NOT NULL,
            ADD CONSTRAINT suppliers_supplierword_next_pkey
            PRIMARY KEY (word, name_key, supplier_id) INCLUDE (trade_key, city_key, word_bits, is_main, area)
        """,
    ),
    (
        "vocabulary built",
        """
        CREATE TABLE suppliers_searchword_next (LIKE suppliers_searchword INCLUDING DEFAULTS);
        INSERT INTO suppliers_searchword_next (word, frequency)
        SELECT word, count(*) FROM suppliers_supplierword_next GROUP BY word;
        ALTER TABLE suppliers_searchword_next ADD CONSTRAINT suppliers_searchword_next_pkey PRIMARY KEY (word);
        CREATE INDEX supplier_vocabulary_trgm_next ON suppliers_searchword_next USING gist (word gist_trgm_ops)
        """,
    ),
    (
        "tables swapped",
        """
        DROP TABLE suppliers_supplierword;
        ALTER TABLE suppliers_supplierword_next RENAME TO suppliers_supplierword;
        DROP TABLE suppliers_searchword;
        ALTER TABLE suppliers_searchword_next RENAME TO suppliers_searchword;
        ALTER INDEX supplier_vocabulary_trgm_next RENAME TO supplier_vocabulary_trgm;
        DO $$
        DECLARE c record;
        BEGIN  -- primary keys (and, from PostgreSQL 18 on, NOT NULL constraints) get their usual names
            FOR c IN SELECT conrelid::regclass AS tab, conname FROM pg_constraint
                     WHERE conrelid IN ('suppliers_supplierword'::regclass, 'suppliers_searchword'::regclass)
                       AND conname LIKE '%\\_next\\_%'
            LOOP
                EXECUTE format('ALTER TABLE %s RENAME CONSTRAINT %I TO %I', c.tab, c.conname,
                               replace(c.conname, '_next_', '_'));
            END LOOP;
        END
        $$;
        ANALYZE suppliers_supplierword;
        ANALYZE suppliers_searchword
        """,
    ),
]


def rows_from_iterable(rows: Iterable[list[str]]) -> Iterator[tuple[int, list[str]]]:
    """Number generated rows as if they were lines of a file with a header."""
    yield from enumerate(rows, start=2)


def write_csv(rows: Iterable[list[str]], target: io.TextIOBase) -> int:
    writer = csv.writer(target, lineterminator="\n")
    writer.writerow(COLUMNS)
    count = 0
    for row in rows:
        writer.writerow(row)
        count += 1
    return count

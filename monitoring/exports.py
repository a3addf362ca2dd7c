"""CSV and XLSX exports of the buyer's monitoring pages.

Spreadsheet programs run a cell that starts with ``=``, ``+``, ``-`` or ``@`` (and, in some, a
tab or carriage return) as a formula. Every text cell that starts with one of those gets a
leading apostrophe, so that a contract title like ``=HYPERLINK(...)`` stays text.

CSV is written the way Dutch spreadsheet programs read it: UTF-8 with a byte-order mark,
semicolons between fields, a decimal comma, ISO dates. XLSX carries real numbers and dates.
"""

from __future__ import annotations

import csv
import io
import itertools
from collections.abc import Iterable, Iterator
from datetime import date, datetime
from decimal import Decimal

from django.http import HttpResponse
from django.utils.formats import get_format
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from contracts.models import Contract
from monitoring.pso import obligation_discount_text
from monitoring.reports import Bucket, Consolidated, decorate, share

FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
MONEY_FORMAT = "#,##0.00"
DATE_FORMAT = "dd-mm-yyyy"


def neutralise(value: str) -> str:
    """``value`` with a leading apostrophe when a spreadsheet would read it as a formula."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def amount_text(value: Decimal | None) -> str:
    """An amount with two decimals and thousands grouped the way the active language writes it
    (12.500,00 in Dutch, 12,500.00 in English); empty for None."""
    if value is None:
        return ""
    text = f"{value:,.2f}"
    return text.translate(_SWAP_SEPARATORS) if get_format("THOUSAND_SEPARATOR") == "." else text


_SWAP_SEPARATORS = str.maketrans({",": ".", ".": ","})


def _csv_cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("ja") if value else _("nee")
    if isinstance(value, Decimal):
        return f"{value:.2f}".replace(".", ",")
    if isinstance(value, int | float):
        return str(value).replace(".", ",")
    if isinstance(value, datetime | date):
        return value.isoformat()
    return neutralise(str(value))


def _xlsx_cell(value):
    if value is None:
        return None
    if isinstance(value, bool):
        return _("ja") if value else _("nee")
    if isinstance(value, int | float | Decimal | date):
        return value
    return neutralise(str(value))


def _attachment(response: HttpResponse, filename: str) -> HttpResponse:
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def write_csv(header: list[str], rows: Iterable[list], filename: str) -> tuple[HttpResponse, int]:
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow([neutralise(str(h)) for h in header])
    count = 0
    for row in rows:
        writer.writerow([_csv_cell(v) for v in row])
        count += 1
    response = HttpResponse(buffer.getvalue().encode("utf-8"), content_type=FORMATS["csv"])
    return _attachment(response, filename), count


def write_xlsx(
    title: str, header: list[str], rows: Iterable[list], filename: str, *, money: set[int] = frozenset()
) -> tuple[HttpResponse, int]:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31])
    bold = Font(bold=True)
    header_cells = []
    for text in header:
        cell = WriteOnlyCell(sheet, value=neutralise(str(text)))
        cell.font = bold
        header_cells.append(cell)
    sheet.append(header_cells)
    count = 0
    for row in rows:
        cells = []
        for index, value in enumerate(row):
            cell = WriteOnlyCell(sheet, value=_xlsx_cell(value))
            if isinstance(value, Decimal) or index in money:
                cell.number_format = MONEY_FORMAT
            elif isinstance(value, date):
                cell.number_format = DATE_FORMAT
            cells.append(cell)
        sheet.append(cells)
        count += 1
    out = io.BytesIO()
    workbook.save(out)
    response = HttpResponse(out.getvalue(), content_type=FORMATS["xlsx"])
    return _attachment(response, filename), count


def _write(fmt: str, title: str, header: list[str], rows: Iterable[list], stem: str) -> tuple[HttpResponse, int]:
    filename = f"{stem}.{fmt}"
    if fmt == "xlsx":
        return write_xlsx(title, header, rows, filename)
    return write_csv(header, rows, filename)


# The individual list ------------------------------------------------------------------------------

INDIVIDUAL_HEADER = [
    gettext_lazy("Inkoopcontractnummer"),
    gettext_lazy("Titel"),
    gettext_lazy("Organisatie"),
    gettext_lazy("Uitvoerende partij"),
    gettext_lazy("KvK-nummer"),
    gettext_lazy("Vestigingsnummer"),
    gettext_lazy("Startdatum"),
    gettext_lazy("Einddatum"),
    gettext_lazy("Status"),
    gettext_lazy("Opdrachtsom"),
    gettext_lazy("SROI-verplichting"),
    gettext_lazy("Korting op de verplichting"),
    gettext_lazy("Afgesproken"),
    gettext_lazy("Gerealiseerd (goedgekeurd)"),
    gettext_lazy("Gerealiseerd (% van verplichting)"),
    gettext_lazy("Looptijd verstreken (%)"),
    gettext_lazy("Loopt achter"),
    gettext_lazy("SROI-coördinator"),
]


def _individual_rows(contracts: Iterable[Contract]) -> Iterator[list]:
    for c in contracts:
        decorate(c)
        yield [
            c.contract_number,
            c.title,
            c.organisation.name,
            c.supplier.establishment_label,
            c.supplier.kvk_number,
            c.supplier.branch_number,
            c.start_date,
            c.end_date,
            c.get_status_display(),
            c.contract_value,
            c.obligation_amount,
            obligation_discount_text(c),
            c.planned_amount,
            c.approved_amount,
            share(c.approved_amount, c.obligation_amount),
            share(Decimal(c.elapsed_days), Decimal(c.term_days)),
            c.is_behind,
            c.coordinator_name or "",
        ]


def individual(rows, *, fmt: str, today: date) -> tuple[HttpResponse, int]:
    """The rows of the individual list (``reports.contract_rows``) as a file; returns it with the row count."""
    header = [str(h) for h in INDIVIDUAL_HEADER]
    return _write(
        fmt,
        _("Contracten"),
        header,
        _individual_rows(rows.iterator(chunk_size=2000)),
        f"monitoren-contracten-{today:%Y-%m-%d}",
    )


# The consolidated figures ----------------------------------------------------------------------

CONSOLIDATED_HEADER = [
    gettext_lazy("Onderdeel"),
    gettext_lazy("Groep"),
    gettext_lazy("Aantal contracten"),
    gettext_lazy("Opdrachtsom"),
    gettext_lazy("SROI-verplichting"),
    gettext_lazy("Afgesproken"),
    gettext_lazy("Gerealiseerd (goedgekeurd)"),
    gettext_lazy("Gerealiseerd (% van verplichting)"),
    gettext_lazy("Tekort"),
    gettext_lazy("Inhouding of boete"),
]


def _bucket_row(section: str, bucket: Bucket, *, with_counts: bool = True) -> list:
    return [
        section,
        bucket.label,
        bucket.contracts if with_counts else None,
        bucket.contract_value if with_counts else None,
        bucket.obligation if with_counts else None,
        bucket.planned,
        bucket.approved,
        bucket.percentage if with_counts else None,
    ]


def _consolidated_rows(figures: Consolidated) -> Iterator[list]:
    yield _bucket_row(_("Totaal"), figures.totals)
    for bucket in figures.by_status:
        yield _bucket_row(_("Per status"), bucket)
    for bucket in figures.by_year:
        yield _bucket_row(_("Per startjaar"), bucket)
    for bucket in figures.by_category:
        yield _bucket_row(_("Per bouwblokcategorie"), bucket, with_counts=False)
    for bucket in figures.suppliers:
        yield _bucket_row(_("Grootste uitvoerende partijen"), bucket)
    for contract in figures.behind:
        yield [
            _("Loopt achter"),
            f"{contract.contract_number} — {contract.title}",
            1,
            contract.contract_value,
            contract.obligation_amount,
            contract.planned_amount,
            contract.approved_amount,
            share(contract.approved_amount, contract.obligation_amount),
        ]
    # The outcomes recorded at the end of the term: count, shortfall and withholding per outcome.
    outcomes = figures.outcomes
    section = _("Resultaat na afloop van de looptijd")
    for row in outcomes.rows:
        yield [section, capfirst(row.label), row.contracts, *[None] * 5, row.shortfall, row.withheld]
    yield [section, _("Totaal"), outcomes.contracts, *[None] * 5, outcomes.shortfall, outcomes.withheld]


def _lasting_rows(shares) -> Iterator[list]:
    """The share still at work 6 and 12 months after the placements: the counts in words, the share
    in the percentage column (not known and unanswered left out of it, as on the page)."""
    section = _("Blijvend resultaat")
    for item in shares:
        label = _(
            "Na %(months)s maanden nog aan het werk: %(at_work)s van %(known)s (niet bekend: %(unknown)s; nog niet beantwoord: %(open)s)"
        ) % {"months": item.months_after, "at_work": item.at_work, "known": item.known, "unknown": item.unknown, "open": item.open}
        yield [section, label, *[None] * 5, item.percent]


def consolidated(figures: Consolidated, *, fmt: str, lasting_shares=()) -> tuple[HttpResponse, int]:
    """The consolidated figures as one table (a column names the part); returns it with the row count.
    ``lasting_shares`` (``monitoring.lasting.shares``) add the share still at work after the placements."""
    header = [str(h) for h in CONSOLIDATED_HEADER]
    stem = f"monitoren-geconsolideerd-{figures.today:%Y-%m-%d}"
    parts = itertools.chain(_consolidated_rows(figures), _lasting_rows(lasting_shares))
    rows = (row + [None] * (len(header) - len(row)) for row in parts)
    return _write(fmt, _("Geconsolideerd"), header, rows, stem)


# The realisations -------------------------------------------------------------------------------

REALISATIONS_HEADER = [
    gettext_lazy("Inkoopcontractnummer"),
    gettext_lazy("Titel"),
    gettext_lazy("Organisatie"),
    gettext_lazy("Bouwblokcategorie"),
    gettext_lazy("Bouwblok"),
    gettext_lazy("Periode van"),
    gettext_lazy("Periode tot en met"),
    gettext_lazy("Aantal uren"),
    gettext_lazy("Factuurnummer"),
    gettext_lazy("Factuurdatum"),
    gettext_lazy("Sociaal bedrijf"),
    gettext_lazy("KvK-nummer sociaal bedrijf"),
    gettext_lazy("Factuurbedrag excl. btw"),
    gettext_lazy("Waarde"),
    gettext_lazy("Beoordeling"),
    gettext_lazy("Blijvend resultaat na 6 maanden"),
    gettext_lazy("Blijvend resultaat na 12 maanden"),
]


def _lasting_cell(realisation, months_after: int) -> str:
    """The answer about the placement ``months_after`` months after it ended: the answer in words,
    ‘nog te beantwoorden’ while it is asked, empty when it is not (yet) asked (from the prefetch)."""
    for outcome in realisation.lasting_outcomes.all():
        if outcome.months_after == months_after:
            return capfirst(outcome.get_answer_display()) if outcome.answer else _("nog te beantwoorden")
    return ""


def _realisation_rows(realisations) -> Iterator[list]:
    # No candidate reference: the buyer's files need the value, not who it was.
    for r in realisations:
        company = r.social_company
        yield [
            r.contract.contract_number,
            r.contract.title,
            r.contract.organisation.name,
            capfirst(r.block.get_category_display()),
            r.block.name,
            r.period_start,
            r.period_end,
            r.hours,
            r.invoice_number,
            r.invoice_date,
            company.legal_name if company else "",
            company.kvk_number if company else "",
            r.invoice_amount,
            r.value,
            capfirst(r.get_status_display()),
            _lasting_cell(r, 6),
            _lasting_cell(r, 12),
        ]


def realisations(rows, *, fmt: str, today: date) -> tuple[HttpResponse, int]:
    """The realisations ``rows`` (a queryset) as a file, one line each; invoices of social
    purchasing with their number, date and company, placements with their lasting outcomes.
    Returns it with the row count."""
    header = [str(h) for h in REALISATIONS_HEADER]
    rows = (
        rows.select_related("contract__organisation", "block", "social_company")
        .prefetch_related("lasting_outcomes")
        .order_by("contract__contract_number", "period_start", "pk")
    )
    return _write(
        fmt, _("Realisaties"), header, _realisation_rows(rows.iterator(chunk_size=2000)), f"monitoren-realisaties-{today:%Y-%m-%d}"
    )

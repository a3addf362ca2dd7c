"""Read the tables of a page the way HTML_CodeSniffer's H43 check does: may the header cells be tied to
the data cells by ``scope`` alone, or would every cell need a ``headers`` attribute?"""

from __future__ import annotations

from html.parser import HTMLParser


class _Tables(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tables: list[list[list[dict]]] = []
        self.depth = 0

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self.depth += 1
            self.tables.append([])
        elif tag == "tr" and self.depth:
            self.tables[-1].append([])
        elif tag in ("th", "td") and self.depth and self.tables[-1]:
            self.tables[-1][-1].append({"tag": tag, **dict(attrs)})

    def handle_endtag(self, tag):
        if tag == "table":
            self.depth -= 1


def tables(html: str) -> list[list[list[dict]]]:
    """Every table of ``html`` as rows of cells (each cell its tag name and attributes)."""
    parser = _Tables()
    parser.feed(html)
    return parser.tables


def scope_is_enough(rows: list[list[dict]]) -> bool:
    """True when scope attributes tie every data cell to its headers unambiguously: at most one row
    with more than one header cell, at most one column with more than one, and no header spanning rows
    and columns at once (HTMLCS.util.testTableHeaders, without the rowspan bookkeeping we never use)."""
    per_row: dict[int, int] = {}
    per_column: dict[int, int] = {}
    for row_number, row in enumerate(rows):
        column = 0
        for cell in row:
            colspan = int(cell.get("colspan") or 1)
            rowspan = int(cell.get("rowspan") or 1)
            if cell["tag"] == "th":
                if colspan > 1 and rowspan > 1:
                    return False
                per_row[row_number] = per_row.get(row_number, 0) + colspan
                per_column[column] = per_column.get(column, 0) + rowspan
            column += colspan
    rows_with_several = sum(1 for count in per_row.values() if count > 1)
    columns_with_several = sum(1 for count in per_column.values() if count > 1)
    return rows_with_several <= 1 and columns_with_several <= 1

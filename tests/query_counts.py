"""Pages whose query count does not grow with the rows they show.

``assert_constant_queries`` renders a page with some rows, adds twice as many, renders it again and
compares the number of queries: any query made per row (an N+1) makes the second count larger. It
also checks that the rows were really shown, so the comparison cannot pass on an empty page.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db import connection
from django.test.utils import CaptureQueriesContext


def page_queries(client, url: str) -> tuple[str, list[str]]:
    """The page's HTML and the SQL of the queries it ran (after one warm-up request, so that what is
    read once per process, like content types, is not counted)."""
    assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode(), [query["sql"] for query in captured.captured_queries]


def assert_constant_queries(
    client, url: str, add_rows: Callable[[int], None], shown: Callable[[str], int], *, n: int = 3
) -> int:
    """Add ``n`` rows, count the page's queries, add ``2 n`` more, count again: the same number.
    ``shown(html)`` counts the rows on the page. Returns the number of queries."""
    add_rows(n)
    html, few = page_queries(client, url)
    before = shown(html)
    add_rows(2 * n)
    html, many = page_queries(client, url)
    after = shown(html)
    assert after >= before + 2 * n, f"{url}: {before} rows, then {after}: the added rows are not shown"
    extra = "\n".join(sql for sql in many if sql not in few) or "\n".join(many)
    assert len(many) == len(few), f"{url}: {len(few)} queries for {before} rows, {len(many)} for {after}:\n{extra}"
    return len(many)

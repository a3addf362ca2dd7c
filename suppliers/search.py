"""Typeahead search over the national registry.

The search is the database function ``suppliers_search_ids`` in ``suppliers/sql/search.sql`` (read
its head for the rules), so a keystroke costs one round trip. Candidates come from ordered B-tree
range scans of the word table that stop after the rows they need; ranking happens on at most
about a thousand index entries, and how many more match is counted on that same scan, capped at
1,000: never a COUNT over the registry.

What a person typing expects first: the name that is the input or starts with it, then the names
that have every typed word, then by how many typed words match name or place, main establishment
before branches, establishments in the searcher's region, and alphabetical last. A place typed on
its own lists the establishments in that place first. Input is forgiving: any word order, one typo
per word of five letters or more, accents, case and punctuation, "B.V."/"BV", "&"/"en",
"gebr."/"gebroeders", "'s-" spellings, and a KvK number or postcode anywhere in the input.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Q

from suppliers.models import Supplier

MAX_RESULTS = 10
MAX_INPUT = 100
# At most this many matches are ranked and counted per search (suppliers_search_ids' window).
COUNT_CAP = 1000


@dataclass
class SearchResult:
    """The typeahead's answer.

    ``suppliers``: best first. ``more``: how many further establishments match (0 when none, None
    when unknown, e.g. when the list was filled up with partial matches). ``more_is_estimate``:
    ``more`` is a lower bound (the count stopped at COUNT_CAP) or includes inactive establishments,
    so show it as "more than" / "about". ``highlight_terms``: the normalised words (and their typo
    variants) and digits that matched the shown suppliers, to mark in the list; compare them with
    the start of the normalised words of a name (``Supplier.name_key``, ``trade_key``, ``city_key``).
    """

    suppliers: list[Supplier]
    query: str
    searchable: bool = False
    more: int | None = 0
    more_is_estimate: bool = False
    highlight_terms: list[str] = field(default_factory=list)


def clean_input(text: str | None) -> str:
    """Return the input as something safe to send to the database: no NUL or other control
    characters, no lone surrogates, at most MAX_INPUT characters."""
    if not text:
        return ""
    text = text[: MAX_INPUT * 2]
    text = "".join(ch if ch.isprintable() else " " for ch in text)
    text = text.encode("utf-8", "ignore").decode("utf-8")
    return text.strip()[:MAX_INPUT]


def search_suppliers(
    text: str | None, *, limit: int = MAX_RESULTS, region: str | list[str] | tuple[str, ...] | None = None
) -> SearchResult:
    """Return at most ``limit`` active suppliers for the typeahead, best first.

    ``region``: the searcher's region as postcode areas (the first two digits of a postcode, "68"),
    see ``region_hint``; establishments there rank before others that are otherwise equal.
    Any input is accepted; input that cannot match (one letter, only punctuation) gives an empty list.
    """
    query = clean_input(text)
    result = SearchResult(suppliers=[], query=query, searchable=any(ch.isalnum() for ch in query))
    if not result.searchable:
        return result
    # One round trip: the suppliers in rank order, each row also carrying the search's figures (one
    # row of NULL supplier columns when nothing matched).
    rows = list(Supplier.objects.raw(
        """
        SELECT s.*, r.more AS search_more, r.more_is_estimate AS search_more_is_estimate, r.terms AS search_terms
        FROM suppliers_search_ids(%s, %s, %s::text[]) AS r
        LEFT JOIN LATERAL unnest(r.ids) WITH ORDINALITY AS f(id, position) ON true
        LEFT JOIN suppliers_supplier AS s ON s.id = f.id
        ORDER BY f.position
        """,
        [query, limit, _areas(region)],
    ))
    if rows:
        result.more, result.more_is_estimate = rows[0].search_more, bool(rows[0].search_more_is_estimate)
        result.suppliers = [row for row in rows if row.pk is not None]
        result.highlight_terms = _matched_terms(rows[0].search_terms or [], result.suppliers)
    return result


def _areas(region) -> list[str]:
    if not region:
        return []
    values = [region] if isinstance(region, str) else list(region)
    return [value[:2] for value in values if isinstance(value, str) and re.fullmatch(r"[1-9][0-9]", value[:2])]


def _matched_terms(terms: list[str], suppliers: list[Supplier]) -> list[str]:
    """The search terms that start a word (or, for digits, an identifier) of a shown supplier."""
    words = set()
    digits = set()
    for supplier in suppliers:
        for key in (supplier.name_key, supplier.trade_key, supplier.city_key):
            words.update((key or "").split())
        digits.update([supplier.kvk_number, supplier.branch_number, supplier.postcode.replace(" ", "").lower()])
    matched = []
    for term in terms:
        pool = digits if term.isdigit() or re.fullmatch(r"[0-9]{4}[a-z]{2}", term) else words
        if term not in matched and any(value.startswith(term) for value in pool if value):
            matched.append(term)
    return matched


def region_hint(organisation) -> list[str]:
    """The region of ``organisation`` as postcode areas, for ``search_suppliers(region=...)``.

    The simplest honest signal there is: the organisation's own postcode; without one, that of the
    SROI service point serving it. An organisation with neither has no region (empty list).
    """
    if organisation is None:
        return []
    for candidate in (organisation, getattr(organisation, "served_by", None)):
        postcode = getattr(candidate, "postcode", "") or ""
        if re.match(r"[1-9][0-9]", postcode):
            return [postcode[:2]]
    return []


_KVK = re.compile(r"[0-9]{8}")
_BRANCH = re.compile(r"[0-9]{12}")
_KVK_AND_BRANCH = re.compile(r"([0-9]{8})[\s/-]+([0-9]{12})")
_POSTCODE = re.compile(r"([1-9][0-9]{3}) ?([A-Za-z]{2})")


def identifier_lookup(text: str | None) -> Q | None:
    """The exact lookup that an identifier stands for, or None when the input is not one.

    A KvK number (8 digits), a branch number (12 digits), both ("12345678 000012345678") or a
    postcode ("1234 AB", "1234ab"); each is an equality on an indexed column, inactive rows included.
    """
    text = clean_input(text)
    if _KVK.fullmatch(text):
        return Q(kvk_number=text)
    if _BRANCH.fullmatch(text):
        return Q(branch_number=text)
    if match := _KVK_AND_BRANCH.fullmatch(text):
        return Q(kvk_number=match[1], branch_number=match[2])
    if match := _POSTCODE.fullmatch(text):
        return Q(postcode=f"{match[1]} {match[2].upper()}")
    return None


def search_supplier_ids(text: str | None, *, limit: int) -> list[int]:
    """The ids of at most ``limit`` active suppliers matching ``text``, best first: the typeahead's
    search for lists that fetch the rows themselves (the admin). Wildcards and quotes are plain
    characters here; input that cannot match gives an empty list."""
    query = clean_input(text)
    if not any(ch.isalnum() for ch in query):
        return []
    with connection.cursor() as cursor:
        cursor.execute("SELECT ids FROM suppliers_search_ids(%s, %s)", [query, limit])
        return list(cursor.fetchone()[0] or [])

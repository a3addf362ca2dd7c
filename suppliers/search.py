"""Typeahead search over the national registry.

The search itself is the database function ``suppliers_search`` (migration 0005), so a keystroke
costs one round trip. Every step in it is an ordered B-tree range scan that stops after the few rows
it needs, so the cost does not grow with the size of the registry or the number of matches (no
sorting of all matches, no COUNT). Keys are normalised by the database (``suppliers_normalise``) and
C-collated, so a prefix ``p`` is the range ``p <= key < p || '~'`` ('~' sorts after every
normalised character).

Ranking, each class filling the list in turn and never repeating a supplier:

1. digits only: KvK-number prefix (up to 8 digits) or branch-number prefix (9 to 12 digits);
2. the legal or trade name starts with the input;
3. every word of the input starts a word of the name, trade name or place ("arnh", "van der b",
   "bakkerij arnhem"); several words narrow the list, digits among them narrow on KvK number. The
   rarest word (vocabulary frequencies) drives the scan of the word table; the other words are
   checked on the same index entries;
4. typo-tolerant: a word that starts no word of the registry (or a single word, to fill the list)
   is replaced by the nearest words of the vocabulary (trigram similarity, GiST index), which are
   then searched as in 3 ("instalatie").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.db import connection
from django.db.models import Q

from suppliers.models import Supplier

MAX_RESULTS = 10
MAX_INPUT = 100


@dataclass
class SearchResult:
    suppliers: list[Supplier]
    query: str
    searchable: bool = False


def clean_input(text: str | None) -> str:
    """Return the input as something safe to send to the database: no NUL or other control
    characters, no lone surrogates, at most MAX_INPUT characters."""
    if not text:
        return ""
    text = text[: MAX_INPUT * 2]
    text = "".join(ch if ch.isprintable() else " " for ch in text)
    text = text.encode("utf-8", "ignore").decode("utf-8")
    return text.strip()[:MAX_INPUT]


def search_suppliers(text: str | None, *, limit: int = MAX_RESULTS) -> SearchResult:
    """Return at most ``limit`` active suppliers for the typeahead, best first.

    Any input is accepted; input that cannot match (one letter, only punctuation) gives an empty list.
    """
    query = clean_input(text)
    result = SearchResult(suppliers=[], query=query, searchable=any(ch.isalnum() for ch in query))
    if result.searchable:
        result.suppliers = list(Supplier.objects.raw("SELECT * FROM suppliers_search(%s, %s)", [query, limit]))
    return result


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
        cursor.execute("SELECT id FROM suppliers_search(%s, %s)", [query, limit])
        return [row[0] for row in cursor.fetchall()]

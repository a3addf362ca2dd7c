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

from dataclasses import dataclass

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

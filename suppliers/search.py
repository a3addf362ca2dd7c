"""Typeahead search over the national registry.

Every step is an ordered B-tree range scan that stops after the few rows it needs, so the cost
does not grow with the size of the registry or the number of matches (no sorting of all matches,
no COUNT). Keys are normalised by the database (``suppliers_normalise``) and C-collated, so a
prefix ``p`` is the range ``p <= key < p || '~'`` ('~' sorts after every normalised character).

Ranking, each class filling the list in turn and never repeating a supplier:

1. digits only: KvK-number prefix (up to 8 digits) or branch-number prefix (9 to 12 digits);
2. the legal or trade name starts with the input;
3. every word of the input starts a word of the name, trade name or place ("arnh", "van der b",
   "bakkerij arnhem"); several words narrow the list, and digits among them narrow on KvK number;
4. typo-tolerant: a word that starts no word of the registry is mapped to the nearest words of
   the vocabulary (trigram similarity), which are then searched as in 3 ("instalatie").
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from django.conf import settings
from django.db import OperationalError, connection, transaction

from suppliers.models import Supplier

logger = logging.getLogger(__name__)

MAX_RESULTS = 10
MAX_INPUT = 100
MIN_CHARS = 2
# Vocabulary rows read to estimate how common a prefix is; more means "very common".
ESTIMATE_CAP = 200
# Upper bound for one keystroke's queries; set WIZZR_SUPPLIER_SEARCH_TIMEOUT_MS to change it.
TIMEOUT_MS = getattr(settings, "WIZZR_SUPPLIER_SEARCH_TIMEOUT_MS", 2000)
TYPO_MIN_LENGTH = 4
TYPO_MIN_SIMILARITY = 0.4
TYPO_CANDIDATES = 3
HIGH = "~"


@dataclass
class SearchResult:
    suppliers: list[Supplier]
    query: str
    normalised: str
    typo_words: list[str] = field(default_factory=list)


def clean_input(text: str | None) -> str:
    """Return the input as something safe to send to the database: no NUL or other control
    characters, no lone surrogates, at most MAX_INPUT characters."""
    if not text:
        return ""
    text = text[: MAX_INPUT * 2]
    text = "".join(ch if ch.isprintable() else " " for ch in text)
    text = text.encode("utf-8", "ignore").decode("utf-8")
    return text.strip()[:MAX_INPUT]


def normalise(text: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT suppliers_normalise(%s)", [text])
        return cursor.fetchone()[0]


def _start(query: str) -> str:
    """Set this transaction's statement timeout and normalise the input, in one round trip."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT set_config('statement_timeout', %s, true), suppliers_normalise(%s)", [str(TIMEOUT_MS), query]
        )
        return cursor.fetchone()[1]


def search_suppliers(text: str | None, *, limit: int = MAX_RESULTS) -> SearchResult:
    """Return at most ``limit`` active suppliers for the typeahead, best first.

    Any input is accepted; input that cannot match (too short, only punctuation) gives an empty
    list. A statement timeout bounds pathological input: whatever was found before it is returned.
    """
    query = clean_input(text)
    result = SearchResult(suppliers=[], query=query, normalised="")
    ids: list[int] = []
    try:
        with transaction.atomic():
            _collect(query, limit, ids, result)
            result.suppliers = _fetch(ids)
    except OperationalError:
        logger.warning("supplier search stopped by the statement timeout", extra={"length": len(query)})
        result.suppliers = _fetch(ids)
    return result


def _collect(query: str, limit: int, ids: list[int], result: SearchResult) -> None:
    key = _start(query)
    result.normalised = key
    compact = key.replace(" ", "")
    if not compact:
        return
    if compact.isdigit():
        ids.extend(_number_prefix(compact, limit))
        return
    if len(compact) < MIN_CHARS:
        return
    tokens = key.split(" ")
    words = [t for t in tokens if not t.isdigit()]
    numbers = [t for t in tokens if t.isdigit()]
    if not numbers:
        _extend(ids, _name_prefix(key, limit), limit)
    if len(ids) >= limit:
        return
    estimates = _estimates(words)
    if all(estimates[w] != 0 for w in words):
        _extend(ids, _word_starts(words, numbers, estimates, limit + len(ids)), limit)
    if len(ids) >= limit:
        return
    alternatives = _typo_alternatives(words, estimates, limit=limit)
    result.typo_words = sorted({w for alternative in alternatives for w in alternative if w not in words})
    for alternative in alternatives:
        if len(ids) >= limit:
            break
        _extend(ids, _word_starts(alternative, numbers, None, limit + len(ids)), limit)


def _extend(ids: list[int], more: list[int], limit: int) -> None:
    seen = set(ids)
    for pk in more:
        if len(ids) >= limit:
            return
        if pk not in seen:
            ids.append(pk)
            seen.add(pk)


def _fetch(ids: list[int]) -> list[Supplier]:
    if not ids:
        return []
    rows = Supplier.objects.in_bulk(ids)
    return [rows[pk] for pk in ids if pk in rows]


def _rows(sql: str, params: list) -> list:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _number_prefix(digits: str, limit: int) -> list[int]:
    """KvK numbers are 8 digits, branch numbers 12: the length says which one is meant."""
    if len(digits) <= 8:
        sql = """
            SELECT id FROM suppliers_supplier
            WHERE kvk_number >= %s AND kvk_number < %s AND is_active
            ORDER BY kvk_number, branch_number
            LIMIT %s"""
    elif len(digits) <= 12:
        sql = """
            SELECT id FROM suppliers_supplier
            WHERE branch_number >= %s AND branch_number < %s AND is_active AND branch_number <> ''
            ORDER BY branch_number
            LIMIT %s"""
    else:
        return []
    return [pk for (pk,) in _rows(sql, [digits, digits + HIGH, limit])]


def _name_prefix(key: str, limit: int) -> list[int]:
    """Legal or trade name starting with the input, in name order."""
    sql = """
        SELECT id FROM (
            (SELECT id, name_key AS k FROM suppliers_supplier
             WHERE name_key >= %(lo)s AND name_key < %(hi)s AND is_active
             ORDER BY name_key, id LIMIT %(n)s)
            UNION ALL
            (SELECT id, trade_key AS k FROM suppliers_supplier
             WHERE trade_key >= %(lo)s AND trade_key < %(hi)s AND is_active AND trade_name <> ''
             ORDER BY trade_key, id LIMIT %(n)s)
        ) AS hits
        ORDER BY k, id
        LIMIT %(n)s"""
    ids: list[int] = []
    _extend(ids, [pk for (pk,) in _rows(sql, {"lo": key, "hi": key + HIGH, "n": limit * 2})], limit)
    return ids


def _estimates(words: list[str]) -> dict[str, float]:
    """Per word: how many word-table rows its prefix covers (from the vocabulary), or infinity
    when more than ESTIMATE_CAP vocabulary words share the prefix. One round trip."""
    if not words:
        return {}
    sql = """
        SELECT t.lo, ARRAY(
            SELECT v.frequency FROM suppliers_searchword v
            WHERE v.word >= t.lo AND v.word < t.hi AND v.frequency > 0
            ORDER BY v.word
            LIMIT %s)
        FROM unnest(%s::text[], %s::text[]) AS t(lo, hi)"""
    found = dict(_rows(sql, [ESTIMATE_CAP + 1, words, [w + HIGH for w in words]]))
    return {w: (float("inf") if len(found[w]) > ESTIMATE_CAP else float(sum(found[w]))) for w in words}


def _word_starts(words: list[str], numbers: list[str], estimates: dict | None, limit: int) -> list[int]:
    """Suppliers where every word starts a word of their name, trade name or place.

    The rarest word drives an ordered range scan of the word table; the other words are checked on
    the same index entries (its INCLUDE column), so no table row is visited until the result.
    """
    if not words:
        return []
    if estimates is None:
        estimates = _estimates(words)
    driver = min(words, key=lambda w: (estimates[w], -len(w)))
    others = [w for w in words if w != driver]
    conditions, params = [], []
    for word in others:
        conditions.append("AND strpos(concat(' ', w.name_key, ' ', w.other_words), %s) > 0")
        params.append(" " + word)
    join = ""
    if numbers:
        join = "JOIN suppliers_supplier s ON s.id = w.supplier_id"
        for number in numbers:
            conditions.append("AND starts_with(s.kvk_number, %s)")
            params.append(number)
    # Only fixed SQL fragments are joined in; every value is a bound parameter.
    sql = f"""
        SELECT w.supplier_id FROM suppliers_supplierword w {join}
        WHERE w.word >= %s AND w.word < %s {" ".join(conditions)}
        ORDER BY w.word, w.name_key, w.supplier_id
        LIMIT %s"""  # noqa: S608
    return [pk for (pk,) in _rows(sql, [driver, driver + HIGH, *params, limit])]


def _typo_alternatives(words: list[str], estimates: dict, *, limit: int) -> list[list[str]]:
    """Word lists to try instead of ``words``: each unknown word (or, for a single word, the word
    itself) replaced by near words of the vocabulary, nearest first."""
    candidates: dict[str, list[str]] = {}
    for word in words:
        unknown = estimates.get(word) == 0
        if len(word) < TYPO_MIN_LENGTH or not (unknown or len(words) == 1):
            continue
        sql = """
            SELECT word FROM (
                SELECT word, similarity(word, %s) AS score FROM suppliers_searchword
                WHERE frequency > 0
                ORDER BY word <-> %s
                LIMIT %s
            ) AS near
            WHERE score >= %s AND NOT starts_with(word, %s)
            ORDER BY score DESC, word"""
        near = [w for (w,) in _rows(sql, [word, word, TYPO_CANDIDATES * 3, TYPO_MIN_SIMILARITY, word])]
        candidates[word] = _drop_extensions(near)[:TYPO_CANDIDATES]
    if not candidates:
        return []
    alternatives = []
    for rank in range(TYPO_CANDIDATES):
        alternative = []
        for word in words:
            options = candidates.get(word)
            if options is None:
                alternative.append(word)
            elif options:
                alternative.append(options[min(rank, len(options) - 1)])
            else:
                break
        else:
            if alternative not in alternatives and alternative != words:
                alternatives.append(alternative)
    return alternatives


def _drop_extensions(words: list[str]) -> list[str]:
    """Keep 'installatie' and drop 'installatiebedrijf' after it: searching a word as a prefix
    finds its extensions already."""
    kept: list[str] = []
    for word in words:
        if not any(word.startswith(k) for k in kept):
            kept.append(word)
    return kept

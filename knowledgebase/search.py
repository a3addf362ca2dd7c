"""Searching the knowledge base with PostgreSQL full-text search, and a typo-tolerant fallback.

1. All words must match (Dutch or English stemming with unaccent; the last word also matches as a
   prefix, because results update while the user is still typing). Ranked by ``ts_rank``: title
   and keywords weigh most, then the summary; a word in the body counts once, however often it occurs.
2. Nothing found and more than one word: any word may match, ranked the same way.
3. Still nothing: every word is replaced by the most similar word the articles actually use
   (pg_trgm over a materialized vocabulary, see migration 0004), and steps 1–2 run again with
   those words, so "bouwblokkn" finds "bouwblokken" — highlighted, and offered as a suggestion.

Highlighted passages come from ``ts_headline`` with private-use characters as markers; the text
is escaped first and only then are the markers turned into ``<mark>``, so nothing from an article
or a query can inject markup.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import QuerySet, prefetch_related_objects
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from knowledgebase.models import SEARCH_CONFIG, Article

MAX_QUERY_LENGTH = 200
MAX_TERMS = 8
MAX_TERM_LENGTH = 40
PAGE_SIZE = 10
SIMILARITY_THRESHOLD = 0.3
MARK_START = "\ue000"
MARK_STOP = "\ue001"

TOKEN_RE = re.compile(r"[^\W_]+")


class Mode:
    EMPTY = "empty"
    ALL_WORDS = "all"
    ANY_WORD = "any"
    SIMILAR = "similar"
    NONE = "none"


@dataclass
class Hit:
    article: Article
    title_html: SafeString
    passage_html: SafeString


@dataclass
class SearchResults:
    query: str
    mode: str
    hits: list[Hit] = field(default_factory=list)
    suggestion: str = ""
    total: int = 0

    def __post_init__(self) -> None:
        self.total = self.total or len(self.hits)

    @property
    def count(self) -> int:
        return len(self.hits)


def highlight(text: str) -> SafeString:
    """Escape ``text`` and turn the headline markers into ``<mark>`` elements."""
    escaped = str(escape(text or ""))
    # Markers come in pairs from ts_headline; stray ones (cut-off fragments) are closed safely.
    html = escaped.replace(MARK_START, "<mark>").replace(MARK_STOP, "</mark>")
    opened, closed = html.count("<mark>"), html.count("</mark>")
    if opened > closed:
        html += "</mark>" * (opened - closed)
    return mark_safe(html)  # noqa: S308 - escaped above; only our own <mark> tags are added


def terms_of(query: str) -> list[str]:
    """The words of a query: letters and digits only, so they are safe inside ``to_tsquery``."""
    return [term[:MAX_TERM_LENGTH] for term in TOKEN_RE.findall(query[:MAX_QUERY_LENGTH])][:MAX_TERMS]


def tsquery_text(query: str, operator: str) -> str:
    """Build raw tsquery text: terms joined by ``&`` or ``|``; the last term as a prefix while typing."""
    terms = terms_of(query)
    if not terms:
        return ""
    if not query[:MAX_QUERY_LENGTH].endswith((" ", "\t")) and len(terms[-1]) >= 3:
        terms[-1] += ":*"
    return f" {operator} ".join(terms)


# The ranked, highlighted query, written out: the ORM spent longer compiling it than PostgreSQL
# spent running it. ``{base}`` is the caller's (visibility-scoped) queryset as a subquery. Ranking
# and counting read only the search vectors; the headlines, which parse whole texts, are made for
# the rows of the page alone.
FULLTEXT_SQL = """
WITH q AS (SELECT %s::regconfig AS config, to_tsquery(%s::regconfig, %s) AS query),
page AS (
    SELECT a.id, ts_rank(a.{vector}, q.query) AS rank, a.read_count, count(*) OVER () AS total
    FROM knowledgebase_article a, q
    WHERE a.id IN ({base}) AND a.{vector} @@ q.query
    ORDER BY rank DESC, a.read_count DESC, a.id
    LIMIT %s
)
SELECT {columns}, {plain} AS plain_text, page.total AS total_matches,
       ts_headline(q.config, {title}, q.query, %s) AS title_marked,
       ts_headline(q.config, {plain}, q.query, %s) AS passage_marked
FROM page JOIN knowledgebase_article a ON a.id = page.id, q
ORDER BY page.rank DESC, page.read_count DESC, page.id
"""
# Everything a hit shows or needs (``has_english`` reads ``body_en``); the rest stays in the table.
HIT_COLUMNS = [
    "id", "uuid", "slug", "category_id", "audience", "is_published", "position", "read_count", "created_at",
    "updated_at", "title_nl", "summary_nl", "keywords_nl", "title_en", "summary_en", "keywords_en", "body_en",
]
TITLE_OPTIONS = f"StartSel={MARK_START}, StopSel={MARK_STOP}, HighlightAll=true"
PASSAGE_OPTIONS = f'StartSel={MARK_START}, StopSel={MARK_STOP}, MaxWords=28, MinWords=12, MaxFragments=2, FragmentDelimiter=" … "'


def _fulltext(base: QuerySet, raw: str, language: str, limit: int) -> list[Hit]:
    config = SEARCH_CONFIG[language]
    base_sql, base_params = base.values("pk").query.sql_with_params()
    sql = FULLTEXT_SQL.format(
        columns=", ".join(f"a.{column}" for column in HIT_COLUMNS),
        plain="a.plain_en" if language == "en" else "a.plain_nl",
        title="coalesce(nullif(a.title_en, ''), a.title_nl)" if language == "en" else "a.title_nl",
        vector=f"search_{language}",
        base=base_sql,
    )
    params = [config, config, raw, *base_params, limit, TITLE_OPTIONS, PASSAGE_OPTIONS]
    rows = list(Article.objects.raw(sql, params))
    prefetch_related_objects(rows, "category")
    return [
        Hit(
            article=row,
            title_html=highlight(row.title_marked),
            passage_html=highlight(_with_ellipses(row.passage_marked, row.plain_text)),
        )
        for row in rows
    ]


def _squash(text: str) -> str:
    return " ".join(text.replace(MARK_START, "").replace(MARK_STOP, "").split())


def _with_ellipses(passage: str, full_text: str) -> str:
    """Show with "…" that a passage starts or ends inside the text rather than at its edges."""
    bare, full = _squash(passage), _squash(full_text)
    if not bare:
        return passage
    fragments = bare.split(" … ")
    if not full.startswith(fragments[0][:40]):
        passage = "… " + passage
    if not full.endswith(fragments[-1][-40:]):
        passage += " …"
    return passage


def refresh_search_words() -> None:
    """Rebuild the vocabulary the typo fallback corrects against (a few hundred ms for 1,000 articles)."""
    with connection.cursor() as cursor:
        cursor.execute("REFRESH MATERIALIZED VIEW knowledgebase_searchword")


# For every search word, the nearest word of the vocabulary (GiST trigram index, one round trip).
NEAREST_WORDS_SQL = """
SELECT t.term, w.word, similarity(w.word, t.term)
FROM unnest(%s::text[]) WITH ORDINALITY AS t(term, n)
LEFT JOIN LATERAL (
    SELECT word FROM knowledgebase_searchword WHERE language = %s ORDER BY word <-> t.term LIMIT 1
) w ON true
ORDER BY t.n
"""


def corrected_terms(query: str, language: str) -> list[str]:
    """Each word of ``query`` replaced by the closest word the articles use; words without one are dropped."""
    terms = [term.lower() for term in terms_of(query)]
    if not terms:
        return []
    with connection.cursor() as cursor:
        cursor.execute(NEAREST_WORDS_SQL, [terms, language])
        rows = cursor.fetchall()
    return [word for _term, word, similarity in rows if word and similarity >= SIMILARITY_THRESHOLD]


def search_articles(*, base: QuerySet, query: str, language: str = "nl", limit: int = PAGE_SIZE) -> SearchResults:
    """Search the articles in ``base`` (already scoped to what the user may see) for ``query``.

    Returns the hits in rank order with highlighted title and passage, and which of the steps
    (all words, any word, similar words) found them.
    """
    query = (query or "").strip()[:MAX_QUERY_LENGTH]
    language = "en" if language == "en" else "nl"
    if not terms_of(query):
        return SearchResults(query=query, mode=Mode.EMPTY)
    hits = _fulltext(base, tsquery_text(query, "&"), language, limit)
    if hits:
        return SearchResults(query=query, mode=Mode.ALL_WORDS, hits=hits, total=hits[0].article.total_matches)
    if len(terms_of(query)) > 1:
        hits = _fulltext(base, tsquery_text(query, "|"), language, limit)
        if hits:
            return SearchResults(query=query, mode=Mode.ANY_WORD, hits=hits)
    suggestion = corrected_terms(query, language)
    if suggestion and suggestion != [term.lower() for term in terms_of(query)]:
        for operator in ("&", "|"):
            hits = _fulltext(base, f" {operator} ".join(suggestion), language, limit)
            if hits:
                return SearchResults(query=query, mode=Mode.SIMILAR, hits=hits, suggestion=" ".join(suggestion))
    return SearchResults(query=query, mode=Mode.NONE)


def search_naive(*, base: QuerySet, query: str, limit: int = PAGE_SIZE) -> list[Article]:
    """The obvious way, kept only as the benchmark's yardstick: ILIKE over title and body."""
    from django.db.models import Q

    query = (query or "").strip()[:MAX_QUERY_LENGTH]
    return list(
        base.filter(Q(title_nl__icontains=query) | Q(body_nl__icontains=query)).order_by("-read_count", "pk")[:limit]
    )

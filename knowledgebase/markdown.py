"""Markdown for knowledge-base articles: rendered with Python-Markdown, sanitised with nh3.

Authors write plain Markdown with two additions:

- ``[[bouwblokken]]`` on a line of its own is replaced by the current building-block catalogue
  (see ``knowledgebase.catalogue``), so the article follows the data instead of a copy of it;
- ``[text](kb:slug)`` links to another article by its slug.

Whatever the source says, the output keeps only an allow-list of tags and attributes: no scripts,
no event handlers, no ``style`` attributes, no iframes (the strict CSP would block them anyway).
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable

import markdown as md
import nh3
from django.urls import NoReverseMatch, reverse
from django.utils.safestring import SafeString, mark_safe

PLACEHOLDER_RE = re.compile(r"^[ \t]*\[\[\s*(?P<name>[a-z_-]+)\s*\]\][ \t]*$", re.MULTILINE)
KB_LINK_RE = re.compile(r'href="kb:(?P<slug>[-a-z0-9_]+)(?P<anchor>#[-a-z0-9_]*)?"')
ALIGN_RE = re.compile(r'<(?P<tag>t[hd]) style="text-align: (?P<align>left|right|center);">')
H1_RE = re.compile(r"<(/?)h1>")
HEADING_END_RE = re.compile(r"</h[1-6]>")
CELL_END_RE = re.compile(r"</t[hd]>\s*(?=<t[hd][ >])")

ALLOWED_TAGS = {
    "h2", "h3", "h4", "p", "br", "hr", "strong", "em", "b", "i", "code", "pre", "blockquote",
    "ul", "ol", "li", "dl", "dt", "dd", "a", "abbr",
    "table", "caption", "thead", "tbody", "tr", "th", "td", "mark", "sub", "sup", "kbd",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "th": {"scope", "colspan", "rowspan"},
    "td": {"colspan", "rowspan"},
    "ol": {"start"},
}
ALLOWED_CLASSES = {"th": {"kb-align-right", "kb-align-center"}, "td": {"kb-align-right", "kb-align-center"}}
# NL Design System classes so that article content looks like the rest of the application.
NLDS_CLASSES = {
    "h2": {"class": "utrecht-heading-2"},
    "h3": {"class": "utrecht-heading-3"},
    "h4": {"class": "utrecht-heading-4"},
    "p": {"class": "utrecht-paragraph"},
    "ul": {"class": "utrecht-unordered-list"},
    "ol": {"class": "utrecht-ordered-list"},
    "blockquote": {"class": "utrecht-blockquote"},
    "table": {"class": "utrecht-table"},
    "thead": {"class": "utrecht-table__header"},
    "tbody": {"class": "utrecht-table__body"},
    "tr": {"class": "utrecht-table__row"},
    "caption": {"class": "utrecht-table__caption"},
    "code": {"class": "utrecht-code"},
    "pre": {"class": "utrecht-code-block"},
}

# Placeholder name → function(language) returning Markdown. Filled in by ``knowledgebase.catalogue``.
PLACEHOLDERS: dict[str, Callable[[str], str]] = {}


def register_placeholder(name: str) -> Callable:
    """Decorator: make ``[[name]]`` expand to the Markdown the decorated function returns."""

    def decorator(func: Callable[[str], str]) -> Callable[[str], str]:
        PLACEHOLDERS[name] = func
        return func

    return decorator


def expand_placeholders(source: str, language: str, *, dynamic: bool = True) -> str:
    """Replace ``[[name]]`` lines by their Markdown; unknown names (and all when not ``dynamic``) vanish."""

    def replace(match: re.Match) -> str:
        func = PLACEHOLDERS.get(match.group("name"))
        if func is None or not dynamic:
            return ""
        return "\n" + func(language).strip() + "\n"

    return PLACEHOLDER_RE.sub(replace, source)


def _article_url(match: re.Match) -> str:
    try:
        url = reverse("knowledgebase:article", args=[match.group("slug")])
    except NoReverseMatch:
        url = "#"
    return f'href="{url}{match.group("anchor") or ""}"'


def sanitise(raw_html: str) -> str:
    """Reduce HTML to the allow-list. Scripts and styles lose their content, not only their tags."""
    raw_html = ALIGN_RE.sub(lambda m: f'<{m.group("tag")} class="kb-align-{m.group("align")}">', raw_html)
    raw_html = H1_RE.sub(r"<\1h2>", raw_html)
    return nh3.clean(
        raw_html,
        tags=ALLOWED_TAGS,
        clean_content_tags={"script", "style", "template", "iframe", "object", "noscript", "textarea"},
        attributes=ALLOWED_ATTRIBUTES,
        allowed_classes=ALLOWED_CLASSES,
        set_tag_attribute_values=NLDS_CLASSES,
        url_schemes={"http", "https", "mailto", "tel"},
        link_rel="noopener noreferrer",
        strip_comments=True,
    )


def render_markdown(source: str, language: str = "nl", *, dynamic: bool = True) -> SafeString:
    """Return sanitised HTML for ``source``; ``dynamic`` expands placeholders from live data."""
    text = expand_placeholders(source or "", language, dynamic=dynamic)
    raw = md.markdown(text, extensions=["tables", "sane_lists", "def_list"], output_format="html")
    raw = KB_LINK_RE.sub(_article_url, raw)
    return mark_safe(sanitise(raw))  # noqa: S308 - sanitised by nh3 just above


def plain_text(source: str) -> str:
    """The readable text of a Markdown body (no markup), used for search and highlighted passages.

    Placeholders are left out: live data changes without the article being saved again. The
    private-use characters that mark highlighted words are removed so that they stay unambiguous.
    """
    rendered = md.markdown(expand_placeholders(source or "", "nl", dynamic=False), extensions=["tables", "sane_lists", "def_list"])
    # Headings and cells end where the next text starts; keep a visible break in highlighted passages.
    rendered = HEADING_END_RE.sub(" —", rendered)
    rendered = CELL_END_RE.sub(" · ", rendered)
    text = html.unescape(nh3.clean(rendered, tags=set(), clean_content_tags={"script", "style"}))
    text = text.replace("\ue000", "").replace("\ue001", "")
    return re.sub(r"[ \t]*\n\s*", "\n", text).strip()

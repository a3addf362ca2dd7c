"""The typeahead's options: what each establishment in the list shows and what the widget is told.

Used by the registry's own search (``suppliers.views.search``) and by every narrower picker that
answers in the same markup (the supplier filter of the monitoring list). The options are rendered by
``templates/suppliers/_typeahead_options.html`` with autoescaping; the part of a name, place or number
that matched the input is wrapped in ``<mark>`` by :func:`highlight` after escaping.
"""

from __future__ import annotations

import functools
import html
import json
import re
import unicodedata
from collections.abc import Iterable, Sequence

from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_htmx.http import trigger_client_event

from suppliers.models import Supplier
from suppliers.search import COUNT_CAP
from wizzr.widgets import listbox_id as typeahead_listbox_id

DEFAULT_LISTBOX = "supplier-listbox"
_WORD = re.compile(r"[^\W_]+")


def listbox_id(request: HttpRequest) -> str:
    """The id of the widget's listbox (the options' ids derive from it), if it is a safe one."""
    return typeahead_listbox_id(request, default=DEFAULT_LISTBOX)


@functools.lru_cache(maxsize=8192)
def normalise(text: str) -> str:
    """Lower case without accents: the form in which the search compares words ("Café" -> "cafe")."""
    if text.isascii():
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).lower()


def query_terms(query: str) -> list[str]:
    """The normalised words and digit runs of what was typed (used when the search names none)."""
    return [word for word in _WORD.findall(normalise(query or "")) if word]


def highlight(text: str, terms: Iterable[str]) -> SafeString:
    """``text`` escaped, with the start of each word that begins with one of ``terms`` in ``<mark>``.

    Words are compared without accents and case, as the search does ("cafe" marks "Café"). Every
    piece of ``text`` is escaped before any markup is added, so a name cannot inject markup.
    """
    text = text or ""
    terms = sorted({normalise(t) for t in terms if t}, key=len, reverse=True) if not isinstance(terms, tuple) else terms
    if not terms:
        return conditional_escape(text)
    folded = normalise(text)
    if not any(term in folded for term in terms):
        return conditional_escape(text)  # no word of it can start with a term
    pieces: list[str] = []
    position = 0
    for match in _WORD.finditer(text):
        word = match.group()
        normalised = normalise(word)
        term = next((t for t in terms if normalised.startswith(t)), None)
        if term is None:
            continue
        start, end = match.start(), match.start() + _prefix_length(word, term)
        # html.escape is what Django's escape() applies; the pieces are plain text.
        pieces += [html.escape(text[position:start]), "<mark>", html.escape(text[start:end]), "</mark>"]
        position = end
    pieces.append(html.escape(text[position:]))
    return mark_safe("".join(pieces))  # noqa: S308 - every piece of text was escaped above


def _prefix_length(word: str, term: str) -> int:
    """How many characters of ``word`` make up the prefix that normalises to ``term``."""
    if word.isascii():
        return len(term)
    length = covered = 0
    while length < len(word) and covered < len(term):
        covered += len(normalise(word[length]))
        length += 1
    return length


def supplier_data(supplier: Supplier) -> dict:
    """What the widget needs to show a chosen supplier (and what ``supplierSelected`` carries)."""
    return {
        "uuid": str(supplier.uuid),
        "label": _short_label(supplier),
        "establishment": supplier.establishment_label,
        "legal_name": supplier.legal_name,
        "trade_name": supplier.trade_name,
        "kvk_number": supplier.kvk_number,
        "branch_number": supplier.branch_number,
        "is_main_branch": supplier.is_main_branch,
        "establishment_kind": _("hoofdvestiging") if supplier.is_main_branch else _("vestiging"),
        "street": supplier.street,
        "house_number": supplier.house_number,
        "postcode": supplier.postcode,
        "city": supplier.city,
        "address": supplier.address_line,
        "phone": supplier.phone,
        "email": supplier.email,
        "website": supplier.website,
        # The registry's contact for social return, where it knows one: offered in the contract form.
        "contact_name": supplier.contact_name,
        "contact_email": supplier.contact_email,
        "contact_phone": supplier.contact_phone,
    }


def _short_label(supplier: Supplier) -> str:
    return f"{supplier.legal_name}, {supplier.city}" if supplier.city else supplier.legal_name


def accessible_name(supplier: Supplier) -> str:
    """What a screen reader hears for an option: name, place and which establishment it is."""
    parts = [supplier.legal_name]
    if supplier.trade_name and supplier.trade_name != supplier.legal_name:
        parts[0] += f" ({supplier.trade_name})"
    if supplier.city:
        parts.append(supplier.city)
    if supplier.is_main_branch:
        parts.append(_("hoofdvestiging") + (f" {supplier.branch_number}" if supplier.branch_number else ""))
    elif supplier.branch_number:
        parts.append(_("vestiging %(number)s") % {"number": supplier.branch_number})
    return ", ".join(parts)


def more_text(more: int | None, *, estimate: bool = False) -> str:
    """The hint below a full list: how many more match, and how to narrow the search."""
    if not more:
        return ""
    if estimate and more >= COUNT_CAP:  # the search stopped counting there: a lower bound
        return ngettext(
            "Nog meer dan %(count)s resultaat — typ een plaats of KvK-nummer",
            "Nog meer dan %(count)s resultaten — typ een plaats of KvK-nummer",
            more,
        ) % {"count": _number(more)}
    if estimate:
        return ngettext(
            "Nog ongeveer %(count)s resultaat — typ een plaats of KvK-nummer",
            "Nog ongeveer %(count)s resultaten — typ een plaats of KvK-nummer",
            more,
        ) % {"count": _number(more)}
    return ngettext(
        "Nog %(count)s resultaat — typ een plaats of KvK-nummer",
        "Nog %(count)s resultaten — typ een plaats of KvK-nummer",
        more,
    ) % {"count": _number(more)}


def _number(value: int) -> str:
    from django.utils.formats import number_format

    return number_format(value, force_grouping=True)


def options_response(
    suppliers: Sequence[Supplier],
    *,
    listbox: str,
    searchable: bool,
    empty_message: str | None = None,
    highlight_terms: Iterable[str] = (),
    query: str = "",
    more: int | None = 0,
    more_is_estimate: bool = False,
) -> HttpResponse:
    """The typeahead's options for ``suppliers``, with the ``supplierResults`` event that tells the
    widget how many there are, what to announce (``empty_message`` when nothing matched) and, when
    more match than are shown, the hint how to narrow the search (``more``)."""
    terms = tuple(sorted({normalise(t) for t in (list(highlight_terms) or query_terms(query)) if t}, key=len, reverse=True))
    digit_terms = tuple(t for t in terms if t[0].isdigit())  # only these can start a KvK or branch number
    hint = more_text(more, estimate=more_is_estimate) if suppliers else ""
    if suppliers:
        message = ngettext(
            "%(count)d opdrachtnemer gevonden. Gebruik pijl omlaag en omhoog om te kiezen.",
            "%(count)d opdrachtnemers gevonden. Gebruik pijl omlaag en omhoog om te kiezen.",
            len(suppliers),
        ) % {"count": len(suppliers)}
        if hint:
            message = f"{message} {hint}."
    elif searchable:
        message = empty_message or _(
            "Geen opdrachtnemer gevonden. Staat hij er niet bij? Voeg hem toe met de knop naast het veld."
        )
    else:
        message = ""
    options = [
        {
            "id": f"{listbox}-{index}",
            "is_main": supplier.is_main_branch,
            "name": highlight(supplier.legal_name, terms),
            "trade_name": highlight(supplier.trade_name, terms)
            if supplier.trade_name and supplier.trade_name != supplier.legal_name
            else "",
            "street": highlight(" ".join(p for p in [supplier.street, supplier.house_number] if p), terms),
            "place": highlight(" ".join(p for p in [supplier.postcode, supplier.city] if p), terms),
            "kvk": highlight(supplier.kvk_number, digit_terms),
            "branch": highlight(supplier.branch_number, digit_terms),
            "label": accessible_name(supplier),
            "data": json.dumps(supplier_data(supplier)),
        }
        for index, supplier in enumerate(suppliers)
    ]
    words = {"kvk": _("KvK"), "branch": _("vestigingsnummer"), "main": _("hoofdvestiging")}
    response = HttpResponse(render_to_string("suppliers/_typeahead_options.html", {"options": options, "words": words}))
    # After the swap: the widget opens the list once the options are in it.
    return trigger_client_event(
        response,
        "supplierResults",
        {"count": len(suppliers), "message": message, "more": hint},
        after="swap",
    )

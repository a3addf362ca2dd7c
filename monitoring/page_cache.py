"""Rendered monitoring pages, kept per user until the data under them changes.

The individual list and the consolidated figures are read far more often than the contracts under
them change: a buyer pages, sorts and filters, and comes back. Rendering either costs tens of
milliseconds; serving it again from memory costs the session, user and membership reads every
signed-in request makes anyway, plus one read of ``monitoring_pageversion``.

Correctness rests on three things:

* **The key.** The user, their current organisation, the language, the host, the full path with its
  query string, whether htmx asked for the fragment, today's date (progress and "behind schedule"
  depend on it) and the page version. Pages are never shared between users.
* **The version.** Database triggers raise ``monitoring_pageversion.version`` at the commit of any
  transaction that changed a table the pages show (migration 0005). Before a page is computed for the
  cache, the version is read and then the user, memberships and organisation the middleware read
  earlier are read again: everything on the page is at least as new as the version it is stored
  under, so a page is never stored under a newer version than its data.
* **Per-request values.** A stored page holds placeholders for the CSRF token and the CSP nonce;
  every response gets fresh ones. A request with pending messages is never served from or stored
  in the cache, because the page would show (and use up) those messages.

Each process keeps its own least-recently-used entries (``MONITORING_PAGE_CACHE_ENTRIES``);
entries of an old version are never read again and age out.
"""

from __future__ import annotations

import secrets
import threading
from collections import OrderedDict
from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.contrib.messages import get_messages
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.middleware.csp import get_nonce
from django.middleware.csrf import get_token
from django.utils import timezone

from wizzr.tenancy import reread_request_principal

# Placeholders put into the context instead of the real values while a page is rendered for the
# cache; random per process, so page content cannot imitate them.
CSRF_PLACEHOLDER = f"csrf{secrets.token_hex(16)}"
NONCE_PLACEHOLDER = f"nonce{secrets.token_hex(16)}"

_lock = threading.Lock()
_entries: OrderedDict[tuple, tuple[bytes, list[tuple[str, str]]]] = OrderedDict()


def page_version() -> int | None:
    """The current page version, or None when the counter row is missing (then nothing is cached)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT version FROM monitoring_pageversion WHERE id = 1")
        row = cursor.fetchone()
    return row[0] if row else None


def clear() -> None:
    with _lock:
        _entries.clear()


def placeholders_wanted(request: HttpRequest) -> bool:
    """Whether the page being rendered goes to the cache (then its context gets the placeholders)."""
    return getattr(request, "_wizzr_page_cache_key", None) is not None


def placeholder_context(request: HttpRequest) -> dict:
    """Context entries that replace the CSRF token and CSP nonce while a page is rendered for the cache."""
    if not placeholders_wanted(request):
        return {}
    request._wizzr_page_placeholders_used = True
    return {"csrf_token": CSRF_PLACEHOLDER, "csp_nonce": NONCE_PLACEHOLDER}


def _key(request: HttpRequest, version: int, view_name: str) -> tuple:
    organisation = getattr(request, "organisation", None)
    return (
        view_name,
        request.get_host(),
        request.get_full_path(),
        request.headers.get("HX-Request") == "true",
        request.headers.get("HX-History-Restore-Request") == "true",
        getattr(request, "LANGUAGE_CODE", ""),
        request.user.pk,
        getattr(organisation, "pk", None),
        timezone.localdate(),
        version,
    )


def _respond(request: HttpRequest, body: bytes, headers: list[tuple[str, str]]) -> HttpResponse:
    body = body.replace(CSRF_PLACEHOLDER.encode(), get_token(request).encode())
    if NONCE_PLACEHOLDER.encode() in body:
        nonce = get_nonce(request)  # a fresh one per response; the middleware puts it in the policy
        body = body.replace(NONCE_PLACEHOLDER.encode(), str(nonce if nonce is not None else "").encode())
    response = HttpResponse(body)
    for name, value in headers:
        response[name] = value
    return response


def _store(key: tuple, body: bytes, headers: list[tuple[str, str]]) -> None:
    limit = settings.MONITORING_PAGE_CACHE_ENTRIES
    with _lock:
        _entries[key] = (body, headers)
        _entries.move_to_end(key)
        while len(_entries) > limit:
            _entries.popitem(last=False)


def cached_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Serve a GET page of a signed-in user from the cache while the page version stands.

    The view must render through a template whose context includes ``placeholder_context(request)``.
    """
    view_name = f"{view.__module__}.{view.__qualname__}"

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if (
            request.method != "GET"
            or not request.user.is_authenticated
            or settings.MONITORING_PAGE_CACHE_ENTRIES <= 0
            or len(get_messages(request))
        ):
            return view(request, *args, **kwargs)
        version = page_version()  # before the page is computed: see the module's notes
        if version is None:
            return view(request, *args, **kwargs)
        key = (*_key(request, version, view_name), args, tuple(sorted(kwargs.items())))
        with _lock:
            entry = _entries.get(key)
            if entry is not None:
                _entries.move_to_end(key)
        if entry is not None:
            return _respond(request, *entry)
        reread_request_principal(request)  # see "The version" in the module's notes
        key = (*_key(request, version, view_name), args, tuple(sorted(kwargs.items())))
        request._wizzr_page_cache_key = key
        try:
            response = view(request, *args, **kwargs)
        finally:
            request._wizzr_page_cache_key = None
        if not getattr(request, "_wizzr_page_placeholders_used", False):
            return response
        # What the view set (the middleware adds the rest to every response, stored or not).
        headers = list(response.items())
        storable = response.status_code == 200 and not response.streaming and not response.cookies
        if storable and not getattr(get_messages(request), "added_new", False):
            _store(key, response.content, headers)
        rebuilt = _respond(request, response.content, headers)
        rebuilt.status_code = response.status_code
        return rebuilt

    return wrapper

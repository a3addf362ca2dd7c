"""Per-user rate limit for the typeahead, counted in Django's cache (shared by every process).

A keystroke must stay cheap, and with the default database cache every cache write costs several
SQL statements. So requests are counted in the session first (saved on every request anyway) and
added to the user's shared counter in the cache every FLUSH_EVERY requests. A user's total over all
sessions can therefore run at most FLUSH_EVERY - 1 requests per session past the limit.
"""

from __future__ import annotations

import re
import time

from django.conf import settings
from django.core.cache import cache

FLUSH_EVERY = 10
SESSION_KEY = "supplier_search_rate"
_RATE = re.compile(r"\s*(\d+)\s*/\s*(\d*)\s*([smh])\s*")
_SECONDS = {"s": 1, "m": 60, "h": 3600}


def parse_rate(rate: str) -> tuple[int, int]:
    """'600/m' -> (600, 60); '10/5s' -> (10, 5). Raises ValueError for anything else."""
    match = _RATE.fullmatch(rate or "")
    if not match:
        raise ValueError(f"Unknown rate {rate!r}; use e.g. '600/m'.")
    count, multiple, unit = match.groups()
    return int(count), int(multiple or 1) * _SECONDS[unit]


def rate_limited(request, *, scope: str = "supplier-search") -> bool:
    """Count one request of ``request.user`` and return True when it is over WIZZR_SUPPLIER_SEARCH_RATE."""
    limit, period = parse_rate(settings.WIZZR_SUPPLIER_SEARCH_RATE)
    window = int(time.time() // period)
    state = request.session.get(SESSION_KEY)
    if not isinstance(state, list) or len(state) != 3 or state[0] != window:
        state = [window, 0, 0]  # window, not yet flushed, user's total at the last flush
    state[1] += 1
    if state[1] >= min(FLUSH_EVERY, limit + 1) or state[2] + state[1] > limit:
        state = [window, 0, _add(f"{scope}:{request.user.pk}:{window}", state[1], period)]
    request.session[SESSION_KEY] = state
    return state[2] + state[1] > limit


def _add(key: str, amount: int, period: int) -> int:
    """Add ``amount`` to the shared counter ``key`` and return its new value."""
    if cache.add(key, amount, timeout=period + 5):
        return amount
    try:
        return cache.incr(key, amount)
    except ValueError:  # expired between add and incr
        cache.set(key, amount, timeout=period + 5)
        return amount

"""Per-user rate limit for the typeahead, counted in Django's cache (shared by every process)."""

from __future__ import annotations

import re
import time

from django.conf import settings
from django.core.cache import cache

_RATE = re.compile(r"\s*(\d+)\s*/\s*(\d*)\s*([smh])\s*")
_SECONDS = {"s": 1, "m": 60, "h": 3600}


def parse_rate(rate: str) -> tuple[int, int]:
    """'600/m' -> (600, 60); '10/5s' -> (10, 5). Raises ValueError for anything else."""
    match = _RATE.fullmatch(rate or "")
    if not match:
        raise ValueError(f"Unknown rate {rate!r}; use e.g. '600/m'.")
    count, multiple, unit = match.groups()
    return int(count), int(multiple or 1) * _SECONDS[unit]


def rate_limited(user, *, scope: str = "supplier-search") -> bool:
    """Count one request of ``user`` and return True when it is over WIZZR_SUPPLIER_SEARCH_RATE.

    A fixed window: cheap (one cache key per user and window) and good enough to stop scraping.
    """
    limit, period = parse_rate(settings.WIZZR_SUPPLIER_SEARCH_RATE)
    window = int(time.time() // period)
    key = f"{scope}:{user.pk}:{window}"
    if cache.add(key, 1, timeout=period + 5):
        return False
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=period + 5)
        return False
    return count > limit

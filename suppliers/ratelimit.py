"""Per-user rate limit for the typeahead, counted in Django's cache (shared by every process).

A keystroke must stay cheap: with the default database cache every cache write costs several SQL
statements, and writing the count to the session would cost an UPDATE per keystroke. So each
process counts a user's requests in its own memory and adds them to the user's shared counter in the
cache every FLUSH_EVERY requests (or sooner, once the last known total says the limit is near). A
user's total over all processes can therefore run at most FLUSH_EVERY - 1 requests per process past
the limit.
"""

from __future__ import annotations

import re
import threading
import time

from django.conf import settings
from django.core.cache import cache

FLUSH_EVERY = 10
_RATE = re.compile(r"\s*(\d+)\s*/\s*(\d*)\s*([smh])\s*")
_SECONDS = {"s": 1, "m": 60, "h": 3600}


def parse_rate(rate: str) -> tuple[int, int]:
    """'600/m' -> (600, 60); '10/5s' -> (10, 5). Raises ValueError for anything else."""
    match = _RATE.fullmatch(rate or "")
    if not match:
        raise ValueError(f"Unknown rate {rate!r}; use e.g. '600/m'.")
    count, multiple, unit = match.groups()
    return int(count), int(multiple or 1) * _SECONDS[unit]


class ProcessCounter:
    """This process's not yet reported requests per (scope, user, window), and the shared totals it last saw."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.window = None
        self.counts: dict[tuple[str, int], list[int]] = {}  # key -> [not yet flushed, total at the last flush]

    def hit(self, scope: str, user_id: int, limit: int, period: int) -> bool:
        window = int(time.time() // period)
        key = (scope, user_id)
        with self.lock:
            if window != self.window:  # a new window: forget the old one (keeps memory bounded)
                self.window, self.counts = window, {}
            state = self.counts.setdefault(key, [0, 0])
            state[0] += 1
            if state[0] >= min(FLUSH_EVERY, limit + 1) or state[1] + state[0] > limit:
                state[1] = _add(f"{scope}:{user_id}:{window}", state[0], period)
                state[0] = 0
            return state[1] + state[0] > limit


_counter = ProcessCounter()


def rate_limited(request, *, scope: str = "supplier-search") -> bool:
    """Count one request of ``request.user`` and return True when it is over WIZZR_SUPPLIER_SEARCH_RATE."""
    limit, period = parse_rate(settings.WIZZR_SUPPLIER_SEARCH_RATE)
    return _counter.hit(scope, request.user.pk, limit, period)


def _add(key: str, amount: int, period: int) -> int:
    """Add ``amount`` to the shared counter ``key`` and return its new value."""
    if cache.add(key, amount, timeout=period + 5):
        return amount
    try:
        return cache.incr(key, amount)
    except ValueError:  # expired between add and incr
        cache.set(key, amount, timeout=period + 5)
        return amount

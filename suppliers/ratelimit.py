"""Per-user rate limit for the typeahead, counted in Django's cache (shared by every process).

A keystroke must stay cheap: with the default database cache every cache write costs several SQL
statements (about 3 ms), and writing the count to the session would cost an UPDATE per keystroke.
So each process counts a user's requests in its own memory and adds them to the user's shared
counter in the cache every FLUSH_EVERY requests, after that request's response has been sent
(``request_finished``), so that no one waits for it; once the last known total says the limit is
reached, it asks the shared counter before answering. A user's total over all processes can
therefore run at most FLUSH_EVERY requests per process past the limit.
"""

from __future__ import annotations

import re
import threading
import time

from django.conf import settings
from django.core.cache import cache
from django.core.signals import request_finished
from django.dispatch import receiver

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
        self.counts: dict[tuple[str, int], list[int]] = {}  # key -> [not yet reported, total at the last report]
        self.due: dict[tuple[str, int], tuple[str, int]] = {}  # key -> (cache key, period): report after the response

    def hit(self, scope: str, user_id: int, limit: int, period: int) -> bool:
        window = int(time.time() // period)
        key = (scope, user_id)
        with self.lock:
            if window != self.window:  # a new window: forget the old one (keeps memory bounded)
                self.window, self.counts, self.due = window, {}, {}
            state = self.counts.setdefault(key, [0, 0])
            state[0] += 1
            if state[1] + state[0] > limit:  # over the limit as far as this process knows: ask now
                state[1] = _add(f"{scope}:{user_id}:{window}", state[0], period)
                state[0] = 0
                self.due.pop(key, None)
            elif state[0] >= min(FLUSH_EVERY, limit + 1):
                self.due[key] = (f"{scope}:{user_id}:{window}", period)
            return state[1] + state[0] > limit

    def report_due(self) -> None:
        """Add the counts that are due to the shared counters (after a response has been sent)."""
        with self.lock:
            due, self.due = self.due, {}
            for key, (cache_key, period) in due.items():
                state = self.counts.get(key)
                if state and state[0]:
                    state[1] = _add(cache_key, state[0], period)
                    state[0] = 0


_counter = ProcessCounter()


def rate_limited(request, *, scope: str = "supplier-search") -> bool:
    """Count one request of ``request.user`` and return True when it is over WIZZR_SUPPLIER_SEARCH_RATE."""
    limit, period = parse_rate(settings.WIZZR_SUPPLIER_SEARCH_RATE)
    return _counter.hit(scope, request.user.pk, limit, period)


@receiver(request_finished, dispatch_uid="suppliers.ratelimit.report_due")
def report_due(**kwargs) -> None:
    """Once a response has been sent: report this process's due counts to the shared counters."""
    if _counter.due:
        _counter.report_due()


def _add(key: str, amount: int, period: int) -> int:
    """Add ``amount`` to the shared counter ``key`` and return its new value."""
    if cache.add(key, amount, timeout=period + 5):
        return amount
    try:
        return cache.incr(key, amount)
    except ValueError:  # expired between add and incr
        cache.set(key, amount, timeout=period + 5)
        return amount

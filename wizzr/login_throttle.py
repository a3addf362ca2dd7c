"""Failed logins: a growing delay per account and a budget per address that a shared office cannot use up.

A town hall, a shared procurement office or a mobile network puts many people behind one address. A
plain count of failures per address would let one person (or one forgotten password) lock all of them
out, so the two limits are kept apart:

- Per account (the address typed at login): the first ``ACCOUNT_FREE_FAILURES`` failures cost nothing;
  after that each further attempt waits 2, 4, 8 … seconds, up to ``ACCOUNT_MAX_DELAY``. During the wait
  even the right password is refused, with a message saying how long to wait and that a new password
  can be requested. A correct login or a password reset clears the account's count; failures are
  forgotten ``ACCOUNT_MEMORY`` seconds after the last one. Any typed address has a count, known or
  not, so the answers tell nothing about which accounts exist.
- Per address (IPv6 per /64): at most ``ADDRESS_BUDGET`` failures in ``ADDRESS_WINDOW`` seconds, of
  which one account counts for at most ``ADDRESS_SHARE_PER_ACCOUNT``. Hammering one account never uses
  up the address's budget; trying hundreds of accounts from one address (password spraying) does.

An attempt is counted as failed before the password is checked and taken back when it was right, so
that a burst of parallel requests cannot slip past the count. Counts live in Django's cache (shared by
every web process: a database table unless CACHE_URL names a Redis).
"""

from __future__ import annotations

import hashlib
import ipaddress
import math
import time
from contextlib import contextmanager
from dataclasses import dataclass

from django.core.cache import cache
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

ACCOUNT_FREE_FAILURES = 5
ACCOUNT_MAX_DELAY = 15 * 60
ACCOUNT_MEMORY = 24 * 60 * 60
ADDRESS_WINDOW = 15 * 60
ADDRESS_BUDGET = 300
ADDRESS_SHARE_PER_ACCOUNT = 5

LOCK_SECONDS = 5
LOCK_TRIES = 100  # of 10 ms: about a second


class LoginThrottled(Exception):
    def __init__(self, message: str, wait: float):
        super().__init__(message)
        self.message = message
        self.wait = wait


@dataclass
class Attempt:
    """A login attempt counted as failed until ``succeeded`` takes it back."""

    account: str
    address: str
    at: float


def account_delay(failures: int) -> int:
    """Seconds to wait after ``failures`` failed attempts: 0 for the first few, then doubling to the cap."""
    if failures < ACCOUNT_FREE_FAILURES:
        return 0
    return min(2 ** (failures - ACCOUNT_FREE_FAILURES + 1), ACCOUNT_MAX_DELAY)


def _account_key(login: str) -> str:
    return "wizzr:login:account:" + hashlib.sha256(login.strip().lower().encode()).hexdigest()


def _address_key(ip: str) -> str:
    try:
        address = ipaddress.ip_address(ip)
    except ValueError:
        return f"wizzr:login:address:{ip}"
    if address.version == 6:
        address = ipaddress.ip_network(f"{address}/64", strict=False).network_address
    return f"wizzr:login:address:{address}"


@contextmanager
def _locked(key: str):
    """Serialises read-modify-write of one cache entry across processes. Without the lock after a second
    (a crashed holder), the update goes ahead: a count that may miss one attempt beats refusing logins."""
    lock = f"{key}:lock"
    acquired = cache.add(lock, 1, LOCK_SECONDS)
    for _try in range(LOCK_TRIES):  # counted, not timed: tests freeze the clock
        if acquired:
            break
        time.sleep(0.01)
        acquired = cache.add(lock, 1, LOCK_SECONDS)
    try:
        yield
    finally:
        if acquired:
            cache.delete(lock)


def _wait_text(seconds: float) -> str:
    seconds = max(1, math.ceil(seconds))
    if seconds < 60:
        return ngettext("%(count)d seconde", "%(count)d seconden", seconds) % {"count": seconds}
    minutes = math.ceil(seconds / 60)
    return ngettext("%(count)d minuut", "%(count)d minuten", minutes) % {"count": minutes}


def _address_used(entries: dict[str, list[float]], now: float) -> tuple[dict[str, list[float]], int]:
    live = {account: [t for t in times if t > now - ADDRESS_WINDOW] for account, times in entries.items()}
    live = {account: times for account, times in live.items() if times}
    return live, sum(min(len(times), ADDRESS_SHARE_PER_ACCOUNT) for times in live.values())


def attempt_begin(*, login: str, ip: str) -> Attempt:
    """Count an attempt for ``login`` from ``ip`` as failed, or raise LoginThrottled when it must wait."""
    now = time.time()
    account, address = _account_key(login), _address_key(ip)

    with _locked(address):
        entries, used = _address_used(cache.get(address) or {}, now)
        if used >= ADDRESS_BUDGET:
            oldest = min(t for times in entries.values() for t in times)
            wait = oldest + ADDRESS_WINDOW - now
            raise LoginThrottled(
                _(
                    "Vanaf uw netwerk is te vaak met een verkeerd wachtwoord geprobeerd in te loggen. "
                    "Probeer het over %(wait)s opnieuw."
                )
                % {"wait": _wait_text(wait)},
                wait,
            )

    with _locked(account):
        state = cache.get(account) or {"failures": 0, "until": 0.0}
        if now < state["until"]:
            wait = state["until"] - now
            raise LoginThrottled(
                _(
                    "Er is te vaak een verkeerd wachtwoord gebruikt voor dit e-mailadres. Probeer het over "
                    "%(wait)s opnieuw. Weet u uw wachtwoord niet meer? Vraag dan via ‘Wachtwoord vergeten?’ "
                    "een nieuw wachtwoord aan."
                )
                % {"wait": _wait_text(wait)},
                wait,
            )
        failures = state["failures"] + 1
        cache.set(account, {"failures": failures, "until": now + account_delay(failures)}, ACCOUNT_MEMORY)

    with _locked(address):
        entries, _used = _address_used(cache.get(address) or {}, now)
        entries.setdefault(account, []).append(now)
        cache.set(address, entries, ADDRESS_WINDOW)
    return Attempt(account=account, address=address, at=now)


def attempt_succeeded(attempt: Attempt) -> None:
    """The password was right: the account starts afresh and the attempt leaves the address's count."""
    with _locked(attempt.account):
        cache.delete(attempt.account)
    with _locked(attempt.address):
        entries = cache.get(attempt.address) or {}
        times = [t for t in entries.get(attempt.account, []) if t != attempt.at]
        if times:
            entries[attempt.account] = times
        else:
            entries.pop(attempt.account, None)
        cache.set(attempt.address, entries, ADDRESS_WINDOW)


def clear_account(login: str) -> None:
    """Forget the failed attempts of ``login`` (after a password reset by the owner)."""
    key = _account_key(login)
    with _locked(key):
        cache.delete(key)

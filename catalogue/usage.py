"""Which contracts use a catalogue version: answered by the app that pins versions to contracts.

The catalogue knows no contracts. The follow-up of contracts registers a ``VersionUsage`` here when
it starts (see ``monitoring.apps``); the admin of catalogue versions asks it how many contracts use
a version and what publishing a draft would do. Until one is registered, no contract uses any version.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Expression, IntegerField, Value


@dataclass(frozen=True)
class VersionUsage:
    """The answers about contracts, each a function of keyword arguments."""

    # () -> an expression that counts the contracts pinning a version, to annotate versions with.
    count: Callable[[], Expression]
    # (*, version) -> the admin address listing the contracts that pin ``version``, or "".
    listing_url: Callable[..., str]
    # (*, version) -> how many contracts are pinned to another version of ``version``'s catalogue.
    keeping: Callable[..., int]
    # (*, version, valid_from, until) -> how many contracts, handed over from ``valid_from`` and
    # before ``until`` (None: no end) and without a pinned version, would get ``version``.
    getting: Callable[..., int]


NO_USAGE = VersionUsage(
    count=lambda: Value(0, output_field=IntegerField()),
    listing_url=lambda *, version: "",
    keeping=lambda *, version: 0,
    getting=lambda *, version, valid_from, until: 0,
)

_registered: VersionUsage | None = None


def register_usage(usage: VersionUsage) -> None:
    """Register the answers about contracts (once, from an ``AppConfig.ready``)."""
    global _registered
    _registered = usage


def version_usage() -> VersionUsage:
    return _registered or NO_USAGE


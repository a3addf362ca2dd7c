"""Which contracts use a catalogue version: answered by the app that pins versions to contracts.

The catalogue knows no contracts. The follow-up of contracts registers a ``VersionUsage`` here when
it starts (see ``monitoring.apps``); the admin of catalogue versions asks it how many contracts use
a version and what publishing a draft would do. Until one is registered, no contract uses any version.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import Expression, IntegerField, Value

# How many contracts a preview lists by name; the count is always complete.
LISTED_CONTRACTS = 50


@dataclass(frozen=True)
class ContractRow:
    """A contract as the catalogue's admin lists it: its number, title and organisation."""

    number: str
    title: str
    organisation: str
    handed_over_on: datetime.date | None = None
    version_label: str = ""  # the version it pinned, if any
    url: str = ""  # its admin page, or ""


@dataclass(frozen=True)
class ContractList:
    """Some contracts: ``count`` of them in all, the first ``LISTED_CONTRACTS`` as ``rows``."""

    count: int = 0
    rows: tuple[ContractRow, ...] = ()

    @property
    def is_partial(self) -> bool:
        return self.count > len(self.rows)


NO_CONTRACTS = ContractList()


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
    # (*, version, valid_from, until) -> the contracts ``getting`` counts, as a ``ContractList``.
    getting_list: Callable[..., ContractList] = field(default=lambda *, version, valid_from, until: NO_CONTRACTS)
    # (*, version, valid_from, until) -> the concepts of the authorities served by the region's
    # service points: they get ``version`` when they are handed over from ``valid_from`` (before ``until``).
    awaiting: Callable[..., ContractList] = field(default=lambda *, version, valid_from, until: NO_CONTRACTS)
    # (*, version, valid_from) -> the contracts handed over from ``valid_from`` on that already
    # pinned another version of the catalogue: they keep it.
    keeping_since: Callable[..., ContractList] = field(default=lambda *, version, valid_from: NO_CONTRACTS)
    # (user) -> whether ``user`` may see contracts by name in the admin (the lists above).
    may_list: Callable[..., bool] = field(default=lambda user: False)


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


"""The contracts that use a catalogue version, as the catalogue's admin asks for them (``catalogue.usage``).

A contract pins the version in force when it is handed over (``ContractFollowUp.catalogue_version``);
publishing a draft never changes a pinned version, it only concerns contracts handed over from its
date on that have none yet.
"""

from __future__ import annotations

import datetime

from django.db.models import Count, Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from catalogue.usage import LISTED_CONTRACTS, ContractList, ContractRow, VersionUsage
from contracts.models import Contract
from monitoring.models import ContractFollowUp


def contracts_pinning():
    """Annotation for catalogue versions: the number of contracts that pinned each."""
    return Count("follow_ups", distinct=True)


def contracts_listing_url(*, version) -> str:
    return reverse("admin:monitoring_contractfollowup_changelist") + f"?catalogue_version__id__exact={version.pk}"


def contracts_keeping(*, version) -> int:
    """The contracts pinned to another version of ``version``'s catalogue: they keep theirs."""
    return (
        ContractFollowUp.objects.filter(catalogue_version__catalogue=version.catalogue_id)
        .exclude(catalogue_version=version)
        .count()
    )


def _of_region(version) -> QuerySet:
    """The contracts of the authorities served by the service points of ``version``'s region."""
    return Contract.objects.filter(organisation__served_by__in=version.catalogue.region.service_points.all())


def _getting(*, version, valid_from: datetime.date, until: datetime.date | None) -> QuerySet:
    getting = _of_region(version).filter(handed_over_at__date__gte=valid_from).exclude(status=Contract.Status.DRAFT)
    if until is not None:
        getting = getting.filter(handed_over_at__date__lt=until)
    return getting.filter(Q(follow_up__isnull=True) | Q(follow_up__catalogue_version__isnull=True))


def contracts_getting(*, version, valid_from: datetime.date, until: datetime.date | None) -> int:
    """The contracts of the authorities served by the region's service points, handed over on or
    after ``valid_from`` (and before ``until``) without a pinned version: they would get ``version``."""
    return _getting(version=version, valid_from=valid_from, until=until).count()


def _listed(contracts: QuerySet) -> ContractList:
    """Count ``contracts`` and list the first ones (by handover, then number) with their admin page."""
    contracts = contracts.select_related("organisation", "follow_up__catalogue_version").order_by(
        "handed_over_at", "contract_number", "pk"
    )
    rows = tuple(
        ContractRow(
            number=contract.contract_number,
            title=contract.title,
            organisation=contract.organisation.name,
            handed_over_on=timezone.localdate(contract.handed_over_at) if contract.handed_over_at else None,
            version_label=_pinned_label(contract),
            url=reverse("admin:contracts_contract_change", args=[contract.pk]),
        )
        for contract in contracts[:LISTED_CONTRACTS]
    )
    return ContractList(count=contracts.count(), rows=rows)


def _pinned_label(contract: Contract) -> str:
    follow_up = getattr(contract, "follow_up", None) if contract.status != Contract.Status.DRAFT else None
    version = follow_up.catalogue_version if follow_up is not None else None
    return version.label if version is not None else ""


def contracts_getting_list(*, version, valid_from: datetime.date, until: datetime.date | None) -> ContractList:
    return _listed(_getting(version=version, valid_from=valid_from, until=until))


def concepts_awaiting(*, version, valid_from: datetime.date, until: datetime.date | None) -> ContractList:
    """The concepts of the region's authorities: each gets ``version`` if it is handed over on or
    after ``valid_from`` (and before ``until``); when that happens is not known yet."""
    return _listed(_of_region(version).filter(status=Contract.Status.DRAFT))


def contracts_keeping_since(*, version, valid_from: datetime.date) -> ContractList:
    """The contracts handed over on or after ``valid_from`` that already pinned another version of
    the catalogue (a version starting today: those handed over earlier that day keep theirs)."""
    return _listed(
        _of_region(version)
        .filter(handed_over_at__date__gte=valid_from, follow_up__catalogue_version__catalogue=version.catalogue_id)
        .exclude(follow_up__catalogue_version=version)
        .exclude(status=Contract.Status.DRAFT)
    )


USAGE = VersionUsage(
    count=contracts_pinning,
    listing_url=contracts_listing_url,
    keeping=contracts_keeping,
    getting=contracts_getting,
    getting_list=contracts_getting_list,
    awaiting=concepts_awaiting,
    keeping_since=contracts_keeping_since,
    may_list=lambda user: user.has_perm("contracts.view_contract"),
)

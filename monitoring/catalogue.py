"""The contracts that use a catalogue version, as the catalogue's admin asks for them (``catalogue.usage``).

A contract pins the version in force when it is handed over (``ContractFollowUp.catalogue_version``);
publishing a draft never changes a pinned version, it only concerns contracts handed over from its
date on that have none yet.
"""

from __future__ import annotations

import datetime

from django.db.models import Count, Q
from django.urls import reverse

from catalogue.usage import VersionUsage
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


def contracts_getting(*, version, valid_from: datetime.date, until: datetime.date | None) -> int:
    """The contracts of the authorities served by the region's service points, handed over on or
    after ``valid_from`` (and before ``until``) without a pinned version: they would get ``version``."""
    getting = Contract.objects.filter(
        organisation__served_by__in=version.catalogue.region.service_points.all(),
        handed_over_at__date__gte=valid_from,
    ).exclude(status=Contract.Status.DRAFT)
    if until is not None:
        getting = getting.filter(handed_over_at__date__lt=until)
    getting = getting.filter(Q(follow_up__isnull=True) | Q(follow_up__catalogue_version__isnull=True))
    return getting.count()


USAGE = VersionUsage(
    count=contracts_pinning,
    listing_url=contracts_listing_url,
    keeping=contracts_keeping,
    getting=contracts_getting,
)

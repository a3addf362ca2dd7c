"""Catalogue versions as a workflow: copy a version into a draft, see what publishing it would do,
publish it. A published version is frozen with its blocks and bonuses (``CatalogueVersion.clean``);
contracts keep the version they pinned at handover, so publishing never changes an existing contract.
How many contracts a version concerns is answered by the app that pins them (``catalogue.usage``)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from catalogue.models import Bonus, BuildingBlock, CatalogueVersion, PsoDiscount
from catalogue.usage import NO_CONTRACTS, ContractList, version_usage
from wizzr.audit import audit_record

Status = CatalogueVersion.Status


class CatalogueError(Exception):
    """A step that is not possible for this version; ``message`` is shown to the administrator (Dutch)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def _copy_label(version: CatalogueVersion) -> str:
    """A free label for the copy: ‘V05 april 2023 (concept)’, then ‘(concept 2)’ and so on."""
    taken = set(CatalogueVersion.objects.filter(catalogue=version.catalogue).values_list("label", flat=True))
    base = version.label[:66]
    label, n = f"{base} ({_('concept')})", 1
    while label in taken:
        n += 1
        label = f"{base} ({_('concept')} {n})"
    return label


def catalogue_version_copy(
    *, version: CatalogueVersion, by, request: HttpRequest | None = None
) -> CatalogueVersion:
    """Copy ``version`` with all its blocks, bonuses and PSO discounts into a new draft of the same catalogue.

    The draft has no valid-from date yet: that is chosen when it is published.
    """
    with transaction.atomic():
        draft = CatalogueVersion.objects.create(
            catalogue=version.catalogue,
            label=_copy_label(version),
            status=Status.DRAFT,
            valid_from=None,
            notes=version.notes,
        )
        BuildingBlock.objects.bulk_create(
            BuildingBlock(
                version=draft,
                name=block.name,
                category=block.category,
                unit=block.unit,
                value=block.value,
                counting_months=block.counting_months,
                description=block.description,
                position=block.position,
            )
            for block in version.blocks.all()
        )
        Bonus.objects.bulk_create(
            Bonus(
                version=draft,
                name=bonus.name,
                kind=bonus.kind,
                value=bonus.value,
                min_age=bonus.min_age,
                position=bonus.position,
            )
            for bonus in version.bonuses.all()
        )
        PsoDiscount.objects.bulk_create(
            PsoDiscount(version=draft, level=rule.level, percentage=rule.percentage)
            for rule in version.pso_discounts.all()
        )
        audit_record(
            action="catalogue_version_copied",
            actor=by,
            obj=draft,
            request=request,
            detail={"from": str(version.uuid), "from_label": version.label},
        )
    return draft


@dataclass(frozen=True)
class PublishPreview:
    """What publishing a draft on ``valid_from`` would do."""

    valid_from: datetime.date
    contracts_changed: int  # always 0: a contract keeps its pinned version
    contracts_keeping_their_version: int
    contracts_getting_it: int
    next_version: CatalogueVersion | None
    # The contracts by name: handed over without a version (they get it), the concepts that get it
    # when handed over from ``valid_from``, and those handed over from then on that keep another.
    getting: ContractList = NO_CONTRACTS
    awaiting: ContractList = NO_CONTRACTS
    keeping_since: ContractList = NO_CONTRACTS


def catalogue_version_preview(*, version: CatalogueVersion, valid_from: datetime.date) -> PublishPreview:
    """Count the contracts publishing ``version`` on ``valid_from`` concerns.

    Contracts pinned to another version of the catalogue keep it. Contracts of the authorities
    served by the region's service points that are handed over on or after ``valid_from`` (and
    before the next published version, if any) and have no version pinned yet get this one, and so
    do those authorities' concepts when they are handed over in that period. The contracts are
    also listed by name (``ContractList``).
    """
    usage = version_usage()
    next_version = (
        CatalogueVersion.objects.published()
        .filter(catalogue=version.catalogue, valid_from__gt=valid_from)
        .exclude(pk=version.pk)
        .order_by("valid_from")
        .first()
    )
    until = next_version.valid_from if next_version is not None else None
    return PublishPreview(
        valid_from=valid_from,
        contracts_changed=0,
        contracts_keeping_their_version=usage.keeping(version=version),
        contracts_getting_it=usage.getting(version=version, valid_from=valid_from, until=until),
        next_version=next_version,
        getting=usage.getting_list(version=version, valid_from=valid_from, until=until),
        awaiting=usage.awaiting(version=version, valid_from=valid_from, until=until),
        keeping_since=usage.keeping_since(version=version, valid_from=valid_from),
    )


def catalogue_version_publish(
    *, version: CatalogueVersion, valid_from: datetime.date, by, request: HttpRequest | None = None
) -> CatalogueVersion:
    """Publish a draft from ``valid_from`` on (today or later) and freeze it.

    Raises ``CatalogueError`` for a version that is already published, a date in the past, a date
    on which another published version of the catalogue starts, or a version without blocks.
    """
    with transaction.atomic():
        version = CatalogueVersion.objects.select_for_update().select_related("catalogue").get(pk=version.pk)
        if version.status != Status.DRAFT:
            raise CatalogueError(_("Deze versie is al gepubliceerd."))
        if valid_from < timezone.localdate():
            raise CatalogueError(_("De ingangsdatum kan niet in het verleden liggen."))
        clash = CatalogueVersion.objects.published().filter(catalogue=version.catalogue, valid_from=valid_from).first()
        if clash is not None:
            raise CatalogueError(
                _("Op deze datum gaat al versie %(label)s in. Kies een andere datum.") % {"label": clash.label}
            )
        if not version.blocks.exists():
            raise CatalogueError(_("Een versie zonder bouwblokken kan niet worden gepubliceerd."))
        version.status = Status.PUBLISHED
        version.valid_from = valid_from
        version.save(update_fields=["status", "valid_from"])
        audit_record(
            action="catalogue_version_published",
            actor=by,
            obj=version,
            request=request,
            detail={"valid_from": valid_from.isoformat()},
        )
    return version

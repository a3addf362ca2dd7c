"""Celery tasks of contract entry: the dry run and the apply of large contract imports."""

from __future__ import annotations

from celery import shared_task
from django.utils.translation import gettext as _

from contracts import importer
from contracts.models import ImportBatch
from wizzr.models import User


@shared_task(acks_late=True)
def import_check(batch_id: int) -> None:
    batch = ImportBatch.objects.select_related("organisation").get(pk=batch_id)
    if batch.status == ImportBatch.Status.CHECKING:
        importer.check(batch, progress=True)


@shared_task(acks_late=True)
def import_apply(batch_id: int, chosen: dict, user_id: int | None) -> None:
    by = User.objects.filter(pk=user_id).first()
    try:
        done, message = importer.apply(batch_id, chosen=chosen, by=by)
    except Exception:
        # Nothing was stored (one transaction); the admin can confirm again.
        ImportBatch.objects.filter(pk=batch_id, status=ImportBatch.Status.APPLYING).update(
            status=ImportBatch.Status.CHECKED, message=_("Het inlezen is mislukt; er is niets opgeslagen. Probeer het opnieuw.")
        )
        raise
    if not done:
        ImportBatch.objects.filter(pk=batch_id).update(message=message)

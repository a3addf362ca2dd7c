"""Multi-step changes to the registry."""

from __future__ import annotations

from django.db import IntegrityError, models, transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _

from suppliers.models import Supplier
from wizzr.audit import audit_record


class MergeError(ValueError):
    """The merge cannot be done; the message says why (in Dutch, for the administrator)."""


def supplier_references() -> list[tuple[type[models.Model], str]]:
    """Every (model, field name) whose foreign key points at Supplier — including the ones apps add
    later (contracts, …) and the hidden through tables of many-to-many relations."""
    references = []
    for relation in Supplier._meta.get_fields(include_hidden=True):
        if relation.auto_created and not relation.concrete and (relation.one_to_many or relation.one_to_one):
            references.append((relation.related_model, relation.field.name))
    return references


def supplier_usage(supplier_ids: list[int]) -> dict[int, list[tuple[str, int]]]:
    """Per supplier id, how many rows of other models (contracts, …) refer to it, as
    (verbose name, count) pairs; suppliers nothing refers to are left out.

    One grouped query per referring model, each on its foreign key's index: the cost follows the
    number of references to these suppliers, not the size of the registry.
    """
    usage: dict[int, list[tuple[str, int]]] = {}
    for model, field_name in supplier_references():
        if model is Supplier or model._meta.auto_created:
            continue
        rows = (
            model._base_manager.filter(**{f"{field_name}__in": supplier_ids})
            .order_by()
            .values_list(field_name)
            .annotate(count=models.Count("pk"))
        )
        for supplier_id, count in rows:
            name = model._meta.verbose_name if count == 1 else model._meta.verbose_name_plural
            usage.setdefault(supplier_id, []).append((str(name), count))
    return usage


def supplier_merge(*, keep: Supplier, duplicate: Supplier, by, request: HttpRequest | None = None) -> dict[str, int]:
    """Merge ``duplicate`` into ``keep``: every reference moves to ``keep``, the duplicate is
    deactivated with ``merged_into = keep``, and an audit event records what moved.

    Returns the number of moved rows per model label. Raises MergeError when the two are the same,
    ``keep`` is not active, or a one-to-one reference exists on both sides.
    """
    if keep.pk == duplicate.pk:
        raise MergeError(_("Een opdrachtnemer kan niet met zichzelf worden samengevoegd."))
    with transaction.atomic():
        locked = {s.pk: s for s in Supplier.objects.select_for_update().filter(pk__in=[keep.pk, duplicate.pk]).order_by("pk")}
        keep, duplicate = locked[keep.pk], locked[duplicate.pk]
        if not keep.is_active:
            raise MergeError(_("%(name)s is niet actief en kan niet de blijvende opdrachtnemer zijn.") % {"name": keep})
        moved: dict[str, int] = {}
        for model, field_name in supplier_references():
            rows = model._base_manager.filter(**{field_name: duplicate})
            if model is Supplier:
                rows = rows.exclude(pk=keep.pk)
            if model._meta.auto_created:
                # A many-to-many row that would exist twice after the move is simply dropped.
                other = next(f.name for f in model._meta.concrete_fields if f.is_relation and f.name != field_name)
                already = model._base_manager.filter(**{field_name: keep}).values(other)
                rows.filter(**{f"{other}__in": already}).delete()
            try:
                with transaction.atomic():
                    count = rows.update(**{field_name: keep})
            except IntegrityError as error:
                raise MergeError(
                    _("De verwijzingen in %(model)s kunnen niet worden overgezet: %(name)s heeft er al een.")
                    % {"model": model._meta.verbose_name, "name": keep}
                ) from error
            if count:
                moved[model._meta.label] = count
        duplicate.is_active = False
        duplicate.merged_into = keep
        duplicate.save(update_fields=["is_active", "merged_into"])
        audit_record(
            action="supplier.merged",
            actor=by,
            obj=keep,
            request=request,
            detail={"duplicate": str(duplicate.uuid), "kvk_number": duplicate.kvk_number,
                    "branch_number": duplicate.branch_number, "moved": moved},
        )
    return moved

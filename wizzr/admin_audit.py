"""Every add, change and delete of a domain object in Django admin is audited (BIO 8.15.01).

``AuditedAdminMixin`` goes first in the bases of a ModelAdmin. It writes one audit event per object
added, changed or deleted, with the old and new value of each changed field (taken from the form's
``initial`` and ``cleaned_data``) and the changes made in inlines. Secrets are never written; fields
that hold personal data are named without their values.
"""

from __future__ import annotations

import datetime
import decimal
import re
import uuid

from django.core.exceptions import FieldDoesNotExist
from django.db import models, transaction
from django.forms.formsets import BaseFormSet

from wizzr.audit import audit_record

# Field names that hold secrets (password hashes, tokens, keys): left out of the audit detail entirely.
SECRET = re.compile(r"password|token|secret|hash|otp|api_key", re.IGNORECASE)
TEXT_LIMIT = 500
WITHHELD = {"withheld": True}


def organisation_of(obj: models.Model):
    """The tenant an event about ``obj`` is filed under: its organisation, or the organisation itself."""
    from wizzr.models import Organisation

    if isinstance(obj, Organisation):
        return obj
    if getattr(obj, "organisation_id", None) is not None:
        return obj.organisation
    return None


def plain(value):
    """A JSON-safe, short rendering of a form or model value."""
    if value is None or isinstance(value, bool | int | float):
        return value
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, models.Model):
        return str(value)[:200]
    if isinstance(value, models.QuerySet | list | tuple | set):
        return sorted(str(plain(v)) for v in value)
    if hasattr(value, "name") and hasattr(value, "read"):  # an uploaded or stored file
        return value.name
    text = str(value)
    return text if len(text) <= TEXT_LIMIT else text[:TEXT_LIMIT] + "…"


def _initial(form, name: str):
    """The value a field had before the change (``form.initial`` holds primary keys for relations)."""
    value = form.initial.get(name)
    model = getattr(form, "_meta", None) and form._meta.model
    if model is None or value in (None, "", []):
        return value
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return value
    if field.many_to_one or field.one_to_one:
        return field.related_model._base_manager.filter(pk=value).first() or value
    return value


def _same(old, new) -> bool:
    if isinstance(old, datetime.datetime | datetime.time) and isinstance(new, type(old)):
        return old.replace(microsecond=0) == new.replace(microsecond=0)
    return False


def form_changes(form, withheld=(), *, added: bool = False) -> dict:
    """``{field: {"old": …, "new": …}}`` for each changed field of ``form`` (only ``new`` for an
    added object); secrets are left out."""
    changes = {}
    for name in form.changed_data:
        if SECRET.search(name):
            continue
        if name in withheld:
            changes[name] = dict(WITHHELD)
            continue
        old, new = _initial(form, name), form.cleaned_data.get(name)
        if not added and _same(old, new):
            continue  # e.g. a time shown without its microseconds and posted back unchanged
        changes[name] = {"new": plain(new)} if added else {"old": plain(old), "new": plain(new)}
    return changes


def formset_changes(formset: BaseFormSet, withheld=()) -> list[dict]:
    """The rows an inline added, changed or deleted, each with its changed fields."""
    model = formset.model._meta.label_lower
    deleted = {id(f) for f in getattr(formset, "deleted_forms", [])}
    extra = {id(f) for f in formset.extra_forms}
    rows = []
    for form in formset.forms:
        # Rows are named by id: the text of an inline row (a membership) may name a person.
        instance = form.instance
        key = getattr(instance, "uuid", None) or form.initial.get(instance._meta.pk.attname) or instance.pk
        row = {"model": model, "id": str(key)}
        if id(form) in deleted:
            if id(form) not in extra:
                rows.append({**row, "deleted": True})
        elif form.has_changed():
            added = id(form) in extra
            fields = form_changes(form, withheld, added=added)
            if fields:
                rows.append({**row, "added": added, "fields": fields})
    return rows


class AuditedAdminMixin:
    """Audit every add, change and delete made in this ModelAdmin.

    ``audit_withheld``: names of fields with personal data; the event says they changed, not to what.
    """

    audit_withheld: tuple[str, ...] = ()

    def _audit(self, request, action: str, obj: models.Model, detail: dict) -> None:
        audit_record(
            action=action,
            actor=request.user,
            organisation=organisation_of(obj),
            obj=obj,
            request=request,
            detail={"via": "admin", **detail},
        )

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        detail = {"fields": form_changes(form, self.audit_withheld, added=not change)}
        inlines = [row for formset in formsets or [] for row in formset_changes(formset, self.audit_withheld)]
        if inlines:
            detail["inlines"] = inlines
        if change and not detail["fields"] and not inlines:
            return  # saved without changes: nothing happened
        self._audit(request, "admin_changed" if change else "admin_added", form.instance, detail)

    def delete_model(self, request, obj):
        with transaction.atomic():
            self._audit(request, "admin_deleted", obj, {})
            super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        with transaction.atomic():
            for obj in queryset:
                self._audit(request, "admin_deleted", obj, {})
            super().delete_queryset(request, queryset)

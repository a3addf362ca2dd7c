"""The supplier typeahead: an ARIA 1.2 combobox over the national registry.

The widget renders a visible text input (the combobox), a hidden input that carries the chosen
supplier's UUID under the field's name, a listbox filled through htmx, a live region announcing
the number of results, the icon button that opens the add-supplier dialog, and the address and
contact block of the chosen supplier. Behaviour lives in ``static/js/typeahead.js``.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe

from suppliers.models import Supplier
from wizzr.widgets import TypeaheadWidget


class SupplierTypeahead(TypeaheadWidget):
    template_name = "suppliers/_typeahead.html"
    # The text the user typed travels next to the UUID, so a form shown again keeps it.
    query_suffix = "__zoek"

    def value_from_datadict(self, data, files, name):
        value = _Submitted(data.get(name) or "")
        value.query = (data.get(name + self.query_suffix) or "")[:200]
        return value

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        supplier = _supplier_for(value)
        widget_id = context["widget"]["attrs"].get("id") or f"id_{name}"
        context["widget"].update(
            {
                "id": widget_id,
                "uuid": str(supplier.uuid) if supplier else "",
                "query": getattr(value, "query", "") if supplier is None else _label(supplier),
                "supplier": supplier,
                "query_name": name + self.query_suffix,
                "search_url": reverse("suppliers:search"),
                "add_url": reverse("suppliers:add"),
                "show_card": True,
                "value_class": "",
            }
        )
        return context

    def _render(self, template_name, context, renderer=None):
        # The project's template engine, so the widget's template lives under templates/suppliers/
        # whatever FORM_RENDERER the project uses.
        return mark_safe(render_to_string(template_name, context))  # noqa: S308


class SupplierPicker(SupplierTypeahead):
    """The same combobox over a narrower set of suppliers, for filters: ``search_url_name`` answers
    with that set (in the options markup of ``suppliers:search``). No add dialog, no address card;
    only the UUID is submitted, and the hidden input carries ``value_class`` (a change of the
    selection fires ``change`` on it)."""

    def __init__(self, *, search_url_name: str, value_class: str = "", attrs=None):
        super().__init__(attrs=attrs)
        self.search_url_name = search_url_name
        self.value_class = value_class
        # Set by the form: whether a submitted UUID belongs to the set. Anything else shows as empty.
        self.is_allowed: Callable[[str], bool] = lambda value: False

    def value_from_datadict(self, data, files, name):
        return TypeaheadWidget.value_from_datadict(self, data, files, name)  # only the UUID

    def get_context(self, name, value, attrs):
        if value and not self.is_allowed(str(value)):
            value = None
        context = super().get_context(name, value, attrs)
        context["widget"].update(
            {
                "search_url": reverse(self.search_url_name),
                "add_url": "",
                "show_card": False,
                "query_name": "",
                "value_class": self.value_class,
            }
        )
        return context


class _Submitted(str):
    """The submitted UUID, carrying the text typed beside it."""

    query = ""


def _label(supplier: Supplier) -> str:
    return f"{supplier.legal_name}, {supplier.city}" if supplier.city else supplier.legal_name


def _supplier_for(value) -> Supplier | None:
    if isinstance(value, Supplier):
        return value
    if not value:
        return None
    try:
        key = uuid.UUID(str(value))
    except ValueError:
        return None
    return Supplier.objects.filter(uuid=key).first()

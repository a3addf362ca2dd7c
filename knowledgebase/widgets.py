"""The contract picker of the help-request form: a combobox over the contracts the user may link a
question to, instead of a select that lists them all (the largest authority has 10,000).

It uses the behaviour of the supplier typeahead (``static/js/typeahead.js``: the ``data-supplier-*``
hooks are that script's, not the registry's): a visible text input, a hidden input that carries the
chosen contract's UUID under the field's name, and a listbox filled by ``knowledgebase:contract_options``.
"""

from __future__ import annotations

import uuid

from django import forms
from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe


def contract_label(contract) -> str:
    """How a contract is named in the picker, in its options and once chosen."""
    return f"{contract.contract_number} — {contract.title}"


class ContractPicker(forms.Widget):
    template_name = "knowledgebase/_contract_picker.html"

    class Media:
        css = {"all": ["css/suppliers.css"]}
        js = ["js/typeahead.js"]

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs)
        # Set by the form: the contracts that may be chosen. A UUID outside them shows as nothing chosen.
        self.contracts: QuerySet | None = None

    def value_from_datadict(self, data, files, name):
        return data.get(name) or ""

    def value_omitted_from_data(self, data, files, name) -> bool:
        return name not in data

    def id_for_label(self, id_: str) -> str:
        return id_

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        contract = self._chosen(value)
        context["widget"].update(
            {
                "id": context["widget"]["attrs"].get("id") or f"id_{name}",
                "uuid": str(contract.uuid) if contract else "",
                "label": contract_label(contract) if contract else "",
                "search_url": reverse("knowledgebase:contract_options"),
            }
        )
        return context

    def _chosen(self, value):
        if not value or self.contracts is None:
            return None
        if hasattr(value, "uuid"):  # a contract instance (a bound form's initial)
            value = value.uuid
        try:
            key = uuid.UUID(str(value))
        except ValueError:
            return None
        return self.contracts.filter(uuid=key).first()

    def _render(self, template_name, context, renderer=None):
        # The project's template engine, so that the template lives under templates/knowledgebase/.
        return mark_safe(render_to_string(template_name, context))  # noqa: S308

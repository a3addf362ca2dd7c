"""The contract picker of the help-request form: a combobox over the contracts the user may link a
question to, instead of a select that lists them all (the largest authority has 10,000).

A typeahead like the supplier's (``wizzr.widgets.TypeaheadWidget``; the ``data-supplier-*`` hooks are
``static/js/typeahead.js``'s, not the registry's) whose listbox ``knowledgebase:contract_options`` fills.
"""

from __future__ import annotations

import uuid

from django.db.models import QuerySet
from django.urls import reverse

from wizzr.widgets import TypeaheadWidget


def contract_label(contract) -> str:
    """How a contract is named in the picker, in its options and once chosen."""
    return f"{contract.contract_number} — {contract.title}"


class ContractPicker(TypeaheadWidget):
    template_name = "knowledgebase/_contract_picker.html"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs)
        # Set by the form: the contracts that may be chosen. A UUID outside them shows as nothing chosen.
        self.contracts: QuerySet | None = None

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        contract = self._chosen(value)
        context["widget"].update(
            {
                "id": context["widget"]["attrs"].get("id") or f"id_{name}",
                "uuid": str(contract.uuid) if contract else "",
                "query": contract_label(contract) if contract else "",
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

"""The base of the product's typeaheads (the supplier typeahead, the contract picker): an ARIA 1.2
combobox (``templates/_typeahead_combobox.html``, behaviour in ``static/js/typeahead.js``) whose label
points at the visible text input, and a hidden input that submits the chosen row's UUID under the
field's name."""

import re

from django import forms
from django.http import HttpRequest

_LISTBOX_ID = re.compile(r"[A-Za-z][A-Za-z0-9_-]{0,80}")


def listbox_id(request: HttpRequest, *, default: str) -> str:
    """The id of the typeahead's listbox that asks for options (``?listbox=``; the options' ids derive
    from it), if it is a safe one; ``default`` otherwise."""
    listbox = request.GET.get("listbox", "")
    return listbox if _LISTBOX_ID.fullmatch(listbox) else default


class TypeaheadWidget(forms.Widget):
    class Media:
        css = {"all": ["css/suppliers.css"]}
        js = ["js/typeahead.js"]

    def value_from_datadict(self, data, files, name):
        return data.get(name) or ""

    def value_omitted_from_data(self, data, files, name) -> bool:
        return name not in data

    def id_for_label(self, id_: str) -> str:
        return id_

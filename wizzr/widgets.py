"""The base of the product's typeaheads (the supplier typeahead, the contract picker): an ARIA 1.2
combobox (``templates/_typeahead_combobox.html``, behaviour in ``static/js/typeahead.js``) whose label
points at the visible text input, and a hidden input that submits the chosen row's UUID under the
field's name."""

from django import forms


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

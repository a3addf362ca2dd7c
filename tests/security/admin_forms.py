"""Post an admin change form back as the page showed it, with a few fields changed."""

from __future__ import annotations

from django import forms


def _form_data(form) -> dict:
    data = {}
    for field in form:
        value = field.field.prepare_value(field.value())
        if value is None or value is False:
            continue
        if isinstance(field.field.widget, forms.MultiWidget):  # date and time in two inputs
            for i, part in enumerate(field.field.widget.decompress(value)):
                data[f"{field.html_name}_{i}"] = part.isoformat() if part is not None else ""
            continue
        if value is True:
            data[field.html_name] = "on"
        elif isinstance(value, list | tuple):
            data[field.html_name] = [str(v.pk if hasattr(v, "pk") else v) for v in value]
        else:
            data[field.html_name] = str(value)
    return data


def change_form_data(response, **changes) -> dict:
    """The data of the admin change form in ``response`` (a GET of the change page), plus ``changes``."""
    data = _form_data(response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        initial = list(formset.initial_forms)
        data.update(_form_data(formset.management_form))
        data[f"{formset.prefix}-TOTAL_FORMS"] = str(len(initial))
        for form in initial:
            data.update(_form_data(form))
    data.update(changes)
    return data


def changelist_form_data(response, **changes) -> dict:
    """The data of the editable change list in ``response``, plus ``changes`` (keys with the form prefix)."""
    formset = response.context["cl"].formset
    data = _form_data(formset.management_form)
    for form in formset.forms:
        data.update(_form_data(form))
    data["_save"] = "Opslaan"
    data.update(changes)
    return data

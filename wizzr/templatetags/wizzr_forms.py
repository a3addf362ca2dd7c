"""Template helpers for forms: render Django widgets with NL Design System (Utrecht) classes."""

from django import forms, template

register = template.Library()

_CLASSES = {
    "select": "utrecht-select utrecht-select--html-select",
    "selectmultiple": "utrecht-select utrecht-select--html-select",
    "textarea": "utrecht-textarea utrecht-textarea--html-textarea",
    "checkbox": "",
    "radioselect": "",
    "checkboxselectmultiple": "",
    "clearablefile": "",
    "file": "",
}
_TEXTBOX = "utrecht-textbox utrecht-textbox--html-input"


@register.filter
def utrecht_widget(field: forms.BoundField) -> str:
    """Render ``field``'s widget with the Utrecht class for its kind.

    A placeholder that only repeats the label is dropped (allauth sets those): the label is
    always visible, and a placeholder that looks like a value confuses people.
    """
    widget = field.field.widget
    attrs: dict = {}
    extra = _CLASSES.get(field.widget_type, _TEXTBOX)
    if extra:
        attrs["class"] = f"{widget.attrs.get('class', '')} {extra}".strip()
    placeholder = widget.attrs.get("placeholder")
    if placeholder is not None and str(placeholder).strip().lower() in {str(field.label).strip().lower(), ""}:
        attrs["placeholder"] = False
    elif placeholder is not None and field.form.__class__.__module__.startswith("allauth."):
        # allauth's placeholders repeat its own English-derived labels, which we replace by ours.
        attrs["placeholder"] = False
    return field.as_widget(attrs=attrs)

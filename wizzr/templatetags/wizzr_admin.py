"""Template helpers for WIZZR's overrides of Django admin templates (templates/admin/)."""

from django import template
from django.contrib.admin.templatetags.admin_modify import submit_row
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

_SUBMITS = ("show_save", "show_save_as_new", "show_save_and_add_another", "show_save_and_continue")


@register.filter
def row_header(cell: SafeString) -> SafeString:
    """A change list renders the first column of a row as a bare ``<th>`` while the column headers carry
    ``scope="col"``; give the row header ``scope="row"`` so that the two are told apart."""
    if cell.startswith("<th") and "scope=" not in cell[: cell.find(">")]:
        # The cell is the admin's own escaped markup; only a literal attribute is added to it.
        return mark_safe('<th scope="row"' + cell[3:])  # noqa: S308
    return cell


@register.simple_tag(takes_context=True)
def change_form_submits(context) -> bool:
    """Whether the change form has anything to send: a save button (as Django's submit row decides)
    or the admin actions. A view-only page shows its data without a form around it."""
    row = submit_row(context)
    return any(row[name] for name in _SUBMITS) or bool(context.get("action_form") and not context["is_popup"])

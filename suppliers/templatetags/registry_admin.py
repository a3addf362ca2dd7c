"""Template helpers for the registry's admin pages."""

from django import template
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


@register.filter
def row_header(cell: SafeString) -> SafeString:
    """Django admin renders the linked first column of a result row as a bare ``<th>`` while the
    column headers carry ``scope="col"``; give the row header its scope too, so that assistive
    technology (and WCAG checkers) can tell the two apart."""
    if cell.startswith("<th") and "scope=" not in cell[: cell.find(">")]:
        return mark_safe('<th scope="row"' + cell[3:])
    return cell

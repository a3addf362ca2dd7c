from django import template

from wizzr.scanning import scanner_configured as _scanner_configured

register = template.Library()


@register.simple_tag
def scanner_configured() -> bool:
    """True when uploads are scanned by clamd (CLAMD_URL is set)."""
    return _scanner_configured()

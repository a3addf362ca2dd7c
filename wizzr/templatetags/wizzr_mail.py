"""Template helpers for e-mails, in-app notifications and pages that name an organisation in a sentence."""

from django import template

register = template.Library()


@register.filter(is_safe=True)
def before_full_stop(value) -> str:
    """``value`` without its own final full stop, for a place where the sentence ends right after it.

    A name such as ‘Bouwbedrijf Van den Heuvel B.V.’ then ends the sentence with one full stop
    instead of two; an ellipsis keeps its look (three dots).
    """
    text = str(value)
    return text[:-1] if text.endswith(".") else text

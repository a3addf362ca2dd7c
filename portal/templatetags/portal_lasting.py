"""The lasting-outcome questions on the supplier's start page and contract page."""

from __future__ import annotations

from django import template
from django.utils import timezone

from monitoring.lasting import answer_by
from monitoring.models import LastingOutcome
from portal.lasting import open_questions

register = template.Library()


@register.simple_tag
def open_lasting_questions(user) -> list[LastingOutcome]:
    """The questions ``user`` still has to answer, over all their contracts (one query), each with
    the day by which the answer is expected (``answer_by``) and whether that day has passed (``is_late``)."""
    today = timezone.localdate()
    questions = list(open_questions(user))
    for question in questions:
        question.answer_by = answer_by(question)
        question.is_late = question.answer_by < today
    return questions


@register.simple_tag
def contract_lasting_questions(contract) -> list[LastingOutcome]:
    """Every question of ``contract``, answered or not, the oldest first (one query). The caller
    has already checked that the user may see the contract."""
    return list(
        LastingOutcome.objects.filter(contract=contract).select_related("realisation__block").order_by("due_on", "pk")
    )

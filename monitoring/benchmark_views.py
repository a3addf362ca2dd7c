"""Vergelijken met andere opdrachtgevers: the benchmark page of a contracting authority and its
organisation admin's choice to take part or not.

Only members of a contracting authority (advisors, organisation admins) reach the page; anyone else,
coordinators and suppliers included, gets 404: the page does not exist for them.
"""

from __future__ import annotations

import logging

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_POST

from contracts.models import Contract
from monitoring import benchmarks
from wizzr.audit import audit_record
from wizzr.models import Organisation, Role
from wizzr.tenancy import current_organisation, current_roles

BENCHMARK_ROLES = {Role.ADVISOR, Role.ORG_ADMIN}

logger = logging.getLogger(__name__)


def _queue_recompute() -> None:
    """Recompute the benchmark soon after a change of participation; with the broker down the nightly
    run does it (the request never fails on it)."""
    from monitoring.tasks import compute_benchmarks

    try:
        compute_benchmarks.delay()
    except Exception:
        logger.warning("benchmark recompute not queued; the nightly run will do it", extra={"event": "benchmark_queue_failed"})


class KindForm(forms.Form):
    soort = forms.ChoiceField(
        label=_("Soort opdracht"),
        required=False,
        choices=[("", _("Alle soorten")), *Contract.Kind.choices],
    )

    def kind(self) -> str:
        return self.cleaned_data.get("soort", "") if self.is_valid() else ""


class ParticipationForm(forms.Form):
    opt_out = forms.BooleanField(
        label=_("Onze organisatie doet niet mee aan de vergelijking"),
        required=False,
        help_text=_(
            "Uw organisatie ziet de vergelijking dan nog wel, maar haar cijfers tellen niet mee in de "
            "cijfers die andere opdrachtgevers zien."
        ),
    )


def _authority_or_404(request: HttpRequest) -> Organisation:
    """The current organisation when it is a contracting authority in which the user advises or
    administers; raise Http404 otherwise (coordinators, suppliers, staff without membership)."""
    organisation = current_organisation(request)
    if organisation is None or not organisation.is_authority or not current_roles(request) & BENCHMARK_ROLES:
        raise Http404
    return organisation


@login_required
@require_GET
def benchmarks_page(request: HttpRequest) -> HttpResponse:
    """Where the current authority stands against the authorities of its region and the country."""
    organisation = _authority_or_404(request)
    kind_form = KindForm(request.GET)
    kind = kind_form.kind()
    ctx = {
        "organisation": organisation,
        "kind_form": kind_form,
        "kind": kind,
        "kind_label": benchmarks.kind_label(kind),
        "page": benchmarks.benchmark_page(organisation, kind=kind),
        "min_organisations": benchmarks.MIN_ORGANISATIONS,
        "is_admin": Role.ORG_ADMIN in current_roles(request),
        "participation_form": ParticipationForm(initial={"opt_out": organisation.benchmark_opt_out}),
    }
    return render(request, "monitoring/benchmarks/benchmarks.html", ctx)


@login_required
@require_POST
def participation(request: HttpRequest) -> HttpResponse:
    """The organisation admin's choice whether the authority's figures count in the benchmark."""
    organisation = _authority_or_404(request)
    if Role.ORG_ADMIN not in current_roles(request):
        raise PermissionDenied
    form = ParticipationForm(request.POST)
    form.is_valid()  # a checkbox: always valid; absent means taking part
    opt_out = bool(form.cleaned_data.get("opt_out"))
    if opt_out != organisation.benchmark_opt_out:
        with transaction.atomic():
            Organisation.objects.filter(pk=organisation.pk).update(benchmark_opt_out=opt_out)
            audit_record(
                action="benchmark_opt_out" if opt_out else "benchmark_opt_in",
                actor=request.user,
                organisation=organisation,
                obj=organisation,
                request=request,
                detail={"benchmark_opt_out": opt_out},
            )
            transaction.on_commit(_queue_recompute)
        if opt_out:
            messages.success(
                request,
                _("Uw organisatie doet niet meer mee aan de vergelijking. De cijfers worden opnieuw berekend."),
            )
        else:
            messages.success(
                request, _("Uw organisatie doet weer mee aan de vergelijking. De cijfers worden opnieuw berekend.")
            )
    return redirect("monitoring:benchmarks")

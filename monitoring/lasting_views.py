"""The coordinator's pages for lasting outcomes: the placements of a contract with the answers 6 and
12 months after them, and recording an answer (``monitoring.lasting``)."""

from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from monitoring import lasting
from monitoring.access import get_contract_or_404, get_contract_to_change, is_coordinator_of
from monitoring.forms import LastingOutcomeForm
from monitoring.models import LastingOutcome, Realisation
from monitoring.services import WorkflowError


def _rows(contract, *, today):
    """One row per placement of ``contract``: its last realisation and a cell per moment."""
    outcomes = {
        (o.realisation_id, o.months_after): o
        for o in LastingOutcome.objects.filter(contract=contract).select_related("reported_by")
    }
    rows = []
    for realisation in lasting.placements().filter(contract=contract).select_related("block").order_by("period_end", "pk"):
        cells = [
            lasting.moment(realisation, months, outcomes.get((realisation.pk, months)), today=today)
            for months in lasting.MOMENTS
        ]
        rows.append({"realisation": realisation, "cells": cells})
    return rows


@login_required
def lasting_outcomes(request: HttpRequest, uuid: UUID) -> HttpResponse:
    """The placements of one contract and whether the people are still at work 6 and 12 months on."""
    contract = get_contract_or_404(request, uuid)
    today = timezone.localdate()
    ctx = {
        "contract": contract,
        "rows": _rows(contract, today=today),
        "shares": lasting.shares(LastingOutcome.objects.filter(contract=contract)),
        "can_change": is_coordinator_of(request, contract),
        "today": today,
    }
    return render(request, "monitoring/lasting_outcome_list.html", ctx)


@login_required
def lasting_outcome_record(request: HttpRequest, uuid: UUID, realisation_uuid: UUID, months: int) -> HttpResponse:
    """The coordinator records whether the person of a placement is still at work ``months`` on."""
    contract = get_contract_to_change(request, uuid)
    realisation = get_object_or_404(
        Realisation.objects.filter(contract=contract).select_related("block"), uuid=realisation_uuid
    )
    if months not in lasting.MOMENTS:
        raise Http404
    outcome = LastingOutcome.objects.filter(realisation=realisation, months_after=months).first()
    initial = {"answer": outcome.answer} if outcome and outcome.answer else {}
    form = LastingOutcomeForm(request.POST if request.method == "POST" else None, initial=initial, realisation=realisation, months_after=months)
    if request.method == "POST" and form.is_valid():
        try:
            lasting.lasting_outcome_record(
                realisation=realisation, months_after=months, answer=form.cleaned_data["answer"],
                by=request.user, request=request,
            )
        except WorkflowError as error:
            form.add_error("answer", error.message)
        else:
            messages.success(request, _("Het blijvend resultaat is vastgelegd."))
            return redirect("monitoring:lasting_outcomes", contract.uuid)
    ctx = {
        "contract": contract,
        "realisation": realisation,
        "months": months,
        "due_on": lasting.due_on_for(realisation, months),
        "form": form,
        "refusal": lasting.refusal(realisation=realisation, months_after=months),
        "outcome": outcome,
    }
    return render(request, "monitoring/lasting_outcome_form.html", ctx, status=400 if form.is_bound else 200)

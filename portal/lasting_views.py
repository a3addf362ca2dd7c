"""The supplier contact answers a lasting-outcome question: is the person of a placement still at
work 6 or 12 months after it ended? Only questions of the contracts the user was invited to (404
for anything else)."""

from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from monitoring.forms import LastingOutcomeForm
from monitoring.lasting import answer_by, lasting_outcome_record
from monitoring.models import LastingOutcome
from monitoring.services import WorkflowError
from portal.access import get_supplier_contract_or_404


@login_required
def lasting_outcome(request: HttpRequest, uuid: UUID, outcome_uuid: UUID) -> HttpResponse:
    contract = get_supplier_contract_or_404(request.user, uuid)
    outcome = get_object_or_404(
        LastingOutcome.objects.filter(contract=contract).select_related("realisation__block"), uuid=outcome_uuid
    )
    realisation = outcome.realisation
    form = LastingOutcomeForm(
        request.POST if request.method == "POST" else None,
        initial={"answer": outcome.answer} if outcome.answer else {},
        realisation=realisation,
        months_after=outcome.months_after,
    )
    if request.method == "POST" and form.is_valid():
        try:
            lasting_outcome_record(
                realisation=realisation, months_after=outcome.months_after, answer=form.cleaned_data["answer"],
                by=request.user, request=request,
            )
        except WorkflowError as error:
            form.add_error("answer", error.message)
        else:
            messages.success(request, _("Dank u wel. Uw antwoord is vastgelegd."))
            return redirect("portal:contract", contract.uuid)
    ctx = {"contract": contract, "outcome": outcome, "realisation": realisation, "form": form, "answer_by": answer_by(outcome)}
    return render(request, "portal/lasting_outcome_form.html", ctx, status=400 if form.is_bound else 200)

"""SROI-jaarrapportage: the annual report of the current organisation as a page and as a PDF.

An advisor sees the report of the contracting authority they work for now; a coordinator that of
their service point, with a section per authority it serves. The contracts are read through
``Contract.objects.visible_to``: nobody sees another tenant's figures.
"""

from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from contracts.models import Contract
from monitoring import annual
from monitoring.buyer_views import MONITORING_ROLES
from wizzr.access import role_required
from wizzr.models import Organisation, Role
from wizzr.tenancy import current_roles


class YearForm(forms.Form):
    jaar = forms.IntegerField(
        label=_("Jaar"),
        required=False,
        error_messages={"invalid": _("Vul een jaartal in, bijvoorbeeld %(year)s.")},
    )

    def __init__(self, *args, today, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        self.fields["jaar"].error_messages["invalid"] = self.fields["jaar"].error_messages["invalid"] % {
            "year": today.year
        }
        self.fields["jaar"].widget.attrs.update({"inputmode": "numeric", "autocomplete": "off"})

    def clean_jaar(self) -> int:
        year = self.cleaned_data.get("jaar")
        if year is None:
            return self.today.year
        if year > self.today.year:
            raise forms.ValidationError(
                _("%(year)s is nog niet begonnen: kies %(current)s of een eerder jaar.")
                % {"year": year, "current": self.today.year}
            )
        if year < annual.FIRST_YEAR:
            raise forms.ValidationError(
                _("Kies een jaar van %(first)s tot en met %(current)s.")
                % {"first": annual.FIRST_YEAR, "current": self.today.year}
            )
        return year


def _scope(request: HttpRequest) -> tuple:
    """The contracts the report covers and the authorities of a service point's report (None for an
    authority's own report): those of the current organisation, through ``visible_to``."""
    organisation = request.organisation
    visible = Contract.objects.visible_to(request.user)
    is_coordinator = Role.COORDINATOR in current_roles(request)
    if organisation.kind == Organisation.Kind.SERVICE_POINT and is_coordinator:
        authorities = list(
            Organisation.objects.filter(served_by=organisation, kind=Organisation.Kind.AUTHORITY).order_by("name")
        )
        return visible.filter(organisation__in=authorities), authorities
    return visible.filter(organisation=organisation), None


def _report(request: HttpRequest) -> tuple[YearForm, annual.AnnualReport | None]:
    today = timezone.localdate()
    form = YearForm(request.GET, today=today)
    if not form.is_valid():
        return form, None
    contracts, authorities = _scope(request)
    report = annual.annual_report(
        contracts=contracts,
        organisation=request.organisation,
        year=form.cleaned_data["jaar"],
        authorities=authorities,
        today=today,
    )
    return form, report


@login_required
@role_required(*MONITORING_ROLES)
@require_GET
def annual_report(request: HttpRequest) -> HttpResponse:
    """SROI-jaarrapportage: the report of the chosen year (``?jaar=``, this year by default) as a page.
    A year that is not a number, before 2000 or still to come answers 400 with the error beside the field."""
    form, report = _report(request)
    ctx = {"form": form, "report": report, "organisation": request.organisation}
    return render(request, "monitoring/annual/report.html", ctx, status=200 if report else 400)


@login_required
@role_required(*MONITORING_ROLES)
@require_GET
def annual_report_pdf(request: HttpRequest) -> HttpResponse:
    """The same report as a PDF for print (A4, page numbers, organisation and year in the header).
    A refused year answers the page with the error (400), not a PDF."""
    form, report = _report(request)
    ctx = {"form": form, "report": report, "organisation": request.organisation}
    if report is None:
        return render(request, "monitoring/annual/report.html", ctx, status=400)
    html = render_to_string("monitoring/annual/report_pdf.html", ctx, request=request)
    from monitoring.annual_pdf import render_pdf  # loads WeasyPrint and Pango only when a PDF is asked for

    response = HttpResponse(render_pdf(html), content_type="application/pdf")
    name = slugify(f"sroi-jaarrapportage-{request.organisation.name}-{report.year}") or "sroi-jaarrapportage"
    response["Content-Disposition"] = f'attachment; filename="{name}.pdf"'
    return response

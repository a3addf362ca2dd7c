"""Forms of the supplier portal. The realisation form is the coordinator's (same rules, same value
computation) with the reporting period added; choices are scoped to the contract."""

from __future__ import annotations

import copy
from datetime import date

from django import forms
from django.utils.formats import date_format
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from monitoring.forms import LocalDecimalField, RealisationForm
from monitoring.models import ContractFollowUp
from portal.models import ReportingPeriod
from wizzr.bounds import MONEY_TOO_LARGE

TEXTAREA = {"class": "utrecht-textarea utrecht-textarea--html-textarea", "rows": 3}
TEXTBOX = {"class": "utrecht-textbox utrecht-textbox--html-input"}


class SupplierRealisationForm(RealisationForm):
    """A realisation entered by the supplier for one open reporting period.

    A regular period's realisations lie within that period; the final report may cover the whole
    term; a recovery period runs after the end date, up to its deadline.
    """

    def __init__(self, *args, period: ReportingPeriod | None = None, contract, **kwargs):
        self.period = period
        if period is not None and period.kind == ReportingPeriod.Kind.RECOVERY:
            # Work in the recovery period lies after the term: widen the term the form checks.
            contract = copy.copy(contract)
            contract.end_date = period.period_end
        super().__init__(*args, contract=contract, **kwargs)
        if period is not None and period.kind == ReportingPeriod.Kind.REGULAR:
            self.fields["period_end"].help_text = _(
                "Deze rapportage gaat over %(start)s t/m %(end)s: vul het deel van de plaatsing binnen die data in."
            ) % {"start": date_format(period.period_start), "end": date_format(period.period_end)}
            self.fields["invoice_date"].help_text = _(
                "Deze rapportage gaat over %(start)s t/m %(end)s: de factuurdatum ligt tussen die data."
            ) % {"start": date_format(period.period_start), "end": date_format(period.period_end)}
        # A supplier's contact may look up the invoice's company in the registry, not add one to it.
        self.fields["social_company"].widget.can_add = False
        self.fields["social_company"].widget.search_url_name = "portal:social_company_search"

    def clean(self):
        cleaned = super().clean()
        period = self.period
        start, end = cleaned.get("period_start"), cleaned.get("period_end")
        if period is None or not (start and end) or self.period_error_field in self.errors:
            return cleaned
        if period.kind == ReportingPeriod.Kind.REGULAR and (start < period.period_start or end > period.period_end):
            message = (
                _("Deze rapportage gaat over %(start)s t/m %(end)s. Een factuur van een andere datum hoort bij een andere rapportage.")
                if self.period_error_field == "invoice_date"
                else _("Deze rapportage gaat over %(start)s t/m %(end)s. Vul een periode binnen die data in.")
            )
            self.add_error(
                self.period_error_field,
                message % {"start": date_format(period.period_start), "end": date_format(period.period_end)},
            )
            self.valuation = None
        return cleaned


class PeriodSubmitForm(forms.Form):
    nothing_to_report = forms.BooleanField(
        label=_("Niets te melden deze periode"),
        required=False,
        help_text=_("Kies dit als er in deze periode geen SROI-activiteiten waren."),
    )
    reason = forms.CharField(
        label=_("Toelichting"),
        required=False,
        max_length=2000,
        help_text=_("Verplicht bij ‘niets te melden’: waarom was er deze periode niets?"),
        widget=forms.Textarea(attrs=TEXTAREA),
    )

    def __init__(self, *args, has_entries: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.has_entries = has_entries

    def clean(self):
        cleaned = super().clean()
        nothing = cleaned.get("nothing_to_report")
        reason = (cleaned.get("reason") or "").strip()
        cleaned["reason"] = reason
        if nothing and not reason:
            self.add_error("reason", _("Geef een toelichting waarom er deze periode niets te melden is."))
        if nothing and self.has_entries:
            self.add_error("nothing_to_report", _("Er zijn al realisaties voor deze periode; ‘niets te melden’ kan dan niet."))
        if not nothing and not self.has_entries:
            self.add_error(
                "nothing_to_report",
                _("Voeg eerst een realisatie toe, of kies ‘niets te melden’ met een toelichting."),
            )
        return cleaned


class InviteForm(forms.Form):
    name = forms.CharField(
        label=_("Naam"), max_length=150, widget=forms.TextInput(attrs={**TEXTBOX, "autocomplete": "off"}),
        error_messages={"required": _("Vul de naam van de contactpersoon in.")},
    )
    email = forms.EmailField(
        label=_("E-mailadres"), widget=forms.EmailInput(attrs={**TEXTBOX, "autocomplete": "off"}),
        error_messages={"required": _("Vul het e-mailadres in."), "invalid": _("Vul een geldig e-mailadres in, bijvoorbeeld naam@bedrijf.nl.")},
    )

    def clean_email(self) -> str:
        return self.cleaned_data["email"].strip().lower()


OUTCOME_CHOICES = [(value, capfirst(label)) for value, label in ContractFollowUp.Outcome.choices]


class _OutcomeForm(forms.Form):
    outcome = forms.ChoiceField(
        choices=OUTCOME_CHOICES, label=_("Resultaat"), widget=forms.RadioSelect,
        error_messages={"required": _("Kies het resultaat.")},
    )
    reason = forms.CharField(
        label=_("Toelichting"), required=False, max_length=4000, widget=forms.Textarea(attrs=TEXTAREA),
        help_text=_("Verplicht bij deels of niet gerealiseerd."),
    )
    withholding_amount = LocalDecimalField(
        label=_("Inhouding of boete (euro)"), required=False, min_value=0, max_digits=14, decimal_places=2,
        widget=forms.TextInput(attrs={**TEXTBOX, "inputmode": "decimal", "autocomplete": "off"}),
        error_messages={
            "min_value": _("Vul een bedrag van 0 of meer in."), "invalid": _("Vul een bedrag in, bijvoorbeeld 1250,00."),
            "max_digits": MONEY_TOO_LARGE, "max_whole_digits": MONEY_TOO_LARGE,
        },
        help_text=_("Naar verhouding van wat niet is gerealiseerd; leeg of 0 als er niets wordt ingehouden."),
    )
    withholding_reason = forms.CharField(
        label=_("Reden inhouding"), required=False, max_length=2000, widget=forms.Textarea(attrs=TEXTAREA)
    )

    def clean(self):
        cleaned = super().clean()
        outcome = cleaned.get("outcome")
        cleaned["reason"] = (cleaned.get("reason") or "").strip()
        cleaned["withholding_reason"] = (cleaned.get("withholding_reason") or "").strip()
        if outcome and outcome != ContractFollowUp.Outcome.REALISED and not cleaned["reason"]:
            self.add_error("reason", _("Geef een toelichting bij een deels of niet gerealiseerde verplichting."))
        if cleaned.get("withholding_amount") and not cleaned["withholding_reason"]:
            self.add_error("withholding_reason", _("Geef een reden voor de inhouding."))
        return cleaned


class SettlementForm(_OutcomeForm):
    """The outcome after the final report, optionally with a recovery period."""

    recovery_deadline = forms.DateField(
        label=_("Einde herstelperiode"), required=False,
        widget=forms.DateInput(attrs={**TEXTBOX, "type": "date"}, format="%Y-%m-%d"),
        help_text=_("Alleen als het contract een herstelperiode kent: de opdrachtnemer kan het tekort tot deze datum alsnog invullen."),
        error_messages={"invalid": _("Vul een geldige datum in, bijvoorbeeld 31-3-2028.")},
    )
    field_order = ["outcome", "reason", "recovery_deadline", "withholding_amount", "withholding_reason"]

    def __init__(self, *args, today: date, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today

    def clean(self):
        cleaned = super().clean()
        deadline = cleaned.get("recovery_deadline")
        if deadline is not None:
            if deadline <= self.today:
                self.add_error("recovery_deadline", _("Het einde van de herstelperiode moet in de toekomst liggen."))
            if cleaned.get("outcome") == ContractFollowUp.Outcome.REALISED:
                self.add_error("recovery_deadline", _("Een herstelperiode is alleen nodig bij een tekort."))
            if cleaned.get("withholding_amount"):
                self.add_error("withholding_amount", _("Een inhouding legt u vast na de herstelperiode."))
        return cleaned


class FinalOutcomeForm(_OutcomeForm):
    """The final outcome after the recovery period."""

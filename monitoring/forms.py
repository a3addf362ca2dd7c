"""Forms of the coordinator's workspace. Choices are scoped to the contract (its pinned catalogue
version, its agreements, the coordinators of its service point); messages are Dutch."""

from __future__ import annotations

import json
import re
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.urls import reverse
from django.utils.formats import date_format, number_format
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from catalogue.models import Bonus, BuildingBlock, CatalogueVersion
from catalogue.values import (
    MAX_HOURS,
    MAX_HOURS_PER_WEEK,
    MAX_MONTHS,
    MAX_PERSONS,
    QUANTITIES,
    Valuation,
    activity_value,
)
from contracts.forms import DutchDecimalField
from contracts.models import Contract
from monitoring import lasting
from monitoring.models import Agreement, ContractFollowUp, LastingOutcome, Realisation
from suppliers.forms import SupplierField
from suppliers.models import PsoCertificate
from suppliers.widgets import SupplierTypeahead
from wizzr.bounds import MONEY_MAX, MONEY_TOO_LARGE

QUANTITY_FIELDS = ("persons", "hours_per_week", "months", "hours", "invoice_amount")
PLACEMENT_UNITS = {"per_year", "per_month", "per_learn_work_year"}

NOT_NEGATIVE = _("Vul een bedrag van 0 of meer in; een negatief bedrag is niet mogelijk.")
HOURS_TOO_HIGH = _("Meer dan 60 uur per week is niet mogelijk. Controleer het aantal uren per week.")
HOURS_TOO_LOW = _("Vul een aantal uren per week groter dan 0 in.")
REQUIRED_FOR_UNIT = _("Vul dit in; het bouwblok ‘%(block)s’ rekent met %(what)s.")
# The largest value per quantity with its message; the columns' digit limits answer with the same message.
QUANTITY_BOUNDS = {
    "persons": (MAX_PERSONS, _("Vul ten hoogste 999 personen in.")),
    "hours_per_week": (MAX_HOURS_PER_WEEK, HOURS_TOO_HIGH),
    "months": (MAX_MONTHS, _("Vul ten hoogste 240 maanden in.")),
    "hours": (MAX_HOURS, _("Vul ten hoogste 9.999.999,9 uren in.")),
    "invoice_amount": (MONEY_MAX, MONEY_TOO_LARGE),
}
VALUE_TOO_LARGE = _("De berekende waarde is groter dan € 999.999.999.999,99. Controleer de aantallen.")
QUANTITY_LABELS = {
    "persons": _("het aantal personen"),
    "hours_per_week": _("uren per week"),
    "months": _("het aantal maanden"),
    "hours": _("het aantal uren"),
    "invoice_amount": _("het factuurbedrag"),
}


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs={"class": "utrecht-textbox utrecht-textbox--html-input", **(attrs or {})}, format="%Y-%m-%d")


def _textbox(attrs: dict | None = None) -> dict:
    return {"class": "utrecht-textbox utrecht-textbox--html-input", **(attrs or {})}


def _number() -> forms.TextInput:
    """A text box for a decimal number. Not type=number: a browser shows and reads that in its own
    locale ("32.0"), while the interface is Dutch ("32,0")."""
    return forms.TextInput(attrs=_textbox({"inputmode": "decimal", "autocomplete": "off"}))


class LocalDecimalField(DutchDecimalField):
    """A quantity or amount typed the Dutch way ("32,5"; "32.5" is read too), shown back in the
    interface's notation with the precision it was stored with ("32,0", not "32.0")."""

    def prepare_value(self, value):
        if isinstance(value, Decimal):
            return number_format(value, use_l10n=True)
        return value


DECIMAL_FIELDS = {name: LocalDecimalField for name in ("hours_per_week", "months", "hours", "invoice_amount")}


class BlockChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: BuildingBlock) -> str:
        return f"{obj.name} — {obj.value_label}"


class ValuedForm(forms.ModelForm):
    """Shared rules of agreements and realisations: a block of the pinned version, the quantities
    its unit needs (others are cleared), hours and amounts in range, bonuses of the version."""

    def __init__(self, *args, contract: Contract, version: CatalogueVersion | None, **kwargs):
        super().__init__(*args, **kwargs)
        self.contract = contract
        self.version = version
        version_label = str(version) if version else _("geen versie")
        blocks = version.blocks.all() if version else BuildingBlock.objects.none()
        self.fields["block"] = BlockChoiceField(
            queryset=blocks,
            to_field_name="uuid",
            label=_("Bouwblok"),
            required=self._block_required,
            empty_label=_("Kies een bouwblok"),
            error_messages={
                "invalid_choice": _(
                    "Dit bouwblok hoort niet bij het bouwblokkenmodel van dit contract (%(version)s). "
                    "Kies een bouwblok uit de lijst."
                )
                % {"version": version_label},
                "required": _("Kies een bouwblok."),
            },
            widget=forms.Select(attrs={"class": "utrecht-select utrecht-select--html-select"}),
        )
        self.fields["block"].widget.attrs["data-units"] = json.dumps({str(b.uuid): b.unit for b in blocks})
        if self.instance.pk and self.instance.block_id:
            self.initial["block"] = self.instance.block.uuid
        self.fields["bonuses"] = forms.ModelMultipleChoiceField(
            queryset=version.bonuses.all() if version else Bonus.objects.none(),
            to_field_name="uuid",
            required=False,
            label=_("Bonussen"),
            widget=forms.CheckboxSelectMultiple,
            error_messages={
                "invalid_choice": _("Deze bonus hoort niet bij het bouwblokkenmodel van dit contract."),
                "invalid_pk_value": _("Deze bonus hoort niet bij het bouwblokkenmodel van dit contract."),
            },
        )
        if self.instance.pk:
            self.initial["bonuses"] = [b.uuid for b in self.instance.bonuses.all()]
        for name, (_limit, message) in QUANTITY_BOUNDS.items():
            if name in self.fields:
                self.fields[name].error_messages.update(max_digits=message, max_whole_digits=message, max_value=message)
        if "hours_per_week" in self.fields:
            field = self.fields["hours_per_week"]
            field.validators.append(MinValueValidator(Decimal("0.1"), HOURS_TOO_LOW))
            field.widget = _number()
            field.help_text = _("Meer dan 36 uur per week telt als voltijd; meer dan 60 is niet mogelijk.")
        if "invoice_amount" in self.fields:
            field = self.fields["invoice_amount"]
            field.validators.append(MinValueValidator(Decimal("0"), NOT_NEGATIVE))
            field.widget = _number()
            field.help_text = _("In euro, exclusief btw.")
        if "hours" in self.fields:
            self.fields["hours"].validators.append(MinValueValidator(Decimal("0.1"), _("Vul een aantal uren groter dan 0 in.")))
            self.fields["hours"].widget = _number()
            self.fields["hours"].help_text = _("Alleen bij een bouwblok per uur: het totaal aantal uren.")
        self.valuation: Valuation | None = None

    _block_required = True

    def validate_constraints(self) -> None:
        """Skipped: ``clean`` already gives a message beside the field for every rule the database
        constraints enforce, and the database still enforces them on save."""

    def clean_bonuses(self):
        return list(self.cleaned_data.get("bonuses") or [])

    def _quantities_for(self, block: BuildingBlock) -> tuple[str, ...]:
        return QUANTITIES[block.unit]

    def clean(self):
        cleaned = super().clean()
        # Maxima are checked here rather than by validators, so that a number beyond the column's digits
        # gets one message, not one per rule; a refused quantity leaves cleaned_data and is never computed with.
        for name, (limit, message) in QUANTITY_BOUNDS.items():
            value = cleaned.get(name)
            if name in self.fields and value is not None and name not in self.errors and value > limit:
                self.add_error(name, message)
        block = cleaned.get("block")
        if block is None:
            return cleaned
        needed = self._quantities_for(block)
        for name in QUANTITY_FIELDS:
            if name not in self.fields:
                continue
            if name in needed:
                if cleaned.get(name) in (None, "") and name not in self.errors:
                    self.add_error(name, REQUIRED_FOR_UNIT % {"block": block.name, "what": QUANTITY_LABELS[name]})
            else:
                cleaned[name] = None
        if cleaned.get("bonuses") and not block.takes_bonuses:
            self.add_error("bonuses", _("Bonussen gelden alleen voor bouwblokken die per jaar tellen."))
        return cleaned

    def _assign_cleaned(self) -> None:
        """Put the cleaned quantities on the instance (also when they were cleared)."""
        for name in QUANTITY_FIELDS:
            if name in self.fields:
                setattr(self.instance, name, self.cleaned_data.get(name))
        self.instance.block = self.cleaned_data["block"]


class AgreementForm(ValuedForm):
    class Meta:
        model = Agreement
        fields = ["description", "persons", "hours_per_week", "months", "hours", "invoice_amount"]
        field_classes = DECIMAL_FIELDS
        labels = {
            "description": _("Omschrijving"),
            "persons": _("Aantal personen"),
            "hours_per_week": _("Uren per week (per persoon)"),
            "months": _("Aantal maanden"),
            "hours": _("Aantal uren"),
            "invoice_amount": _("Factuurbedrag excl. btw"),
        }
        help_texts = {
            "description": _("Wat spreekt u af met de opdrachtnemer? Bijvoorbeeld: twee leerwerkplekken bij de buitendienst."),
            "months": _("Bij een bouwblok per jaar telt het bouwblok ten hoogste zijn telduur."),
        }
        widgets = {"description": forms.Textarea(attrs={"class": "utrecht-textarea utrecht-textarea--html-textarea", "rows": 3})}

    field_order = ["block", "description", "persons", "hours_per_week", "months", "hours", "invoice_amount", "bonuses"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.order_fields(self.field_order)
        self.fields["description"].error_messages["required"] = _("Beschrijf de afspraak.")
        self.fields["persons"].widget = forms.NumberInput(attrs=_textbox({"min": "1", "step": "1", "inputmode": "numeric"}))
        self.fields["persons"].validators.append(MinValueValidator(1, _("Vul ten minste 1 persoon in.")))
        self.fields["months"].widget = _number()
        self.fields["months"].validators.append(MinValueValidator(Decimal("0.1"), _("Vul een aantal maanden groter dan 0 in.")))
        if not self.instance.pk:
            self.initial.setdefault("persons", 1)

    def clean(self):
        cleaned = super().clean()
        block = cleaned.get("block")
        if block is not None and not self.errors:
            self.valuation = activity_value(
                block=block,
                persons=cleaned.get("persons"),
                hours_per_week=cleaned.get("hours_per_week"),
                months=cleaned.get("months"),
                hours=cleaned.get("hours"),
                invoice_amount=cleaned.get("invoice_amount"),
                bonuses=cleaned.get("bonuses") or [],
            )
            if self.valuation.total > MONEY_MAX:
                self.valuation = None
                self.add_error(None, VALUE_TOO_LARGE)
        return cleaned

    def save(self, commit: bool = False) -> Agreement:
        """Return the unsaved agreement; ``services.agreement_save`` stores it with its value."""
        agreement = super().save(commit=False)
        self._assign_cleaned()
        agreement.contract = self.contract
        return agreement


INVOICE_REUSED = _(
    "Factuur %(number)s van %(company)s is al vastgelegd. Een factuur telt maar één keer mee; "
    "controleer het factuurnummer."
)


class SocialCompanyTypeahead(SupplierTypeahead):
    """The registry's typeahead for the social company of an invoice. Where the user may not add
    companies to the registry (the supplier's contacts), ``can_add`` is False (no add button) and
    ``search_url_name`` names an endpoint that answers them."""

    can_add = True
    search_url_name = "suppliers:search"

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["search_url"] = reverse(self.search_url_name)
        if not self.can_add:
            context["widget"]["add_url"] = ""
        return context


def is_social_purchasing(block: BuildingBlock | None) -> bool:
    """Whether realisations of ``block`` are accounted for per invoice of a social company."""
    return block is not None and block.category == BuildingBlock.Category.SOCIAL_PURCHASING


CANDIDATE_PATTERN = re.compile(r"^[A-Za-z0-9.\- ]{1,20}$")
LOOKS_LIKE_BSN = re.compile(r"\d{8,}")


class RealisationForm(ValuedForm):
    """A realisation as the coordinator enters it on the supplier's behalf (and later the supplier)."""

    class Meta:
        model = Realisation
        fields = [
            "agreement",
            "period_start",
            "period_end",
            "hours_per_week",
            "hours",
            "invoice_amount",
            "invoice_number",
            "invoice_date",
            "candidate_reference",
            "birth_year",
        ]
        field_classes = {name: cls for name, cls in DECIMAL_FIELDS.items() if name != "months"}
        labels = {
            "agreement": _("SR-invullingsafspraak"),
            "period_start": _("Periode van"),
            "period_end": _("Periode tot en met"),
            "hours_per_week": _("Uren per week"),
            "hours": _("Aantal uren"),
            "invoice_amount": _("Factuurbedrag excl. btw"),
            "invoice_number": _("Factuurnummer"),
            "invoice_date": _("Factuurdatum"),
            "candidate_reference": _("Kenmerk kandidaat"),
            "birth_year": _("Geboortejaar"),
        }
        help_texts = {
            "candidate_reference": _(
                "Initialen of een eigen code, zodat u de kandidaat herkent. Geen naam, BSN of gegevens over gezondheid."
            ),
            "birth_year": _("Alleen invullen als een leeftijdsbonus van toepassing is."),
        }
        widgets = {
            "period_start": DateInput(),
            "period_end": DateInput(),
            "invoice_date": DateInput(),
            "invoice_number": forms.TextInput(attrs=_textbox({"autocomplete": "off", "maxlength": "50"})),
            "candidate_reference": forms.TextInput(attrs=_textbox({"autocomplete": "off", "maxlength": "20"})),
            "birth_year": forms.NumberInput(attrs=_textbox({"inputmode": "numeric", "min": "1940", "max": "2015"})),
        }

    field_order = [
        "agreement",
        "block",
        "period_start",
        "period_end",
        "hours_per_week",
        "hours",
        "invoice_amount",
        "amount_includes_vat",
        "invoice_number",
        "invoice_date",
        "social_company",
        "candidate_reference",
        "bonuses",
        "birth_year",
        "evidence",
    ]
    _block_required = False

    # Social purchasing: the invoice's company from the registry, a check against amounts with VAT,
    # and the evidence input (rendered by the template; the field carries its error to it).
    social_company = SupplierField(
        label=_("Sociaal bedrijf"),
        required=False,
        widget=SocialCompanyTypeahead,
        help_text=_("Het bedrijf dat de factuur stuurde. Typ een deel van de naam, het KvK-nummer of de plaats."),
    )
    amount_includes_vat = forms.BooleanField(label=_("Bedrag is inclusief btw"), required=False)
    evidence = forms.Field(label=_("Bewijsstukken"), required=False, widget=forms.FileInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.order_fields(self.field_order)
        agreements = self.contract.agreements.select_related("block").order_by("created_at", "pk")
        self.fields["block"].widget.attrs["data-invoice-blocks"] = json.dumps(
            [str(b.uuid) for b in self.fields["block"].queryset if is_social_purchasing(b)]
        )
        self.fields["social_company"].error_messages.update(
            invalid_choice=_("Dit bedrijf is niet gevonden in het register. Typ een deel van de naam en kies uit de lijst."),
        )
        if self.instance.pk and self.instance.social_company_id:
            self.initial["social_company"] = self.instance.social_company.uuid
        self.fields["invoice_date"].error_messages["invalid"] = _("Vul een geldige datum in, bijvoorbeeld 15-3-2026.")
        self.fields["invoice_date"].help_text = _(
            "De datum op de factuur; die ligt binnen de looptijd van het contract (%(start)s t/m %(end)s)."
        ) % {"start": date_format(self.contract.start_date), "end": date_format(self.contract.end_date)}
        # Which block the form is about decides which fields count: for social purchasing the
        # invoice dates the realisation, so the period is not asked, and zero is no amount.
        self.records_invoice = is_social_purchasing(self._block_hint(agreements))
        if self.records_invoice:
            self.fields["period_start"].required = False
            self.fields["period_end"].required = False
            amount = self.fields["invoice_amount"]
            amount.validators = [v for v in amount.validators if not isinstance(v, MinValueValidator)]
        field = self.fields["agreement"]
        field.queryset = agreements
        field.to_field_name = "uuid"
        field.empty_label = _("Geen afspraak (los bouwblok)")
        field.label_from_instance = lambda a: f"{a.block.name}: {a.description[:80]}"
        field.widget.attrs["class"] = "utrecht-select utrecht-select--html-select"
        field.widget.attrs["data-blocks"] = json.dumps({str(a.uuid): str(a.block.uuid) for a in agreements})
        field.error_messages["invalid_choice"] = _("Deze afspraak hoort niet bij dit contract.")
        field.help_text = _("Normaal hoort een realisatie bij een afspraak; het bouwblok volgt dan uit de afspraak.")
        if self.instance.pk and self.instance.agreement_id:
            self.initial["agreement"] = self.instance.agreement.uuid
        self.fields["block"].help_text = _("Alleen nodig zonder afspraak.")
        self.fields["period_start"].error_messages["required"] = _("Vul de begindatum van de periode in.")
        self.fields["period_end"].error_messages["required"] = _("Vul de einddatum van de periode in.")
        self.fields["period_start"].error_messages["invalid"] = _("Vul een geldige datum in, bijvoorbeeld 1-3-2026.")
        self.fields["period_end"].error_messages["invalid"] = _("Vul een geldige datum in, bijvoorbeeld 31-3-2026.")
        self.fields["period_end"].help_text = _(
            "De periode valt binnen de looptijd van het contract (%(start)s t/m %(end)s). Werk daarbuiten telt niet mee "
            "voor de SROI-verplichting en wordt niet geaccepteerd: vul alleen het deel binnen de looptijd in."
        ) % {"start": date_format(self.contract.start_date), "end": date_format(self.contract.end_date)}

    def _block_hint(self, agreements) -> BuildingBlock | None:
        """The block the submitted agreement or block choice points to (or the stored one), before
        cleaning; None when it is not (yet) known."""
        if not self.is_bound:
            return self.instance.block if self.instance.pk else None
        for key, queryset in (("agreement", agreements), ("block", self.fields["block"].queryset)):
            value = self.data.get(key) or ""
            try:
                found = queryset.filter(uuid=value).first() if value else None
            except (ValueError, ValidationError):
                found = None
            if found is not None:
                return found.block if key == "agreement" else found
        return None

    def _quantities_for(self, block: BuildingBlock) -> tuple[str, ...]:
        # A realisation is one candidate; its months follow from the period.
        return tuple(q for q in QUANTITIES[block.unit] if q not in ("persons", "months"))

    def clean_candidate_reference(self) -> str:
        value = (self.cleaned_data.get("candidate_reference") or "").strip()
        if value and LOOKS_LIKE_BSN.search(value):
            raise forms.ValidationError(_("Dit lijkt op een BSN of ander nummer. Vul alleen initialen of een eigen code in."))
        if value and not CANDIDATE_PATTERN.match(value):
            raise forms.ValidationError(
                _("Gebruik alleen letters, cijfers, punten, streepjes en spaties (ten hoogste 20 tekens).")
            )
        return value

    def clean(self):
        cleaned = self.cleaned_data
        agreement = cleaned.get("agreement")
        if "agreement" not in self.errors and "block" not in self.errors:
            if agreement is not None:
                if cleaned.get("block") is not None and cleaned["block"] != agreement.block:
                    self.add_error("block", _("Dit bouwblok past niet bij de gekozen afspraak (%(block)s).") % {"block": agreement.block.name})
                cleaned["block"] = agreement.block
            elif cleaned.get("block") is None:
                self.add_error("block", _("Kies een afspraak of een bouwblok."))
        cleaned = super().clean()
        block = cleaned.get("block")
        if is_social_purchasing(block):
            self._clean_invoice(cleaned)  # the invoice's date is the period, checked with the invoice
        else:
            cleaned.update(invoice_number="", invoice_date=None, social_company=None, amount_includes_vat=False)
            self._clean_period(cleaned.get("period_start"), cleaned.get("period_end"))
        start, end = cleaned.get("period_start"), cleaned.get("period_end")
        if block is not None and block.unit in PLACEMENT_UNITS and not cleaned.get("candidate_reference"):
            if "candidate_reference" not in self.errors:
                self.add_error("candidate_reference", _("Vul initialen of een code van de kandidaat in."))
        self._clean_birth_year(cleaned, start)
        if block is not None and start and end and not self.errors:
            from monitoring.services import realisation_valuation

            probe = self._probe(cleaned)
            self.valuation = realisation_valuation(realisation=probe, bonuses=cleaned.get("bonuses") or [])
            if self.valuation.total > MONEY_MAX:
                self.valuation = None
                self.add_error(None, VALUE_TOO_LARGE)
        if is_social_purchasing(block) and not self._has_invoice_file():
            self.add_error("evidence", _("Voeg de factuur toe als bewijsstuk."))
        return cleaned

    def _clean_period(self, start, end) -> None:
        """The period of a realisation that is not an invoice: both dates, in order, within the term."""
        if start is None or end is None:
            for name, message, value in (("period_start", _("Vul de begindatum van de periode in."), start),
                                         ("period_end", _("Vul de einddatum van de periode in."), end)):
                if value is None and name not in self.errors:
                    self.add_error(name, message)
        elif end < start:
            self.add_error("period_end", _("De einddatum ligt vóór de begindatum. Controleer de periode."))
        elif start < self.contract.start_date or end > self.contract.end_date:
            self.add_error(
                "period_end",
                _(
                    "De periode valt (deels) buiten de looptijd van het contract (%(start)s t/m %(end)s). "
                    "Vul alleen het deel binnen de looptijd in."
                )
                % {"start": date_format(self.contract.start_date), "end": date_format(self.contract.end_date)},
            )

    @property
    def period_error_field(self) -> str:
        """The field that shows a message about the realisation's dates."""
        return "invoice_date" if is_social_purchasing(self.cleaned_data.get("block")) else "period_end"

    def _clean_invoice(self, cleaned: dict) -> None:
        """The rules of a social-purchasing realisation: one complete invoice within the term,
        excl. VAT, above zero, not recorded before for the same company. Its date is the period."""
        for name in ("period_start", "period_end"):
            self.errors.pop(name, None)
        cleaned["candidate_reference"] = ""
        self.errors.pop("candidate_reference", None)
        number = (cleaned.get("invoice_number") or "").strip()
        cleaned["invoice_number"] = number
        invoice_date = cleaned.get("invoice_date")
        company = cleaned.get("social_company")
        amount = cleaned.get("invoice_amount")
        if not number and "invoice_number" not in self.errors:
            self.add_error("invoice_number", _("Vul het factuurnummer in."))
        if invoice_date is None and "invoice_date" not in self.errors:
            self.add_error("invoice_date", _("Vul de factuurdatum in."))
        if company is None and "social_company" not in self.errors:
            self.add_error(
                "social_company",
                _("Kies het sociale bedrijf dat de factuur stuurde: typ een deel van de naam en kies uit de lijst."),
            )
        if amount is not None and amount <= 0 and "invoice_amount" not in self.errors:
            self.add_error("invoice_amount", _("Vul een factuurbedrag groter dan € 0 in; een negatief bedrag of € 0 telt niet mee."))
        if cleaned.get("amount_includes_vat"):
            self.add_error("amount_includes_vat", _("Vul het bedrag exclusief btw in."))
        if invoice_date is not None:
            if not self.contract.start_date <= invoice_date <= self.contract.end_date:
                self.add_error(
                    "invoice_date",
                    _(
                        "De factuurdatum valt buiten de looptijd van het contract (%(start)s t/m %(end)s). "
                        "Alleen facturen binnen de looptijd tellen mee."
                    )
                    % {"start": date_format(self.contract.start_date), "end": date_format(self.contract.end_date)},
                )
            cleaned["period_start"] = cleaned["period_end"] = invoice_date
        if number and company is not None and "invoice_number" not in self.errors and self._invoice_reused(number, company):
            self.add_invoice_reused(number=number, company=company)

    def _invoice_reused(self, number: str, company) -> bool:
        earlier = Realisation.objects.filter(social_company=company, invoice_number__iexact=number).exclude(
            status=Realisation.Status.REJECTED
        )
        if self.instance.pk:
            earlier = earlier.exclude(pk=self.instance.pk)
        return earlier.exists()

    def add_invoice_reused(self, *, number: str | None = None, company=None) -> None:
        """Put the message for an invoice number used before beside the field (also after the
        database refused it, when two people saved the same invoice at once)."""
        number = number or self.cleaned_data.get("invoice_number", "")
        company = company or self.cleaned_data.get("social_company")
        self.add_error("invoice_number", INVOICE_REUSED % {"number": number, "company": company.legal_name if company else ""})

    def _has_invoice_file(self) -> bool:
        if self.files and [f for f in self.files.getlist("evidence") if f]:
            return True
        return bool(self.instance.pk) and self.instance.evidence.exists()

    def _clean_birth_year(self, cleaned: dict, start) -> None:
        age_bonuses = [b for b in cleaned.get("bonuses") or [] if b.needs_birth_year]
        birth_year = cleaned.get("birth_year")
        if "birth_year" in self.errors:
            return
        if not age_bonuses:
            if birth_year:
                self.add_error(
                    "birth_year",
                    _("Vul het geboortejaar alleen in als een leeftijdsbonus van toepassing is; anders bewaren we het niet."),
                )
            return
        if not birth_year:
            self.add_error("birth_year", _("Vul het geboortejaar in; de leeftijdsbonus hangt ervan af."))
            return
        if start:
            for bonus in age_bonuses:
                if start.year - birth_year < bonus.min_age:
                    self.add_error(
                        "bonuses",
                        _("De kandidaat is bij de start van de periode jonger dan %(age)s jaar; ‘%(bonus)s’ geldt niet.")
                        % {"age": bonus.min_age, "bonus": bonus.name},
                    )

    def _probe(self, cleaned: dict) -> Realisation:
        probe = Realisation(
            pk=self.instance.pk,
            contract=self.contract,
            block=cleaned["block"],
            period_start=cleaned["period_start"],
            period_end=cleaned["period_end"],
            candidate_reference=cleaned.get("candidate_reference") or "",
        )
        for name in ("hours_per_week", "hours", "invoice_amount"):
            setattr(probe, name, cleaned.get(name))
        return probe

    def save(self, commit: bool = False) -> Realisation:
        """Return the unsaved realisation; ``services.realisation_save`` stores it with its value."""
        realisation = super().save(commit=False)
        self._assign_cleaned()
        realisation.contract = self.contract
        realisation.invoice_number = self.cleaned_data.get("invoice_number") or ""
        realisation.invoice_date = self.cleaned_data.get("invoice_date")
        realisation.social_company = self.cleaned_data.get("social_company")
        realisation.period_start = self.cleaned_data["period_start"]
        realisation.period_end = self.cleaned_data["period_end"]
        if realisation.social_company is not None:
            realisation.candidate_reference = ""
        if not self.cleaned_data.get("bonuses") or not any(b.needs_birth_year for b in self.cleaned_data["bonuses"]):
            realisation.birth_year = None
        return realisation


class AssignForm(forms.Form):
    coordinator = forms.ModelChoiceField(
        queryset=None,
        to_field_name="uuid",
        label=_("Toewijzen aan"),
        empty_label=None,
        error_messages={"invalid_choice": _("Kies een SROI-coördinator van het servicepunt van dit contract.")},
        widget=forms.Select(attrs={"class": "utrecht-select utrecht-select--html-select"}),
    )

    def __init__(self, *args, coordinators, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["coordinator"].queryset = coordinators


class RhythmForm(forms.Form):
    reporting_rhythm = forms.ChoiceField(
        choices=[(value, capfirst(label)) for value, label in ContractFollowUp.Rhythm.choices],
        label=_("Rapportageritme opdrachtnemer"),
        widget=forms.Select(attrs={"class": "utrecht-select utrecht-select--html-select"}),
    )


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Reden van afwijzing"),
        max_length=2000,
        error_messages={"required": _("Geef een reden op waarom de realisatie wordt afgewezen.")},
        help_text=_("De opdrachtnemer ziet deze reden en kan de realisatie daarna verbeteren."),
        widget=forms.Textarea(attrs={"class": "utrecht-textarea utrecht-textarea--html-textarea", "rows": 3}),
    )

    def clean_reason(self) -> str:
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError(_("Geef een reden op waarom de realisatie wordt afgewezen."))
        return reason


class CloseForm(forms.Form):
    outcome = forms.ChoiceField(
        choices=[(value, capfirst(label)) for value, label in ContractFollowUp.Outcome.choices],
        label=_("Resultaat"),
        widget=forms.RadioSelect,
        error_messages={"required": _("Kies het resultaat.")},
    )
    reason = forms.CharField(
        label=_("Toelichting"),
        required=False,
        max_length=4000,
        help_text=_("Verplicht bij deels of niet gerealiseerd: waarom is de verplichting niet (geheel) ingevuld?"),
        widget=forms.Textarea(attrs={"class": "utrecht-textarea utrecht-textarea--html-textarea", "rows": 4}),
    )

    def clean(self):
        cleaned = super().clean()
        outcome = cleaned.get("outcome")
        if outcome and outcome != ContractFollowUp.Outcome.REALISED and not (cleaned.get("reason") or "").strip():
            self.add_error("reason", _("Geef een toelichting bij een deels of niet gerealiseerde verplichting."))
        return cleaned


class LastingOutcomeForm(forms.Form):
    """Is the person still at work 6 or 12 months after the placement? The supplier contact answers
    a question that is due; the coordinator may record the answer for any approved employment
    realisation whose moment has come (``lasting.refusal`` says why not otherwise)."""

    answer = forms.ChoiceField(
        choices=[(value, capfirst(label)) for value, label in LastingOutcome.Answer.choices],
        label=_("Is de kandidaat nog aan het werk?"),
        help_text=_("Alleen het antwoord wordt vastgelegd, geen naam of andere gegevens van de kandidaat."),
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Kies of de kandidaat nog aan het werk is."),
            "invalid_choice": _("Kies een van de antwoorden."),
        },
    )

    def __init__(self, *args, realisation: Realisation, months_after: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.realisation = realisation
        self.months_after = months_after

    def clean(self):
        cleaned = super().clean()
        message = lasting.refusal(realisation=self.realisation, months_after=self.months_after)
        if message:
            # The only field: the message stands beside it, where the user looks.
            self.add_error("answer", message)
        return cleaned


class PsoCertificateForm(forms.ModelForm):
    """A PSO certificate of the company of a contract's supplier, recorded by its coordinator.

    The certificate must still have been valid on the contract's handover date; the file is checked
    by the view with the upload rules (``wizzr.uploads``) and stored with the certificate."""

    file = forms.FileField(
        label=_("Certificaat"),
        help_text=_("Het PSO-certificaat als PDF of afbeelding."),
        error_messages={"required": _("Voeg het certificaat toe als bewijs.")},
    )
    checked = forms.BooleanField(
        label=_("Ik heb het certificaat gecontroleerd: het bedrijf, het niveau en de geldigheid kloppen."),
        required=False,
        help_text=_("Alleen een gecontroleerd certificaat geeft korting op de verplichting."),
    )

    class Meta:
        model = PsoCertificate
        fields = ["level", "valid_from", "valid_until"]
        widgets = {"valid_from": DateInput(), "valid_until": DateInput()}

    def __init__(self, *args, contract: Contract, accept: str = "", **kwargs):
        kwargs.setdefault("instance", PsoCertificate(kvk_number=contract.supplier.kvk_number))
        super().__init__(*args, **kwargs)
        self.contract = contract
        if accept:
            self.fields["file"].widget.attrs["accept"] = accept

    def clean(self):
        from monitoring.pso import EXPIRED_AT_HANDOVER, handover_date

        cleaned = super().clean()
        until = cleaned.get("valid_until")
        handed_over = handover_date(self.contract)
        if until is not None and until < handed_over:
            self.add_error("valid_until", EXPIRED_AT_HANDOVER % {"date": date_format(handed_over, "j F Y")})
        return cleaned

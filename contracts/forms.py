"""The contract form ("Opstarten nieuw contract") and the attachments form ("Bijlagen")."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from contracts.models import Contract
from suppliers.forms import SupplierField
from wizzr.bounds import MONEY_TOO_LARGE
from wizzr.models import Organisation, Role, User
from wizzr.uploads import ACCEPT, allowed_types_text

NUMBER_TAKEN = _("Uw organisatie heeft al een inkoopcontract met dit inkoopcontractnummer.")

_MONEY_CHARS = re.compile(r"[€\s\u00a0]")


def parse_decimal(value: str) -> Decimal:
    """Read an amount as people type it in the Netherlands: "125.000,50", "125000,50", "125000.50", "€ 1.250".

    A comma is the decimal separator; dots are thousands separators, unless there is a single dot
    without exactly three digits after it ("12.5"). Raises ValueError for anything else.
    """
    text = _MONEY_CHARS.sub("", value)
    if "," in text:
        if text.count(",") > 1:
            raise ValueError(value)
        whole, decimals = text.split(",")
        text = whole.replace(".", "") + "." + decimals
    elif text.count(".") > 1 or (text.count(".") == 1 and len(text.split(".")[1]) == 3):
        text = text.replace(".", "")
    if not re.fullmatch(r"-?\d+(\.\d*)?|-?\.\d+", text):
        raise ValueError(value)
    try:
        return Decimal(text)
    except InvalidOperation:
        raise ValueError(value) from None


class DutchDecimalField(forms.DecimalField):
    """A DecimalField that accepts Dutch notation and shows its value with a decimal comma."""

    widget = forms.TextInput

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, Decimal):
            return value
        try:
            return parse_decimal(str(value).strip())
        except ValueError:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None

    def prepare_value(self, value):
        if isinstance(value, Decimal):
            return f"{value:.2f}".replace(".", ",")
        return value

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        attrs.pop("step", None)
        attrs.pop("min", None)
        attrs.pop("max", None)
        attrs["inputmode"] = "decimal"
        return attrs


def _text(rows: int = 4) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows, "class": "utrecht-textarea"})


def _date() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date", "class": "utrecht-textbox utrecht-textbox--date"}, format="%Y-%m-%d")


def advising_organisations(user) -> list[Organisation]:
    """The organisations for which ``user`` may enter contracts (advisor role), by name."""
    return list(
        Organisation.objects.filter(memberships__user=user, memberships__role=Role.ADVISOR).distinct().order_by("name")
    )


def organisation_members(organisation: Organisation):
    """The people who can be the buyer's contact persons for a contract of ``organisation``."""
    return User.objects.filter(is_active=True, memberships__organisation=organisation).distinct().order_by("name", "email")


class ContactPersonChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return f"{obj.name} ({obj.email})" if obj.name else obj.email


class ContractForm(forms.ModelForm):
    """Four mandatory fields, the rest desirable. ``organisations`` are the ones the user advises;
    with more than one, the form asks which one the contract belongs to (new contracts only)."""

    organisation = forms.ModelChoiceField(
        label=_("Organisatie"),
        queryset=Organisation.objects.none(),
        to_field_name="uuid",
        empty_label=None,
        help_text=_("U werkt voor meerdere organisaties. Voor welke is dit inkoopcontract?"),
        widget=forms.Select(attrs={"class": "utrecht-select utrecht-select--html-select"}),
    )
    supplier = SupplierField(label=_("Uitvoerende partij"))
    contract_value = DutchDecimalField(
        label=_("Opdrachtsom"), required=False, max_digits=14, decimal_places=2, min_value=0,
        help_text=_("In euro, exclusief btw. Bijvoorbeeld 125.000,00."),
        error_messages={
            "invalid": _("Vul een bedrag in, bijvoorbeeld 125.000,00."),
            "min_value": _("Het bedrag mag niet negatief zijn."),
            "max_digits": MONEY_TOO_LARGE,
            "max_whole_digits": MONEY_TOO_LARGE,
            "max_decimal_places": _("Gebruik hoogstens twee cijfers achter de komma."),
        },
    )
    sroi_percentage = DutchDecimalField(
        label=_("SROI-percentage"), required=False, max_digits=5, decimal_places=2, min_value=0, max_value=100,
        help_text=_("Meestal 5 %. Laat staan als er een vast bedrag is afgesproken."),
        error_messages={
            "invalid": _("Vul een percentage tussen 0 en 100 in, bijvoorbeeld 5."),
            "min_value": _("Vul een percentage tussen 0 en 100 in."),
            "max_value": _("Vul een percentage tussen 0 en 100 in."),
            "max_digits": _("Vul een percentage tussen 0 en 100 in."),
            "max_whole_digits": _("Vul een percentage tussen 0 en 100 in."),
            "max_decimal_places": _("Gebruik hoogstens twee cijfers achter de komma."),
        },
    )
    sroi_fixed_amount = DutchDecimalField(
        label=_("Vast SROI-bedrag"), required=False, max_digits=14, decimal_places=2, min_value=0,
        help_text=_("Alleen invullen als er een vast bedrag is afgesproken in plaats van een percentage."),
        error_messages={
            "invalid": _("Vul een bedrag in, bijvoorbeeld 6.250,00."),
            "min_value": _("Het bedrag mag niet negatief zijn."),
            "max_digits": MONEY_TOO_LARGE,
            "max_whole_digits": MONEY_TOO_LARGE,
            "max_decimal_places": _("Gebruik hoogstens twee cijfers achter de komma."),
        },
    )
    contact_persons = ContactPersonChoiceField(
        label=_("Contactpersonen opdrachtgever"),
        queryset=User.objects.none(),
        to_field_name="uuid",
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "utrecht-checkbox utrecht-checkbox--html-input"}),
        help_text=_("Wie van uw organisatie volgt dit inkoopcontract? Zij krijgen toegang tot de voortgang."),
    )

    class Meta:
        model = Contract
        fields = [
            "organisation",
            "contract_number",
            "title",
            "start_date",
            "end_date",
            "supplier",
            "contract_value",
            "sroi_percentage",
            "sroi_fixed_amount",
            "kind",
            "award_date",
            "department",
            "description",
            "sroi_paragraph",
            "supplier_contact_name",
            "supplier_contact_email",
            "supplier_contact_phone",
            "contact_persons",
            "remarks_for_coordinator",
        ]
        labels = {
            "start_date": _("Startdatum"),
            "end_date": _("Einddatum"),
        }
        help_texts = {
            "contract_number": _("Het nummer waaronder uw organisatie het inkoopcontract registreert."),
            "title": _("Onderwerp van de opdracht: wat is er ingekocht?"),
        }
        widgets = {
            "contract_number": forms.TextInput(attrs={"class": "utrecht-textbox", "autocomplete": "off"}),
            "title": forms.TextInput(attrs={"class": "utrecht-textbox"}),
            "start_date": _date(),
            "end_date": _date(),
            "award_date": _date(),
            "kind": forms.Select(attrs={"class": "utrecht-select utrecht-select--html-select"}),
            "department": forms.TextInput(attrs={"class": "utrecht-textbox"}),
            "description": _text(),
            "sroi_paragraph": _text(6),
            "supplier_contact_name": forms.TextInput(attrs={"class": "utrecht-textbox", "autocomplete": "off"}),
            "supplier_contact_email": forms.EmailInput(attrs={"class": "utrecht-textbox", "autocomplete": "off"}),
            "supplier_contact_phone": forms.TextInput(attrs={"class": "utrecht-textbox", "autocomplete": "off", "inputmode": "tel"}),
            "remarks_for_coordinator": _text(),
        }
        error_messages = {
            "contract_number": {
                "required": _("Vul het inkoopcontractnummer in."),
                "max_length": _("Het inkoopcontractnummer mag hoogstens %(limit_value)d tekens hebben (nu %(show_value)d)."),
            },
            "title": {
                "required": _("Vul de titel in: wat is er ingekocht?"),
                "max_length": _("De titel mag hoogstens %(limit_value)d tekens hebben (nu %(show_value)d)."),
            },
            "start_date": {"required": _("Vul de startdatum in."), "invalid": _("Vul een geldige datum in.")},
            "end_date": {"required": _("Vul de einddatum in."), "invalid": _("Vul een geldige datum in.")},
            "award_date": {"invalid": _("Vul een geldige datum in.")},
            "supplier_contact_email": {"invalid": _("Vul een geldig e-mailadres in, bijvoorbeeld naam@bedrijf.nl.")},
            "kind": {"invalid_choice": _("Kies werk, dienst of levering.")},
        }

    def __init__(self, *args, user: User, organisations: list[Organisation], organisation: Organisation | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["kind"].choices = [("", _("Maak een keuze"))] + list(Contract.Kind.choices)
        if self.instance.pk:
            self.target_organisation = self.instance.organisation
            del self.fields["organisation"]
        else:
            chosen = organisation if organisation in organisations else (organisations[0] if organisations else None)
            if len(organisations) > 1:
                field = self.fields["organisation"]
                field.widget.attrs.update(
                    {
                        "hx-get": reverse("contracts:contact_persons"),
                        "hx-target": "#contact-persons",
                        "hx-swap": "outerHTML",
                        "hx-trigger": "change",
                    }
                )
                field.queryset = Organisation.objects.filter(pk__in=[o.pk for o in organisations]).order_by("name")
                field.initial = chosen
                wanted = self.data.get(self.add_prefix("organisation")) if self.is_bound else None
                chosen = next((o for o in organisations if str(o.uuid) == wanted), chosen)
            else:
                del self.fields["organisation"]
            self.target_organisation = chosen
            self.fields["contact_persons"].initial = [user]
            if self.fields["sroi_percentage"].initial is None:
                self.fields["sroi_percentage"].initial = Decimal("5.00")
        if self.target_organisation is not None:
            self.fields["contact_persons"].queryset = organisation_members(self.target_organisation)
        for name in ("contract_number", "title", "start_date", "end_date"):
            self.fields[name].required = True

    def clean_contract_number(self) -> str:
        return self.cleaned_data["contract_number"].strip()

    def clean_title(self) -> str:
        return self.cleaned_data["title"].strip()

    def clean_sroi_percentage(self) -> Decimal:
        value = self.cleaned_data.get("sroi_percentage")
        return Decimal("5.00") if value is None else value

    def clean(self) -> dict:
        cleaned = super().clean()
        organisation = cleaned.get("organisation") or self.target_organisation
        self.target_organisation = organisation
        start, end = cleaned.get("start_date"), cleaned.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("De einddatum mag niet vóór de startdatum liggen."))
        number = cleaned.get("contract_number")
        if number and organisation is not None:
            clash = Contract.objects.filter(organisation=organisation, contract_number__iexact=number)
            if self.instance.pk:
                clash = clash.exclude(pk=self.instance.pk)
            if clash.exists():
                self.add_error("contract_number", NUMBER_TAKEN)
        return cleaned

    def validate_unique(self) -> None:
        # clean() checks the contract number within the chosen organisation and the dates, with
        # messages beside the fields; the database constraints catch whatever races past it.
        return None


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class AttachmentUploadForm(forms.Form):
    """Only the field and its markup; the files are checked by ``wizzr.uploads.validate_uploads``."""

    files = forms.FileField(
        label=_("Bestanden"),
        required=False,
        widget=MultipleFileInput(attrs={"multiple": True, "accept": ACCEPT, "class": "utrecht-textbox wizzr-file"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["files"].help_text = allowed_types_text()

"""Forms of the supplier registry.

``SupplierField`` is what other apps put in their forms to let the user pick an establishment
from the national registry: ``supplier = SupplierField(label="Uitvoerende partij")``. It submits
the supplier's UUID under the field's own name and renders the complete typeahead (list, live
region, add-supplier dialog, address block) through its widget.
"""

from __future__ import annotations

import re

from django import forms
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils.translation import gettext_lazy as _

from suppliers.models import Supplier
from suppliers.widgets import SupplierTypeahead


class SupplierField(forms.ModelChoiceField):
    """A choice of one active establishment, identified by UUID."""

    widget = SupplierTypeahead
    default_error_messages = {
        "required": _("Kies een opdrachtnemer uit de lijst, of voeg hem toe met de knop naast het veld."),
        "invalid_choice": _("Deze opdrachtnemer is niet gevonden. Typ een deel van de naam en kies uit de lijst."),
        "inactive": _("Deze opdrachtnemer is niet meer actief. Kies een andere vestiging."),
        "merged": _("Deze opdrachtnemer is samengevoegd met %(name)s. Kies die vestiging."),
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("queryset", Supplier.objects.filter(is_active=True))
        kwargs.setdefault("to_field_name", "uuid")
        kwargs.setdefault("empty_label", None)
        super().__init__(**kwargs)

    def prepare_value(self, value):
        # A ModelForm for a model with ``supplier = ForeignKey(Supplier)`` gives the primary key as
        # initial value; the widget works with the UUID.
        if isinstance(value, int) and not isinstance(value, bool):
            return Supplier.objects.filter(pk=value).values_list("uuid", flat=True).first()
        return super().prepare_value(value)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        try:
            return super().to_python(value)
        except ValidationError:
            inactive = (
                Supplier.objects.filter(uuid=value, is_active=False).select_related("merged_into").first()
                if _is_uuid(value)
                else None
            )
            if inactive is None:
                raise
            if inactive.merged_into is not None and inactive.merged_into.is_active:
                raise ValidationError(
                    self.error_messages["merged"], code="merged", params={"name": str(inactive.merged_into)}
                ) from None
            raise ValidationError(self.error_messages["inactive"], code="inactive") from None


def _is_uuid(value) -> bool:
    import uuid

    try:
        uuid.UUID(str(value))
    except ValueError:
        return False
    return True


_POSTCODE = re.compile(r"([1-9][0-9]{3}) ?([A-Za-z]{2})")
_PHONE = re.compile(r"[0-9 +()-]{6,30}")
SIMILARITY = 0.5


class SupplierAddForm(forms.ModelForm):
    """A company establishment added by a user from the add-supplier dialog.

    After ``is_valid()``: ``duplicate`` is the existing establishment with the same KvK + branch
    number (to offer instead), ``similar`` the establishments with a similar name in the same
    place (a warning the user can overrule with ``confirm_similar``).
    """

    # Wider than the stored numbers: "8765 4321" is accepted and stored as "87654321".
    kvk_number = forms.CharField(
        label=_("KvK-nummer"), max_length=12, help_text=_("8 cijfers."), error_messages={"required": _("Vul het KvK-nummer in.")}, widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"})
    )
    branch_number = forms.CharField(
        label=_("Vestigingsnummer"), max_length=16, required=False,
        help_text=_("12 cijfers. Laat leeg als het bedrijf geen vestigingsnummer heeft."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    confirm_similar = forms.BooleanField(
        required=False, label=_("Het is toch een ander bedrijf: voeg het toe")
    )

    class Meta:
        model = Supplier
        fields = [
            "legal_name", "trade_name", "kvk_number", "branch_number", "is_main_branch",
            "street", "house_number", "postcode", "city", "phone", "email", "website",
        ]
        labels = {
            "legal_name": _("Statutaire naam"),
            "trade_name": _("Handelsnaam"),
            "is_main_branch": _("Dit is de hoofdvestiging"),
            "street": _("Straat"),
            "house_number": _("Huisnummer"),
            "postcode": _("Postcode"),
            "city": _("Plaats"),
            "phone": _("Telefoonnummer"),
            "email": _("E-mailadres"),
            "website": _("Website"),
        }
        help_texts = {
            "legal_name": _("De naam van het bedrijf zoals die bij de KvK staat, niet de naam van een contactpersoon."),
            "trade_name": _("Alleen als die anders is dan de statutaire naam."),
            "website": _("Bijvoorbeeld https://www.voorbeeld.nl"),
        }
        error_messages = {
            "legal_name": {"required": _("Vul de statutaire naam van het bedrijf in.")},
            "street": {"required": _("Vul de straat in.")},
            "house_number": {"required": _("Vul het huisnummer in.")},
            "postcode": {"required": _("Vul de postcode in.")},
            "city": {"required": _("Vul de plaats in.")},
            "email": {"invalid": _("Vul een geldig e-mailadres in, zoals info@voorbeeld.nl.")},
            "website": {"invalid": _("Vul een geldig webadres in, zoals https://www.voorbeeld.nl.")},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.duplicate: Supplier | None = None
        self.duplicate_inactive = False
        self.similar: list[Supplier] = []
        for name in ("street", "house_number", "postcode", "city"):
            self.fields[name].required = True
        self.fields["website"].assume_scheme = "https"
        autocomplete = {
            "legal_name": "organization", "street": "address-line1", "postcode": "postal-code",
            "city": "address-level2", "phone": "tel", "email": "email", "website": "url",
        }
        # _field.html adds the Utrecht base classes; only the modifiers are set here.
        for name, value in autocomplete.items():
            self.fields[name].widget.attrs["autocomplete"] = value
        for name in ("is_main_branch", "confirm_similar"):
            self.fields[name].widget.attrs["class"] = "utrecht-checkbox utrecht-checkbox--html-input"
        self.fields["postcode"].widget.attrs["class"] = "utrecht-textbox--postal-code-nl-size"
        self.fields["house_number"].widget.attrs["class"] = "utrecht-textbox--house-number-size"
        self.fields["phone"].widget.input_type = "tel"

    @staticmethod
    def _digits(value: str) -> str:
        return re.sub(r"[\s.]", "", value or "")

    def clean_kvk_number(self) -> str:
        value = self._digits(self.cleaned_data["kvk_number"])
        if not re.fullmatch(r"[0-9]{8}", value):
            raise ValidationError(_("Een KvK-nummer bestaat uit 8 cijfers."), code="kvk")
        return value

    def clean_branch_number(self) -> str:
        value = self._digits(self.cleaned_data.get("branch_number", ""))
        if value and not re.fullmatch(r"[0-9]{12}", value):
            raise ValidationError(_("Een vestigingsnummer bestaat uit 12 cijfers."), code="branch")
        return value

    def clean_postcode(self) -> str:
        value = self.cleaned_data["postcode"].strip()
        match = _POSTCODE.fullmatch(value)
        if not match or match[2].upper() in ("SA", "SD", "SS"):
            raise ValidationError(_("Vul een Nederlandse postcode in, zoals 1234 AB."), code="postcode")
        return f"{match[1]} {match[2].upper()}"

    def clean_phone(self) -> str:
        value = self.cleaned_data.get("phone", "").strip()
        if value and not _PHONE.fullmatch(value):
            raise ValidationError(_("Vul een telefoonnummer in met alleen cijfers, spaties, + of -."), code="phone")
        return value

    def clean(self):
        cleaned = super().clean()
        kvk, branch = cleaned.get("kvk_number"), cleaned.get("branch_number", "")
        if kvk and "kvk_number" not in self.errors and "branch_number" not in self.errors:
            existing = Supplier.objects.filter(kvk_number=kvk, branch_number=branch).select_related("merged_into").first()
            if existing is not None:
                if existing.is_active:
                    self.duplicate = existing
                elif existing.merged_into is not None and existing.merged_into.is_active:
                    self.duplicate = existing.merged_into
                else:
                    self.duplicate_inactive = True
                raise ValidationError(
                    _("Deze vestiging (KvK-nummer %(kvk)s, vestigingsnummer %(branch)s) staat al in het register.")
                    % {"kvk": kvk, "branch": branch or "–"},
                    code="duplicate",
                )
        name, city = cleaned.get("legal_name"), cleaned.get("city")
        if name and city and not cleaned.get("confirm_similar"):
            self.similar = similar_suppliers(name=name, trade_name=cleaned.get("trade_name", ""), city=city)
            if self.similar:
                raise ValidationError(
                    _("Er staat al een bedrijf met een vergelijkbare naam in %(city)s in het register.") % {"city": city},
                    code="similar",
                )
        return cleaned

    def validate_unique(self):
        # The unique KvK + branch number check is done in clean(), with the offer to pick the existing entry.
        return

    def validate_constraints(self):
        # The same: clean() checks the KvK and branch formats and the duplicate, in words users understand.
        return


def similar_suppliers(*, name: str, trade_name: str = "", city: str, limit: int = 3) -> list[Supplier]:
    """Active establishments in the same place whose name looks like ``name`` (trigram similarity)."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT id FROM (
                SELECT id, greatest(similarity(name_key, n.name), similarity(trade_key, n.name),
                                    similarity(name_key, n.trade), similarity(trade_key, n.trade)) AS score
                FROM suppliers_supplier,
                     (SELECT suppliers_normalise(%s) AS name, coalesce(nullif(suppliers_normalise(%s), ''), suppliers_normalise(%s)) AS trade) AS n
                WHERE is_active AND city_key = suppliers_normalise(%s)
            ) AS scored
            WHERE score >= %s
            ORDER BY score DESC, id
            LIMIT %s
            """,
            [name, trade_name, name, city, SIMILARITY, limit],
        )
        ids = [pk for (pk,) in cursor.fetchall()]
    found = Supplier.objects.in_bulk(ids)
    return [found[pk] for pk in ids if pk in found]

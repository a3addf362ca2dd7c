"""Forms of the supplier registry.

``SupplierField`` is what other apps put in their forms to let the user pick an establishment
from the national registry: ``supplier = SupplierField(label="Uitvoerende partij")``. It submits
the supplier's UUID under the field's own name and renders the complete typeahead (list, live
region, add-supplier dialog, address block) through its widget.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

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


class SupplierAddForm(forms.ModelForm):
    """A company establishment added by a user from the add-supplier dialog.

    After ``is_valid()``: ``duplicate`` is the existing establishment with the same KvK + branch
    number (to offer instead), ``similar`` the establishments that look alike, each a
    ``SimilarSupplier`` with the reasons (a warning the user can overrule with ``confirm_similar``).
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
        self.similar: list[SimilarSupplier] = []
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
            self.similar = similar_suppliers(
                name=name, trade_name=cleaned.get("trade_name", ""), city=city,
                kvk_number=cleaned.get("kvk_number", ""), branch_number=cleaned.get("branch_number", ""),
            )
            if any(_("zelfde KvK-nummer") in candidate.reasons for candidate in self.similar):
                raise ValidationError(
                    _("Er staat al een vestiging van dit bedrijf (zelfde KvK-nummer) in het register."),
                    code="similar",
                )
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


# Words that say what kind of company it is or its legal form, not which company: two names that
# share only these are not alike ("Schoonmaakbedrijf Çelik B.V." and "Schoonmaakbedrijf Proper Oost
# B.V."). Normalised (see suppliers_normalise); a typo of one of them is generic too.
GENERIC_WORDS = frozenset("""
    bv nv vof cv ua holding groep group stichting cooperatie maatschap vereniging firma fa
    en zonen zn gebr gebroeders de het van der den ter ten in op t s
    bouw bouwbedrijf bouwgroep aannemer aannemers aannemersbedrijf bouwonderneming
    installatie installaties installatiebedrijf installatietechniek techniek technieken technisch
    elektro elektrotechniek elektrotechnisch loodgieter loodgieters loodgietersbedrijf
    schilder schilders schildersbedrijf stukadoor stukadoors stukadoorsbedrijf
    schoonmaak schoonmaakbedrijf schoonmaakdiensten glazenwasser glazenwassers
    hovenier hoveniers hoveniersbedrijf groen groenvoorziening groenvoorzieningen tuin tuinen
    transport transportbedrijf logistiek logistics verhuizingen verhuisbedrijf taxi
    dienst diensten dienstverlening services service projecten project advies adviesbureau
    ingenieursbureau consultancy management beheer bureau onderhoud
    bakkerij slagerij cafe restaurant catering horeca
    detachering uitzendbureau personeel beveiliging beveiligingsbedrijf
    metaal metaalbewerking constructie constructiebedrijf sloop sloopbedrijf grondverzet wegenbouw
    dak dakdekker dakdekkers dakdekkersbedrijf timmer timmerbedrijf timmerwerken
    nederland holland noord oost zuid west centrum regio
""".split())


@dataclass
class SimilarSupplier:
    """An establishment that looks like the one being added, and why (Dutch sentences)."""

    supplier: Supplier
    reasons: list[str]


def distinctive_words(*names: str) -> list[str]:
    """The normalised words of ``names`` that tell one company from another (not GENERIC_WORDS)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT array_agg(DISTINCT w) FROM unnest(string_to_array(suppliers_normalise(%s), ' ')) AS w"
            " WHERE length(w) >= 2 AND w !~ '^[0-9]+$' AND NOT w = ANY (%s)",
            [" ".join(names), sorted(GENERIC_WORDS)],
        )
        words = cursor.fetchone()[0] or []
    return sorted(words)


def similar_suppliers(
    *, name: str, trade_name: str = "", city: str, kvk_number: str = "", branch_number: str = "", limit: int = 3
) -> list[SimilarSupplier]:
    """Active establishments that look like the one being added, most alike first, each with its reasons.

    Alike is: another establishment of the same KvK number, or a name that shares the distinctive
    words (half of them or more; the same word or one typo away, "Jansen"/"Janssen") with an
    establishment in the same place. Generic trade words and legal forms (GENERIC_WORDS) weigh
    nothing, so two cleaning companies in one city are not alike for that. (The same KvK and
    branch number together is not similar but the same: the form refuses it before this check.)
    """
    words = distinctive_words(name, trade_name)
    with connection.cursor() as cursor:
        cursor.execute(
            """
            WITH input AS (SELECT unnest(%(words)s::text[]) AS word),
            spelling AS (  -- each distinctive word and the vocabulary words one typo away from it
                SELECT i.word, i.word AS spelling FROM input i
                UNION
                SELECT i.word, n.word FROM input i
                CROSS JOIN LATERAL (SELECT v.word FROM suppliers_searchword v WHERE v.frequency > 0
                                    ORDER BY v.word <-> i.word LIMIT 20) AS n
                WHERE length(i.word) >= 5 AND suppliers_one_typo(i.word, n.word)
            ),
            by_name AS (
                SELECT c.supplier_id, array_agg(DISTINCT c.spelling) AS spellings, count(DISTINCT c.word) AS matched
                FROM (
                    SELECT s.word, s.spelling, e.supplier_id FROM spelling s
                    CROSS JOIN LATERAL (
                        SELECT sw.supplier_id FROM suppliers_supplierword sw
                        WHERE sw.word = s.spelling AND sw.city_key = suppliers_normalise(%(city)s)
                          AND strpos(concat(' ', sw.name_key, ' ', sw.trade_key, ' '), ' ' || s.spelling || ' ') > 0
                        LIMIT 200
                    ) AS e
                ) AS c
                GROUP BY c.supplier_id
                HAVING count(DISTINCT c.word) * 2 >= cardinality(%(words)s::text[])
            ),
            same_company AS (
                SELECT id AS supplier_id FROM suppliers_supplier
                WHERE %(kvk)s <> '' AND kvk_number = %(kvk)s AND branch_number <> %(branch)s AND is_active
                LIMIT 20
            )
            SELECT s.id, k.supplier_id IS NOT NULL, coalesce(n.spellings, '{}'), coalesce(n.matched, 0),
                   s.city_key = suppliers_normalise(%(city)s)
            FROM suppliers_supplier s
            LEFT JOIN by_name n ON n.supplier_id = s.id
            LEFT JOIN same_company k ON k.supplier_id = s.id
            WHERE s.id IN (SELECT supplier_id FROM by_name UNION SELECT supplier_id FROM same_company) AND s.is_active
            ORDER BY k.supplier_id IS NOT NULL DESC, coalesce(n.matched, 0) DESC, s.id
            LIMIT %(limit)s
            """,
            {"words": words, "city": city, "kvk": kvk_number or "", "branch": branch_number or "", "limit": limit},
        )
        rows = cursor.fetchall()
    found = Supplier.objects.in_bulk([row[0] for row in rows])
    similar = []
    for pk, same_kvk, spellings, _matched, same_city in rows:
        supplier = found[pk]
        reasons = []
        if same_kvk:
            reasons.append(_("zelfde KvK-nummer"))
        if spellings:
            shown = ", ".join(f"‘{_original_word(supplier, word)}’" for word in sorted(spellings))
            reasons.append(_("naam lijkt op: %(words)s") % {"words": shown})
        if same_city:
            reasons.append(_("zelfde plaats"))
        similar.append(SimilarSupplier(supplier=supplier, reasons=reasons))
    return similar


def _original_word(supplier: Supplier, normalised: str) -> str:
    """The word of the supplier's name as written ("Çelik") for its normalised form ("celik")."""
    import unicodedata

    for word in f"{supplier.legal_name} {supplier.trade_name}".split():
        plain = unicodedata.normalize("NFKD", word)
        plain = re.sub(r"[^a-z0-9]", "", "".join(ch for ch in plain if not unicodedata.combining(ch)).lower())
        if plain == normalised:
            return word.strip(".,;:()")
    return normalised

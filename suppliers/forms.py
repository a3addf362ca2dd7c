"""Forms of the supplier registry.

``SupplierField`` is what other apps put in their forms to let the user pick an establishment
from the national registry: ``supplier = SupplierField(label="Uitvoerende partij")``. It submits
the supplier's UUID under the field's own name and renders the complete typeahead (list, live
region, add-supplier dialog, address block) through its widget.
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
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

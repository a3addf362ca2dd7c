from __future__ import annotations

from datetime import datetime, time

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label=_("Naam"), max_length=100, help_text=_("Waarvoor de sleutel is, bijvoorbeeld 'Power BI financiën'.")
    )
    expires_on = forms.DateField(
        label=_("Geldig tot en met (optioneel)"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean_expires_on(self):
        value = self.cleaned_data["expires_on"]
        if value is not None and value < timezone.localdate():
            raise forms.ValidationError(_("Kies een datum vanaf vandaag."))
        return value

    def expires_at(self):
        value = self.cleaned_data.get("expires_on")
        if value is None:
            return None
        return timezone.make_aware(datetime.combine(value, time.max))

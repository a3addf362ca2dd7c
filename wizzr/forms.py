from django import forms
from django.contrib.auth import password_validation
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wizzr.models import Invitation, Organisation, Role

# The roles an organisation admin may hand out, per kind of organisation.
INVITABLE_ROLES = {
    Organisation.Kind.AUTHORITY: [Role.ADVISOR, Role.ORG_ADMIN],
    Organisation.Kind.SERVICE_POINT: [Role.COORDINATOR, Role.ORG_ADMIN],
    Organisation.Kind.SUPPLIER: [Role.SUPPLIER, Role.ORG_ADMIN],
}


class InvitationForm(forms.Form):
    name = forms.CharField(label=_("Naam"), max_length=150, widget=forms.TextInput(attrs={"autocomplete": "off"}))
    email = forms.EmailField(label=_("E-mailadres"), widget=forms.EmailInput(attrs={"autocomplete": "off"}))
    role = forms.ChoiceField(label=_("Rol"))

    def __init__(self, *args, organisation: Organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisation = organisation
        self.fields["role"].choices = [(r.value, r.label) for r in INVITABLE_ROLES[organisation.kind]]

    def clean_email(self) -> str:
        return self.cleaned_data["email"].strip().lower()

    def clean(self):
        cleaned = super().clean()
        _check_invitation(
            self, self.organisation, cleaned.get("email"), cleaned.get("role"),
            has_role=_("Deze persoon heeft deze rol al in uw organisatie."),
        )
        return cleaned


def _check_invitation(form: forms.Form, organisation: Organisation, email: str | None, role: str | None, *,
                      has_role: str) -> None:
    """Refuse a role the person already has, or an invitation that is still open."""
    if organisation and email and role:
        if organisation.memberships.filter(user__email__iexact=email, role=role).exists():
            form.add_error("email", has_role)
        elif organisation.invitations.filter(
            email__iexact=email, role=role, accepted_at__isnull=True, expires_at__gt=timezone.now()
        ).exists():
            form.add_error("email", _("Er staat al een uitnodiging open voor dit e-mailadres met deze rol."))


class AdminInvitationForm(forms.ModelForm):
    """The admin's invitation: any organisation, a role that fits its kind; sent by ``invitation_send``."""

    class Meta:
        model = Invitation
        fields = ["organisation", "email", "name", "role"]

    def clean_email(self) -> str:
        return self.cleaned_data["email"].strip().lower()

    def clean(self):
        cleaned = super().clean()
        organisation, role = cleaned.get("organisation"), cleaned.get("role")
        if organisation and role and role not in {r.value for r in INVITABLE_ROLES[organisation.kind]}:
            self.add_error("role", _("Deze rol past niet bij dit soort organisatie."))
        _check_invitation(
            self, organisation, cleaned.get("email"), role,
            has_role=_("Deze persoon heeft deze rol al in deze organisatie."),
        )
        return cleaned


class SetPasswordForm(forms.Form):
    password1 = forms.CharField(
        label=_("Wachtwoord"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )
    password2 = forms.CharField(
        label=_("Wachtwoord (nogmaals)"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean(self):
        cleaned = super().clean()
        p1, p2 = cleaned.get("password1"), cleaned.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", _("De twee wachtwoorden zijn niet gelijk."))
        elif p1:
            try:
                password_validation.validate_password(p1, self.user)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned

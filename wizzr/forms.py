from django import forms
from django.contrib.auth import password_validation
from django.utils.translation import gettext_lazy as _

from wizzr.models import Role


class InvitationForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=150)
    email = forms.EmailField(label=_("E-mail address"))
    role = forms.ChoiceField(label=_("Role"))

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisation = organisation
        if organisation.is_service_point:
            allowed = [Role.COORDINATOR, Role.ORG_ADMIN]
        elif organisation.kind == organisation.Kind.SUPPLIER:
            allowed = [Role.SUPPLIER, Role.ORG_ADMIN]
        else:
            allowed = [Role.ADVISOR, Role.ORG_ADMIN]
        self.fields["role"].choices = [(r.value, r.label) for r in allowed]

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip().lower()
        if self.organisation.memberships.filter(user__email=email, role=self.data.get("role")).exists():
            raise forms.ValidationError(_("This person already has this role in your organisation."))
        return email


class SetPasswordForm(forms.Form):
    password1 = forms.CharField(label=_("Password"), widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))
    password2 = forms.CharField(
        label=_("Password (again)"), widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean(self):
        cleaned = super().clean()
        p1, p2 = cleaned.get("password1"), cleaned.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", _("The two passwords differ."))
        elif p1:
            try:
                password_validation.validate_password(p1, self.user)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned

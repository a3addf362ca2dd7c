from allauth.account.adapter import DefaultAccountAdapter
from django import forms
from django.utils.translation import gettext_lazy as _

from wizzr import login_throttle


class AccountAdapter(DefaultAccountAdapter):
    """Accounts are created by invitation or by staff: there is no open sign-up.

    The messages people meet most are ours, in the formal Dutch ("u") of the rest of WIZZR.
    """

    error_messages = {
        **DefaultAccountAdapter.error_messages,
        "account_inactive": _("Dit account is niet actief. Neem contact op met de beheerder van uw organisatie."),
        "cannot_remove_primary_email": _("U kunt uw hoofdadres niet verwijderen."),
        "duplicate_email": _("Dit e-mailadres hoort al bij uw account."),
        "email_password_mismatch": _(
            "Het e-mailadres of het wachtwoord klopt niet. Controleer beide en probeer het opnieuw."
        ),
        "enter_current_password": _("Vul uw huidige wachtwoord in."),
        "incorrect_password": _("Het wachtwoord klopt niet."),
        "invalid_or_expired_key": _("Deze link is ongeldig of verlopen."),
        "too_many_login_attempts": _(
            "Te veel mislukte inlogpogingen. Wacht een paar minuten en probeer het dan opnieuw."
        ),
        "unverified_primary_email": _("Uw hoofdadres moet eerst bevestigd zijn."),
        "rate_limited": _("U doet te veel verzoeken kort na elkaar. Wacht even en probeer het opnieuw."),
    }

    def is_open_for_signup(self, request) -> bool:
        return False

    # Failed passwords (login and reauthentication) are limited by wizzr.login_throttle, per account with
    # a growing delay and per address with a budget a shared office cannot use up, instead of allauth's
    # "login_failed" rate, which locks out everyone behind an address. That rate still limits MFA codes.

    def pre_authenticate(self, request, **credentials) -> None:
        login = credentials.get("email") or credentials.get("username") or ""
        try:
            self._login_attempt = login_throttle.attempt_begin(login=login, ip=self.get_client_ip(request))
        except login_throttle.LoginThrottled as throttled:
            raise forms.ValidationError(throttled.message, code="too_many_login_attempts") from None

    def authenticate(self, request, **credentials):
        self._login_attempt = None
        user = super().authenticate(request, **credentials)
        if user is not None and self._login_attempt is not None:
            login_throttle.attempt_succeeded(self._login_attempt)
        return user

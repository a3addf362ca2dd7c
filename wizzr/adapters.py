from allauth.account.adapter import DefaultAccountAdapter
from django.utils.translation import gettext_lazy as _


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

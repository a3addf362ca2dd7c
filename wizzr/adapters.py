from allauth.account.adapter import DefaultAccountAdapter


class AccountAdapter(DefaultAccountAdapter):
    """Accounts are created by invitation or by staff: there is no open sign-up."""

    def is_open_for_signup(self, request) -> bool:
        return False

"""Request middleware: session limits, mandatory MFA and the current organisation."""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import reverse

from wizzr.tenancy import current_organisation

SESSION_STARTED = "wizzr_session_started"


class SessionTimeoutMiddleware:
    """Ends a session after an absolute limit, whatever its activity.

    The idle limit is Django's own (SESSION_COOKIE_AGE with SESSION_SAVE_EVERY_REQUEST).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = int(time.time())
            started = request.session.get(SESSION_STARTED)
            if started is None:
                request.session[SESSION_STARTED] = now
            elif now - started > settings.WIZZR_SESSION_ABSOLUTE_SECONDS:
                logout(request)
                return redirect(settings.LOGIN_URL and reverse(settings.LOGIN_URL))
        return self.get_response(request)


class RequireMFAMiddleware:
    """With WIZZR_REQUIRE_MFA on, users without an authenticator are sent to the MFA set-up.

    allauth cannot force MFA itself; only the set-up pages, logout and static files stay open.
    """

    allowed_prefixes = ("/accounts/", "/static/", "/healthz", "/i18n/", "/toegankelijkheid/")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            settings.WIZZR_REQUIRE_MFA
            and request.user.is_authenticated
            and not request.path.startswith(self.allowed_prefixes)
        ):
            from allauth.mfa.utils import is_mfa_enabled

            if not is_mfa_enabled(request.user):
                return redirect("mfa_activate_totp")
        return self.get_response(request)


class CurrentOrganisationMiddleware:
    """Makes ``request.organisation`` available (lazily resolved, None for anonymous users)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.organisation = current_organisation(request) if request.user.is_authenticated else None
        return self.get_response(request)

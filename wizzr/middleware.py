"""Request middleware: session limits, mandatory MFA and the current organisation."""

from __future__ import annotations

import time
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from wizzr.tenancy import current_organisation, request_has_authenticator

SESSION_STARTED = "wizzr_session_started"
SESSION_TOUCHED = "wizzr_session_touched"
# How often an active session is written to renew its idle limit. Saving it on every request would
# cost an UPDATE and a commit per request; the idle limit is therefore exact to within this margin.
SESSION_TOUCH_SECONDS = 60


def _redirect(request, url: str) -> HttpResponse:
    """A redirect that also works for htmx requests (which would otherwise swap in the target page)."""
    if request.headers.get("HX-Request") == "true":
        response = HttpResponse(status=204)
        response["HX-Redirect"] = url
        return response
    return redirect(url)


class SessionTimeoutMiddleware:
    """Ends a session after an absolute limit (WIZZR_SESSION_ABSOLUTE_SECONDS), whatever its activity,
    and renews the idle limit of an active one.

    The start is stamped at login (wizzr.signals) and, for sessions older than that code, on the first
    request. The idle limit is Django's own session expiry (SESSION_COOKIE_AGE), which moves each time
    the session is saved: an active session is saved at least every SESSION_TOUCH_SECONDS.
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
                return _redirect(request, f"{reverse('account_login')}?{urlencode({'next': request.get_full_path()})}")
            if now - request.session.get(SESSION_TOUCHED, 0) >= SESSION_TOUCH_SECONDS:
                request.session[SESSION_TOUCHED] = now
        return self.get_response(request)


class RequireMFAMiddleware:
    """With WIZZR_REQUIRE_MFA on, users without an authenticator are sent to the TOTP set-up.

    allauth cannot force MFA itself. Only the account pages (login, logout, MFA set-up), the
    language switch, the accessibility statement, static files and the health check stay open.
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
            if not request_has_authenticator(request):
                return _redirect(request, reverse("mfa_activate_totp"))
        return self.get_response(request)


class CurrentOrganisationMiddleware:
    """Makes ``request.organisation`` available (None for anonymous users and users without membership)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.organisation = current_organisation(request) if request.user.is_authenticated else None
        return self.get_response(request)

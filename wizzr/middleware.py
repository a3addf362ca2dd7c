"""Request middleware: session limits, mandatory MFA, the current organisation and the demo's error pages."""

from __future__ import annotations

import time
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import logout
from django.core import signals
from django.core.exceptions import BadRequest, PermissionDenied, SuspiciousOperation
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import get_resolver, get_urlconf, reverse
from django.utils.log import log_response

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


def _error_handler(status: int):
    """The view the URLconf names for ``status`` (handler404, handler500), as Django uses it without DEBUG."""
    return get_resolver(get_urlconf()).resolve_error_handler(status)


class ProductErrorPagesMiddleware:
    """With DEBUG on, answers 404, 403 and 500 with the product's own pages instead of Django's technical ones.

    The demo runs with DEBUG on; a user following a stale or foreign link should see the Dutch page with a
    way back, not a URL map or a traceback. The pages come from the URLconf's handlers, as without DEBUG.
    DEBUG_TECHNICAL_ERRORS brings the technical pages back for developers. Without DEBUG, Django already
    uses those handlers (wizzr.urls) and this does nothing.

    Placed last in MIDDLEWARE so that its pages still pass through the CSP, session and message middleware.
    Exceptions raised by other middleware are not covered: they are converted before they get here.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    @staticmethod
    def active() -> bool:
        return settings.DEBUG and not settings.DEBUG_TECHNICAL_ERRORS

    def __call__(self, request):
        response = self.get_response(request)
        # A URL that resolves to nothing never reaches a view or process_exception: Django answers with its
        # technical 404 before any view is picked, which leaves resolver_match unset.
        if response.status_code == 404 and request.resolver_match is None and self.active():
            return _error_handler(404)(request, Http404())
        return response

    def process_exception(self, request, exception):
        if not self.active():
            return None
        if isinstance(exception, Http404):
            return _error_handler(404)(request, exception)
        if isinstance(exception, (PermissionDenied, BadRequest, SuspiciousOperation)):
            # 403 is rendered from 403.html in DEBUG too; 400s keep Django's own handling.
            return None
        # What Django does for an uncaught exception, minus the technical page: the signal and the log line.
        signals.got_request_exception.send(sender=None, request=request)
        response = _error_handler(500)(request)
        log_response("%s: %s", response.reason_phrase, request.path, response=response, request=request, exception=exception)
        return response

"""Response headers of every answer: a Permissions-Policy, for signed-in users no caching, and on HTML
a Vary on the htmx request header."""

from __future__ import annotations

from django.utils.cache import patch_cache_control, patch_vary_headers

# Browser features WIZZR never uses, switched off for the page and every frame in it, so that an injected
# script or an embedded document cannot ask for them either. Features no current browser knows are left
# out (each costs a console warning on every page): interest-cohort (FLoC) gave way to browsing-topics.
# bluetooth is kept although Chromium does not control it by policy yet (one warning) so that it is
# switched off the day it does.
DENIED_FEATURES = (
    "accelerometer",
    "autoplay",
    "bluetooth",
    "browsing-topics",
    "camera",
    "display-capture",
    "encrypted-media",
    "fullscreen",
    "gamepad",
    "geolocation",
    "gyroscope",
    "hid",
    "identity-credentials-get",
    "idle-detection",
    "local-fonts",
    "magnetometer",
    "microphone",
    "midi",
    "otp-credentials",
    "payment",
    "picture-in-picture",
    "publickey-credentials-create",
    "publickey-credentials-get",
    "screen-wake-lock",
    "serial",
    "storage-access",
    "usb",
    "window-management",
    "xr-spatial-tracking",
)
PERMISSIONS_POLICY = ", ".join(f"{feature}=()" for feature in DENIED_FEATURES)


class ResponseHeadersMiddleware:
    """Adds the Permissions-Policy to every response and ``Cache-Control: private, no-store`` to every
    response to a signed-in user: pages, htmx fragments, redirects, error pages and file downloads.

    A shared proxy must never keep a signed-in user's page, nor a browser on a shared computer let the
    next person page back through it. Placed first in MIDDLEWARE so that it sees every answer, including
    the ones other middleware return early. Static files (WhiteNoise answers them before any user is
    known) keep their long caching.

    Every HTML answer also carries ``Vary: HX-Request``: a URL may answer an htmx request with a
    fragment and a plain one with the whole page (a redirect differs too), so a cache must never hand
    out the one for the other.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        if response.get("Content-Type", "").startswith("text/html"):
            patch_vary_headers(response, ["HX-Request"])
        # Set by AuthenticationMiddleware; read after the view, so a login in this request counts too.
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            patch_cache_control(response, private=True, no_store=True)
        return response

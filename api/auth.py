"""Bearer-token authentication and the per-key rate limit of the API.

An unknown, revoked or expired key gets the same 401; nothing tells them apart. No session and no
cookie is read: a browser's signed-in session does not open the API.
"""

from __future__ import annotations

import time
from datetime import timedelta
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.utils.cache import patch_cache_control

from api.models import ApiToken, digest

# Writing last_used_at on every request would make each read a write; once a minute is precise enough.
LAST_USED_RESOLUTION = timedelta(minutes=1)


def rate_limit() -> int:
    return getattr(settings, "API_RATE_LIMIT_PER_MINUTE", 120)


def json_response(data, *, status: int = 200) -> JsonResponse:
    response = JsonResponse(data, status=status, json_dumps_params={"ensure_ascii": False})
    patch_cache_control(response, private=True, no_store=True)
    return response


def error(message: str, *, status: int) -> JsonResponse:
    return json_response({"detail": message}, status=status)


def unauthorised() -> JsonResponse:
    response = error("Niet geautoriseerd.", status=401)
    response["WWW-Authenticate"] = "Bearer"
    return response


def token_from(request: HttpRequest) -> ApiToken | None:
    scheme, _, secret = request.headers.get("Authorization", "").partition(" ")
    secret = secret.strip()
    if scheme.lower() != "bearer" or not secret or len(secret) > 200:
        return None
    return ApiToken.objects.usable().select_related("organisation").filter(key_hash=digest(secret)).first()


def over_limit(token: ApiToken) -> int | None:
    """Count this request in the key's current minute; the seconds until the next one when over the limit."""
    now = time.time()
    window = int(now // 60)
    key = f"api-rate:{token.pk}:{window}"
    cache.add(key, 0, timeout=120)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=120)
        count = 1
    if count > rate_limit():
        return max(1, int((window + 1) * 60 - now) + 1)
    return None


def api_view(view):
    """GET only, with a valid key; the key's organisation is ``request.api_organisation``."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs):
        if request.method not in ("GET", "HEAD"):
            response = error("Methode niet toegestaan. / Method not allowed.", status=405)
            response["Allow"] = "GET, HEAD"
            return response
        token = token_from(request)
        if token is None:
            return unauthorised()
        retry_after = over_limit(token)
        if retry_after is not None:
            response = error(
                "Te veel verzoeken; probeer het later opnieuw. / Too many requests; try again later.", status=429
            )
            response["Retry-After"] = str(retry_after)
            return response
        now = timezone.now()
        if token.last_used_at is None or now - token.last_used_at >= LAST_USED_RESOLUTION:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        request.api_token = token
        request.api_organisation = token.organisation
        return view(request, *args, **kwargs)

    wrapper.csrf_exempt = True
    return wrapper

"""Tenancy helpers: the request's memberships and the organisation the user is working for.

Object visibility itself lives on each model's queryset (``Model.objects.visible_to(user)``); the
role checks built on these memberships are in ``wizzr.access``.
"""

from __future__ import annotations

from collections.abc import Callable

from allauth.mfa.utils import is_mfa_enabled
from django.http import HttpRequest

from wizzr.models import Membership, Organisation

SESSION_KEY = "wizzr_organisation"


def _per_request(request: HttpRequest, attribute: str, read: Callable):
    """``read(user)`` for the request's signed-in user, read once per request and kept on the request
    under ``attribute`` (read again if the request's user changes, as at login)."""
    user = getattr(request, "user", None)
    key = user.pk if getattr(user, "is_authenticated", False) else None
    cached = getattr(request, attribute, None)
    if cached is None or cached[0] != key:
        cached = (key, read(user) if key is not None else None)
        setattr(request, attribute, cached)
    return cached[1]


def request_memberships(request: HttpRequest) -> list[Membership]:
    """The memberships of ``request.user`` with their organisations, in a stable order, read once per
    request (none for anonymous users).

    The middleware, the role checks (wizzr.access) and the header all need them; one query serves them all.
    """
    memberships = _per_request(
        request,
        "_wizzr_memberships",
        lambda user: list(
            Membership.objects.filter(user=user).select_related("organisation").order_by("organisation__name", "role")
        ),
    )
    return memberships or []


def request_has_authenticator(request: HttpRequest) -> bool:
    """Whether the signed-in user has an MFA authenticator (allauth's ``is_mfa_enabled``), read once per request."""
    return bool(_per_request(request, "_wizzr_has_authenticator", is_mfa_enabled))


def current_organisation(request: HttpRequest) -> Organisation | None:
    """Return the organisation the user is working for, or None when they have no membership.

    The choice is kept in the session; a stale or foreign choice falls back to the first
    organisation of the user's memberships.
    """
    cached = getattr(request, "_wizzr_organisation", False)
    if cached is not False:
        return cached
    organisation = None
    memberships = request_memberships(request)
    chosen = request.session.get(SESSION_KEY) if hasattr(request, "session") else None
    for membership in memberships:
        if str(membership.organisation.uuid) == chosen:
            organisation = membership.organisation
            break
    if organisation is None and memberships:
        organisation = memberships[0].organisation
    request._wizzr_organisation = organisation
    return organisation


def current_roles(request: HttpRequest) -> set[str]:
    """Return the user's roles in the current organisation (empty for anonymous users)."""
    organisation = current_organisation(request)
    if organisation is None:
        return set()
    return {m.role for m in request_memberships(request) if m.organisation_id == organisation.pk}


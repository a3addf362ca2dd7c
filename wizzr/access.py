"""Access checks for views: roles from the request's memberships, objects through their visibility queryset.

Which rows a user may see is decided in one place per model, its queryset's ``visible_to(user)``;
``get_visible_or_404`` fetches through it. Which roles a user holds comes from the request's
memberships, read once per request (``wizzr.tenancy.request_memberships``): ``has_role`` and the
helpers of the apps built on it answer without a query of their own.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404

from wizzr.tenancy import current_roles, request_memberships


def has_role(request: HttpRequest, organisation, *roles: str) -> bool:
    """Whether the request's user holds one of ``roles`` in ``organisation`` (an Organisation or its
    primary key); any role counts when none is named. False for anonymous users and for None."""
    organisation_id = getattr(organisation, "pk", organisation)
    if organisation_id is None:
        return False
    return any(
        m.organisation_id == organisation_id and (not roles or m.role in roles) for m in request_memberships(request)
    )


def organisations_with_role(request: HttpRequest, *roles: str) -> list[int]:
    """The primary keys of the organisations where the request's user holds one of ``roles``."""
    return sorted({m.organisation_id for m in request_memberships(request) if m.role in roles})


def get_visible_or_404(queryset_or_model, request_or_user, **lookup) -> models.Model:
    """The one object matching ``lookup`` among those the user may see (``visible_to(user)``).

    Raises Http404 for objects of other tenants and unknown ones alike. ``request_or_user`` is a
    request or a user; ``queryset_or_model`` a model or a queryset of it (with its select_related).
    """
    if isinstance(queryset_or_model, type) and issubclass(queryset_or_model, models.Model):
        queryset_or_model = queryset_or_model._default_manager.all()
    user = request_or_user.user if isinstance(request_or_user, HttpRequest) else request_or_user
    return get_object_or_404(queryset_or_model.visible_to(user), **lookup)


def role_required(*roles: str) -> Callable:
    """View decorator: the user must hold one of ``roles`` in the current organisation.

    Raises PermissionDenied (403) inside the tenant; use together with ``login_required`` so
    that anonymous users are sent to the login page first.
    """

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if not current_roles(request) & set(roles):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapper

    return decorator

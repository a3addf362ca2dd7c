"""Tenancy helpers: the current organisation of a request and role checks.

Object visibility itself lives on each model's queryset (``Model.objects.visible_to(user)``);
this module only answers "which organisation is the user working for right now" and "may this
user act in that role".
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache, wraps

from django.core.exceptions import PermissionDenied
from django.db import connections, router
from django.http import HttpRequest, HttpResponse

from wizzr.models import Membership, Organisation

SESSION_KEY = "wizzr_organisation"


def memberships_of(user) -> list[Membership]:
    """Return the user's memberships with their organisations, in a stable order.

    The same rows as ``Membership.objects.filter(user=user).select_related("organisation")
    .order_by("organisation__name", "role")``, read with one plain statement: every signed-in
    request asks, and compiling that queryset cost more than running it.
    """
    if not getattr(user, "is_authenticated", False):
        return []
    sql, membership_fields, organisation_fields = _memberships_statement()
    with connections[router.db_for_read(Membership)].cursor() as cursor:
        cursor.execute(sql, [user.pk])
        rows = cursor.fetchall()
    db = router.db_for_read(Membership)
    split = len(membership_fields)
    memberships = []
    for row in rows:
        membership = Membership.from_db(db, membership_fields, row[:split])
        Membership.organisation.field.set_cached_value(membership, Organisation.from_db(db, organisation_fields, row[split:]))
        memberships.append(membership)
    return memberships


@cache
def _memberships_statement() -> tuple[str, list[str], list[str]]:
    # Every identifier comes from the models' metadata; the user id is the only parameter.
    membership, organisation = Membership._meta, Organisation._meta
    columns = [f'm."{f.column}"' for f in membership.concrete_fields]
    columns += [f'o."{f.column}"' for f in organisation.concrete_fields]
    tables = f'"{membership.db_table}" m JOIN "{organisation.db_table}" o ON o."{organisation.pk.column}" = m."organisation_id"'
    sql = f'SELECT {", ".join(columns)} FROM {tables} WHERE m."user_id" = %s ORDER BY o."name", m."role"'  # noqa: S608
    return (
        sql,
        [f.attname for f in membership.concrete_fields],
        [f.attname for f in organisation.concrete_fields],
    )


def request_memberships(request: HttpRequest) -> list[Membership]:
    """``memberships_of(request.user)``, fetched once per request.

    The middleware, the role checks and the header all need them; one query serves them all.
    """
    user = getattr(request, "user", None)
    key = getattr(user, "pk", None) if getattr(user, "is_authenticated", False) else None
    cached = getattr(request, "_wizzr_memberships", None)
    if cached is None or cached[0] != key:
        cached = (key, memberships_of(user))
        request._wizzr_memberships = cached
    return cached[1]


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

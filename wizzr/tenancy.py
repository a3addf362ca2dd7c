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


def _principal(user) -> tuple[list[Membership], bool]:
    """The user's memberships with their organisations, in a stable order, and whether they have an
    MFA authenticator.

    The memberships are the rows of ``Membership.objects.filter(user=user).select_related("organisation")
    .order_by("organisation__name", "role")``.

    Every signed-in request needs both (the role checks and the header; the MFA requirement), so
    they come in one plain statement: compiling querysets cost more than running them, and each
    statement is a round trip to the database.
    """
    if not getattr(user, "is_authenticated", False):
        return [], False
    sql, membership_fields, organisation_fields = _principal_statement()
    db = router.db_for_read(Membership)
    with connections[db].cursor() as cursor:
        cursor.execute(sql, [user.pk, user.pk])
        rows = cursor.fetchall()
    split = 1 + len(membership_fields)
    memberships = []
    for row in rows:
        if row[1] is None:  # no membership at all: the one row of the outer join
            continue
        membership = Membership.from_db(db, membership_fields, row[1:split])
        Membership.organisation.field.set_cached_value(membership, Organisation.from_db(db, organisation_fields, row[split:]))
        memberships.append(membership)
    return memberships, bool(rows[0][0])


@cache
def _principal_statement() -> tuple[str, list[str], list[str]]:
    # Every identifier comes from the models' metadata; the user id is the only parameter.
    membership, organisation = Membership._meta, Organisation._meta
    columns = ['EXISTS (SELECT 1 FROM "mfa_authenticator" a WHERE a."user_id" = %s)']
    columns += [f'm."{f.column}"' for f in membership.concrete_fields]
    columns += [f'o."{f.column}"' for f in organisation.concrete_fields]
    joined = f'"{membership.db_table}" m JOIN "{organisation.db_table}" o ON o."{organisation.pk.column}" = m."organisation_id"'
    sql = (  # one row even without memberships, for the authenticator column
        f'SELECT {", ".join(columns)} FROM (SELECT 1) AS one '  # noqa: S608
        f'LEFT JOIN ({joined}) ON m."user_id" = %s ORDER BY o."name", m."role"'
    )
    return (
        sql,
        [f.attname for f in membership.concrete_fields],
        [f.attname for f in organisation.concrete_fields],
    )


def _request_principal(request: HttpRequest) -> tuple[list[Membership], bool]:
    user = getattr(request, "user", None)
    key = getattr(user, "pk", None) if getattr(user, "is_authenticated", False) else None
    cached = getattr(request, "_wizzr_principal", None)
    if cached is None or cached[0] != key:
        cached = (key, _principal(user))
        request._wizzr_principal = cached
    return cached[1]


def reread_request_principal(request: HttpRequest) -> None:
    """Read the request's user, memberships and organisation again from the database.

    For code that reads a version counter after the middleware read these and must render nothing
    older than that counter (monitoring.page_cache).
    """
    if getattr(request.user, "is_authenticated", False):
        request.user.refresh_from_db()
    request._wizzr_principal = None
    request._wizzr_organisation = False
    request.organisation = current_organisation(request) if request.user.is_authenticated else None


def request_memberships(request: HttpRequest) -> list[Membership]:
    """The memberships of ``request.user`` with their organisations, fetched once per request.

    The middleware, the role checks and the header all need them; one query serves them all.
    """
    return _request_principal(request)[0]


def request_has_authenticator(request: HttpRequest) -> bool:
    """Whether the signed-in user has an MFA authenticator (allauth's ``is_mfa_enabled``), read
    with the memberships in the same statement, once per request."""
    return _request_principal(request)[1]


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

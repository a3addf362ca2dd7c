"""Authentication backends: Django's and allauth's, with the user of a session read by one plain statement.

``get_user`` runs on every signed-in request. Django's version builds and compiles a queryset for
``User.objects.get(pk=...)``, which costs several times the indexed lookup itself; these backends
send the same SELECT directly. Everything else (login, permissions, the session hash check in
``django.contrib.auth.get_user``) is unchanged.
"""

from __future__ import annotations

from functools import cache

from allauth.account.auth_backends import AuthenticationBackend as AllauthBackend
from django.contrib.auth import backends, get_user_model
from django.db import connections, router


@cache
def _user_statement() -> tuple[str, list[str]]:
    """Django's own SQL for ``User._default_manager.filter(pk=...)``, compiled once per process,
    and the fields of its row (every concrete field, in order)."""
    model = get_user_model()
    sql, _params = model._default_manager.filter(pk=0).order_by().query.sql_with_params()
    return sql, [f.attname for f in model._meta.concrete_fields]


class _UserByPrimaryKey:
    def get_user(self, user_id):
        model = get_user_model()
        pk = model._meta.pk.to_python(user_id)  # raises on a malformed id, as the queryset would
        sql, fields = _user_statement()
        db = router.db_for_read(model)
        with connections[db].cursor() as cursor:
            cursor.execute(sql, [pk])
            row = cursor.fetchone()
        if row is None:
            return None
        user = model.from_db(db, fields, row)
        return user if self.user_can_authenticate(user) else None


class ModelBackend(_UserByPrimaryKey, backends.ModelBackend):
    pass


class AuthenticationBackend(_UserByPrimaryKey, AllauthBackend):
    pass

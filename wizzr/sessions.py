"""The session store: Django's database sessions, read with one plain statement.

Every signed-in request reads its session. Django's store builds and compiles a queryset for that
each time, which costs more than the indexed lookup itself; this store sends the same SELECT
directly. Writing, creating and deleting sessions stay Django's own.
"""

from __future__ import annotations

from types import SimpleNamespace

from django.contrib.sessions.backends import db
from django.db import connections, router
from django.utils import timezone


class SessionStore(db.SessionStore):
    def _get_session_from_db(self):
        with connections[router.db_for_read(self.model)].cursor() as cursor:
            cursor.execute(
                'SELECT "session_data" FROM "django_session" WHERE "session_key" = %s AND "expire_date" > %s',
                [self.session_key, timezone.now()],
            )
            row = cursor.fetchone()
        if row is None:
            self._session_key = None
            return None
        return SimpleNamespace(session_data=row[0])

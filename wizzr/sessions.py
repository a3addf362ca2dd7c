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


def session_keys_of(user_id) -> list[str]:
    """The keys of the live (unexpired) sessions signed in as ``user_id``.

    Sessions are not indexed by user, so the live ones are read and decoded. That is fine for what it
    serves, a change of someone's rights or account now and then: live sessions are the few thousand
    of the last half hour; expired rows are skipped by the expiry index. A row that does not decode
    (another secret key) belongs to nobody.
    """
    from django.contrib.auth import SESSION_KEY

    store = SessionStore()
    wanted = str(user_id)
    rows = (
        store.get_model_class()
        .objects.filter(expire_date__gt=timezone.now())
        .values_list("session_key", "session_data")
        .iterator(chunk_size=500)
    )
    return [key for key, data in rows if str(store.decode(data).get(SESSION_KEY, "")) == wanted]


def end_sessions_of(user_id, *, keep_current: bool = True) -> int:
    """End every session of ``user_id`` at once: their next request is anonymous. Returns how many ended.

    When the request being served is one of them (the user changes their own rights), that session is
    not cut off mid-request: with ``keep_current`` it moves to a new key (the old one stops working),
    without it the session is emptied as at logout.
    """
    from allauth.core import context

    keys = session_keys_of(user_id)
    request = context.request
    session = getattr(request, "session", None)
    current = session.session_key if session is not None else None
    if current in keys:
        keys.remove(current)
        if keep_current:
            session.cycle_key()
        else:
            session.flush()
    SessionStore.get_model_class().objects.filter(session_key__in=keys).delete()
    return len(keys)

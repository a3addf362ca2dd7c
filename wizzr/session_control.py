"""Ending a person's sessions when their rights change. The sessions themselves are Django's database
sessions (``django.contrib.sessions.backends.db``)."""

from __future__ import annotations

from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.models import Session
from django.utils import timezone


def session_keys_of(user_id) -> list[str]:
    """The keys of the live (unexpired) sessions signed in as ``user_id``.

    Sessions are not indexed by user, so the live ones are read and decoded. That is fine for what it
    serves, a change of someone's rights or account now and then: live sessions are the few thousand
    of the last half hour; expired rows are skipped by the expiry index. A row that does not decode
    (another secret key) decodes to an empty session and belongs to nobody.
    """
    wanted = str(user_id)
    live = Session.objects.filter(expire_date__gt=timezone.now()).only("session_key", "session_data")
    return [
        session.session_key
        for session in live.iterator(chunk_size=500)
        if str(session.get_decoded().get(SESSION_KEY, "")) == wanted
    ]


def end_sessions_of(user_id, *, keep_current: bool = True) -> int:
    """End every session of ``user_id`` at once: their next request is anonymous. Returns how many ended.

    When the request being served is one of them (the user changes their own rights), that session is
    not cut off mid-request: with ``keep_current`` it moves to a new key (the old one stops working),
    without it the session is emptied as at logout.
    """
    from allauth.core import context

    keys = session_keys_of(user_id)
    session = getattr(context.request, "session", None)
    current = session.session_key if session is not None else None
    if current in keys:
        keys.remove(current)
        if keep_current:
            session.cycle_key()
        else:
            session.flush()
    Session.objects.filter(session_key__in=keys).delete()
    return len(keys)

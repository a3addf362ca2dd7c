"""/healthz answers load balancers and container health checks: 200 with a working database, 503 without."""

import pytest
from django.db import OperationalError
from django.db.backends.base.base import BaseDatabaseWrapper

pytestmark = pytest.mark.django_db


def test_it_answers_ok_when_the_database_answers(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_it_needs_no_login(client):
    response = client.get("/healthz", follow=False)

    assert response.status_code == 200
    assert "Location" not in response.headers


def test_it_answers_503_when_the_database_is_down(client, monkeypatch):
    def refuse(self, *args, **kwargs):
        raise OperationalError('connection to server on socket "/nowhere/.s.PGSQL.5432" failed')

    monkeypatch.setattr(BaseDatabaseWrapper, "cursor", refuse)

    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json() == {"status": "unavailable"}
    assert b"nowhere" not in response.content


def test_it_answers_503_when_the_server_cannot_be_reached(client, settings, django_db_blocker):
    """A real connection failure, not a stub: a database host that does not exist."""
    from django.db import connections

    conn = connections["default"]
    saved = conn.settings_dict.copy()
    conn.close()
    conn.settings_dict.update({"HOST": "/nonexistent-socket-dir", "PORT": ""})
    try:
        response = client.get("/healthz")
    finally:
        conn.close()
        conn.settings_dict.clear()
        conn.settings_dict.update(saved)

    assert response.status_code == 503

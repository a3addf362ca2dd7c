"""What every signed-in request reads: its session and user (Django's own), the user's memberships and,
with mandatory MFA, whether they have an authenticator, each once per request."""

from datetime import timedelta

import pytest
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.auth.models import AnonymousUser
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import RequestFactory, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.factories import UserFactory
from wizzr.models import Membership, Role
from wizzr.session_control import end_sessions_of, session_keys_of
from wizzr.tenancy import request_has_authenticator, request_memberships

pytestmark = pytest.mark.django_db


def request_of(user):
    request = RequestFactory().get("/")
    request.user = user
    return request


def test_sessions_and_authentication_are_djangos_and_allauths_own():
    assert settings.SESSION_ENGINE == "django.contrib.sessions.backends.db"
    assert settings.AUTHENTICATION_BACKENDS == [
        "django.contrib.auth.backends.ModelBackend",
        "allauth.account.auth_backends.AuthenticationBackend",
    ]


def test_memberships_are_the_rows_of_the_queryset_read_once_per_request(erin, renkum, service_point, django_assert_num_queries):
    Membership.objects.create(user=erin, organisation=service_point, role=Role.COORDINATOR)
    Membership.objects.create(user=erin, organisation=renkum, role=Role.ADVISOR)
    expected = list(
        Membership.objects.filter(user=erin).select_related("organisation").order_by("organisation__name", "role")
    )
    request = request_of(erin)
    with django_assert_num_queries(1):
        memberships = request_memberships(request)
        assert request_memberships(request) is memberships
        seen = [(m.pk, m.role, m.organisation.pk, m.organisation.name) for m in memberships]
    assert len(memberships) == 4
    assert seen == [(m.pk, m.role, m.organisation.pk, m.organisation.name) for m in expected]


@pytest.mark.parametrize("with_authenticator", [False, True])
def test_whether_the_user_has_an_authenticator_is_read_once_per_request(arnhem, django_assert_num_queries, with_authenticator):
    user = UserFactory()
    if with_authenticator:
        Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP, data={"secret": "x"})
    request = request_of(user)
    with django_assert_num_queries(1):
        assert request_has_authenticator(request) is with_authenticator
        assert request_has_authenticator(request) is with_authenticator


def test_the_memberships_are_read_again_when_the_requests_user_changes(alice, bob):
    request = request_of(alice)
    alices = request_memberships(request)
    request.user = bob
    assert {m.user_id for m in request_memberships(request)} == {bob.pk}
    assert {m.user_id for m in alices} == {alice.pk}


def test_an_anonymous_user_has_no_memberships_nor_authenticator(django_assert_num_queries):
    request = request_of(AnonymousUser())
    with django_assert_num_queries(0):
        assert request_memberships(request) == []
        assert request_has_authenticator(request) is False


def test_a_signed_in_request_reads_session_user_and_memberships_once(client, alice):
    client.force_login(alice)
    client.get("/toegankelijkheid/")  # the first request of a session may renew it
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/toegankelijkheid/").status_code == 200
    reads = [q["sql"] for q in queries if "wizzr_notification" not in q["sql"]]
    assert len(reads) == 3, reads  # session, user, memberships


@override_settings(WIZZR_REQUIRE_MFA=True)
def test_with_mandatory_mfa_the_authenticator_is_read_once_per_request(client, alice):
    Authenticator.objects.create(user=alice, type=Authenticator.Type.TOTP, data={"secret": "x"})
    client.force_login(alice)
    client.get(reverse("start"))
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("start")).status_code == 200
    reads = [q["sql"] for q in queries]
    assert sum('FROM "mfa_authenticator"' in sql for sql in reads) == 1, reads
    assert sum('FROM "wizzr_membership"' in sql for sql in reads) == 1, reads


def test_the_sessions_of_a_user_are_found_and_ended(alice, bob):
    def session_of(user, expire_in=timedelta(minutes=10)):
        store = SessionStore()
        store[SESSION_KEY] = str(user.pk)
        store.create()
        Session.objects.filter(pk=store.session_key).update(expire_date=timezone.now() + expire_in)
        return store.session_key

    alices = {session_of(alice), session_of(alice)}
    expired = session_of(alice, expire_in=timedelta(minutes=-1))
    bobs = session_of(bob)
    Session.objects.create(session_key="x" * 32, session_data="niet-te-lezen", expire_date=timezone.now() + timedelta(minutes=10))
    assert set(session_keys_of(alice.pk)) == alices
    assert expired not in session_keys_of(alice.pk)
    assert end_sessions_of(alice.pk) == 2
    assert session_keys_of(alice.pk) == []
    assert not Session.objects.filter(pk__in=alices).exists()
    assert session_keys_of(bob.pk) == [bobs]
    assert Session.objects.filter(pk="x" * 32).exists()


def test_a_statement_a_connection_runs_again_and_again_is_prepared_and_planned_once(client):
    """The server binds the parameters, so psycopg prepares a statement its connection has run five
    times: PostgreSQL plans it once instead of on every request. The same page asked six times by
    one connection leaves the session's statement among the connection's prepared statements."""
    user = UserFactory()
    client.force_login(user)
    for _ in range(6):
        assert client.get(reverse("accessibility")).status_code == 200
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement, parameter_types FROM pg_prepared_statements")
        prepared = cursor.fetchall()
    assert any('FROM "django_session"' in statement and types for statement, types in prepared), prepared

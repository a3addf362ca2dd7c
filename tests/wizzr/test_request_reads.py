"""What every signed-in request reads: its session, and the user's memberships together with whether
they have an authenticator, each in one statement."""

import pytest
from allauth.mfa.models import Authenticator
from django.contrib.sessions.models import Session
from django.test import RequestFactory
from django.utils import timezone

from tests.factories import UserFactory
from wizzr.auth import AuthenticationBackend, ModelBackend
from wizzr.models import Membership, Role, User
from wizzr.sessions import SessionStore
from wizzr.tenancy import request_has_authenticator, request_memberships

pytestmark = pytest.mark.django_db


def request_of(user):
    request = RequestFactory().get("/")
    request.user = user
    return request


def test_memberships_are_the_rows_of_the_queryset_with_their_organisations(erin, renkum, service_point, django_assert_num_queries):
    Membership.objects.create(user=erin, organisation=service_point, role=Role.COORDINATOR)
    Membership.objects.create(user=erin, organisation=renkum, role=Role.ADVISOR)
    expected = list(
        Membership.objects.filter(user=erin).select_related("organisation").order_by("organisation__name", "role")
    )
    with django_assert_num_queries(1):
        memberships = request_memberships(request_of(erin))
        seen = [(m.pk, m.role, m.created_at, m.organisation.pk, m.organisation.uuid, m.organisation.name,
                 m.organisation.kind, m.organisation.served_by_id) for m in memberships]
    assert len(memberships) == 4
    assert seen == [(m.pk, m.role, m.created_at, m.organisation.pk, m.organisation.uuid, m.organisation.name,
                     m.organisation.kind, m.organisation.served_by_id) for m in expected]
    assert all(not m._state.adding and m._state.db == "default" for m in memberships)


@pytest.mark.parametrize("with_authenticator", [False, True])
@pytest.mark.parametrize("with_memberships", [False, True])
def test_memberships_and_the_authenticator_come_in_one_statement_per_request(
    arnhem, django_assert_num_queries, with_authenticator, with_memberships
):
    user = UserFactory()
    if with_memberships:
        Membership.objects.create(user=user, organisation=arnhem, role=Role.ADVISOR)
    if with_authenticator:
        Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP, data={"secret": "x"})
    request = RequestFactory().get("/")
    request.user = user
    with django_assert_num_queries(1):
        assert request_has_authenticator(request) is with_authenticator
        assert [m.organisation.name for m in request_memberships(request)] == (["Gemeente Arnhem"] if with_memberships else [])
        assert request_has_authenticator(request) is with_authenticator


def test_an_anonymous_user_has_no_memberships(django_assert_num_queries):
    from django.contrib.auth.models import AnonymousUser

    with django_assert_num_queries(0):
        assert request_memberships(request_of(AnonymousUser())) == []


def test_a_session_is_read_back_until_it_expires(django_assert_num_queries):
    store = SessionStore()
    store["colour"] = "blauw"
    store.create()
    store.save()
    with django_assert_num_queries(1):
        assert SessionStore(store.session_key)["colour"] == "blauw"
    Session.objects.filter(pk=store.session_key).update(expire_date=timezone.now())
    expired = SessionStore(store.session_key)
    assert expired.get("colour") is None
    assert expired.session_key is None
    assert SessionStore("no-such-session-key-0123456789ab").get("colour") is None


@pytest.mark.parametrize("backend", [ModelBackend, AuthenticationBackend])
def test_the_user_of_a_session_is_read_in_one_statement_as_the_queryset_would(alice, backend, django_assert_num_queries):
    expected = User.objects.get(pk=alice.pk)
    with django_assert_num_queries(1):
        user = backend().get_user(alice.pk)
    assert [getattr(user, f.attname) for f in User._meta.concrete_fields] == [
        getattr(expected, f.attname) for f in User._meta.concrete_fields
    ]
    assert not user._state.adding and user.get_session_auth_hash() == expected.get_session_auth_hash()
    assert backend().get_user(alice.pk + 1000) is None
    User.objects.filter(pk=alice.pk).update(is_active=False)
    assert backend().get_user(alice.pk) is None


def test_a_signed_in_request_reads_session_user_and_memberships_in_three_statements(client, alice):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(alice)
    client.get("/toegankelijkheid/")  # the first request of a session may renew it
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/toegankelijkheid/").status_code == 200
    reads = [q["sql"] for q in queries if "wizzr_notification" not in q["sql"]]
    assert len(reads) == 3, reads  # session, user, memberships with the authenticator

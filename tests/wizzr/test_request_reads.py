"""What every signed-in request reads: its session and the user's memberships, each in one statement."""

import pytest
from django.contrib.sessions.models import Session
from django.utils import timezone

from wizzr.models import Membership, Role
from wizzr.sessions import SessionStore
from wizzr.tenancy import memberships_of

pytestmark = pytest.mark.django_db


def test_memberships_are_the_rows_of_the_queryset_with_their_organisations(erin, renkum, service_point, django_assert_num_queries):
    Membership.objects.create(user=erin, organisation=service_point, role=Role.COORDINATOR)
    Membership.objects.create(user=erin, organisation=renkum, role=Role.ADVISOR)
    expected = list(
        Membership.objects.filter(user=erin).select_related("organisation").order_by("organisation__name", "role")
    )
    with django_assert_num_queries(1):
        memberships = memberships_of(erin)
        seen = [(m.pk, m.role, m.created_at, m.organisation.pk, m.organisation.uuid, m.organisation.name,
                 m.organisation.kind, m.organisation.served_by_id) for m in memberships]
    assert len(memberships) == 4
    assert seen == [(m.pk, m.role, m.created_at, m.organisation.pk, m.organisation.uuid, m.organisation.name,
                     m.organisation.kind, m.organisation.served_by_id) for m in expected]
    assert all(not m._state.adding and m._state.db == "default" for m in memberships)


def test_an_anonymous_user_has_no_memberships(django_assert_num_queries):
    from django.contrib.auth.models import AnonymousUser

    with django_assert_num_queries(0):
        assert memberships_of(AnonymousUser()) == []


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

"""The core's access checks: roles from the request's memberships without a query of their own, objects
through their model's ``visible_to`` with a 404 for everything else."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.test import RequestFactory

from contracts.models import Contract
from knowledgebase.models import HelpRequest
from knowledgebase.services import is_coordinator_for
from monitoring.access import get_contract_to_change, is_coordinator_of
from tests.contracts.factories import ContractFactory
from wizzr.access import get_visible_or_404, has_role, organisations_with_role, role_required
from wizzr.models import Role
from wizzr.tenancy import request_memberships

pytestmark = pytest.mark.django_db


def request_of(user):
    request = RequestFactory().get("/")
    request.user = user
    request.session = {}
    return request


def test_a_role_counts_only_in_its_own_organisation(erin, arnhem, renkum, django_assert_num_queries):
    request = request_of(erin)
    request_memberships(request)  # read once per request, by the middleware in a real request
    with django_assert_num_queries(0):
        assert has_role(request, arnhem, Role.ORG_ADMIN)
        assert has_role(request, arnhem.pk, Role.COORDINATOR, Role.ADVISOR)
        assert has_role(request, arnhem)  # any role
        assert not has_role(request, arnhem, Role.COORDINATOR)
        assert not has_role(request, renkum, Role.ORG_ADMIN)  # the same role in another organisation
        assert not has_role(request, renkum)
        assert not has_role(request, None, Role.ORG_ADMIN)
        assert organisations_with_role(request, Role.ORG_ADMIN) == [arnhem.pk]
        assert organisations_with_role(request, Role.COORDINATOR) == []


def test_the_memberships_are_read_once_for_every_role_check(erin, arnhem, renkum, django_assert_num_queries):
    request = request_of(erin)
    with django_assert_num_queries(1):
        assert has_role(request, arnhem, Role.ADVISOR)
        assert not has_role(request, renkum, Role.ADVISOR)
        assert has_role(request, arnhem, Role.ORG_ADMIN)


def test_an_anonymous_user_holds_no_role(arnhem, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert not has_role(request_of(AnonymousUser()), arnhem)
        assert organisations_with_role(request_of(AnonymousUser()), Role.ORG_ADMIN) == []


def test_an_object_of_another_tenant_is_not_found(alice, bob, arnhem, renkum):
    own = ContractFactory(organisation=arnhem)
    foreign = ContractFactory(organisation=renkum)
    assert get_visible_or_404(Contract, request_of(alice), uuid=own.uuid) == own
    assert get_visible_or_404(Contract.objects.select_related("organisation"), alice, uuid=own.uuid) == own
    with pytest.raises(Http404):
        get_visible_or_404(Contract, request_of(alice), uuid=foreign.uuid)
    with pytest.raises(Http404):
        get_visible_or_404(Contract.objects.all(), alice, uuid=foreign.uuid)
    with pytest.raises(Http404):
        get_visible_or_404(Contract, request_of(AnonymousUser()), uuid=own.uuid)
    assert get_visible_or_404(Contract, request_of(bob), uuid=foreign.uuid) == foreign


def test_the_filters_of_the_queryset_given_still_apply(alice, arnhem):
    draft = ContractFactory(organisation=arnhem, status=Contract.Status.DRAFT)
    with pytest.raises(Http404):
        get_visible_or_404(Contract.objects.exclude(status=Contract.Status.DRAFT), alice, uuid=draft.uuid)


def test_role_required_asks_for_the_role_in_the_current_organisation(erin, alice):
    view = role_required(Role.ORG_ADMIN)(lambda request: HttpResponse("ok"))
    assert view(request_of(erin)).status_code == 200
    with pytest.raises(PermissionDenied):
        view(request_of(alice))


def test_the_coordinator_checks_of_the_apps_read_no_memberships_of_their_own(
    carol, alice, arnhem, utrecht, service_point, django_assert_num_queries
):
    served = ContractFactory(organisation=arnhem, handed_over=True)
    elsewhere = ContractFactory(organisation=utrecht, handed_over=True)
    served_help = HelpRequest(organisation=arnhem, service_point=service_point)
    coordinator, advisor = request_of(carol), request_of(alice)
    request_memberships(coordinator)
    request_memberships(advisor)
    with django_assert_num_queries(0):
        assert is_coordinator_of(coordinator, served)
        assert not is_coordinator_of(coordinator, elsewhere)
        assert not is_coordinator_of(advisor, served)
        assert is_coordinator_for(coordinator, served_help)
        assert not is_coordinator_for(advisor, served_help)
    assert get_contract_to_change(coordinator, served.uuid) == served
    with pytest.raises(PermissionDenied):
        get_contract_to_change(advisor, served.uuid)  # sees it, may not change it
    with pytest.raises(Http404):
        get_contract_to_change(coordinator, elsewhere.uuid)

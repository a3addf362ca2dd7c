"""Every registry route: national reference data, so no tenant to hide; login and a role are required."""

import pytest
from django.urls import URLPattern, reverse

from suppliers import urls as supplier_urls
from tests.factories import UserFactory, member
from wizzr.models import Role

pytestmark = pytest.mark.django_db

# Registry routes address no tenant-owned object (no UUID in the URL): nothing to answer 404 for.
ROUTES_WITHOUT_OBJECT = {"search", "add"}


def test_every_registry_route_has_an_access_case():
    names = {p.name for p in supplier_urls.urlpatterns if isinstance(p, URLPattern)}
    assert names == ROUTES_WITHOUT_OBJECT


@pytest.mark.parametrize("name", sorted(ROUTES_WITHOUT_OBJECT))
def test_anonymous_visitors_go_to_the_login_page(client, name):
    response = client.get(reverse(f"suppliers:{name}"))
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("name", sorted(ROUTES_WITHOUT_OBJECT))
def test_a_supplier_contact_or_an_organisation_admin_only_gets_403(client, arnhem, name):
    client.force_login(member("contact@bouw.example", arnhem, Role.SUPPLIER))
    assert client.get(reverse(f"suppliers:{name}")).status_code == 403
    client.force_login(member("admin-only@arnhem.example", arnhem, Role.ORG_ADMIN))
    assert client.get(reverse(f"suppliers:{name}")).status_code == 403


@pytest.mark.parametrize("name", sorted(ROUTES_WITHOUT_OBJECT))
def test_advisors_coordinators_and_staff_may_use_it(client, alice, carol, name):
    for user in (alice, carol, UserFactory(email="beheer@wizzr.example", is_staff=True)):
        client.force_login(user)
        assert client.get(reverse(f"suppliers:{name}")).status_code == 200, user

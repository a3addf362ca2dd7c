"""The buyer's monitoring pages answer 404 for contracts of other tenants, the same as for an id
that does not exist; lists, figures and exports never show them."""

import io
import re
import uuid

import pytest
from django.urls import URLPattern, reverse
from openpyxl import load_workbook

from monitoring import buyer_views
from monitoring import urls as monitoring_urls

pytestmark = pytest.mark.django_db

RANDOM = uuid.UUID("0b5a7c1e-9d3f-4c2a-8e6b-123456789abc")
OBJECT_ROUTES = {"contract"}
LIST_ROUTES = {
    "individual": {},
    "consolidated": {},
    "export_individual": {"fmt": "csv"},
    "export_consolidated": {"fmt": "xlsx"},
    "export_realisations": {"fmt": "csv"},
    "supplier_options": {},
}


def test_every_buyer_route_has_a_tenancy_case():
    names = {
        p.name
        for p in monitoring_urls.urlpatterns
        if isinstance(p, URLPattern) and p.callback.__module__ == buyer_views.__name__
    }
    assert names == OBJECT_ROUTES | set(LIST_ROUTES)


def normalised(response, *ids) -> tuple[int, bytes]:
    body = re.sub(rb'(nonce="|"X-CSRFToken": "|name="csrfmiddlewaretoken" value=")[^"]+', rb"\1-", response.content)
    for requested in ids:
        body = body.replace(str(requested).encode(), str(RANDOM).encode())
    return response.status_code, body


@pytest.mark.parametrize("htmx", [False, True])
@pytest.mark.parametrize(
    ("outsider", "which"),
    [
        ("dave", "behind"),  # advisor of another tenant and service point
        ("bob", "behind"),  # advisor of another tenant served by the same service point
        ("frank", "behind"),  # coordinator of another service point
        ("carol", "draft"),  # the right coordinator, but concepts are not hers to see
        ("dave", "draft"),
    ],
)
def test_outsiders_get_the_same_404_as_for_a_random_id(client, request, portfolio, outsider, which, htmx):
    contract = getattr(portfolio, which)
    client.force_login(request.getfixturevalue(outsider))
    headers = {"HX-Request": "true"} if htmx else {}
    response = client.get(reverse("monitoring:contract", args=[contract.uuid]), headers=headers)
    expected = normalised(client.get(reverse("monitoring:contract", args=[RANDOM]), headers=headers))
    assert response.status_code == 404
    assert normalised(response, contract.uuid) == expected


def test_anonymous_visitors_are_sent_to_login(client, portfolio):
    response = client.get(reverse("monitoring:contract", args=[portfolio.behind.uuid]))
    assert response.status_code == 302 and reverse("account_login") in response["Location"]


@pytest.mark.parametrize("name", sorted(LIST_ROUTES))
def test_lists_figures_and_exports_show_nothing_of_other_tenants(client, dave, reauthenticated, portfolio, name):
    client.force_login(dave)
    reauthenticated(client, dave)
    response = client.get(reverse(f"monitoring:{name}", kwargs=LIST_ROUTES[name]))
    assert response.status_code == 200
    content = response.content
    if name == "export_consolidated":
        content = repr(list(load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True))).encode()
    assert b"INK-A1" not in content and b"Groenbedrijf" not in content and b"REN-1" not in content
    if name in ("individual", "export_individual"):
        assert b"UTR-1" in content  # dave's own contract


def test_the_supplier_typeahead_of_the_filter_offers_only_suppliers_of_the_users_contracts(client, dave, portfolio):
    client.force_login(dave)
    url = reverse("monitoring:supplier_options")
    assert b"Domstad Infra" in client.get(url, {"q": "domstad"}).content  # dave's own contract's supplier
    for typed in ("groen", "renkum", "glans", "b.v."):
        content = client.get(url, {"q": typed}).content
        assert b"Groenbedrijf" not in content and b"Renkums" not in content and b"Glans" not in content

"""Every contract page, partial, form POST and download answers 404 to those who may not see the contract,
with the same body as for a UUID that does not exist."""

import re
import uuid

import pytest
from django.urls import URLPattern, reverse

from contracts import urls as contract_urls
from tests.contracts.factories import AttachmentFactory, ContractFactory

pytestmark = pytest.mark.django_db

RANDOM = uuid.UUID("0b5a7c1e-9d3f-4c2a-8e6b-123456789abc")

# name → how to build its kwargs from (contract, attachment)
OBJECT_ROUTES = {
    "detail": lambda c, a: {"uuid": c},
    "edit": lambda c, a: {"uuid": c},
    "delete": lambda c, a: {"uuid": c},
    "attachments": lambda c, a: {"uuid": c},
    "attachment_download": lambda c, a: {"uuid": c, "attachment_uuid": a},
    "attachment_remove": lambda c, a: {"uuid": c, "attachment_uuid": a},
    "hand_over": lambda c, a: {"uuid": c},
    "handed_over": lambda c, a: {"uuid": c},
}
ROUTES_WITHOUT_OBJECT = {"create", "contact_persons"}
# The import's routes address an import batch, not a contract: their tenancy cases are in test_import.py
# (an admin of another organisation gets 404) and in the security suite's tenancy matrix.
IMPORT_ROUTES = {"import_start", "import_template", "import_batch", "import_progress", "import_undo"}


def test_every_object_route_answers_404_to_an_outsider_for_the_method_it_takes(client, dave, arnhem):
    contract = ContractFactory(organisation=arnhem)
    attachment = AttachmentFactory(contract=contract)
    client.force_login(dave)
    for name, kwargs in OBJECT_ROUTES.items():
        url = reverse(f"contracts:{name}", kwargs=kwargs(contract.uuid, attachment.uuid))
        assert 404 in {client.get(url).status_code, client.post(url).status_code}, name


def test_every_contract_route_has_a_tenancy_case():
    names = {p.name for p in contract_urls.urlpatterns if isinstance(p, URLPattern)}
    assert names == set(OBJECT_ROUTES) | ROUTES_WITHOUT_OBJECT | IMPORT_ROUTES


@pytest.fixture(autouse=True)
def private_root(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"


def normalised(response, *ids) -> tuple[int, bytes]:
    """Status and body without the per-response CSRF token and CSP nonce, the requested ids read as RANDOM
    (the page echoes its own path, e.g. in the language switch)."""
    body = re.sub(rb'(nonce="|"X-CSRFToken": "|name="csrfmiddlewaretoken" value=")[^"]+', rb"\1-", response.content)
    for requested in ids:
        body = body.replace(str(requested).encode(), str(RANDOM).encode())
    return response.status_code, body


def answer_for_a_random_id(client, name, method):
    url = reverse(f"contracts:{name}", kwargs=OBJECT_ROUTES[name](RANDOM, RANDOM))
    return normalised(getattr(client, method)(url))


@pytest.mark.parametrize("name", sorted(OBJECT_ROUTES))
@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize(
    ("outsider", "status"),
    [
        ("dave", "draft"),  # advisor of another tenant and service point
        ("dave", "handed_over"),
        ("bob", "handed_over"),  # advisor of another tenant of the same service point
        ("frank", "handed_over"),  # coordinator of another service point
        ("carol", "draft"),  # the right coordinator, but concepts are not hers to see
    ],
)
def test_outsiders_get_the_same_404_as_for_a_random_id(client, request, arnhem, name, method, outsider, status):
    contract = ContractFactory(organisation=arnhem, **({"handed_over": True} if status == "handed_over" else {}))
    attachment = AttachmentFactory(contract=contract)
    user = request.getfixturevalue(outsider)
    client.force_login(user)
    url = reverse(f"contracts:{name}", kwargs=OBJECT_ROUTES[name](contract.uuid, attachment.uuid))
    response = getattr(client, method)(url)
    expected = answer_for_a_random_id(client, name, method)
    assert normalised(response, contract.uuid, attachment.uuid) == expected
    assert response.status_code in (404, 405)  # 405: the route does not take this method at all
    contract.refresh_from_db()
    assert contract.status == status
    assert contract.attachments.count() == 1


@pytest.mark.parametrize("name", sorted(OBJECT_ROUTES))
def test_anonymous_visitors_are_sent_to_login(anonymous, arnhem, name):
    contract = ContractFactory(organisation=arnhem)
    attachment = AttachmentFactory(contract=contract)
    url = reverse(f"contracts:{name}", kwargs=OBJECT_ROUTES[name](contract.uuid, attachment.uuid))
    response = anonymous.get(url)
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_the_serving_coordinator_reads_a_handed_over_contract(client, carol, arnhem):
    contract = ContractFactory(organisation=arnhem, handed_over=True, title="Schoonmaak stadhuis")
    client.force_login(carol)
    for name in ("detail", "attachments", "handed_over"):
        response = client.get(reverse(f"contracts:{name}", args=[contract.uuid]))
        assert response.status_code == 200
    assert "Schoonmaak stadhuis" in client.get(reverse("contracts:detail", args=[contract.uuid])).content.decode()

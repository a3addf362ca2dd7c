"""Every knowledge-base route that addresses a tenant's object answers a stranger exactly as it
answers a random id: 404, same body. Articles and categories are shared reference data."""

import re
import uuid

import pytest
from django.urls import URLPattern, reverse

from knowledgebase import urls as kb_urls
from knowledgebase.models import HelpRequest, HelpRequestAttachment, HelpRequestReply
from tests.contracts.factories import ContractFactory
from tests.factories import member
from tests.knowledgebase.factories import HelpRequestFactory
from wizzr.models import Role

pytestmark = pytest.mark.django_db

RANDOM = uuid.UUID("00000000-0000-4000-8000-000000000000")

HELP_REQUEST_ROUTES = {
    "help_request_detail": lambda hr, att: {"uuid": hr},
    "help_request_reply": lambda hr, att: {"uuid": hr},
    "help_request_status": lambda hr, att: {"uuid": hr},
    "change_request_apply": lambda hr, att: {"uuid": hr},
    "help_request_attachment": lambda hr, att: {"uuid": hr, "attachment_uuid": att},
}
CONTRACT_ROUTES = {"change_request_create": lambda contract: {"contract_uuid": contract}}
ROUTES_WITHOUT_OBJECT = {
    "index", "category", "article", "article_feedback",  # shared reference data, filtered by audience
    "help_request_list", "help_request_create", "help_request_queue",
    "contract_options",  # scoped to the asker's contracts: tests/knowledgebase/test_contract_picker.py
}


def test_every_knowledgebase_route_has_a_tenancy_case():
    names = {p.name for p in kb_urls.urlpatterns if isinstance(p, URLPattern)}
    assert names == set(HELP_REQUEST_ROUTES) | set(CONTRACT_ROUTES) | ROUTES_WITHOUT_OBJECT


def normalised(response, *ids) -> tuple[int, bytes]:
    """Status and body without the per-response CSRF token and CSP nonce, the requested ids read as RANDOM."""
    body = re.sub(rb'(nonce="|"X-CSRFToken": "|name="csrfmiddlewaretoken" value=")[^"]+', rb"\1-", response.content)
    for requested in ids:
        body = body.replace(str(requested).encode(), str(RANDOM).encode())
    return response.status_code, body


@pytest.fixture
def contract(arnhem):
    return ContractFactory(organisation=arnhem, contract_number="ARN-9", handed_over=True)


@pytest.fixture
def change_request(alice, arnhem, contract):
    help_request = HelpRequestFactory(
        organisation=arnhem, asker=alice, kind=HelpRequest.Kind.CHANGE, contract=contract, subject="Geheime wijziging"
    )
    attachment = HelpRequestAttachment.objects.create(
        organisation=arnhem, help_request=help_request, stored_name=uuid.uuid4().hex, display_name="brief.pdf",
        size=3, content_type="application/pdf", sha256="x",
    )
    return help_request, attachment


def outsider(request, who: str, arnhem):
    if who == "colleague":  # same organisation, not the asker, not an admin
        return member("collega@arnhem.example", arnhem, Role.ADVISOR)
    return request.getfixturevalue(who)


@pytest.mark.parametrize("name", sorted(HELP_REQUEST_ROUTES))
@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("who", ["bob", "dave", "frank", "colleague"])
def test_a_stranger_gets_the_answer_for_a_random_id(client, request, arnhem, change_request, name, method, who):
    help_request, attachment = change_request
    client.force_login(outsider(request, who, arnhem))
    real = getattr(client, method)(reverse(f"knowledgebase:{name}", kwargs=HELP_REQUEST_ROUTES[name](help_request.uuid, attachment.uuid)))
    random = getattr(client, method)(reverse(f"knowledgebase:{name}", kwargs=HELP_REQUEST_ROUTES[name](RANDOM, RANDOM)))
    assert real.status_code in (404, 405)
    assert normalised(real, help_request.uuid, attachment.uuid) == normalised(random)
    assert not HelpRequestReply.objects.exists()
    help_request.refresh_from_db()
    assert (help_request.status, help_request.applied_at) == ("open", None)


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("who", ["bob", "dave", "frank"])
def test_a_stranger_cannot_pass_on_a_change_to_another_tenants_contract(client, request, arnhem, contract, method, who):
    client.force_login(request.getfixturevalue(who))
    data = {"subject": "x", "question": "y"} if method == "post" else None
    real = getattr(client, method)(reverse("knowledgebase:change_request_create", args=[contract.uuid]), data)
    random = getattr(client, method)(reverse("knowledgebase:change_request_create", args=[RANDOM]), data)
    assert real.status_code == 404
    assert normalised(real, contract.uuid) == normalised(random)
    assert not HelpRequest.objects.exists()


@pytest.mark.parametrize("who", ["alice", "erin", "carol"])
def test_the_asker_their_org_admin_and_the_coordinators_see_the_request(client, request, change_request, who):
    help_request, _ = change_request
    client.force_login(request.getfixturevalue(who))
    response = client.get(reverse("knowledgebase:help_request_detail", args=[help_request.uuid]))
    assert response.status_code == 200
    assert "Geheime wijziging" in response.content.decode()

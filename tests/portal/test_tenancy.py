"""Who may reach the supplier portal's pages.

Supplier pages answer 404 — the same as for an unknown id — to a supplier of another company, to a
colleague of the same company who was not invited to this contract, and to the buyer's and the
coordinator's people; nested ids must belong to the contract in the URL. The coordinator pages of
the portal follow monitoring's rule: 404 for strangers (suppliers included), 403 for the buyer's advisors.
"""

import re
import uuid

import pytest
from django.urls import reverse

from portal.urls import urlpatterns
from tests.contracts import samples
from tests.monitoring.factories import realisation_for
from wizzr.uploads import validate_upload

pytestmark = pytest.mark.django_db

# name → (method, nested object)
SUPPLIER_ROUTES = {
    "contract": ("get", None),
    "period": ("get", "period"),
    "period_submit": ("post", "period"),
    "realisation_create": ("get", "period"),
    "realisation_preview": ("post", None),
    "realisation": ("get", "realisation"),
    "realisation_update": ("get", "realisation"),
    "evidence": ("get", "evidence"),
    "evidence_delete": ("post", "evidence"),
    "lasting_outcome": ("get", "lasting_outcome"),
}
COORDINATOR_ROUTES = {
    "invite": ("get", None),
    "access_revoke": ("post", "access"),
    "settlement": ("get", None),
}
ROUTES = {**SUPPLIER_ROUTES, **COORDINATOR_ROUTES}
# Pages without an object: the supplier's own list and to-do list, the lookup of an invoice's social company in the
# national registry, and the coordinator's late reports.
LISTS = {"home", "todo", "social_company_search", "overdue"}


def test_every_portal_route_is_in_the_matrix():
    assert {p.name for p in urlpatterns} == set(ROUTES) | LISTS


@pytest.fixture
def world(running, open_period, sam, carol, per_month_block):
    from monitoring.models import LastingOutcome
    from portal.models import PeriodRealisation

    realisation = realisation_for(
        running, block=per_month_block, by=sam, candidate_reference="AB",
        period_start=open_period.period_start, period_end=open_period.period_end,
        uploads=[validate_upload(samples.upload("bewijs.pdf", samples.PDF))],
    )
    PeriodRealisation.objects.create(organisation=running.organisation, period=open_period, realisation=realisation)
    return {
        "contract": running,
        "period": open_period,
        "realisation": realisation,
        "evidence": realisation.evidence.get(),
        "access": running.supplier_accesses.get(user=sam),
        "lasting_outcome": LastingOutcome.objects.create(
            organisation=running.organisation, contract=running, realisation=realisation, months_after=6,
            due_on=open_period.period_end,
        ),
    }


def url(name, world, *, contract_uuid=None, object_uuid=None):
    extra = ROUTES[name][1]
    args = [contract_uuid or world["contract"].uuid]
    if extra:
        args.append(object_uuid or world[extra].uuid)
    return reverse(f"portal:{name}", args=args)


def body(response) -> bytes:
    content = re.sub(rb'(nonce="|"X-CSRFToken": "|name="csrfmiddlewaretoken" value=")[^"]+', rb"\1-", response.content)
    return re.sub(rb"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", b"ID", content)


def call(client, name, address):
    return client.post(address, {}) if ROUTES[name][0] == "post" else client.get(address)


@pytest.mark.parametrize("name", sorted(SUPPLIER_ROUTES))
def test_the_invited_supplier_reaches_every_supplier_page(client, sam, world, name):
    client.force_login(sam)
    response = call(client, name, url(name, world))
    assert response.status_code in (200, 302, 400), response.status_code


@pytest.mark.parametrize("name", sorted(SUPPLIER_ROUTES))
def test_strangers_get_the_same_404_as_for_an_unknown_id(client, tom, uma, alice, carol, frank, world, name):
    """tom: another company; uma: same company, not invited here; alice: the buyer; carol, frank: coordinators."""
    for stranger in (tom, uma, alice, carol, frank):
        client.force_login(stranger)
        response = call(client, name, url(name, world))
        assert response.status_code == 404, (stranger, response.status_code)
        unknown = call(client, name, url(name, world, contract_uuid=uuid.uuid4()))
        assert unknown.status_code == 404
        assert body(response) == body(unknown), stranger


@pytest.mark.parametrize("name", sorted(n for n in SUPPLIER_ROUTES if SUPPLIER_ROUTES[n][1]))
def test_an_object_of_another_contract_is_404_for_the_supplier(client, sam, world, same_company_contract, name):
    """sam is also invited to the company's other contract; its URL with this contract's objects is 404."""
    from tests.portal.conftest import invite

    invite(same_company_contract, sam)
    client.force_login(sam)
    assert call(client, name, url(name, world, contract_uuid=same_company_contract.uuid)).status_code == 404


def test_evidence_of_another_contract_is_404(client, sam, world, same_company_contract, per_month_block, carol):
    from tests.portal.conftest import invite

    invite(same_company_contract, sam)
    other = realisation_for(
        same_company_contract, block=per_month_block, by=carol, candidate_reference="ZZ",
        uploads=[validate_upload(samples.upload("ander.pdf", samples.PDF))],
    )
    client.force_login(sam)
    address = reverse("portal:evidence", args=[world["contract"].uuid, other.evidence.get().uuid])
    assert client.get(address).status_code == 404


@pytest.mark.parametrize("name", sorted(COORDINATOR_ROUTES))
def test_suppliers_and_other_coordinators_get_404_on_coordinator_pages(client, sam, tom, uma, frank, bob, world, name):
    for stranger in (sam, tom, uma, frank, bob):
        client.force_login(stranger)
        assert call(client, name, url(name, world)).status_code == 404, stranger


@pytest.mark.parametrize("name", sorted(COORDINATOR_ROUTES))
def test_the_buyers_advisor_may_not_use_coordinator_pages(client, alice, world, name):
    client.force_login(alice)
    assert call(client, name, url(name, world)).status_code == 403


@pytest.mark.parametrize("name", sorted(ROUTES))
def test_anonymous_visitors_go_to_the_login_page(client, world, name):
    response = call(client, name, url(name, world))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_supplier_sees_only_invited_contracts_on_the_start_page(client, sam, uma, world, same_company_contract):
    client.force_login(uma)
    page = client.get(reverse("portal:home")).content.decode()
    assert same_company_contract.contract_number in page
    assert world["contract"].contract_number not in page


def test_the_supplier_never_sees_the_buyers_remarks(client, sam, world):
    contract = world["contract"]
    contract.remarks_for_coordinator = "Intern: leverancier is lastig"
    contract.save()
    client.force_login(sam)
    for address in (reverse("portal:home"), reverse("portal:contract", args=[contract.uuid])):
        assert "lastig" not in client.get(address).content.decode()


def test_the_supplier_gets_404_on_the_coordinator_and_buyer_pages(client, sam, world):
    client.force_login(sam)
    contract = world["contract"]
    assert client.get(reverse("monitoring:workspace", args=[contract.uuid])).status_code == 404
    assert client.get(reverse("monitoring:contract", args=[contract.uuid])).status_code == 404


def test_a_revoked_access_is_404(client, sam, world):
    from django.utils import timezone

    world["access"].revoked_at = timezone.now()
    world["access"].save()
    client.force_login(sam)
    assert client.get(url("contract", world)).status_code == 404


def test_only_coordinators_see_the_late_reports(client, sam, alice):
    for user in (sam, alice):
        client.force_login(user)
        assert client.get(reverse("portal:overdue")).status_code == 403

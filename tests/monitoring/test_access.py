"""Who may read and change the follow-up of a contract.

Strangers (a coordinator of another service point, advisors of other authorities) get a 404 that
is the same as for an unknown id on every page, partial, download and POST; the buyer's own
advisors may read but not change (403); anonymous visitors go to the login page.
"""

import re
import uuid
from decimal import Decimal

import pytest
from django.urls import reverse

from monitoring import services
from monitoring.models import Agreement, Realisation
from monitoring.urls import urlpatterns
from tests.contracts import samples
from tests.monitoring.factories import agreement_for
from tests.suppliers.factories import PsoCertificateFactory

pytestmark = pytest.mark.django_db

# name → (method, needs agreement / realisation / evidence id[, further URL arguments])
READ = {
    "workspace": ("get", None),
    "realisation": ("get", "realisation"),
    "evidence": ("get", "evidence"),
    "lasting_outcomes": ("get", None),
}
CHANGE = {
    "accept": ("post", None),
    "assign": ("post", None),
    "rhythm": ("post", None),
    "record_agreements": ("post", None),
    "start_execution": ("post", None),
    "close": ("get", None),
    "agreement_create": ("get", None),
    "agreement_preview": ("post", None),
    "agreement_update": ("get", "agreement"),
    "agreement_delete": ("post", "agreement"),
    "realisation_create": ("get", None),
    "realisation_preview": ("post", None),
    "realisation_update": ("get", "realisation"),
    "realisation_approve": ("post", "realisation"),
    "realisation_reject": ("post", "realisation"),
    "evidence_delete": ("post", "evidence"),
    "pso_certificates": ("get", None),
    "pso_certificate": ("get", "pso_certificate"),
    "pso_certificate_check": ("post", "pso_certificate"),
    "lasting_outcome_record": ("get", "realisation", 6),  # 6 months after the placement
}
ROUTES = {**READ, **CHANGE}


def test_every_follow_up_route_is_in_the_matrix():
    contract_routes = {p.name for p in urlpatterns if str(p.pattern).startswith("opvolging/")}
    assert contract_routes == set(ROUTES)


@pytest.fixture
def world(accepted, carol, per_month_block):
    agreement = agreement_for(accepted, per_month_block, by=carol, persons=1, months=Decimal("6"))
    services.agreements_record(contract=accepted, by=carol)
    from wizzr.uploads import validate_upload

    realisation = Realisation(
        contract=accepted, agreement=agreement, block=per_month_block, candidate_reference="A",
        period_start=accepted.start_date, period_end=accepted.start_date.replace(month=3, day=31),
    )
    services.realisation_save(
        realisation=realisation, bonuses=[], by=carol, uploads=[validate_upload(samples.upload("bewijs.pdf", samples.PDF))]
    )
    return {
        "contract": accepted,
        "agreement": agreement,
        "realisation": realisation,
        "evidence": realisation.evidence.get(),
        "pso_certificate": PsoCertificateFactory(kvk_number=accepted.supplier.kvk_number),
    }


def route_url(name, world, *, contract_uuid=None, object_uuid=None):
    extra = ROUTES[name][1]
    args = [contract_uuid or world["contract"].uuid]
    if extra:
        args.append(object_uuid or world[extra].uuid)
    args.extend(ROUTES[name][2:])
    return reverse(f"monitoring:{name}", args=args)


def body(response) -> bytes:
    """The body without the per-response CSRF token, CSP nonce and the ids in the requested URL."""
    content = re.sub(rb'(nonce="|"X-CSRFToken": "|name="csrfmiddlewaretoken" value=")[^"]+', rb"\1-", response.content)
    return re.sub(rb"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", b"ID", content)


def call(client, name, url):
    method = ROUTES[name][0]
    return client.post(url, {}) if method == "post" else client.get(url)


@pytest.mark.parametrize("name", sorted(ROUTES))
def test_strangers_get_the_same_404_as_for_an_unknown_id(client, frank, bob, dave, world, name):
    """frank coordinates another service point, bob advises Renkum (same service point), dave Utrecht."""
    for stranger in (frank, bob, dave):
        client.force_login(stranger)
        response = call(client, name, route_url(name, world))
        assert response.status_code == 404, stranger
        unknown = call(client, name, route_url(name, world, contract_uuid=uuid.uuid4()))
        assert unknown.status_code == 404
        assert body(response) == body(unknown), stranger


@pytest.mark.parametrize("name", sorted(n for n in ROUTES if ROUTES[n][1]))
def test_an_object_of_another_contract_is_404_even_for_its_coordinator(client, carol, world, renkum_contract, name):
    """Nested ids must belong to the contract in the URL."""
    client.force_login(carol)
    response = call(client, name, route_url(name, world, contract_uuid=renkum_contract.uuid))
    assert response.status_code == 404


@pytest.mark.parametrize("name", sorted(READ))
def test_the_buyers_advisors_and_members_may_read(client, alice, erin, world, name):
    for member in (alice, erin):
        client.force_login(member)
        assert call(client, name, route_url(name, world)).status_code == 200


@pytest.mark.parametrize("name", sorted(CHANGE))
def test_the_buyers_advisors_may_not_change(client, alice, world, name):
    client.force_login(alice)
    assert call(client, name, route_url(name, world)).status_code == 403
    assert Agreement.objects.count() == 1
    world["realisation"].refresh_from_db()
    assert world["realisation"].status == "submitted"


def test_an_advisor_reads_without_change_buttons(client, alice, world):
    client.force_login(alice)
    html = client.get(route_url("workspace", world)).content.decode()
    assert "Werkvoorraad" not in html.split("<main", 1)[1]
    assert "Afspraak toevoegen" not in html
    assert "Realisatie toevoegen" not in html
    assert "Werkervaringsplaats" in html


@pytest.mark.parametrize("name", sorted(ROUTES))
def test_anonymous_visitors_go_to_the_login_page(client, world, name):
    response = call(client, name, route_url(name, world))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_drafts_are_404_even_for_the_owning_advisor(client, alice, draft):
    client.force_login(alice)
    assert client.get(reverse("monitoring:workspace", args=[draft.uuid])).status_code == 404


def test_extra_post_fields_do_not_move_a_realisation_to_another_tenant(client, carol, world, renkum):
    client.force_login(carol)
    realisation = world["realisation"]
    data = {
        "agreement": str(world["agreement"].uuid), "period_start": "2026-01-01", "period_end": "2026-02-28",
        "candidate_reference": "A", "organisation": str(renkum.pk), "status": "approved", "value": "999999",
    }
    client.post(route_url("realisation_update", world), data)
    realisation.refresh_from_db()
    assert realisation.organisation == world["contract"].organisation
    assert realisation.status == "submitted"
    assert realisation.value == Decimal("1500.00")

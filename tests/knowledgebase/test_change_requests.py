import datetime
from decimal import Decimal

import pytest
from django.core import mail
from django.urls import reverse

from contracts.models import Contract
from knowledgebase.models import HelpRequest, HelpRequestReply
from tests.contracts.factories import ContractFactory
from tests.knowledgebase.factories import HelpRequestFactory
from wizzr.models import AuditEvent, OutboxMessage

pytestmark = pytest.mark.django_db


@pytest.fixture
def contract(arnhem):
    return ContractFactory(
        organisation=arnhem, contract_number="ARN-2026-7", title="Schoonmaak <stadhuis>", handed_over=True,
        end_date=datetime.date(2027, 12, 31), contract_value=Decimal("400000.00"),
    )


def create_url(contract) -> str:
    return reverse("knowledgebase:change_request_create", args=[contract.uuid])


def test_the_change_form_shows_the_current_contract_data(client, alice, contract):
    client.force_login(alice)
    html = client.get(create_url(contract)).content.decode()
    assert "Wijziging doorgeven" in html
    assert "ARN-2026-7" in html and "Schoonmaak &lt;stadhuis&gt;" in html
    assert "31 december 2027" in html
    assert "400.000,00" in html
    assert 'name="contract"' not in html and 'name="category"' not in html


def test_an_advisor_passes_on_a_change_and_the_coordinator_is_notified(
    client, alice, carol, contract, django_capture_on_commit_callbacks
):
    client.force_login(alice)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            create_url(contract), {"subject": "Verlenging", "question": "Verlengd tot en met 31 december 2028."}
        )
    help_request = HelpRequest.objects.get()
    assert response.status_code == 302
    assert (help_request.kind, help_request.contract, help_request.organisation) == ("change", contract, contract.organisation)
    assert AuditEvent.objects.filter(action="change_request_created").exists()
    assert [message.to for message in mail.outbox] == [[carol.email]]
    assert "Wijziging doorgegeven door Gemeente Arnhem: Verlenging" in mail.outbox[0].subject
    assert "ARN-2026-7" in mail.outbox[0].body


def test_a_draft_needs_no_change_request(client, alice, arnhem):
    draft = ContractFactory(organisation=arnhem)
    client.force_login(alice)
    html = client.get(create_url(draft)).content.decode()
    assert "U kunt de gegevens zelf wijzigen" in html
    client.post(create_url(draft), {"subject": "x", "question": "y"})
    assert not HelpRequest.objects.exists()


def test_a_coordinator_does_not_pass_changes_on_to_themselves(client, carol, contract):
    client.force_login(carol)
    assert client.get(create_url(contract)).status_code == 403


def test_an_empty_change_description_is_refused(client, alice, contract):
    client.force_login(alice)
    response = client.post(create_url(contract), {"subject": "Verlenging", "question": ""})
    assert response.status_code == 400
    assert "Beschrijf de wijziging." in response.content.decode()
    assert not HelpRequest.objects.exists()


@pytest.fixture
def change_request(alice, arnhem, contract):
    return HelpRequestFactory(
        organisation=arnhem, asker=alice, kind=HelpRequest.Kind.CHANGE, contract=contract, subject="Verlenging",
        question="Verlengd tot en met 31 december 2028.",
    )


def apply_url(help_request) -> str:
    return reverse("knowledgebase:change_request_apply", args=[help_request.uuid])


def form_data(contract: Contract, **changes) -> dict:
    data = {
        "contract_number": contract.contract_number,
        "title": contract.title,
        "start_date": contract.start_date.isoformat(),
        "end_date": contract.end_date.isoformat(),
        "contract_value": "400000,00",
        "sroi_percentage": "5,00",
        "sroi_fixed_amount": "",
        "kind": contract.kind,
        "department": "",
        "award_date": "",
        "description": "",
        "sroi_paragraph": "",
        "supplier_contact_name": "",
        "supplier_contact_email": "",
        "supplier_contact_phone": "",
    }
    return {**data, **changes}


def test_the_coordinator_applies_the_change_and_it_lands_on_the_timeline(
    client, alice, carol, contract, change_request, django_capture_on_commit_callbacks
):
    client.force_login(carol)
    page = client.get(apply_url(change_request)).content.decode()
    assert "Verlengd tot en met 31 december 2028." in page
    assert 'value="2027-12-31"' in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(apply_url(change_request), form_data(contract, end_date="2028-12-31", contract_value="450000,00"))
    assert response.status_code == 302
    contract.refresh_from_db()
    assert contract.end_date == datetime.date(2028, 12, 31)
    assert contract.contract_value == Decimal("450000.00")
    event = AuditEvent.objects.get(action="contract_changed")
    assert event.object_id == str(contract.uuid) and event.actor == carol and event.organisation == contract.organisation
    assert event.detail == {"end_date": ["2027-12-31", "2028-12-31"], "contract_value": ["400000.00", "450000.00"]}
    change_request.refresh_from_db()
    assert change_request.applied_by == carol and change_request.applied_at is not None
    assert change_request.status == "answered"
    reply = HelpRequestReply.objects.get()
    assert "Einddatum: 31 december 2027 → 31 december 2028" in reply.body
    assert "450.000,00" in reply.body
    assert OutboxMessage.objects.filter(recipient=alice, template="help_request_replied").count() == 2
    client.force_login(alice)
    html = client.get(reverse("knowledgebase:help_request_detail", args=[change_request.uuid])).content.decode()
    assert "De wijziging is doorgevoerd in het inkoopcontract" in html


def test_nothing_changed_is_refused(client, carol, contract, change_request):
    client.force_login(carol)
    response = client.post(apply_url(change_request), form_data(contract))
    assert response.status_code == 400
    assert "U heeft geen gegeven gewijzigd." in response.content.decode()
    assert not AuditEvent.objects.filter(action="contract_changed").exists()


def test_an_end_before_the_start_is_refused_and_nothing_is_stored(client, carol, contract, change_request):
    client.force_login(carol)
    response = client.post(apply_url(change_request), form_data(contract, end_date="2025-01-01"))
    assert response.status_code == 400
    assert "De einddatum mag niet vóór de startdatum liggen." in response.content.decode()
    contract.refresh_from_db()
    assert contract.end_date == datetime.date(2027, 12, 31)
    change_request.refresh_from_db()
    assert change_request.applied_at is None
    assert not AuditEvent.objects.filter(action="contract_changed").exists()


def test_a_contract_number_the_organisation_already_uses_is_refused(client, carol, arnhem, contract, change_request):
    ContractFactory(organisation=arnhem, contract_number="ARN-BEZET")
    client.force_login(carol)
    response = client.post(apply_url(change_request), form_data(contract, contract_number="arn-bezet"))
    assert response.status_code == 400
    assert "al een inkoopcontract met dit inkoopcontractnummer" in response.content.decode()
    contract.refresh_from_db()
    assert contract.contract_number == "ARN-2026-7"


def test_the_page_keeps_showing_the_stored_values_next_to_rejected_edits(client, carol, contract, change_request):
    client.force_login(carol)
    response = client.post(apply_url(change_request), form_data(contract, title="Nieuw", end_date="2025-01-01"))
    html = response.content.decode()
    assert 'value="Nieuw"' in html
    assert "Schoonmaak &lt;stadhuis&gt;" in html


def test_only_the_coordinator_applies(client, alice, erin, change_request):
    for user in (alice, erin):
        client.force_login(user)
        assert client.get(apply_url(change_request)).status_code == 403


def test_a_question_has_nothing_to_apply(client, carol, alice, arnhem):
    question = HelpRequestFactory(organisation=arnhem, asker=alice)
    client.force_login(carol)
    assert client.get(apply_url(question)).status_code == 404


def test_an_applied_change_is_not_applied_twice(client, carol, contract, change_request):
    client.force_login(carol)
    client.post(apply_url(change_request), form_data(contract, title="Schoonmaak stadhuis en stadskantoor"))
    response = client.post(apply_url(change_request), form_data(contract, title="Weer anders"))
    assert response.status_code == 302
    contract.refresh_from_db()
    assert contract.title == "Schoonmaak stadhuis en stadskantoor"
    assert AuditEvent.objects.filter(action="contract_changed").count() == 1

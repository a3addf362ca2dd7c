import threading
from decimal import Decimal

import pytest
from django.db import connection
from django.urls import reverse

from contracts.forms import ContractForm, parse_decimal
from contracts.models import Contract
from tests.contracts.factories import ContractFactory, SupplierFactory
from tests.factories import member
from wizzr.models import AuditEvent, Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def supplier(db):
    return SupplierFactory(legal_name="Heijmans Infra B.V.", city="Rosmalen")


def valid_data(chosen_supplier, **overrides) -> dict:
    data = {
        "contract_number": "INK-2026-001",
        "title": "Groenonderhoud stadsparken",
        "start_date": "2026-03-01",
        "end_date": "2028-02-29",
        "supplier": str(chosen_supplier.uuid),
        "sroi_percentage": "5",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def post(client, data):
    return client.post(reverse("contracts:create"), data)


def test_the_form_shows_the_labels_of_the_manual(client, alice):
    client.force_login(alice)
    html = client.get(reverse("contracts:create")).content.decode()
    for label in ["Opstarten nieuw contract", "Inkoopcontractnummer", "Titel", "Looptijd", "Uitvoerende partij", "SROI-verplichting"]:
        assert label in html
    assert "<script>" not in html and "style=" not in html


def test_the_creator_is_a_contact_person_by_default(client, alice, erin):
    client.force_login(alice)
    form = client.get(reverse("contracts:create")).context["form"]
    assert [str(u) for u in form["contact_persons"].initial] == [str(alice)]
    html = str(form["contact_persons"])
    assert f'value="{alice.uuid}"' in html and "checked" in html.split(f'value="{alice.uuid}"')[1].split(">")[0]
    assert f'value="{erin.uuid}"' in html


def test_the_four_mandatory_fields_make_a_concept_and_lead_to_attachments(client, alice, arnhem, supplier):
    client.force_login(alice)
    response = post(client, valid_data(supplier, contact_persons=[str(alice.uuid)]))
    contract = Contract.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("contracts:attachments", args=[contract.uuid])
    assert contract.status == Contract.Status.DRAFT
    assert contract.organisation == arnhem
    assert contract.created_by == alice
    assert contract.supplier == supplier
    assert contract.sroi_percentage == Decimal("5.00")
    assert list(contract.contact_persons.all()) == [alice]
    assert AuditEvent.objects.filter(action="contract_created", object_id=str(contract.uuid), actor=alice).exists()


def test_desirable_fields_are_stored_with_dutch_amounts(client, alice, supplier, erin):
    client.force_login(alice)
    post(
        client,
        valid_data(
            supplier,
            contract_value="1.250.000,50",
            sroi_percentage="4,5",
            kind="works",
            description="Onderhoud",
            sroi_paragraph="5% van de opdrachtsom",
            department="Inkoop",
            award_date="2026-02-01",
            supplier_contact_name="Piet Pieters",
            supplier_contact_email="piet@heijmans.example",
            supplier_contact_phone="073 543 21 00",
            remarks_for_coordinator="Graag contact na de zomer.",
            contact_persons=[str(alice.uuid), str(erin.uuid)],
        ),
    )
    contract = Contract.objects.get()
    assert contract.contract_value == Decimal("1250000.50")
    assert contract.sroi_percentage == Decimal("4.50")
    assert contract.sroi_obligation == Decimal("56250.02")
    assert contract.kind == Contract.Kind.WORKS
    assert set(contract.contact_persons.all()) == {alice, erin}


def test_a_fixed_sroi_amount_can_replace_the_percentage(client, alice, supplier):
    client.force_login(alice)
    post(client, valid_data(supplier, contract_value="100000", sroi_fixed_amount="7.500,00"))
    assert Contract.objects.get().sroi_obligation == Decimal("7500.00")


def errors_for(response) -> dict:
    return response.context["form"].errors


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"contract_number": ""}, "contract_number", "Vul het inkoopcontractnummer in."),
        ({"title": ""}, "title", "Vul de titel in: wat is er ingekocht?"),
        ({"start_date": ""}, "start_date", "Vul de startdatum in."),
        ({"end_date": ""}, "end_date", "Vul de einddatum in."),
        ({"end_date": "2026-02-28"}, "end_date", "De einddatum mag niet vóór de startdatum liggen."),
        ({"start_date": "31-02-2026"}, "start_date", "Vul een geldige datum in."),
        ({"contract_value": "-100"}, "contract_value", "Het bedrag mag niet negatief zijn."),
        ({"contract_value": "veel"}, "contract_value", "Vul een bedrag in, bijvoorbeeld 125.000,00."),
        ({"contract_value": "1,2,3"}, "contract_value", "Vul een bedrag in, bijvoorbeeld 125.000,00."),
        ({"sroi_percentage": "101"}, "sroi_percentage", "Vul een percentage tussen 0 en 100 in."),
        ({"sroi_percentage": "-1"}, "sroi_percentage", "Vul een percentage tussen 0 en 100 in."),
        ({"sroi_fixed_amount": "-5"}, "sroi_fixed_amount", "Het bedrag mag niet negatief zijn."),
        ({"title": "x" * 201}, "title", "De titel mag hoogstens 200 tekens hebben (nu 201)."),
        ({"supplier_contact_email": "geen-adres"}, "supplier_contact_email", "Vul een geldig e-mailadres in, bijvoorbeeld naam@bedrijf.nl."),
        ({"kind": "bouw"}, "kind", "Kies werk, dienst of levering."),
    ],
)
def test_bad_input_gets_a_dutch_message_beside_the_field_and_keeps_the_rest(client, alice, supplier, overrides, field, message):
    client.force_login(alice)
    response = post(client, valid_data(supplier, description="Blijft staan", **overrides))
    assert response.status_code == 400
    assert errors_for(response)[field] == [message]
    html = response.content.decode()
    assert message.replace("'", "&#x27;") in html
    assert "Blijft staan" in html
    assert not Contract.objects.exists()


def test_a_missing_supplier_is_refused(client, alice, supplier):
    client.force_login(alice)
    response = post(client, valid_data(supplier, supplier=""))
    assert "supplier" in errors_for(response)
    assert not Contract.objects.exists()


def test_a_supplier_id_that_does_not_exist_is_refused(client, alice, supplier):
    client.force_login(alice)
    response = post(client, valid_data(supplier, supplier="7d8c4f0e-0000-4000-8000-000000000000"))
    assert errors_for(response)["supplier"]
    assert not Contract.objects.exists()


def test_an_inactive_supplier_is_refused(client, alice):
    inactive = SupplierFactory(is_active=False)
    client.force_login(alice)
    response = post(client, valid_data(inactive))
    assert errors_for(response)["supplier"] == ["Deze opdrachtnemer is niet meer actief. Kies een andere vestiging."]
    assert not Contract.objects.exists()


def test_the_contract_number_must_be_new_within_the_organisation(client, alice, arnhem, renkum, supplier):
    ContractFactory(organisation=arnhem, contract_number="INK-2026-001")
    ContractFactory(organisation=renkum, contract_number="INK-2026-002")
    client.force_login(alice)
    response = post(client, valid_data(supplier, contract_number="ink-2026-001"))
    assert errors_for(response)["contract_number"] == ["Uw organisatie heeft al een inkoopcontract met dit inkoopcontractnummer."]
    assert post(client, valid_data(supplier, contract_number="INK-2026-002")).status_code == 302


def test_extra_post_fields_are_ignored(client, alice, arnhem, utrecht, supplier):
    client.force_login(alice)
    post(client, valid_data(supplier, status="closed", created_by="1", organisation=str(utrecht.uuid)))
    contract = Contract.objects.get()
    assert contract.status == Contract.Status.DRAFT
    assert contract.organisation == arnhem


def test_contact_persons_must_be_members_of_the_organisation(client, alice, bob, supplier):
    client.force_login(alice)
    response = post(client, valid_data(supplier, contact_persons=[str(bob.uuid)]))
    assert errors_for(response)["contact_persons"]
    assert not Contract.objects.exists()


def test_an_advisor_of_two_organisations_picks_one_and_gets_its_members(client, arnhem, renkum, bob, supplier):
    member("mila@mgb.example", arnhem, Role.ADVISOR)
    both = member("mila@mgb.example", renkum, Role.ADVISOR)
    client.force_login(both)
    html = client.get(reverse("contracts:create")).content.decode()
    assert "Gemeente Renkum" in html and "Gemeente Arnhem" in html
    partial = client.get(reverse("contracts:contact_persons"), {"organisation": str(renkum.uuid)}).content.decode()
    assert "bob@renkum.example" in partial and "<html" not in partial
    response = post(client, valid_data(supplier, organisation=str(renkum.uuid), contact_persons=[str(bob.uuid)]))
    contract = Contract.objects.get()
    assert response.status_code == 302
    assert contract.organisation == renkum
    assert list(contract.contact_persons.all()) == [bob]


def test_the_contact_persons_partial_is_404_for_an_organisation_the_user_does_not_advise(client, alice, renkum):
    client.force_login(alice)
    assert client.get(reverse("contracts:contact_persons"), {"organisation": str(renkum.uuid)}).status_code == 404


def test_coordinators_cannot_start_a_contract(client, carol):
    client.force_login(carol)
    assert client.get(reverse("contracts:create")).status_code == 403


def test_anonymous_visitors_are_sent_to_login(anonymous):
    response = anonymous.get(reverse("contracts:create"))
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_the_obligation_is_shown_for_what_was_typed(client, alice, supplier):
    client.force_login(alice)
    response = post(client, valid_data(supplier, contract_value="200.000", title=""))
    assert "€ 10.000,00" in response.content.decode()


@pytest.mark.parametrize(
    ("text", "value"),
    [("125.000,50", "125000.50"), ("125000,5", "125000.5"), ("125000.50", "125000.50"), ("€ 1.250", "1250"), ("12.5", "12.5"), ("1.250.000", "1250000")],
)
def test_amounts_are_read_as_dutch_people_type_them(text, value):
    assert parse_decimal(text) == Decimal(value)


def test_concepts_to_resume_are_listed_on_the_form(client, alice, arnhem, renkum):
    ContractFactory(organisation=arnhem, contract_number="CONCEPT-7")
    ContractFactory(organisation=renkum, contract_number="NIET-VAN-ALICE")
    ContractFactory(organisation=arnhem, contract_number="AL-OVER", handed_over=True)
    client.force_login(alice)
    html = client.get(reverse("contracts:create")).content.decode()
    assert "CONCEPT-7" in html
    assert "NIET-VAN-ALICE" not in html and "AL-OVER" not in html


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_saves_of_one_number_end_in_one_contract_and_a_message(alice, arnhem, supplier, monkeypatch):
    """Both requests pass the form's check before either writes; the constraint decides, no 500."""
    from django.test import Client

    barrier = threading.Barrier(2, timeout=10)
    original_clean = ContractForm.clean

    def clean_then_wait(self):
        cleaned = original_clean(self)
        barrier.wait()
        return cleaned

    monkeypatch.setattr(ContractForm, "clean", clean_then_wait)
    results = []

    def save():
        try:
            client = Client()
            client.force_login(alice)
            response = post(client, valid_data(supplier))
            results.append((response.status_code, response.context["form"].errors if response.status_code == 400 else None))
        finally:
            connection.close()

    threads = [threading.Thread(target=save) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(code for code, _ in results) == [302, 400]
    errors = next(errors for code, errors in results if code == 400)
    assert errors["contract_number"] == ["Uw organisatie heeft al een inkoopcontract met dit inkoopcontractnummer."]
    assert Contract.objects.count() == 1

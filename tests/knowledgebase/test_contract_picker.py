"""The help-request form's contract picker: the options of what was typed, among the contracts the
asker may link a question to (visible and of the current organisation), and never another tenant's."""

import json

import pytest
from django.urls import reverse

from tests.contracts.factories import ContractFactory
from tests.factories import AuthorityFactory
from wizzr.models import Membership, Role

pytestmark = pytest.mark.django_db

OPTIONS = reverse("knowledgebase:contract_options")


def options(client, typed: str, **extra) -> tuple[list[str], dict]:
    response = client.get(OPTIONS, {"q": typed, "listbox": "id_contract_listbox", **extra})
    assert response.status_code == 200
    event = json.loads(response.headers["HX-Trigger-After-Swap"])["supplierResults"]
    html = response.content.decode()
    labels = [part.split('"', 1)[0] for part in html.split('aria-label="')[1:]]
    return labels, event


def test_the_number_or_every_word_of_the_title_finds_a_contract_accents_and_case_ignored(client, alice, arnhem):
    ContractFactory(organisation=arnhem, contract_number="ARN-2026-014", title="Groenonderhoud wijk Presikhaaf")
    ContractFactory(organisation=arnhem, contract_number="ARN-2025-003", title="Coördinatie schoonmaak Presikhaaf")
    ContractFactory(organisation=arnhem, contract_number="ARN-2024-900", title="Catering")
    client.force_login(alice)
    assert options(client, "2026-014")[0] == ["ARN-2026-014 — Groenonderhoud wijk Presikhaaf"]
    assert options(client, "PRESIKHAAF groen")[0] == ["ARN-2026-014 — Groenonderhoud wijk Presikhaaf"]
    assert options(client, "coordinatie")[0] == ["ARN-2025-003 — Coördinatie schoonmaak Presikhaaf"]
    labels, event = options(client, "presikhaaf")
    assert labels == ["ARN-2025-003 — Coördinatie schoonmaak Presikhaaf", "ARN-2026-014 — Groenonderhoud wijk Presikhaaf"]
    assert event["count"] == 2 and event["message"].startswith("2 inkoopcontracten gevonden.")
    labels, event = options(client, "tuinbouw")
    assert labels == [] and event["count"] == 0
    assert event["message"] == "Geen inkoopcontract gevonden. Zoek op inkoopcontractnummer of een woord uit de titel."


def test_numbers_that_start_with_the_text_come_first_and_ten_at_most_with_how_many_more(client, alice, arnhem):
    for n in range(14):
        ContractFactory(organisation=arnhem, contract_number=f"X-{n:02d}", title="Onderhoud 2026")
    ContractFactory(organisation=arnhem, contract_number="2026-A", title="Vervoer")
    client.force_login(alice)
    labels, event = options(client, "2026")
    assert labels[0] == "2026-A — Vervoer"
    assert labels[1:] == [f"X-{n:02d} — Onderhoud 2026" for n in range(9)]
    assert event["count"] == 10
    assert event["more"] == "Nog 5 inkoopcontracten — typ meer van het nummer of de titel"


def test_another_tenants_contract_is_never_offered(client, alice, arnhem, renkum):
    own = ContractFactory(organisation=arnhem, contract_number="ARN-001", title="Gedeelde titel")
    other = ContractFactory(organisation=renkum, contract_number="REN-001", title="Gedeelde titel")
    ContractFactory(organisation=AuthorityFactory(slug="utrecht"), contract_number="UTR-001", title="Gedeelde titel")
    client.force_login(alice)
    assert options(client, "gedeelde titel")[0] == ["ARN-001 — Gedeelde titel"]
    for typed in ["REN-001", "UTR-001", str(other.uuid)]:
        labels, event = options(client, typed)
        assert labels == [] and event["count"] == 0
    response = client.get(OPTIONS, {"q": "001"})
    assert str(own.uuid) in response.content.decode() and str(other.uuid) not in response.content.decode()


def test_a_member_of_two_authorities_finds_only_the_current_ones_contracts(client, alice, arnhem, renkum):
    Membership.objects.create(user=alice, organisation=renkum, role=Role.ADVISOR)
    ContractFactory(organisation=arnhem, contract_number="ARN-001", title="Groen")
    ContractFactory(organisation=renkum, contract_number="REN-001", title="Groen")
    client.force_login(alice)
    assert options(client, "groen")[0] == ["ARN-001 — Groen"], "the first organisation by name is the current one"
    session = client.session
    session["wizzr_organisation"] = str(renkum.uuid)  # working for Renkum now
    session.save()
    assert options(client, "groen")[0] == ["REN-001 — Groen"]


def test_nothing_typed_or_hostile_input_gets_an_empty_list_and_a_safe_listbox_id(client, alice, arnhem):
    ContractFactory(organisation=arnhem, contract_number="ARN-001", title="Groen")
    client.force_login(alice)
    for typed in ["", "   ", "\x00\x07", "%", "_", "'"]:
        assert options(client, typed)[0] == [], repr(typed)
    response = client.get(OPTIONS, {"q": "groen", "listbox": '"><script>alert(1)</script>'})
    assert "<script>" not in response.content.decode() and 'id="id_contract_listbox-0"' in response.content.decode()


def test_signed_out_visitors_are_sent_to_the_login(client):
    response = client.get(OPTIONS, {"q": "groen"})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]

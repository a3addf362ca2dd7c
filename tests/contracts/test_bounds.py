"""Amounts beyond what the columns hold (999.999.999.999,99): one Dutch message beside the field, no
computed obligation, nothing stored, never a 500; the largest amount that fits is accepted."""

from decimal import Decimal

import pytest
from django.urls import reverse

from contracts.models import Contract
from tests.contracts.factories import ContractFactory, SupplierFactory

pytestmark = pytest.mark.django_db

TOO_LARGE = "Vul een bedrag in van ten hoogste € 999.999.999.999,99."


@pytest.fixture
def supplier(db):
    return SupplierFactory(legal_name="Heijmans Infra B.V.", city="Rosmalen")


def data(supplier, **overrides) -> dict:
    return {
        "contract_number": "INK-2026-001",
        "title": "Groenonderhoud stadsparken",
        "start_date": "2026-03-01",
        "end_date": "2028-02-29",
        "supplier": str(supplier.uuid),
        "sroi_percentage": "5",
        **overrides,
    }


def obligation_shown(response) -> str:
    html = response.content.decode()
    return html.split("data-sroi-obligation>", 1)[1].split("</output>", 1)[0]


@pytest.mark.parametrize("field", ["contract_value", "sroi_fixed_amount"])
@pytest.mark.parametrize(
    "amount", ["9" * 29, "1" + "0" * 28, "1.000.000.000.000,00", "1000000000000", "9" * 400, "999999999999,995"]
)
def test_a_new_contract_with_an_amount_beyond_the_column_gets_one_message_and_no_obligation(
    client, alice, supplier, field, amount
):
    client.force_login(alice)
    response = client.post(reverse("contracts:create"), data(supplier, **{field: amount}))
    assert response.status_code == 400
    html = response.content.decode()
    assert html.count(TOO_LARGE) == 1
    assert obligation_shown(response) == "—"
    assert not Contract.objects.exists()


@pytest.mark.parametrize("field", ["contract_value", "sroi_fixed_amount"])
def test_editing_a_draft_to_an_amount_beyond_the_column_gets_a_message_and_keeps_the_stored_amount(
    client, alice, arnhem, supplier, field
):
    draft = ContractFactory(organisation=arnhem, supplier=supplier, contract_value=Decimal("100000.00"))
    client.force_login(alice)
    response = client.post(
        reverse("contracts:edit", args=[draft.uuid]),
        data(supplier, contract_number=draft.contract_number, **{field: "9" * 29}),
    )
    assert response.status_code == 400
    assert response.content.decode().count(TOO_LARGE) == 1
    assert obligation_shown(response) == "—"
    draft.refresh_from_db()
    assert draft.contract_value == Decimal("100000.00")
    assert draft.sroi_fixed_amount is None


def test_the_largest_amount_that_fits_is_stored_with_its_obligation(client, alice, supplier):
    client.force_login(alice)
    response = client.post(
        reverse("contracts:create"), data(supplier, contract_value="999.999.999.999,99", sroi_percentage="100")
    )
    assert response.status_code == 302
    contract = Contract.objects.get()
    assert contract.contract_value == Decimal("999999999999.99")
    assert contract.sroi_obligation == Decimal("999999999999.99")


def test_a_refused_title_still_shows_the_obligation_of_valid_amounts(client, alice, supplier):
    client.force_login(alice)
    response = client.post(reverse("contracts:create"), data(supplier, title="", contract_value="100.000,00"))
    assert response.status_code == 400
    assert obligation_shown(response) == "€ 5.000,00"


def test_the_obligation_of_an_unsaved_contract_with_huge_amounts_is_computed_not_raised():
    contract = Contract(contract_value=Decimal("9" * 40), sroi_percentage=Decimal("100"))
    assert contract.sroi_obligation == Decimal("9" * 40)
    assert Contract(sroi_fixed_amount=Decimal("1" + "0" * 30)).sroi_obligation == Decimal("1" + "0" * 30)

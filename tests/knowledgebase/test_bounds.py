"""Applying a change request: an amount beyond what the column holds gets the money message."""

import pytest

from knowledgebase.forms import contract_change_form_class
from tests.contracts.factories import ContractFactory

pytestmark = pytest.mark.django_db

TOO_LARGE = "Vul een bedrag in van ten hoogste € 999.999.999.999,99."


@pytest.mark.parametrize("field", ["contract_value", "sroi_fixed_amount"])
def test_an_amount_beyond_the_column_gets_the_money_message(field, arnhem):
    contract = ContractFactory(organisation=arnhem)
    form = contract_change_form_class()({field: "9" * 29}, instance=contract)
    assert form.errors[field] == [TOO_LARGE]

"""A withholding beyond what the column holds gets the money message, not Django's digit count."""

import datetime

import pytest

from portal.forms import FinalOutcomeForm, SettlementForm

TOO_LARGE = "Vul een bedrag in van ten hoogste € 999.999.999.999,99."


@pytest.mark.parametrize("amount", ["9" * 29, "1000000000000"])
def test_a_withholding_beyond_the_column_gets_the_money_message(amount):
    data = {"outcome": "partly", "reason": "Tekort", "withholding_amount": amount, "withholding_reason": "Boete"}
    for form in (SettlementForm(data, today=datetime.date(2028, 1, 1)), FinalOutcomeForm(data)):
        assert form.errors["withholding_amount"] == [TOO_LARGE]

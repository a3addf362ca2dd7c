"""Numbers beyond what the forms accept: a Dutch message beside the field on the form, no value in the
preview, nothing stored, never a 500."""

from decimal import Decimal

import pytest
from django.urls import reverse

from catalogue import values
from monitoring.models import Agreement, Realisation

pytestmark = pytest.mark.django_db

HUGE = "9" * 30
NO_VALUE_YET = "Nog niet te berekenen: vul de gemarkeerde velden aan."


def url(name, contract, *args):
    return reverse(f"monitoring:{name}", args=[contract.uuid, *args])


def post(client, route, contract, **data):
    return client.post(url(route, contract), {"description": "Leerwerkplek", **data})


QUANTITIES = [
    ({"persons": HUGE, "hours_per_week": "24", "months": "12"}, "Vul ten hoogste 999 personen in."),
    ({"persons": "1000", "hours_per_week": "24", "months": "12"}, "Vul ten hoogste 999 personen in."),
    ({"persons": "1", "hours_per_week": "24", "months": HUGE}, "Vul ten hoogste 240 maanden in."),
    ({"persons": "1", "hours_per_week": "24", "months": "240,5"}, "Vul ten hoogste 240 maanden in."),
    ({"persons": "1", "hours_per_week": HUGE, "months": "12"}, "Meer dan 60 uur per week is niet mogelijk."),
    ({"persons": "1", "hours_per_week": "1E+30", "months": "12"}, "Voer een getal in."),
    ({"persons": "1", "hours_per_week": "24", "months": "1e999"}, "Voer een getal in."),
    ({"persons": "1", "hours_per_week": "NaN", "months": "12"}, "Voer een getal in."),
    ({"persons": "1", "hours_per_week": "24", "months": "-Infinity"}, "Voer een getal in."),
    ({"persons": "1e3", "hours_per_week": "24", "months": "12"}, "Voer een geheel getal in."),
]


@pytest.mark.parametrize(("data", "message"), QUANTITIES)
def test_an_agreement_with_quantities_beyond_the_bounds_gets_one_message_beside_the_field(
    client, carol, accepted, per_year_block, data, message
):
    client.force_login(carol)
    response = post(client, "agreement_create", accepted, block=str(per_year_block.uuid), **data)
    assert response.status_code == 400
    assert response.content.decode().count(message) == 1
    assert not Agreement.objects.exists()


@pytest.mark.parametrize(("data", "message"), QUANTITIES)
def test_the_agreement_preview_shows_no_value_for_quantities_beyond_the_bounds(
    client, carol, accepted, per_year_block, data, message
):
    client.force_login(carol)
    response = post(client, "agreement_preview", accepted, block=str(per_year_block.uuid), **data)
    assert response.status_code == 200
    assert NO_VALUE_YET in response.content.decode()
    assert "€" not in response.content.decode()


def test_the_largest_accepted_quantities_are_valued_and_stored(client, carol, accepted, per_month_block):
    client.force_login(carol)
    response = post(client, "agreement_create", accepted, block=str(per_month_block.uuid), persons="999", months="240")
    assert response.status_code == 302
    assert Agreement.objects.get().planned_value == Decimal("750.00") * 999 * 240


@pytest.mark.parametrize("route", ["agreement_create", "agreement_preview"])
def test_an_invoice_amount_beyond_the_column_gets_the_money_message_or_no_value(client, carol, accepted, utrecht_version, route):
    follow_up = accepted.follow_up
    follow_up.catalogue_version = utrecht_version
    follow_up.save()
    block = utrecht_version.blocks.get(unit="invoice_percentage")
    client.force_login(carol)
    response = post(client, route, accepted, block=str(block.uuid), invoice_amount="1000000000000")
    html = response.content.decode()
    if route == "agreement_create":
        assert response.status_code == 400
        assert html.count("Vul een bedrag in van ten hoogste € 999.999.999.999,99.") == 1
    else:
        assert NO_VALUE_YET in html
    assert not Agreement.objects.exists()


def test_a_value_beyond_the_money_column_is_refused_with_a_message(client, carol, accepted, per_month_block):
    per_month_block.value = Decimal("9999999999.99")  # what the catalogue column allows
    per_month_block.save()
    client.force_login(carol)
    response = post(client, "agreement_create", accepted, block=str(per_month_block.uuid), persons="999", months="240")
    assert response.status_code == 400
    assert "De berekende waarde is groter dan € 999.999.999.999,99. Controleer de aantallen." in response.content.decode()
    assert not Agreement.objects.exists()


@pytest.mark.parametrize("field", ["hours_per_week", "invoice_amount", "hours"])
def test_the_realisation_preview_survives_a_huge_quantity_and_stores_nothing(client, carol, accepted, field):
    client.force_login(carol)
    count = Realisation.objects.count()
    response = client.post(url("realisation_preview", accepted), {field: HUGE, "period_start": "2026-01-01"})
    assert response.status_code == 200
    assert Realisation.objects.count() == count


def test_the_value_of_the_largest_accepted_quantities_is_exact_to_the_cent():
    class Block:
        unit, value, counting_months = values.PER_MONTH, Decimal("9999999999.99"), None

    valuation = values.activity_value(block=Block(), persons=values.MAX_PERSONS, months=values.MAX_MONTHS)
    assert valuation.total == Decimal("9999999999.99") * 999 * 240


def test_the_value_of_an_invoice_of_the_largest_amount_is_exact_to_the_cent():
    class Block:
        unit, value, counting_months = values.INVOICE_PERCENTAGE, Decimal("100"), None

    valuation = values.activity_value(block=Block(), invoice_amount=Decimal("999999999999.99"))
    assert valuation.total == Decimal("999999999999.99")

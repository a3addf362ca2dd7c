"""Numbers the coordinator edits read the Dutch way: "32,0" in the box, and a comma is accepted."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from monitoring import services
from tests.monitoring.factories import agreement_for, realisation_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def agreed(accepted, carol, per_year_block):
    agreement = agreement_for(
        accepted, per_year_block, by=carol, persons=1, hours_per_week=Decimal("32"), months=Decimal("6.5")
    )
    services.agreements_record(contract=accepted, by=carol)
    return agreement


def input_value(html: str, name: str) -> str:
    tag = re.search(rf'<input[^>]*name="{name}"[^>]*>', html).group(0)
    assert 'type="number"' not in tag  # a number box shows its value in the browser's locale, not the page's
    return re.search(r'value="([^"]*)"', tag).group(1)


def test_the_agreement_form_shows_hours_and_months_with_a_decimal_comma(client, carol, accepted, agreed):
    client.force_login(carol)
    html = client.get(reverse("monitoring:agreement_update", args=[accepted.uuid, agreed.uuid])).content.decode()
    assert input_value(html, "hours_per_week") == "32,0"
    assert input_value(html, "months") == "6,5"


def test_the_realisation_form_shows_hours_per_week_with_a_decimal_comma_and_accepts_one(client, carol, accepted, agreed):
    realisation = realisation_for(
        accepted, agreement=agreed, by=carol, hours_per_week=Decimal("32"), candidate_reference="A"
    )
    client.force_login(carol)
    url = reverse("monitoring:realisation_update", args=[accepted.uuid, realisation.uuid])
    assert input_value(client.get(url).content.decode(), "hours_per_week") == "32,0"
    response = client.post(
        url,
        {"agreement": str(agreed.uuid), "period_start": "2026-01-01", "period_end": "2026-06-30",
         "hours_per_week": "30,5", "candidate_reference": "A"},
    )
    assert response.status_code == 302
    realisation.refresh_from_db()
    assert realisation.hours_per_week == Decimal("30.5")


def test_a_decimal_point_is_still_read_as_one(client, carol, accepted, agreed):
    realisation = realisation_for(
        accepted, agreement=agreed, by=carol, hours_per_week=Decimal("32"), candidate_reference="A"
    )
    client.force_login(carol)
    url = reverse("monitoring:realisation_update", args=[accepted.uuid, realisation.uuid])
    client.post(
        url,
        {"agreement": str(agreed.uuid), "period_start": "2026-01-01", "period_end": "2026-06-30",
         "hours_per_week": "30.5", "candidate_reference": "A"},
    )
    realisation.refresh_from_db()
    assert realisation.hours_per_week == Decimal("30.5")

"""The supplier's contact accounts for social purchasing per invoice in an open reporting period,
with the same rules as the coordinator, and looks the social company up in the registry."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from monitoring.models import Evidence, Realisation
from portal.models import PeriodRealisation
from tests.contracts import samples
from tests.monitoring.factories import agreement_for
from tests.suppliers.factories import SupplierFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def purchasing(running, carol, v05):
    block = v05.blocks.get(name="Inkoop bij een lid van Social Enterprise NL")
    return agreement_for(running, block, by=carol, description="Schoonmaak door De Brug", invoice_amount=Decimal("8000"))


@pytest.fixture
def social_company():
    return SupplierFactory(legal_name="Schoonmaakbedrijf De Brug B.V.", city="Ede")


def create_url(period):
    return reverse("portal:realisation_create", args=[period.contract.uuid, period.uuid])


def invoice_data(agreement, company, **overrides):
    data = {
        "agreement": str(agreement.uuid),
        "invoice_number": "DB-2026-311",
        "invoice_date": "2026-11-03",
        "invoice_amount": "2.000,00",
        "social_company": str(company.uuid),
        "evidence": [samples.upload("factuur.pdf", samples.PDF)],
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def test_the_supplier_records_an_invoice_in_the_open_period(client, sam, open_period, purchasing, social_company):
    client.force_login(sam)
    response = client.post(create_url(open_period), invoice_data(purchasing, social_company))
    assert response.status_code == 302
    realisation = Realisation.objects.get()
    assert (realisation.invoice_number, realisation.social_company) == ("DB-2026-311", social_company)
    assert realisation.period_start == realisation.period_end == datetime.date(2026, 11, 3)
    # A Social Enterprise NL member counts for 50 %.
    assert realisation.value == Decimal("1000.00")
    assert realisation.submitted_by == sam
    assert PeriodRealisation.objects.get().period == open_period
    page = client.get(reverse("portal:realisation", args=[open_period.contract.uuid, realisation.uuid])).content.decode()
    assert "DB-2026-311" in page and "Schoonmaakbedrijf De Brug B.V." in page


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"invoice_date": "2026-09-30"}, "invoice_date", "Een factuur van een andere datum hoort bij een andere rapportage."),
        ({"invoice_date": "2025-11-03"}, "invoice_date", "De factuurdatum valt buiten de looptijd van het contract"),
        ({"amount_includes_vat": "on"}, "amount_includes_vat", "Vul het bedrag exclusief btw in."),
        ({"invoice_amount": "-5"}, "invoice_amount", "Vul een factuurbedrag groter dan € 0 in"),
        ({"social_company": ""}, "social_company", "Kies het sociale bedrijf dat de factuur stuurde"),
        ({"evidence": None}, "evidence", "Voeg de factuur toe als bewijsstuk."),
    ],
)
def test_bad_invoice_input_is_refused_beside_the_field(client, sam, open_period, purchasing, social_company, overrides, field, message):
    client.force_login(sam)
    response = client.post(create_url(open_period), invoice_data(purchasing, social_company, **overrides))
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html
    assert f'id="id_{field}_error"' in html
    assert 'value="DB-2026-311"' in html
    assert not Realisation.objects.exists()
    assert not Evidence.objects.exists()


def test_an_invoice_recorded_by_the_coordinator_is_not_entered_again(client, sam, carol, accepted, open_period, purchasing, social_company):
    client.force_login(carol)
    data = invoice_data(purchasing, social_company, invoice_date="2026-10-20")
    assert client.post(reverse("monitoring:realisation_create", args=[accepted.uuid]), data).status_code == 302
    client.force_login(sam)
    response = client.post(create_url(open_period), invoice_data(purchasing, social_company, invoice_number="db-2026-311"))
    assert response.status_code == 400
    assert "Factuur db-2026-311 van Schoonmaakbedrijf De Brug B.V. is al vastgelegd." in response.content.decode()
    assert Realisation.objects.count() == 1


def test_the_form_looks_companies_up_through_the_portal_without_adding_them(client, sam, open_period, purchasing):
    client.force_login(sam)
    html = client.get(create_url(open_period)).content.decode()
    assert 'name="invoice_number"' in html and 'name="amount_includes_vat"' in html
    assert f'data-search-url="{reverse("portal:social_company_search")}"' in html
    assert "data-supplier-add" not in html
    assert reverse("suppliers:add") not in html


def test_the_company_search_answers_supplier_contacts_only(client, sam, alice, social_company):
    client.force_login(sam)
    response = client.get(reverse("portal:social_company_search"), {"q": "De Brug"})
    assert response.status_code == 200
    assert "Schoonmaakbedrijf De Brug B.V." in response.content.decode()
    client.force_login(alice)
    assert client.get(reverse("portal:social_company_search"), {"q": "De Brug"}).status_code == 404


def test_another_companys_contact_gets_404(client, tom, open_period, purchasing, social_company):
    client.force_login(tom)
    response = client.post(create_url(open_period), invoice_data(purchasing, social_company))
    assert response.status_code == 404
    assert not Realisation.objects.exists()

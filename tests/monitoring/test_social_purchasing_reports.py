"""Approved invoices of social purchasing and hours of social activity count in their category on the
buyer's contract page and the consolidated view, and the realisations export lists the invoices."""

import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from monitoring import services
from tests.factories import mark_reauthenticated
from tests.monitoring.factories import agreement_for, realisation_for
from tests.suppliers.factories import SupplierFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def invoiced(accepted, carol, v05):
    """An approved invoice of € 3,000 (100 %) and a submitted one, on Arnhem's contract."""
    block = v05.blocks.get(name="Inkoop bij een onderneming in het Register Code Sociale Ondernemingen")
    agreement = agreement_for(accepted, block, by=carol, description="Groenonderhoud via De Brug", invoice_amount=Decimal("9000"))
    services.agreements_record(contract=accepted, by=carol)
    company = SupplierFactory(legal_name="Werkbedrijf De Brug B.V.", kvk_number="61234567")
    approved = realisation_for(
        accepted, agreement=agreement, by=carol, invoice_number="F-2026-01", invoice_date=datetime.date(2026, 4, 1),
        period_start=datetime.date(2026, 4, 1), period_end=datetime.date(2026, 4, 1),
        invoice_amount=Decimal("3000"), social_company=company,
    )
    services.realisation_assess(realisation=approved, decision="approved", by=carol)
    realisation_for(
        accepted, agreement=agreement, by=carol, invoice_number="F-2026-02", invoice_date=datetime.date(2026, 5, 1),
        period_start=datetime.date(2026, 5, 1), period_end=datetime.date(2026, 5, 1),
        invoice_amount=Decimal("700"), social_company=company,
    )
    return accepted


def category_cells(html: str, label: str) -> str:
    start = html.index(f">{label}</th>")
    return html[start:html.index("</tr>", start)]


def test_the_buyers_contract_page_shows_the_invoices_under_social_purchasing(client, alice, invoiced):
    client.force_login(alice)
    html = client.get(reverse("monitoring:contract", args=[invoiced.uuid])).content.decode()
    assert 'data-testid="contract-categories"' in html
    row = category_cells(html, "Sociaal inkopen")
    # Agreed € 9,000; approved only the first invoice.
    assert "€ 9.000,00" in row and "€ 3.000,00" in row
    assert "Factuur F-2026-01 van Werkbedrijf De Brug B.V., " in html


def test_the_consolidated_view_counts_them_in_their_category(client, alice, invoiced):
    client.force_login(alice)
    html = client.get(reverse("monitoring:consolidated")).content.decode()
    row = category_cells(html, "Sociaal inkopen")
    assert "€ 9.000,00" in row and "€ 3.000,00" in row


def test_social_activity_is_valued_per_hour_and_shown_in_its_category(client, alice, carol, accepted, utrecht_version):
    follow_up = accepted.follow_up
    follow_up.catalogue_version = utrecht_version
    follow_up.save()
    block = utrecht_version.blocks.get(category="social_activity")
    agreement = agreement_for(accepted, block, by=carol, description="Klussen bij de voedselbank", hours=Decimal("40"))
    services.agreements_record(contract=accepted, by=carol)
    client.force_login(carol)
    data = {"agreement": str(agreement.uuid), "period_start": "2026-03-01", "period_end": "2026-03-31", "hours": "12,5"}
    assert client.post(reverse("monitoring:realisation_create", args=[accepted.uuid]), data).status_code == 302
    realisation = accepted.realisations.get()
    assert realisation.value == Decimal("1250.00")
    services.realisation_assess(realisation=realisation, decision="approved", by=carol)
    client.force_login(alice)
    html = client.get(reverse("monitoring:contract", args=[accepted.uuid])).content.decode()
    row = category_cells(html, "Maatschappelijke activiteit")
    assert "€ 4.000,00" in row and "€ 1.250,00" in row


def test_the_realisations_export_lists_invoice_number_date_and_company(client, alice, invoiced):
    client.force_login(alice)
    mark_reauthenticated(client, alice)
    response = client.get(reverse("monitoring:export_realisations", args=["csv"]))
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8")[1:]), delimiter=";"))
    header = rows[0]
    by_number = {row[header.index("Factuurnummer")]: dict(zip(header, row, strict=True)) for row in rows[1:]}
    first = by_number["F-2026-01"]
    assert first["Bouwblokcategorie"] == "Sociaal inkopen"
    assert first["Factuurdatum"] == "2026-04-01"
    assert first["Sociaal bedrijf"] == "Werkbedrijf De Brug B.V."
    assert first["KvK-nummer sociaal bedrijf"] == "61234567"
    assert first["Factuurbedrag excl. btw"] == "3000,00"
    assert first["Waarde"] == "3000,00"
    assert first["Beoordeling"] == "Goedgekeurd"
    assert by_number["F-2026-02"]["Beoordeling"] == "Ingediend"
    assert "Kenmerk kandidaat" not in header

    response = client.get(reverse("monitoring:export_realisations", args=["xlsx"]))
    sheet = load_workbook(io.BytesIO(response.content), read_only=True).active
    values = list(sheet.iter_rows(values_only=True))
    assert values[0][header.index("Factuurnummer")] == "Factuurnummer"
    assert {row[header.index("Factuurnummer")] for row in values[1:]} == {"F-2026-01", "F-2026-02"}
    assert values[1][header.index("Factuurdatum")] == datetime.datetime(2026, 4, 1)


def test_the_realisations_export_holds_no_other_organisations_invoices(client, bob, invoiced):
    client.force_login(bob)
    mark_reauthenticated(client, bob)
    response = client.get(reverse("monitoring:export_realisations", args=["csv"]))
    assert response.status_code == 200
    assert "F-2026-01" not in response.content.decode("utf-8")

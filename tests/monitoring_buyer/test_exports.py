"""Exports of the individual list and the consolidated figures: the filters apply, cells that a
spreadsheet would run as a formula are neutralised, the password is asked again, and it is audited."""

import csv
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from contracts.models import Contract
from tests.contracts.factories import ContractFactory
from wizzr.models import AuditEvent

pytestmark = pytest.mark.django_db


def export(name: str, fmt: str, query: str = "") -> str:
    return reverse(f"monitoring:export_{name}", args=[fmt]) + (f"?{query}" if query else "")


def read_csv(response) -> list[list[str]]:
    content = response.content.decode("utf-8")
    assert content.startswith("\ufeff")
    return list(csv.reader(io.StringIO(content[1:]), delimiter=";"))


def read_xlsx(response) -> list[tuple]:
    sheet = load_workbook(io.BytesIO(response.content), read_only=True).active
    return list(sheet.iter_rows(values_only=True))


@pytest.fixture
def logged_in(client, alice, reauthenticated):
    client.force_login(alice)
    reauthenticated(client, alice)
    return client


def test_the_individual_list_as_csv_holds_the_filtered_rows(logged_in, portfolio):
    response = logged_in.get(export("individual", "csv", "status=in_progress&o=contractnummer"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"].startswith('attachment; filename="monitoren-contracten-')
    table = read_csv(response)
    assert table[0][:3] == ["Inkoopcontractnummer", "Titel", "Organisatie"]
    assert [row[0] for row in table[1:]] == ["INK-A1"]
    row = dict(zip(table[0], table[1], strict=True))
    assert row["SROI-verplichting"] == "12500,00"
    assert row["Gerealiseerd (goedgekeurd)"] == "3000,00"
    assert row["Gerealiseerd (% van verplichting)"] == "24"
    assert row["Loopt achter"] == "ja"
    assert row["SROI-coördinator"] == "Carol Visser"
    # The establishment, not only the company: one KvK number can have several.
    supplier = Contract.objects.get(contract_number="INK-A1").supplier
    assert row["Uitvoerende partij"] == supplier.establishment_label
    assert supplier.city in row["Uitvoerende partij"] and supplier.branch_number in row["Uitvoerende partij"]
    assert row["Vestigingsnummer"] == supplier.branch_number


def test_the_individual_list_as_xlsx_has_numbers_and_all_rows_in_the_chosen_order(logged_in, portfolio):
    response = logged_in.get(export("individual", "xlsx", "o=-gerealiseerd&page=2"))
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    table = read_xlsx(response)
    assert [row[0] for row in table[1:]] == ["INK-D4", "INK-B2", "INK-A1", "CONCEPT-3"]  # not paged
    approved = table[1][table[0].index("Gerealiseerd (goedgekeurd)")]
    assert approved == Decimal("5000") or approved == 5000


def test_cells_that_would_run_as_formulas_are_neutralised(logged_in, arnhem, portfolio):
    ContractFactory(
        organisation=arnhem, contract_number="=1+1", title='=HYPERLINK("http://evil.example","x")', handed_over=True
    )
    ContractFactory(organisation=arnhem, contract_number="@SUM", title="-2+3", department="x", handed_over=True)
    ContractFactory(organisation=arnhem, contract_number="TAB", title="\tcmd", handed_over=True)
    table = read_csv(logged_in.get(export("individual", "csv", "o=contractnummer")))
    cells = {cell for row in table for cell in row}
    assert "'=1+1" in cells and '\'=HYPERLINK("http://evil.example","x")' in cells
    assert "'@SUM" in cells and "'-2+3" in cells and "'\tcmd" in cells
    assert not any(cell.startswith(("=", "+", "-", "@", "\t")) for cell in cells)
    sheet = read_xlsx(logged_in.get(export("individual", "xlsx", "o=contractnummer")))
    values = {cell for row in sheet for cell in row if isinstance(cell, str)}
    assert "'=1+1" in values and not any(v.startswith(("=", "+", "-", "@")) for v in values)


def test_the_consolidated_figures_export_with_their_filters(logged_in, portfolio):
    table = read_csv(logged_in.get(export("consolidated", "csv")))
    assert table[0][0] == "Onderdeel"
    total = table[1]
    assert total[:3] == ["Totaal", "Totaal", "3"]
    assert total[4:8] == ["22500,00", "18500,00", "12000,00", "53"]
    parts = {row[0] for row in table[1:]}
    assert parts == {
        "Totaal",
        "Per status",
        "Per startjaar",
        "Per bouwblokcategorie",
        "Grootste uitvoerende partijen",
        "Loopt achter",
        "Resultaat na afloop van de looptijd",
    }
    assert any(row[0] == "Loopt achter" and row[1].startswith("INK-A1") for row in table)
    filtered = read_xlsx(logged_in.get(export("consolidated", "xlsx", "year=2023")))
    assert filtered[1][:3] == ("Totaal", "Totaal", 1)


def test_exports_never_hold_other_tenants_contracts(logged_in, portfolio, utrecht):
    for url in (
        export("individual", "csv", f"organisation={utrecht.uuid}"),
        export("consolidated", "csv", f"organisation={utrecht.uuid}"),
    ):
        content = logged_in.get(url).content.decode()
        assert "UTR-1" not in content and "REN-1" not in content and "Domstad" not in content


def test_an_export_is_audited_without_the_free_text(logged_in, alice, arnhem, portfolio):
    logged_in.get(export("individual", "xlsx", "q=onderhoud&status=in_progress"))
    event = AuditEvent.objects.get(action="export")
    assert event.actor == alice and event.organisation == arnhem
    assert event.detail == {
        "report": "individual",
        "format": "xlsx",
        "rows": 1,
        "filters": {"q": "…", "status": "in_progress"},
    }


def test_an_export_asks_for_the_password_again(client, alice, portfolio):
    client.force_login(alice)
    response = client.get(export("individual", "csv"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_reauthenticate"))
    assert not AuditEvent.objects.filter(action="export").exists()


def test_an_unknown_format_is_not_found(logged_in, portfolio):
    assert logged_in.get(reverse("monitoring:export_individual", args=["pdf"])).status_code == 404


def test_anonymous_visitors_are_sent_to_login(client):
    response = client.get(export("consolidated", "xlsx"))
    assert response.status_code == 302 and reverse("account_login") in response["Location"]

"""The outcome recorded at the end of the term (portal.Settlement) as the buyer sees it: on the
contract page (outcome, shortfall, recovery period, withholding) and summed in the consolidated
figures and their export."""

import datetime
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from contracts.models import Contract
from tests.contracts.factories import ContractFactory
from tests.monitoring_buyer.conftest import days, follow
from tests.monitoring_buyer.factories import settlement
from tests.monitoring_buyer.test_exports import export, read_csv, read_xlsx

pytestmark = pytest.mark.django_db
D = datetime.date
CONSOLIDATED = reverse("monitoring:consolidated")
PART = "Resultaat na afloop van de looptijd"


def text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def section(html: str, title_id: str) -> str:
    return text(html.split(f'id="{title_id}"', 1)[1].split("</section>", 1)[0])


def contract_page(client, contract) -> str:
    response = client.get(reverse("monitoring:contract", args=[contract.uuid]))
    assert response.status_code == 200
    return response.content.decode()


def ended_contract(organisation, number: str, *, start: D, end: D, obligation: str, status=Contract.Status.CLOSED):
    contract = ContractFactory(
        organisation=organisation, contract_number=number, title=f"Contract {number}", start_date=start, end_date=end,
        contract_value=Decimal("200000.00"), sroi_fixed_amount=Decimal(obligation), handed_over=True,
    )
    return follow(contract, None, status)


@pytest.fixture
def outcomes(portfolio, arnhem, renkum):
    """Arnhem: INK-D4 fully realised; INK-E5 partly, after a recovery period, with a withholding;
    INK-F6 not realised and still in its recovery period. Renkum: one not realised (not Arnhem's)."""
    settlement(portfolio.closed, "realised", obligation="5000.00", approved="5000.00")
    partly = ended_contract(arnhem, "INK-E5", start=D(2024, 1, 1), end=D(2025, 12, 31), obligation="10000.00")
    settlement(
        partly, "partly", obligation="10000.00", approved="6000.00", recovery_deadline=D(2026, 3, 31),
        final=("partly", "2500.00"), withholding=("1250.00", "Boete volgens het bestek"),
        reason="Twee plaatsingen zijn te laat gestart.",
    )
    recovering = ended_contract(
        arnhem, "INK-F6", start=D(2025, 1, 1), end=days(-20), obligation="8000.00", status=Contract.Status.IN_PROGRESS
    )
    settlement(recovering, "not_realised", obligation="8000.00", approved="0.00", recovery_deadline=days(60))
    elsewhere = ended_contract(renkum, "REN-9", start=D(2024, 1, 1), end=D(2025, 6, 30), obligation="3000.00")
    settlement(elsewhere, "not_realised", obligation="3000.00", approved="0.00", withholding=("3000.00", "Niets gedaan"))
    return {"partly": partly, "recovering": recovering, "elsewhere": elsewhere}


# The contract page ------------------------------------------------------------------------------


def test_the_contract_page_shows_the_outcome_shortfall_recovery_period_and_withholding(client, alice, outcomes):
    client.force_login(alice)
    html = contract_page(client, outcomes["partly"])
    shown = text(html.split('class="wizzr-panel mb-outcome"', 1)[1].split("</section>", 1)[0])
    assert "Resultaat SROI-verplichting" in shown
    assert "Resultaat Deels gerealiseerd" in shown
    assert "SROI-verplichting € 10.000,00" in shown
    assert "Goedgekeurd bij de eindrapportage € 6.000,00" in shown
    assert "Tekort bij de eindrapportage € 4.000,00" in shown
    assert "Herstelperiode tot en met 31 maart 2026" in shown
    assert "Tekort na de herstelperiode € 2.500,00" in shown
    assert "Inhouding of boete € 1.250,00 — Boete volgens het bestek" in shown
    assert "Twee plaatsingen zijn te laat gestart." in shown


def test_a_contract_in_its_recovery_period_says_so_without_a_withholding_yet(client, alice, outcomes):
    client.force_login(alice)
    html = contract_page(client, outcomes["recovering"])
    shown = text(html.split('class="wizzr-panel mb-outcome"', 1)[1].split("</section>", 1)[0])
    assert "Resultaat Niet gerealiseerd — herstelperiode loopt" in shown
    assert "Tekort bij de eindrapportage € 8.000,00" in shown
    assert f"Herstelperiode tot en met {days(60).day} " in shown
    assert "Inhouding" not in shown and "Tekort na de herstelperiode" not in shown


def test_a_contract_without_a_recorded_outcome_shows_none(client, alice, outcomes, portfolio):
    client.force_login(alice)
    html = contract_page(client, portfolio.on_track)
    assert "mb-outcome" not in html and "Resultaat SROI-verplichting" not in html


def test_the_outcome_costs_the_contract_page_no_query(client, alice, arnhem, portfolio):
    contract = ended_contract(arnhem, "INK-Q1", start=D(2024, 1, 1), end=D(2025, 12, 31), obligation="4000.00")
    client.force_login(alice)
    contract_page(client, contract)  # warm up (session, caches)
    with CaptureQueriesContext(connection) as without:
        contract_page(client, contract)
    settlement(contract, "not_realised", obligation="4000.00", approved="0.00")
    with CaptureQueriesContext(connection) as with_outcome:
        html = contract_page(client, contract)
    assert "Niet gerealiseerd" in html
    assert len(with_outcome) == len(without)


def test_another_organisations_outcome_is_not_found(client, alice, bob, outcomes):
    client.force_login(bob)  # Renkum
    response = client.get(reverse("monitoring:contract", args=[outcomes["partly"].uuid]))
    assert response.status_code == 404
    assert b"Boete volgens het bestek" not in response.content
    client.force_login(alice)
    response = client.get(reverse("monitoring:contract", args=[outcomes["elsewhere"].uuid]))
    assert response.status_code == 404
    assert b"Niets gedaan" not in response.content


# The consolidated figures -----------------------------------------------------------------------


def test_the_consolidated_figures_count_outcomes_and_sum_shortfall_and_withholding(client, alice, outcomes):
    client.force_login(alice)
    shown = section(client.get(CONSOLIDATED).content.decode(), "outcomes-title")
    assert "Van 3 van de 5 inkoopcontracten heeft de SROI-coördinator het resultaat" in shown
    assert "Gerealiseerd 1 0 € 0,00 € 0,00" in shown
    assert "Deels gerealiseerd 1 0 € 2.500,00 € 1.250,00" in shown  # the shortfall after the recovery period
    assert "Niet gerealiseerd 1 1 € 8.000,00 € 0,00" in shown
    assert "Totaal 3 1 € 10.500,00 € 1.250,00" in shown  # Renkum's € 3,000 does not count


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("year=2023", "Totaal 1 0 € 0,00 € 0,00"),
        ("status=in_progress", "Totaal 1 1 € 8.000,00 € 0,00"),
        ("status=closed", "Totaal 2 0 € 2.500,00 € 1.250,00"),
    ],
)
def test_the_outcomes_follow_the_filters(client, alice, outcomes, query, expected):
    client.force_login(alice)
    shown = section(client.get(f"{CONSOLIDATED}?{query}").content.decode(), "outcomes-title")
    assert expected in shown


def test_without_recorded_outcomes_the_section_says_so(client, alice, portfolio):
    client.force_login(alice)
    shown = section(client.get(CONSOLIDATED).content.decode(), "outcomes-title")
    assert "Van geen van deze inkoopcontracten is het resultaat na afloop van de looptijd al vastgelegd." in shown


def test_the_outcomes_add_no_query_to_the_consolidated_page(client, alice, arnhem, portfolio):
    client.force_login(alice)

    def own() -> int:
        with CaptureQueriesContext(connection) as base:
            client.get(reverse("accessibility"))
        with CaptureQueriesContext(connection) as page:
            client.get(CONSOLIDATED)
        return len(page) - len(base)

    own()  # the first request of a session may renew it
    before = own()
    for n in range(6):
        contract = ended_contract(arnhem, f"INK-N{n}", start=D(2024, 1, 1), end=D(2025, 6, 30), obligation="1000.00")
        settlement(contract, "not_realised", obligation="1000.00", approved="0.00", withholding=("100.00", "Boete"))
    assert own() == before <= 12
    assert "Totaal 6 0 € 6.000,00 € 600,00" in section(client.get(CONSOLIDATED).content.decode(), "outcomes-title")


def test_the_export_holds_the_outcomes(client, alice, reauthenticated, outcomes):
    client.force_login(alice)
    reauthenticated(client, alice)
    table = read_csv(client.get(export("consolidated", "csv")))
    assert table[0][-2:] == ["Tekort", "Inhouding of boete"]
    assert all(len(row) == len(table[0]) for row in table)
    rows = {row[1]: (row[2], row[-2], row[-1]) for row in table if row[0] == PART}
    assert rows == {
        "Gerealiseerd": ("1", "0,00", "0,00"),
        "Deels gerealiseerd": ("1", "2500,00", "1250,00"),
        "Niet gerealiseerd": ("1", "8000,00", "0,00"),
        "Totaal": ("3", "10500,00", "1250,00"),
    }
    sheet = read_xlsx(client.get(export("consolidated", "xlsx", "status=closed")))
    total = next(row for row in sheet if row[0] == PART and row[1] == "Totaal")
    assert total[2] == 2 and Decimal(str(total[-2])) == Decimal("2500") and Decimal(str(total[-1])) == Decimal("1250")


# From contract entry to monitoring --------------------------------------------------------------


def test_contract_entry_links_a_handed_over_contract_to_its_monitoring_page(client, alice, portfolio):
    client.force_login(alice)
    html = client.get(reverse("contracts:detail", args=[portfolio.closed.uuid])).content.decode()
    assert f'href="{reverse("monitoring:contract", args=[portfolio.closed.uuid])}"' in html
    draft = client.get(reverse("contracts:detail", args=[portfolio.draft.uuid])).content.decode()
    assert reverse("monitoring:contract", args=[portfolio.draft.uuid]) not in draft

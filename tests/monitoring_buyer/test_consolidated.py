"""Monitoren contracten — geconsolideerd: totals over the organisation's handed-over contracts."""

import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from contracts.models import Contract
from monitoring import reports
from tests.contracts.factories import ContractFactory, SupplierFactory
from tests.factories import member
from tests.monitoring_buyer.conftest import follow
from tests.monitoring_buyer.factories import block, realisation
from wizzr.models import Role

pytestmark = pytest.mark.django_db
PAGE = reverse("monitoring:consolidated")


def text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def section(html: str, title_id: str) -> str:
    return text(html.split(f'id="{title_id}"', 1)[1].split("</section>", 1)[0])


def test_the_totals_add_up_the_handed_over_contracts_of_the_organisation(client, alice, portfolio):
    client.force_login(alice)
    html = client.get(PAGE).content.decode()
    totals = section(html, "totals-title")
    assert "Over 3 inkoopcontracten." in totals  # the concept does not count; Renkum and Utrecht are not Arnhem's
    assert "Aantal contracten 3" in totals
    assert "Totale opdrachtsom € 430.000,00" in totals
    assert "SROI-verplichting € 22.500,00" in totals
    assert "Afgesproken € 18.500,00 82 % van de verplichting" in totals
    assert "Gerealiseerd (goedgekeurd) € 12.000,00" in totals
    assert "Percentage gerealiseerd 53 %" in totals


def test_per_status_per_year_and_per_category(client, alice, portfolio):
    client.force_login(alice)
    html = client.get(PAGE).content.decode()
    status = section(html, "status-title")
    assert "In uitvoering 1 € 250.000,00 € 12.500,00 € 12.500,00 € 3.000,00 24 %" in status
    assert "Afspraken gemaakt 1 € 100.000,00 € 5.000,00 € 6.000,00 € 4.000,00 80 %" in status
    assert "Afgerond 1 € 80.000,00 € 5.000,00 € 0,00 € 5.000,00 100 %" in status
    assert "Concept" not in status
    year = section(html, "year-title")
    assert "2023 1 € 80.000,00 € 5.000,00 € 0,00 € 5.000,00 100 %" in year
    category = section(html, "category-title")
    assert "Werkgelegenheid € 10.000,00 € 8.000,00" in category
    assert "Sociaal inkopen € 2.500,00 € 0,00" in category
    assert "Leerwerktraject € 6.000,00 € 4.000,00" in category


def test_the_largest_suppliers_and_the_contracts_behind_schedule(client, alice, portfolio):
    client.force_login(alice)
    html = client.get(PAGE).content.decode()
    suppliers = section(html, "suppliers-title")
    assert suppliers.index("Groenbedrijf Veluwe B.V. 1 € 250.000,00") < suppliers.index(
        "Glans Schoonmaak 2 € 180.000,00"
    )
    assert "€ 9.000,00" in suppliers  # Glans: 4,000 + 5,000 approved
    behind = section(html, "behind-title")
    assert "1 contract loopt achter" in behind
    assert "INK-A1" in behind and "INK-B2" not in behind
    assert f'href="{reverse("monitoring:contract", args=[portfolio.behind.uuid])}"' in html


def test_only_ten_suppliers_are_listed_largest_first(arnhem, portfolio):
    for n in range(12):
        ContractFactory(
            organisation=arnhem,
            supplier=SupplierFactory(legal_name=f"Leverancier {n:02d}"),
            contract_value=Decimal(1000 * (n + 1)),
            handed_over=True,
        )
    figures = reports.consolidated(Contract.objects.filter(organisation=arnhem).exclude(status="draft"))
    assert len(figures.suppliers) == 10
    assert [b.label for b in figures.suppliers[:2]] == ["Groenbedrijf Veluwe B.V.", "Glans Schoonmaak"]
    assert figures.suppliers[-1].label == "Leverancier 04"


@pytest.mark.parametrize(
    ("query", "contracts"),
    [
        ("year=2023", 1),
        ("status=agreements_made", 1),
        ("status=closed&year=2026", 0),
        ("status=draft", 3),
        ("year=x", 3),
    ],
)
def test_filters_narrow_the_figures_and_bad_values_are_ignored(client, alice, portfolio, query, contracts):
    client.force_login(alice)
    response = client.get(f"{PAGE}?{query}")
    assert response.status_code == 200
    assert f'data-testid="kpi-contracts">{contracts}<' in response.content.decode()


def test_a_user_of_several_organisations_starts_with_the_current_one(client, arnhem, renkum, portfolio):
    mila = member("mila@mgb.example", arnhem, Role.ADVISOR, name="Mila Bakker")
    member("mila@mgb.example", renkum, Role.ADVISOR)
    mila.refresh_from_db()
    client.force_login(mila)
    assert 'data-testid="kpi-contracts">3<' in client.get(PAGE).content.decode()
    assert 'data-testid="kpi-contracts">1<' in client.get(f"{PAGE}?organisation={renkum.uuid}").content.decode()
    assert 'data-testid="kpi-contracts">4<' in client.get(f"{PAGE}?organisation=alle").content.decode()


def test_the_coordinator_sees_all_authorities_she_serves(client, carol, portfolio):
    client.force_login(carol)
    html = client.get(PAGE).content.decode()
    assert 'data-testid="kpi-contracts">4<' in html
    assert "UTR-1" not in html and "Domstad" not in html


def test_charts_are_hidden_from_assistive_technology_and_drawn_without_inline_styles(client, alice, portfolio):
    client.force_login(alice)
    html = client.get(PAGE).content.decode()
    assert html.count('<figure class="mb-chart" aria-hidden="true">') == 4
    assert 'style="' not in html
    assert re.search(r'<rect class="mb-chart__fill mb-chart__fill--obligation" x="0" y="0" width="100(\.0)?"', html)


def test_htmx_gets_only_the_results(client, alice, portfolio):
    client.force_login(alice)
    html = client.get(f"{PAGE}?year=2023", headers={"HX-Request": "true"}).content.decode()
    assert "<html" not in html and 'id="results"' in html and 'data-testid="kpi-contracts">1<' in html


def test_an_empty_organisation_gets_a_calm_message(client, dave):
    client.force_login(dave)
    html = client.get(PAGE).content.decode()
    assert "Er zijn nog geen inkoopcontracten om cijfers over te tonen." in html


def test_the_page_makes_a_constant_number_of_queries(client, alice, arnhem, portfolio):
    client.force_login(alice)

    def own() -> int:
        client.get(reverse("accessibility"))  # the first request after a login renews the session
        client.get(PAGE)  # what is kept in the cache for minutes (the year span) is read, not computed
        with CaptureQueriesContext(connection) as base:
            client.get(reverse("accessibility"))
        with CaptureQueriesContext(connection) as page:
            client.get(PAGE)
        return len(page) - len(base)

    before = own()
    employment = block(name="Extra")
    for _ in range(25):
        contract = ContractFactory(organisation=arnhem, supplier=SupplierFactory(), handed_over=True)
        follow(contract, None, Contract.Status.IN_PROGRESS)
        realisation(contract, employment, "100.00")
    assert own() == before <= 12

"""SROI-jaarrapportage: the annual report of an authority (and of a service point over its authorities)
as a page and as a PDF, with the same figures as the seeded contracts give."""

import datetime
import io
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pypdf import PdfReader

from catalogue.models import BuildingBlock
from contracts.models import Contract
from monitoring import annual
from monitoring.annual_pdf import StaticFilesFetcher
from monitoring.models import Realisation
from tests.contracts.factories import ContractFactory
from tests.monitoring_buyer.conftest import follow
from tests.monitoring_buyer.factories import agreement, block, realisation, settlement

pytestmark = pytest.mark.django_db
PAGE = reverse("monitoring:annual_report")
PDF = reverse("monitoring:annual_report_pdf")
S = Contract.Status
D = datetime.date


def text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).replace("&nbsp;", " ").replace("\xa0", " ").split())


def section(html: str, title_id: str) -> str:
    return text(html.split(f'id="{title_id}"', 1)[1].split("</section>", 1)[0])


def pdf_text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).replace("\xa0", " ").split())


def contract(organisation, number, start, end, *, coordinator=None, status=S.IN_PROGRESS, **fields):
    c = ContractFactory(
        organisation=organisation, contract_number=number, start_date=start, end_date=end, handed_over=True, **fields
    )
    return follow(c, coordinator, status)


@pytest.fixture
def year_data(arnhem, renkum, utrecht, carol):
    """Arnhem in 2026: A (12.500 obligation, 8.500 approved), B (5.000, 2.000) and D (2.000, nothing realised,
    settled with a withholding of 2.000). In 2025: A, C (5.000, 4.000) and D. Renkum and Utrecht one each."""
    employment = block(BuildingBlock.Category.EMPLOYMENT, name="Participatiewet")
    learn_work = block(BuildingBlock.Category.LEARN_WORK, name="BBL-leerling")
    a = contract(
        arnhem, "INK-A", D(2025, 1, 1), D(2026, 12, 31), coordinator=carol,
        contract_value=Decimal("250000.00"), department="Beheer openbare ruimte",
    )
    agreement(a, employment, "10000.00")
    realisation(a, employment, "7500.00", candidate_reference="K1")
    realisation(a, employment, "1000.00", candidate_reference="K1", period_start=D(2026, 4, 1), period_end=D(2026, 6, 30))
    realisation(a, employment, "2000.00", status=Realisation.Status.SUBMITTED, candidate_reference="K9")
    b = contract(
        arnhem, "INK-B", D(2026, 3, 1), D(2027, 2, 28), contract_value=Decimal("100000.00"), department="Sociaal domein"
    )
    agreement(b, learn_work, "4000.00")
    realisation(b, learn_work, "2000.00")
    c = contract(
        arnhem, "INK-C", D(2024, 1, 1), D(2025, 6, 30), status=S.CLOSED,
        contract_value=Decimal("90000.00"), sroi_fixed_amount=Decimal("5000.00"),
    )
    realisation(c, employment, "4000.00", candidate_reference="K2", period_start=D(2024, 1, 1), period_end=D(2024, 6, 30))
    d = contract(
        arnhem, "INK-D", D(2025, 6, 1), D(2026, 5, 31), status=S.CLOSED,
        contract_value=Decimal("40000.00"), sroi_fixed_amount=Decimal("2000.00"),
    )
    settlement(d, "not_realised", obligation="2000.00", approved="0.00", withholding=("2000.00", "Niets gerealiseerd"))
    ContractFactory(organisation=arnhem, contract_number="CONCEPT", start_date=D(2026, 1, 1), end_date=D(2026, 12, 31),
                    contract_value=Decimal("500000.00"), status=S.DRAFT)
    renkum_contract = contract(renkum, "REN-1", D(2026, 1, 1), D(2027, 12, 31), contract_value=Decimal("400000.00"))
    realisation(renkum_contract, employment, "5000.00")
    utrecht_contract = contract(utrecht, "UTR-1", D(2026, 1, 1), D(2026, 12, 31), contract_value=Decimal("900000.00"))
    realisation(utrecht_contract, employment, "45000.00")
    return {"a": a, "b": b, "c": c, "d": d}


def test_the_key_figures_of_the_year_count_the_contracts_running_in_it(client, alice, year_data):
    client.force_login(alice)
    response = client.get(PAGE, {"jaar": "2026"})
    assert response.status_code == 200
    html = response.content.decode()
    kpis = section(html, "totals-title")
    assert "Contracten met SROI-verplichting 3" in kpis  # A, B, D; not C (ended 2025), the concept, Renkum, Utrecht
    assert "SROI-verplichting € 19.500,00" in kpis
    assert "Afgesproken € 14.000,00" in kpis
    assert "Gerealiseerd (goedgekeurd) € 10.500,00" in kpis
    assert "Percentage gerealiseerd 54 %" in kpis
    assert "REN-1" not in html and "UTR-1" not in html and "Gemeente Renkum" not in html


def test_the_summary_compares_the_year_with_the_year_before(client, alice, year_data):
    client.force_login(alice)
    summary = section(client.get(PAGE, {"jaar": "2026"}).content.decode(), "summary-title")
    assert "In 2026 is 54 % van de verplichting gerealiseerd, 10 procentpunt minder dan in 2025." in summary
    assert "Het gaat om 3 inkoopcontracten met samen een SROI-verplichting van € 19.500,00; daarvan is € 10.500,00 gerealiseerd." in summary


def test_the_trend_shows_five_years_with_a_table(client, alice, year_data):
    client.force_login(alice)
    trend = section(client.get(PAGE, {"jaar": "2026"}).content.decode(), "trend-title")
    assert "2022 0 € 0,00 € 0,00 € 0,00 —" in trend
    assert "2024 1 € 5.000,00 € 0,00 € 4.000,00 80 %" in trend
    assert "2025 3 € 19.500,00 € 10.000,00 € 12.500,00 64 %" in trend
    assert "2026 3 € 19.500,00 € 14.000,00 € 10.500,00 54 %" in trend


def test_realised_value_per_category_and_per_department(client, alice, year_data):
    client.force_login(alice)
    html = client.get(PAGE, {"jaar": "2026"}).content.decode()
    category = section(html, "category-title")
    assert "Werkgelegenheid € 10.000,00 € 8.500,00" in category
    assert "Leerwerktraject € 4.000,00 € 2.000,00" in category
    department = section(html, "department-title")
    assert "Beheer openbare ruimte 1 € 250.000,00 € 12.500,00 € 10.000,00 € 8.500,00 68 %" in department
    assert "Sociaal domein 1 € 100.000,00 € 5.000,00 € 4.000,00 € 2.000,00 40 %" in department
    assert "Geen afdeling 1 € 40.000,00 € 2.000,00 € 0,00 € 0,00 0 %" in department


def test_people_placed_are_counted_and_still_at_work_is_not_invented(client, alice, year_data):
    client.force_login(alice)
    people = section(client.get(PAGE, {"jaar": "2026"}).content.decode(), "people-title")
    assert "Geplaatste personen 1 uit 2 goedgekeurde realisaties werkgelegenheid" in people
    assert "Na een jaar nog aan het werk nog niet bekend" in people


def test_contracts_behind_schedule_with_their_reason_and_the_withholdings(client, alice, year_data):
    client.force_login(alice)
    html = client.get(PAGE, {"jaar": "2026"}).content.decode()
    behind = section(html, "behind-title")
    assert "2 contracten lopen achter" in behind
    assert "INK-A" in behind and "INK-B" in behind and "INK-D" not in behind
    assert "van de looptijd is verstreken; naar rato werd €" in behind
    outcomes = section(html, "outcomes-title")
    assert "Niet gerealiseerd 1 0 € 2.000,00 € 2.000,00" in outcomes


def test_the_pdf_holds_the_same_figures_and_words(client, alice, year_data):
    client.force_login(alice)
    response = client.get(PDF, {"jaar": "2026"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="sroi-jaarrapportage-gemeente-arnhem-2026.pdf"'
    assert "private" in response["Cache-Control"]
    content = pdf_text(response.content)
    assert "Gemeente Arnhem · SROI-jaarrapportage 2026" in content  # the running header
    assert "Pagina 1 / " in content
    assert "In 2026 is 54 % van de verplichting gerealiseerd, 10 procentpunt minder dan in 2025." in content
    for figure in ("€ 19.500,00", "€ 14.000,00", "€ 10.500,00", "54 %", "€ 8.500,00", "Beheer openbare ruimte"):
        assert figure in content
    assert "nog niet bekend" in content
    assert "Gemeente Renkum" not in content and "UTR-1" not in content


def test_a_year_without_contracts_says_so_on_the_page_and_in_the_pdf(client, alice, year_data):
    client.force_login(alice)
    response = client.get(PAGE, {"jaar": "2019"})
    assert response.status_code == 200
    sentence = "In 2019 had Gemeente Arnhem geen inkoopcontracten met een SROI-verplichting."
    html = response.content.decode()
    assert sentence in text(html)
    assert "ar-chart" not in html
    assert sentence in pdf_text(client.get(PDF, {"jaar": "2019"}).content)


@pytest.mark.parametrize(
    ("year", "message"),
    [
        ("abc", "Vul een jaartal in, bijvoorbeeld"),
        ("99999", "is nog niet begonnen"),
        ("-1", "Kies een jaar van 2000 tot en met"),
        ("2026.5", "Vul een jaartal in"),
        ("1e3", "Vul een jaartal in"),
        ("2\x0026", "Vul een jaartal in"),
    ],
)
def test_a_year_that_is_no_year_is_refused_beside_the_field(client, alice, year, message):
    client.force_login(alice)
    for url in (PAGE, PDF):
        response = client.get(url, {"jaar": year})
        assert response.status_code == 400
        assert message in text(response.content.decode())


def test_a_year_in_the_future_is_refused_with_a_clear_message(client, alice):
    client.force_login(alice)
    next_year = datetime.date.today().year + 1
    response = client.get(PAGE, {"jaar": str(next_year)})
    assert response.status_code == 400
    assert f"{next_year} is nog niet begonnen" in text(response.content.decode())


def test_without_a_year_the_report_is_of_this_year(client, alice):
    client.force_login(alice)
    response = client.get(PAGE)
    assert response.status_code == 200
    assert f"SROI-jaarrapportage {datetime.date.today().year}" in text(response.content.decode())


def test_the_service_point_gets_a_section_per_authority_and_the_totals(client, carol, year_data):
    client.force_login(carol)
    html = client.get(PAGE, {"jaar": "2026"}).content.decode()
    sections = [text(s.split("</section>", 1)[0]) for s in html.split('data-testid="authority-section"')[1:]]
    assert [s.split(" In 2026", 1)[0].split('> ', 1)[-1] for s in sections]
    assert len(sections) == 2
    arnhem, renkum = sections
    assert "Gemeente Arnhem" in arnhem and "In 2026 is 54 % van de verplichting gerealiseerd" in arnhem
    assert "SROI-verplichting € 19.500,00" in arnhem
    assert "Gemeente Renkum" in renkum and "SROI-verplichting € 20.000,00" in renkum
    assert "In 2026 is 25 % van de verplichting gerealiseerd." in renkum  # no contracts in 2025: nothing to compare
    totals = section(html, "totals-title")
    assert "Contracten met SROI-verplichting 4" in totals and "SROI-verplichting € 39.500,00" in totals
    assert "Gemeente Utrecht" not in html and "UTR-1" not in html
    content = pdf_text(client.get(PDF, {"jaar": "2026"}).content)
    assert "Gemeente Arnhem" in content and "Gemeente Renkum" in content and "€ 39.500,00" in content


def test_another_service_point_sees_none_of_these_authorities(client, frank, year_data):
    client.force_login(frank)
    html = client.get(PAGE, {"jaar": "2026"}).content.decode()
    assert "Gemeente Arnhem" not in html and "Gemeente Renkum" not in html
    assert "Gemeente Utrecht" in html and "€ 45.000,00" in text(html)


def test_the_report_costs_the_same_number_of_queries_for_more_contracts(arnhem, year_data):
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            annual.annual_report(contracts=Contract.objects.filter(organisation=arnhem), organisation=arnhem, year=2026)
        return len(queries)

    before = count()
    employment = Realisation.objects.filter(contract=year_data["a"]).first().block
    for n in range(5):
        extra = contract(arnhem, f"INK-X{n}", D(2026, 1, 1), D(2026, 12, 31), contract_value=Decimal("300000.00"),
                         department=f"Afdeling {n}")
        realisation(extra, employment, "100.00")
    assert count() == before


def test_the_summary_in_words_for_more_equal_and_no_previous_year():
    def y(year, obligation, approved):
        return annual.YearFigures(year=year, contracts=1, obligation=Decimal(obligation), approved=Decimal(approved))

    assert annual.summary("X", y(2026, "100", "84"), y(2025, "100", "78"))[0] == (
        "In 2026 is 84 % van de verplichting gerealiseerd, 6 procentpunt meer dan in 2025."
    )
    assert annual.summary("X", y(2026, "100", "50"), y(2025, "200", "100"))[0] == (
        "In 2026 is 50 % van de verplichting gerealiseerd, evenveel als in 2025."
    )
    assert annual.summary("X", y(2026, "100", "50"), annual.YearFigures(year=2025))[0] == (
        "In 2026 is 50 % van de verplichting gerealiseerd."
    )
    assert annual.summary("Gemeente Y.", annual.YearFigures(year=2019), None) == [
        "In 2019 had Gemeente Y geen inkoopcontracten met een SROI-verplichting."
    ]


def test_the_pdf_fetches_only_our_own_static_files():
    assert StaticFilesFetcher().fetch("file:///static/css/annual-print.css").read().startswith(b"/*")
    for url in (
        "https://example.com/static/css/annual-print.css",
        "http://169.254.169.254/latest/meta-data",
        "file:///etc/passwd",
        "file:///static/../../etc/passwd",
        "file:///static/does-not-exist.css",
    ):
        with pytest.raises(ValueError):
            StaticFilesFetcher().fetch(url)


def test_the_report_and_its_pdf_speak_english_when_the_user_chose_english(client, alice, year_data):
    client.force_login(alice)
    client.post(reverse("set_language"), {"language": "en", "next": PAGE})
    html = client.get(PAGE, {"jaar": "2026"}).content.decode()
    summary = section(html, "summary-title")
    assert "In 2026, 54 % of the obligation was realised, 10 percentage points less than in 2025." in summary
    assert "SROI annual report" in html and "Download as PDF" in html
    assert "gerealiseerd" not in summary
    document = pdf_text(client.get(PDF, {"jaar": "2026"}).content)
    assert "10 percentage points less than in 2025" in document

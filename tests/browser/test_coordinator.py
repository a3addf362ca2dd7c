"""The coordinator's workspace in the browser: from the work queue to assessed realisations.

Every page state is checked for CSP violations and axe (WCAG 2.1 AA). With WIZZR_SCREENSHOTS set to
a folder, each state is also saved as a screenshot.
"""

import datetime
import os
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from catalogue.models import Region
from contracts.models import Contract
from monitoring.models import Agreement, Realisation
from tests.catalogue.factories import ship_catalogues
from tests.contracts.factories import ContractFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = os.environ.get("WIZZR_SCREENSHOTS", "")


@pytest.fixture(autouse=True)
def private_root(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"


@pytest.fixture(autouse=True)
def shipped_catalogues(transactional_db):
    ship_catalogues()


def shot(page, name: str) -> None:
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, f"coordinator-{name}.png"), full_page=True)


def choose_block(page, name: str) -> None:
    page.get_by_label("Bouwblok", exact=True).select_option(label=page.locator("select[name=block] option", has_text=name).first.inner_text())


def add_agreement(page, block: str, description: str, fields: dict[str, str], value: str) -> None:
    page.get_by_role("link", name="Afspraak toevoegen").click()
    choose_block(page, block)
    page.get_by_label("Omschrijving").fill(description)
    for label, text in fields.items():
        page.get_by_label(label).fill(text)
    expect(page.get_by_test_id("value-preview")).to_have_text(value)
    page.get_by_role("button", name="Afspraak opslaan").click()
    expect(page.get_by_text("De afspraak is opgeslagen.")).to_be_visible()


def add_realisation(page, agreement: str, start: str, end: str, reference: str, hours: str | None, value: str) -> None:
    page.get_by_role("link", name="Realisatie toevoegen").click()
    page.get_by_label("SR-invullingsafspraak").select_option(label=page.locator("select[name=agreement] option", has_text=agreement).first.inner_text())
    page.get_by_label("Periode van").fill(start)
    page.get_by_label("Periode tot en met").fill(end)
    if hours is not None:
        page.get_by_label("Uren per week").fill(hours)
    page.get_by_label("Kenmerk kandidaat").fill(reference)
    expect(page.get_by_test_id("value-preview")).to_have_text(value)
    page.get_by_role("button", name="Realisatie opslaan").click()
    expect(page.get_by_text("De realisatie is opgeslagen en staat klaar om te beoordelen.")).to_be_visible()


def test_the_coordinator_takes_a_new_contract_from_handover_to_assessed_realisations(
    page, live_server, login, check_page, carol, alice, arnhem, renkum, service_point
):
    Region.objects.get(slug="oost-nederland").service_points.add(service_point)
    contract = ContractFactory(
        organisation=arnhem, contract_number="ARN-2026-042", title="Onderhoud openbare ruimte",
        start_date=datetime.date(2026, 1, 1), end_date=datetime.date(2027, 12, 31),
        contract_value=Decimal("250000.00"), handed_over=True, handed_over_by=alice,
    )
    ContractFactory(organisation=renkum, contract_number="REN-2026-007", title="Schoonmaak gemeentehuis", handed_over=True)

    login(page, carol)
    page.get_by_role("link", name="Werkvoorraad").click()
    expect(page.get_by_role("heading", name="Werkvoorraad")).to_be_visible()
    expect(page.get_by_text("2 nieuwe contracten wachten op acceptatie.")).to_be_visible()
    check_page(page)
    shot(page, "work-queue")

    # Filter in place; the state is in the URL.
    page.get_by_label("Opdrachtgever").select_option(label="Gemeente Arnhem")
    expect(page.get_by_text("1 contract gevonden.")).to_be_visible()
    assert f"authority={arnhem.uuid}" in page.url
    expect(page.get_by_role("link", name="REN-2026-007")).to_have_count(0)
    check_page(page)
    shot(page, "work-queue-filtered")

    page.get_by_role("link", name="ARN-2026-042").click()
    expect(page.get_by_role("heading", name="Nieuw overgedragen contract")).to_be_visible()
    check_page(page)
    shot(page, "workspace-new")

    page.get_by_role("button", name="Contract accepteren").click()
    expect(page.get_by_text("U heeft het contract geaccepteerd en volgt het op.")).to_be_visible()
    check_page(page)

    # A refused agreement first: more than 60 hours a week.
    page.get_by_role("link", name="Afspraak toevoegen").click()
    choose_block(page, "Participatiewet, uitkering korter dan 2 jaar")
    page.get_by_label("Omschrijving").fill("Grondwerker uit de Participatiewet")
    page.get_by_label("Uren per week (per persoon)").fill("61")
    page.get_by_label("Aantal maanden").fill("18")
    page.get_by_role("button", name="Afspraak opslaan").click()
    expect(page.get_by_text("Meer dan 60 uur per week is niet mogelijk.")).to_be_visible()
    expect(page.get_by_label("Omschrijving")).to_have_value("Grondwerker uit de Participatiewet")
    check_page(page)
    shot(page, "agreement-refused")
    page.get_by_role("link", name="Annuleren").click()
    assert not Agreement.objects.exists()

    add_agreement(
        page, "Participatiewet, uitkering korter dan 2 jaar", "Grondwerker uit de Participatiewet",
        {"Uren per week (per persoon)": "24", "Aantal maanden": "18"}, "€ 30.000,00",
    )
    add_agreement(
        page, "Werkervaringsplaats", "Twee werkervaringsplaatsen", {"Aantal personen": "2", "Aantal maanden": "6"}, "€ 9.000,00",
    )
    expect(page.get_by_test_id("agreements-total")).to_have_text("€ 39.000,00")
    check_page(page)
    shot(page, "workspace-agreements")

    page.get_by_role("button", name="Afspraken vastleggen").click()
    expect(page.get_by_text("De afspraken zijn vastgelegd.")).to_be_visible()

    add_realisation(page, "Grondwerker", "2026-01-01", "2026-06-30", "GW-01", "36", "€ 15.000,00")
    page.get_by_role("link", name="Realisatie toevoegen").click()
    page.get_by_label("Kenmerk kandidaat").fill("123456782")
    page.get_by_role("button", name="Realisatie opslaan").click()
    expect(page.get_by_text("Dit lijkt op een BSN of ander nummer.")).to_be_visible()
    check_page(page)
    shot(page, "realisation-refused")
    page.get_by_role("link", name="Annuleren").click()
    add_realisation(page, "Twee werkervaringsplaatsen", "2026-01-01", "2026-03-31", "WE-1", None, "€ 2.250,00")
    add_realisation(page, "Grondwerker", "2026-01-01", "2026-03-31", "GW-02", "24", "€ 5.000,00")
    expect(page.get_by_test_id("submitted-total")).to_have_text("€ 22.250,00")
    check_page(page)
    shot(page, "workspace-submitted")

    rows = page.get_by_test_id("realisation-row")
    expect(rows).to_have_count(3)
    for reference in ("GW-01", "WE-1"):
        rows.filter(has_text=reference).get_by_role("link", name="Beoordelen").click()
        check_page(page)
        page.get_by_role("button", name="Goedkeuren").click()
        expect(page.get_by_text("De realisatie is goedgekeurd")).to_be_visible()

    rows.filter(has_text="GW-02").get_by_role("link", name="Beoordelen").click()
    shot(page, "realisation-assess")
    page.get_by_role("button", name="Afwijzen").click()
    expect(page.get_by_text("Geef een reden op waarom de realisatie wordt afgewezen.").first).to_be_visible()
    check_page(page)
    page.get_by_label("Reden van afwijzing").fill("De urenregistratie ontbreekt.")
    page.get_by_role("button", name="Afwijzen").click()
    expect(page.get_by_text("De realisatie is afgewezen.")).to_be_visible()

    expect(page.get_by_test_id("approved-total")).to_have_text("€ 17.250,00")
    expect(page.get_by_test_id("submitted-total")).to_have_text("€ 0,00")
    expect(page.get_by_test_id("planned-total")).to_have_text("€ 39.000,00")
    expect(page.get_by_text("De urenregistratie ontbreekt.")).to_be_visible()
    check_page(page)
    shot(page, "workspace-assessed")

    contract.refresh_from_db()
    assert contract.status == Contract.Status.IN_PROGRESS
    assert sorted(Realisation.objects.values_list("status", flat=True)) == ["approved", "approved", "rejected"]


def test_the_buyers_advisor_reads_the_follow_up_without_change_buttons(
    page, live_server, login, check_page, carol, alice, arnhem, service_point
):
    Region.objects.get(slug="oost-nederland").service_points.add(service_point)
    contract = ContractFactory(organisation=arnhem, contract_number="ARN-9", title="Groenonderhoud", handed_over=True)
    login(page, alice)
    page.wait_for_url(f"{live_server.url}/")
    page.goto(f"{live_server.url}/monitoren/opvolging/{contract.uuid}/")
    expect(page.get_by_role("heading", name="ARN-9 — Groenonderhoud")).to_be_visible()
    expect(page.get_by_role("button", name="Contract accepteren")).to_have_count(0)
    expect(page.get_by_role("link", name="Afspraak toevoegen")).to_have_count(0)
    check_page(page)
    shot(page, "workspace-advisor")

"""Lasting outcomes in the browser: five placements of Arnhem's contract ended a year ago; the real daily
task asks the supplier contact, who answers each question in the portal (an empty answer is refused by
the field first); the buyer's consolidated view and contract page then show the share still at work, and
the coordinator sees the answers per placement.

Moving a live server through time is impractical, so the placements are made with a past end date and
the task runs on today. Every page state is checked for CSP violations and axe (WCAG 2.1 AA). With
WIZZR_SCREENSHOTS set to a folder, each state is also saved as a screenshot.
"""

import os
import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from catalogue.models import Region
from monitoring import services as monitoring_services
from monitoring.models import LastingOutcome
from portal import services as portal_services
from portal.tasks import request_lasting_outcomes
from tests.catalogue.factories import ship_catalogues
from tests.contracts.factories import ContractFactory, SupplierFactory
from tests.factories import member
from tests.monitoring.factories import agreement_for, realisation_for
from tests.portal.conftest import invite
from wizzr.models import OutboxMessage, Role
from wizzr.units import add_months

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = os.environ.get("WIZZR_SCREENSHOTS", "")
ANSWERS = {
    "KV-01": "Aan het werk bij deze werkgever",
    "KV-02": "Aan het werk bij een andere werkgever",
    "KV-03": "Aan het werk bij een andere werkgever",
    "KV-04": "Niet aan het werk",
    "KV-05": "Niet bekend",
}


@pytest.fixture(autouse=True)
def private_root(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"


@pytest.fixture(autouse=True)
def shipped_catalogues(transactional_db):
    ship_catalogues()


def shot(page, name: str) -> None:
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, f"lasting-{name}.png"), full_page=True)


def visit(page, check_page, name: str) -> None:
    check_page(page)
    shot(page, name)


@pytest.fixture
def contract(arnhem, alice, carol, service_point):
    """Arnhem's contract, two years under way, with five approved placements that ended a year and a
    few days ago, and its supplier contact invited."""
    Region.objects.get(slug="oost-nederland").service_points.add(service_point)
    today = timezone.localdate()
    start = add_months(today.replace(day=1), -24)
    contract = ContractFactory(
        organisation=arnhem, contract_number="ARN-2025-300", title="Groenonderhoud wijken",
        start_date=start, end_date=add_months(start, 36) - timedelta(days=1), contract_value=Decimal("400000.00"),
        supplier=SupplierFactory(legal_name="Groenbedrijf Testmans B.V."), handed_over=True, handed_over_by=alice,
    )
    contract.contact_persons.add(alice)
    monitoring_services.contract_accept(contract=contract, by=carol)
    block = monitoring_services.follow_up_for(contract=contract).catalogue_version.blocks.get(
        name="Participatiewet, uitkering korter dan 2 jaar"
    )
    agreement = agreement_for(contract, block, description="Vijf banen in de buitendienst", by=carol, persons=5,
                              hours_per_week=Decimal("32"), months=Decimal("6"))
    monitoring_services.agreements_record(contract=contract, by=carol)
    end = add_months(today, -12) - timedelta(days=5)
    for reference in ANSWERS:
        realisation = realisation_for(
            contract, agreement=agreement, by=carol, period_start=add_months(end, -6) + timedelta(days=1),
            period_end=end, candidate_reference=reference, hours_per_week=Decimal("32"),
        )
        monitoring_services.realisation_assess(realisation=realisation, decision="approved", by=carol)
    contract.refresh_from_db()
    return contract


@pytest.fixture
def sam(contract):
    company = portal_services.supplier_organisation_for(contract=contract)
    user = member("sam@testmans.example", company, Role.SUPPLIER, name="Sam Bouwer")
    invite(contract, user)
    return user


def switch_user(page, login, user):
    page.context.clear_cookies()
    login(page, user)
    expect(page.get_by_role("heading", name=re.compile("Welkom"))).to_be_visible()


def test_the_supplier_answers_and_the_buyer_sees_the_share_still_at_work(
    page, live_server, login, check_page, contract, sam, alice, carol
):
    base = live_server.url
    counts = request_lasting_outcomes()  # the real daily task, on today
    assert counts == {"created": 5, "requested": 5, "reminded": 0}
    assert OutboxMessage.objects.filter(template="lasting_outcome_requested", to_email=sam.email, channel="email").count() == 1

    # The supplier contact sees the questions on the portal's start page and answers each.
    switch_user(page, login, sam)
    page.goto(f"{base}/leverancier/")
    questions = page.get_by_test_id("lasting-question")
    expect(questions).to_have_count(5)
    visit(page, check_page, "01-portal-home")
    for n, (reference, answer) in enumerate(ANSWERS.items()):
        page.get_by_role("link", name=re.compile(f"is kandidaat {reference} 12 maanden na de plaatsing")).click()
        expect(page.get_by_role("heading", name="Nog aan het werk na 12 maanden?")).to_be_visible()
        expect(page.get_by_test_id("lasting-placement")).to_contain_text(reference)
        if n == 0:
            visit(page, check_page, "02-portal-form")
            page.get_by_role("button", name="Antwoord versturen").click()
            expect(page.locator("#id_answer_error")).to_have_text("Kies of de kandidaat nog aan het werk is.")
            visit(page, check_page, "03-portal-form-error")
        page.get_by_label(answer, exact=True).check()
        page.get_by_role("button", name="Antwoord versturen").click()
        expect(page.get_by_text("Dank u wel. Uw antwoord is vastgelegd.")).to_be_visible()
        page.goto(f"{base}/leverancier/")
    expect(questions).to_have_count(0)
    assert sorted(LastingOutcome.objects.values_list("answer", flat=True)) == [
        "elsewhere", "elsewhere", "not_employed", "unknown", "with_employer",
    ]
    page.goto(f"{base}/leverancier/contracten/{contract.uuid}/")
    expect(page.get_by_test_id("lasting-questions")).to_contain_text("Niet bekend".lower())
    visit(page, check_page, "04-portal-contract")

    # The buyer: the consolidated view and the contract page show the share, with not known apart.
    switch_user(page, login, alice)
    page.goto(f"{base}/monitoren/geconsolideerd/")
    share = page.get_by_test_id("lasting-share-12")
    expect(share).to_contain_text("Na 12 maanden nog aan het werk: 3 van 4 (75 %)")
    expect(share).to_contain_text("1 keer ‘niet bekend’")
    expect(page.get_by_text("‘Niet bekend’ en vragen die nog niet zijn beantwoord tellen niet mee")).to_be_visible()
    page.locator("#blijvend-resultaat").scroll_into_view_if_needed()
    visit(page, check_page, "05-consolidated")
    page.goto(f"{base}/monitoren/contracten/{contract.uuid}/")
    expect(page.get_by_test_id("lasting-share-12")).to_contain_text("3 van 4 (75 %)")
    visit(page, check_page, "06-buyer-contract")

    # The coordinator sees the answers per placement.
    switch_user(page, login, carol)
    page.goto(f"{base}/monitoren/opvolging/{contract.uuid}/")
    page.get_by_role("link", name="Blijvend resultaat: nog aan het werk na 6 en 12 maanden").click()
    table = page.get_by_test_id("lasting-outcomes")
    expect(table).to_contain_text("KV-04")
    expect(table).to_contain_text("Niet aan het werk")
    visit(page, check_page, "07-coordinator")

"""The Kennisbank and the help desk in a real browser, with axe and CSP checks on every page state."""

import os
import re

import pytest
from playwright.sync_api import expect

from knowledgebase.content import load_shipped
from knowledgebase.models import Article, Category, HelpRequest
from tests.catalogue.factories import ship_catalogues
from tests.contracts.factories import ContractFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Set WIZZR_SCREENSHOTS to a folder to keep a screenshot of every page state.
SHOTS = os.environ.get("WIZZR_SCREENSHOTS", "")


@pytest.fixture
def articles(db):
    """The shipped articles and a catalogue: transactional tests empty what the data migrations filled."""
    load_shipped(article_model=Article, category_model=Category)
    ship_catalogues()


def shot(page, name: str) -> None:
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, f"knowledgebase-{name}.png"), full_page=True)


def log_in_as(page, login, live_server, user) -> None:
    page.context.clear_cookies()
    login(page, user)
    page.wait_for_url(f"{live_server.url}/")


def test_robot_button_search_open_article_and_give_feedback(page, live_server, login, alice, articles, check_page):
    log_in_as(page, login, live_server, alice)
    page.locator("a.wizzr-robot").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Kennisbank")
    expect(page.get_by_role("heading", name="Onderwerpen")).to_be_visible()
    expect(page.get_by_role("heading", name="Meest gelezen")).to_be_visible()
    check_page(page)
    shot(page, "01-index")

    page.get_by_label("Zoek in de kennisbank").press_sequentially("bouwblokken", delay=30)
    first_hit = page.locator(".kb-hit").first
    expect(first_hit).to_contain_text("Het bouwblokkenmodel")
    expect(page).to_have_url(re.compile(r"\?q=bouwblokken$"))
    expect(page.locator("#kb-status")).to_contain_text("gevonden voor ‘bouwblokken’")
    expect(first_hit.locator("mark").first).to_be_visible()
    check_page(page)
    shot(page, "02-results")

    first_hit.get_by_role("link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Het bouwblokkenmodel")
    expect(page.locator(".kb-prose table").first).to_contain_text("Participatiewet, uitkering korter dan 2 jaar")
    check_page(page)
    shot(page, "03-article")

    page.get_by_label("Ja", exact=True).check()
    page.get_by_label("Opmerking").fill("Duidelijk, met het rekenvoorbeeld erbij.")
    page.get_by_role("button", name="Versturen").click()
    expect(page.get_by_text("Bedankt voor uw reactie.")).to_be_visible()
    expect(page.get_by_text("U vond dit artikel nuttig.")).to_be_visible()
    check_page(page)
    shot(page, "04-feedback")

    page.go_back()
    page.goto(f"{live_server.url}/kennisbank/?q=bouwblokkn")
    expect(page.locator(".kb-result-count")).to_contain_text("Bedoelde u")
    expect(page.locator(".kb-hit").first).to_contain_text("bouwblokkenmodel")
    check_page(page)
    shot(page, "05-typo")

    page.get_by_label("Zoek in de kennisbank").fill("qqzzyyxx")
    expect(page.locator(".kb-result-count")).to_contain_text("Geen artikelen gevonden")
    check_page(page)
    page.get_by_label("Zoek in de kennisbank").fill("")
    expect(page.get_by_role("heading", name="Onderwerpen")).to_be_visible()

    page.goto(f"{live_server.url}/kennisbank/artikel/bouwblokkenmodel/")
    page.get_by_role("button", name="English").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("The building-block model")
    check_page(page)
    shot(page, "06-article-english")


def test_ask_about_a_contract_the_coordinator_answers_and_the_asker_reads_it(
    page, live_server, login, alice, carol, arnhem, articles, check_page
):
    ContractFactory(organisation=arnhem, contract_number="ARN-2026-014", title="Groenonderhoud wijk Presikhaaf", handed_over=True)
    ContractFactory(organisation=arnhem, contract_number="ARN-2026-015", title="Groenonderhoud wijk Malburgen", handed_over=True)
    log_in_as(page, login, live_server, alice)
    page.goto(f"{live_server.url}/kennisbank/")
    page.get_by_role("link", name="Stel een hulpvraag").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Stel een hulpvraag")
    check_page(page)
    shot(page, "10-form")

    page.get_by_role("button", name="Hulpvraag versturen").click()
    expect(page.get_by_text("Vul een onderwerp in.")).to_be_visible()
    check_page(page)
    shot(page, "11-form-errors")

    page.get_by_label("Onderwerp").fill("Telt een stage bij de onderaannemer mee?")
    page.get_by_label("Categorie").select_option(label="Social return en bouwblokken")
    # The contract picker: typed, chosen with the keyboard (an authority can have 10,000 contracts).
    picker = page.get_by_role("combobox", name="Inkoopcontract")
    picker.press_sequentially("presikhaaf", delay=30)
    option = page.get_by_role("option", name="ARN-2026-014 — Groenonderhoud wijk Presikhaaf")
    expect(option).to_be_visible()
    expect(page.locator("#id_contract_listbox [role=option]")).to_have_count(1)  # ARN-2026-015: another district
    check_page(page)
    shot(page, "11b-contract-picker-open")
    picker.press("ArrowDown")
    picker.press("Enter")
    expect(picker).to_have_value("ARN-2026-014 — Groenonderhoud wijk Presikhaaf")
    page.get_by_label("Uw vraag").fill("De opdrachtnemer wil een stagiair laten werken bij een onderaannemer.\nTelt dat mee?")
    expect(page.locator(".kb-counter")).to_contain_text("tekens over")
    page.get_by_role("button", name="Hulpvraag versturen").click()
    expect(page.get_by_text("Uw hulpvraag is verstuurd.")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text("Telt een stage bij de onderaannemer mee?")
    check_page(page)
    shot(page, "12-asker-detail")

    log_in_as(page, login, live_server, carol)
    page.goto(f"{live_server.url}/kennisbank/")
    page.get_by_role("link", name="Hulpvragen voor het steunpunt").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Hulpvragen voor het steunpunt")
    check_page(page)
    shot(page, "13-queue")
    page.get_by_role("link", name="Telt een stage bij de onderaannemer mee?").click()
    expect(page.get_by_text("ARN-2026-014 — Groenonderhoud wijk Presikhaaf")).to_be_visible()
    check_page(page)
    shot(page, "14-coordinator-detail")
    page.get_by_label("Uw reactie").fill("Ja, als de stagiair aan uw opdracht werkt. Kies het bouwblok Werkervaringsplaats.")
    page.get_by_label("Status na deze reactie").select_option(label="Beantwoord")
    page.get_by_role("button", name="Reactie plaatsen").click()
    expect(page.get_by_text("Uw reactie is geplaatst.")).to_be_visible()
    check_page(page)

    log_in_as(page, login, live_server, alice)
    expect(page.get_by_test_id("notification-badge")).to_be_visible()
    page.goto(f"{live_server.url}/kennisbank/hulpvragen/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Mijn hulpvragen")
    expect(page.locator(".kb-status--answered")).to_be_visible()
    check_page(page)
    shot(page, "15-my-requests")
    page.get_by_role("link", name="Telt een stage bij de onderaannemer mee?").click()
    expect(page.get_by_text("Kies het bouwblok Werkervaringsplaats.")).to_be_visible()
    check_page(page)
    shot(page, "16-asker-answer")
    asked = HelpRequest.objects.get()
    assert asked.status == "answered" and asked.contract.contract_number == "ARN-2026-014"


def test_pass_on_a_change_and_the_coordinator_applies_it(page, live_server, login, alice, carol, arnhem, check_page):
    contract = ContractFactory(organisation=arnhem, contract_number="ARN-2026-020", title="Schoonmaak stadhuis", handed_over=True)
    log_in_as(page, login, live_server, alice)
    page.goto(f"{live_server.url}/kennisbank/hulpvragen/wijziging/{contract.uuid}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Wijziging doorgeven")
    expect(page.get_by_text("Schoonmaak stadhuis")).to_be_visible()
    check_page(page)
    shot(page, "20-change-form")
    page.get_by_label("Welke wijziging wilt u doorgeven?").fill("Het contract is verlengd tot en met 31 december 2028.")
    page.get_by_role("button", name="Wijziging doorgeven").click()
    expect(page.get_by_text("Uw wijziging is doorgegeven")).to_be_visible()
    check_page(page)

    log_in_as(page, login, live_server, carol)
    page.goto(f"{live_server.url}/kennisbank/hulpvragen/steunpunt/")
    page.get_by_role("link", name="Wijziging ARN-2026-020").click()
    page.get_by_role("link", name="Wijziging doorvoeren").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Wijziging doorvoeren")
    check_page(page)
    shot(page, "21-apply-form")
    page.get_by_label("Einddatum").fill("2028-12-31")
    page.get_by_role("button", name="Wijziging doorvoeren").click()
    expect(page.get_by_text("De wijziging is doorgevoerd en staat op de tijdlijn")).to_be_visible()
    expect(page.locator(".kb-message--service-point")).to_contain_text("31 december 2028")
    check_page(page)
    shot(page, "22-applied")
    contract.refresh_from_db()
    assert contract.end_date.isoformat() == "2028-12-31"


def test_a_full_contract_list_scrolls_and_no_option_is_clipped_on_a_phone(page, live_server, login, alice, arnhem):
    for n in range(14):
        ContractFactory(organisation=arnhem, contract_number=f"ARN-2026-{n:03d}",
                        title=f"Groenonderhoud wijk {n} met een titel die op een telefoon over twee regels loopt",
                        handed_over=True)
    page.set_viewport_size({"width": 375, "height": 800})
    log_in_as(page, login, live_server, alice)
    page.goto(f"{live_server.url}/kennisbank/hulpvragen/nieuw/")
    page.get_by_role("combobox", name="Inkoopcontract").press_sequentially("groen", delay=30)
    options = page.locator("#id_contract_listbox [role=option]")
    expect(options).to_have_count(10)
    expect(page.locator("#id_contract_more")).to_have_text("Nog 4 inkoopcontracten — typ meer van het nummer of de titel")
    sizes = options.evaluate_all("els => els.map(e => [e.scrollHeight, e.clientHeight])")
    assert all(scroll <= client for scroll, client in sizes), sizes  # every line of every option shows
    listbox = page.locator("#id_contract_listbox")
    assert listbox.evaluate("l => l.scrollHeight > l.clientHeight")  # the list scrolls instead
    shot(page, "17-contract-picker-phone")

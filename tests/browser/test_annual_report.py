"""SROI-jaarrapportage in a real browser: from the consolidated figures to the annual report, a refused
year beside the field, and the PDF download. Every state is checked for CSP violations, axe and
HTML_CodeSniffer."""

import io
import os

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from tests.monitoring_buyer import conftest as buyer_fixtures

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = os.environ.get("WIZZR_SCREENSHOTS", "")
portfolio = buyer_fixtures.portfolio  # the seeded contracts (see tests/monitoring_buyer/conftest.py)


def test_an_advisor_opens_the_annual_report_and_downloads_it_as_pdf(
    page, live_server, login, alice, portfolio, check_page
):
    login(page, alice)
    page.wait_for_url(f"{live_server.url}/")
    page.goto(f"{live_server.url}/monitoren/geconsolideerd/")
    page.get_by_role("link", name="SROI-jaarrapportage voor bestuur en raad (ook als PDF)").click()
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_have_text("SROI-jaarrapportage 2026")
    expect(page.get_by_test_id("summary")).to_contain_text("van de verplichting gerealiseerd")
    expect(page.get_by_role("table", name="Ontwikkeling over vijf jaar")).to_be_visible()
    check_page(page)
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, "annual-report.png"), full_page=True)

    page.get_by_role("textbox", name="Jaar").fill("abc")
    page.get_by_role("button", name="Rapportage tonen").click()
    expect(page.get_by_text("Vul een jaartal in, bijvoorbeeld 2026.")).to_be_visible()
    expect(page.get_by_role("textbox", name="Jaar")).to_have_attribute("aria-invalid", "true")
    check_page(page)

    page.get_by_role("textbox", name="Jaar").fill("2019")
    page.get_by_role("button", name="Rapportage tonen").click()
    expect(page.get_by_text("In 2019 had Gemeente Arnhem geen inkoopcontracten met een SROI-verplichting.")).to_be_visible()
    check_page(page)

    page.get_by_role("textbox", name="Jaar").fill("2026")
    page.get_by_role("button", name="Rapportage tonen").click()
    with page.expect_download() as info:
        page.get_by_role("link", name="Download als PDF").click()
    download = info.value
    assert download.suggested_filename == "sroi-jaarrapportage-gemeente-arnhem-2026.pdf"
    reader = PdfReader(io.BytesIO(open(download.path(), "rb").read()))
    content = " ".join(p.extract_text() for p in reader.pages)
    assert "SROI-jaarrapportage 2026" in content and "Gemeente Arnhem" in content
    if SHOTS:
        download.save_as(os.path.join(SHOTS, "annual-report.pdf"))

"""Bijlagen in the browser: a refused upload and removing through htmx, checked with axe and CSP."""

import os

import pytest
from playwright.sync_api import expect

from contracts.models import Attachment
from tests.contracts import samples
from tests.contracts.factories import AttachmentFactory, ContractFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = os.environ.get("WIZZR_SCREENSHOTS", "")


@pytest.fixture(autouse=True)
def private_root(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"


def test_a_refused_upload_explains_why_and_a_removal_updates_the_list_in_place(page, live_server, login, check_page, alice, arnhem):
    contract = ContractFactory(organisation=arnhem, contract_number="ARN-7", title="Schoonmaak stadhuis")
    AttachmentFactory(contract=contract, display_name="blijft.pdf", uploaded_by=alice)
    AttachmentFactory(contract=contract, display_name="weg.pdf", uploaded_by=alice)
    login(page, alice)
    page.goto(f"{live_server.url}/contracten/{contract.uuid}/bijlagen/")

    page.get_by_label("Bestand 1").set_input_files(
        files=[{"name": "factuur.pdf", "mimeType": "application/pdf", "buffer": samples.EXE}]
    )
    page.get_by_role("button", name="Bijlagen toevoegen").click()
    expect(page.get_by_role("alert")).to_contain_text("De inhoud van “factuur.pdf” past niet bij een PDF-bestand.")
    check_page(page)
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, "contract-attachments-refused.png"), full_page=True)

    page.get_by_role("button", name="Verwijderen weg.pdf").click()
    expect(page.get_by_role("link", name="weg.pdf")).to_have_count(0)
    expect(page.get_by_role("link", name="blijft.pdf")).to_be_visible()
    check_page(page)
    assert list(Attachment.objects.values_list("display_name", flat=True)) == ["blijft.pdf"]

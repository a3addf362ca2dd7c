"""Bijlagen in the browser: a PDF carrying the EICAR test string is refused by the real clamd."""

import re

import pytest
from playwright.sync_api import expect

from contracts.models import Attachment
from tests.clamd import SIGNATURE, eicar_pdf
from tests.contracts.factories import ContractFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def private_root(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"


def test_an_infected_attachment_is_refused_with_a_message_by_the_field(page, live_server, login, check_page, alice, arnhem, clamd_scanner):
    contract = ContractFactory(organisation=arnhem, contract_number="ARN-8", title="Groenonderhoud")
    login(page, alice)
    page.goto(f"{live_server.url}/contracten/{contract.uuid}/bijlagen/")
    expect(page.get_by_text("Bestanden worden niet op virussen gecontroleerd")).to_have_count(0)

    field = page.get_by_label("Bestand 1")
    field.set_input_files(files=[{"name": "offerte.pdf", "mimeType": "application/pdf", "buffer": eicar_pdf()}])
    page.get_by_role("button", name="Bijlagen toevoegen").click()
    message = f"Het bestand ‘offerte.pdf’ bevat mogelijk een virus ({SIGNATURE}) en is geweigerd."
    expect(page.get_by_role("alert")).to_contain_text(message)
    # The message belongs to the field: it is part of the file input's accessible description.
    expect(page.get_by_label("Bestand 1")).to_have_accessible_description(re.compile(re.escape(message)))
    check_page(page)
    assert not Attachment.objects.exists()

"""The buyer's attachments on the coordinator's workspace: listed with name, size, who and when,
downloaded through the contracts app's visibility check; another service point gets 404."""

import datetime
import re
from html import unescape

import pytest
from django.urls import reverse

from tests.contracts.factories import AttachmentFactory
from tests.factories import ServicePointFactory, member
from wizzr.models import Role

pytestmark = pytest.mark.django_db

CONTENT = b"%PDF-1.7\n" + b"x" * 2000 + b"\n%%EOF\n"
ADDED_AT = datetime.datetime(2026, 3, 5, 13, 45, tzinfo=datetime.UTC)  # 14:45 in Amsterdam


@pytest.fixture
def attachment(contract, alice):
    return AttachmentFactory(
        contract=contract, display_name="bestek-sroi-paragraaf.pdf", uploaded_by=alice, uploaded_at=ADDED_AT,
        content=CONTENT,
    )


@pytest.fixture
def stranger(db):
    """A coordinator of a service point that does not serve Arnhem."""
    return member("noor@steunpunt-noord.example", ServicePointFactory(name="Steunpunt Noord"), Role.COORDINATOR)


def section(html: str) -> str:
    """The Bijlagen section as a reader sees it (tags removed, entities resolved, spaces collapsed)."""
    part = html.split('id="attachments-title"', 1)[1].split("</section>", 1)[0]
    return re.sub(r"[ \t\n]+", " ", unescape(re.sub(r"<[^>]+>", " ", part))).strip()


def download_url(attachment) -> str:
    return reverse("contracts:attachment_download", args=[attachment.contract.uuid, attachment.uuid])


def test_the_coordinator_sees_the_buyers_attachments_with_size_who_and_when(client, carol, attachment):
    client.force_login(carol)
    html = client.get(reverse("monitoring:workspace", args=[attachment.contract.uuid])).content.decode()
    assert f'href="{download_url(attachment)}"' in html
    shown = section(html)
    assert "bestek-sroi-paragraaf.pdf" in shown
    assert "2,0\xa0KB" in shown  # filesizeformat in Dutch, kept on one line
    assert "toegevoegd op 5 maart 2026 14:45 door Alice de Vries" in shown


def test_the_coordinator_downloads_the_attachment(client, carol, attachment):
    client.force_login(carol)
    response = client.get(download_url(attachment))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == CONTENT
    assert response["Content-Disposition"].startswith("attachment;")
    assert "bestek-sroi-paragraaf.pdf" in response["Content-Disposition"]


def test_a_contract_without_attachments_says_so(client, carol, contract):
    client.force_login(carol)
    html = client.get(reverse("monitoring:workspace", args=[contract.uuid])).content.decode()
    assert "De opdrachtgever heeft geen bijlagen toegevoegd." in section(html)


def test_a_coordinator_of_another_service_point_gets_404_for_the_workspace_and_the_download(
    client, stranger, attachment
):
    client.force_login(stranger)
    assert client.get(reverse("monitoring:workspace", args=[attachment.contract.uuid])).status_code == 404
    assert client.get(download_url(attachment)).status_code == 404


def test_the_attachments_of_a_draft_stay_hidden_from_the_coordinator(client, carol, draft, alice):
    attachment = AttachmentFactory(contract=draft, display_name="concept.pdf", uploaded_by=alice)
    client.force_login(carol)
    assert client.get(reverse("monitoring:workspace", args=[draft.uuid])).status_code == 404
    assert client.get(download_url(attachment)).status_code == 404

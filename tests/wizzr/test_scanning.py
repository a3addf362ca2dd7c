"""Uploads are scanned by a real clamd before they are stored or served (see tests/clamd.py).

A file found infected is refused with a message by the field, and nothing of the request is stored.
With the scanner down a file is accepted but held ("wacht op controle") until the periodic re-scan
finds it clean; one found infected then is deleted. Without a configured scanner, uploads are
accepted as before and the upload forms say that nothing is scanned.
"""

from __future__ import annotations

import io
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from contracts.models import Attachment, attachment_root
from monitoring.models import Evidence, Realisation, evidence_root
from tests.clamd import SIGNATURE, clean_pdf, eicar, eicar_pdf
from tests.contracts.factories import ContractFactory
from tests.portal.conftest import (  # noqa: F401 - the supplier portal's fixtures
    accepted,
    contract,
    open_period,
    per_month_block,
    per_year_block,
    periods,
    running,
    sam,
    shipped_catalogues,
    v05,
)
from wizzr import scanning
from wizzr.models import AuditEvent
from wizzr.tasks import rescan_pending_uploads

pytestmark = pytest.mark.django_db

REFUSED = f"Het bestand ‘virus.pdf’ bevat mogelijk een virus ({SIGNATURE}) en is geweigerd."
NO_SCANNER_NOTE = "Bestanden worden niet op virussen gecontroleerd: er is geen virusscanner ingesteld."


@pytest.fixture(autouse=True)
def private_root(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    return settings.PRIVATE_MEDIA_ROOT


@pytest.fixture
def concept(arnhem):
    return ContractFactory(organisation=arnhem, contract_number="INK-1")


def files_in(root) -> list[str]:
    return sorted(p.name for p in root.iterdir()) if root.exists() else []


def pdf(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def add_attachments(client, contract, *files):
    return client.post(reverse("contracts:attachments", args=[contract.uuid]), {"files": list(files)})


def download(client, attachment):
    return client.get(reverse("contracts:attachment_download", args=[attachment.contract.uuid, attachment.uuid]))


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


# The scanner itself ---------------------------------------------------------------------------


def test_the_scanner_names_the_signature_of_an_infected_file(clamd_scanner):
    result = scanning.scan(io.BytesIO(eicar_pdf()))
    assert result.is_infected
    assert result.signature == SIGNATURE


def test_the_scanner_passes_a_clean_file_and_leaves_it_readable_from_the_start(clamd_scanner):
    file = io.BytesIO(clean_pdf())
    assert scanning.scan(file).is_clean
    assert file.read() == clean_pdf()


def test_a_scanner_nobody_listens_on_is_unavailable_and_answers_at_once(clamd_down):
    started = time.monotonic()
    result = scanning.scan(io.BytesIO(eicar_pdf()))
    assert result.outcome == scanning.ScanResult.UNAVAILABLE
    assert time.monotonic() - started < 1


def test_a_tcp_address_that_does_not_answer_is_unavailable_within_the_connect_timeout(settings):
    # A non-routable address: the connection attempt hangs until the short connect timeout.
    settings.CLAMD_URL = "tcp://10.255.255.1:3310"
    started = time.monotonic()
    assert scanning.scan(io.BytesIO(clean_pdf())).outcome == scanning.ScanResult.UNAVAILABLE
    assert time.monotonic() - started < scanning.CONNECT_TIMEOUT + 1


# Refused on upload ----------------------------------------------------------------------------


def test_an_eicar_pdf_is_refused_as_a_contract_attachment_and_nothing_is_stored(client, alice, concept, clamd_scanner):
    client.force_login(alice)
    response = add_attachments(client, concept, pdf("goed.pdf", clean_pdf()), pdf("virus.pdf", eicar_pdf()))
    assert response.status_code == 400
    page = response.content.decode()
    assert REFUSED in page
    assert "Er is niets toegevoegd" in page
    assert not Attachment.objects.exists()
    assert files_in(attachment_root()) == []
    event = AuditEvent.objects.get(action="upload_infected")
    assert event.actor == alice
    assert event.organisation == concept.organisation
    assert event.result == AuditEvent.Result.DENIED
    assert event.detail == {"file_name": "virus.pdf", "signature": SIGNATURE, "stored": False}
    assert eicar().decode() not in str(event.__dict__)


def test_an_eicar_pdf_is_refused_as_supplier_evidence(client, sam, open_period, clamd_scanner):
    client.force_login(sam)
    agreement = open_period.contract.agreements.get()
    data = {
        "agreement": str(agreement.uuid),
        "period_start": open_period.period_start.isoformat(),
        "period_end": open_period.period_end.isoformat(),
        "candidate_reference": "JV-01",
        "evidence": pdf("virus.pdf", eicar_pdf()),
    }
    response = client.post(reverse("portal:realisation_create", args=[open_period.contract.uuid, open_period.uuid]), data)
    assert response.status_code == 400
    assert REFUSED in response.content.decode()
    assert not Realisation.objects.exists() and not Evidence.objects.exists()
    assert files_in(evidence_root()) == []
    assert AuditEvent.objects.get(action="upload_infected").actor == sam


def test_a_clean_pdf_is_accepted_as_clean_and_downloads(client, alice, concept, clamd_scanner):
    client.force_login(alice)
    assert add_attachments(client, concept, pdf("afspraken.pdf", clean_pdf())).status_code == 302
    attachment = Attachment.objects.get()
    assert attachment.scan_status == scanning.ScanStatus.CLEAN
    assert attachment.scanned_at is not None
    response = download(client, attachment)
    assert response.status_code == 200
    assert body(response) == clean_pdf()
    page = client.get(reverse("contracts:attachments", args=[concept.uuid])).content.decode()
    assert "wacht op controle" not in page
    assert NO_SCANNER_NOTE not in page


def test_an_eicar_pdf_is_refused_with_a_help_request_by_the_field(client, alice, carol, clamd_scanner):
    from knowledgebase.models import HelpRequest, HelpRequestAttachment, help_attachment_root

    client.force_login(alice)
    data = {"subject": "Vraag", "question": "Zie de bijlage.", "attachment": pdf("virus.pdf", eicar_pdf())}
    response = client.post(reverse("knowledgebase:help_request_create"), data)
    assert response.status_code == 400
    assert REFUSED in response.content.decode()
    assert 'id="id_attachment_error"' in response.content.decode()
    assert not HelpRequest.objects.exists() and not HelpRequestAttachment.objects.exists()
    assert files_in(help_attachment_root()) == []
    assert AuditEvent.objects.filter(action="upload_infected").count() == 1


# Held while the scanner is down ---------------------------------------------------------------


def test_with_the_scanner_down_a_file_is_held_until_the_rescan_finds_it_clean(
    client, alice, concept, clamd_down, clamd_daemon, settings
):
    client.force_login(alice)
    assert add_attachments(client, concept, pdf("afspraken.pdf", clean_pdf())).status_code == 302
    attachment = Attachment.objects.get()
    assert attachment.scan_status == scanning.ScanStatus.PENDING
    assert attachment.scanned_at is None
    assert files_in(attachment_root()) == [attachment.stored_name]

    page = client.get(reverse("contracts:attachments", args=[concept.uuid])).content.decode()
    assert "afspraken.pdf" in page and "wacht op controle" in page
    assert f'href="{reverse("contracts:attachment_download", args=[concept.uuid, attachment.uuid])}"' not in page
    held = download(client, attachment)
    assert held.status_code == 409
    assert "wacht op controle" in held.content.decode()
    assert clean_pdf() not in held.content
    assert "attachment" not in held.get("Content-Disposition", "")

    # Still down: the periodic task leaves it held.
    assert rescan_pending_uploads.delay().get()["unavailable"] == 1
    attachment.refresh_from_db()
    assert attachment.scan_status == scanning.ScanStatus.PENDING

    settings.CLAMD_URL = clamd_daemon.url
    assert rescan_pending_uploads.delay().get()["clean"] == 1
    attachment.refresh_from_db()
    assert attachment.scan_status == scanning.ScanStatus.CLEAN
    assert attachment.scanned_at is not None
    response = download(client, attachment)
    assert response.status_code == 200
    assert body(response) == clean_pdf()


def test_a_held_file_that_turns_out_infected_is_deleted_and_marked(
    client, alice, concept, clamd_down, clamd_daemon, settings, django_capture_on_commit_callbacks
):
    client.force_login(alice)
    assert add_attachments(client, concept, pdf("virus.pdf", eicar_pdf())).status_code == 302
    attachment = Attachment.objects.get()
    assert attachment.scan_status == scanning.ScanStatus.PENDING

    settings.CLAMD_URL = clamd_daemon.url
    with django_capture_on_commit_callbacks(execute=True):
        assert rescan_pending_uploads.delay().get()["infected"] == 1
    attachment.refresh_from_db()
    assert attachment.scan_status == scanning.ScanStatus.INFECTED
    assert files_in(attachment_root()) == []
    event = AuditEvent.objects.get(action="upload_infected")
    assert event.object_id == str(attachment.uuid)
    assert event.detail == {"file_name": "virus.pdf", "signature": SIGNATURE, "stored": True}
    response = download(client, attachment)
    assert response.status_code == 410
    assert "bevat mogelijk een virus" in response.content.decode()
    page = client.get(reverse("contracts:attachments", args=[concept.uuid])).content.decode()
    assert "geweigerd: bevat mogelijk een virus" in page


def test_held_supplier_evidence_is_not_served_to_the_coordinator_either(client, sam, carol, open_period, clamd_down):
    client.force_login(sam)
    agreement = open_period.contract.agreements.get()
    data = {
        "agreement": str(agreement.uuid),
        "period_start": open_period.period_start.isoformat(),
        "period_end": open_period.period_end.isoformat(),
        "candidate_reference": "JV-01",
        "evidence": pdf("bewijs.pdf", clean_pdf()),
    }
    url = reverse("portal:realisation_create", args=[open_period.contract.uuid, open_period.uuid])
    assert client.post(url, data).status_code == 302
    evidence = Evidence.objects.get()
    assert evidence.scan_status == scanning.ScanStatus.PENDING
    supplier_download = client.get(reverse("portal:evidence", args=[open_period.contract.uuid, evidence.uuid]))
    assert supplier_download.status_code == 409
    client.force_login(carol)
    coordinator_download = client.get(reverse("monitoring:evidence", args=[open_period.contract.uuid, evidence.uuid]))
    assert coordinator_download.status_code == 409
    assert "wacht op controle" in coordinator_download.content.decode()
    assert clean_pdf() not in coordinator_download.content


# Without a scanner ----------------------------------------------------------------------------


def test_without_a_scanner_uploads_are_accepted_unscanned_and_the_form_says_so(client, alice, concept, settings):
    assert settings.CLAMD_URL == ""
    client.force_login(alice)
    page = client.get(reverse("contracts:attachments", args=[concept.uuid])).content.decode()
    assert NO_SCANNER_NOTE in page
    assert add_attachments(client, concept, pdf("afspraken.pdf", clean_pdf())).status_code == 302
    attachment = Attachment.objects.get()
    assert attachment.scan_status == scanning.ScanStatus.UNSCANNED
    assert body(download(client, attachment)) == clean_pdf()


def test_once_a_scanner_is_configured_unscanned_files_wait_for_their_scan(client, alice, concept, clamd_scanner, settings):
    settings.CLAMD_URL = ""
    client.force_login(alice)
    add_attachments(client, concept, pdf("afspraken.pdf", clean_pdf()))
    attachment = Attachment.objects.get()
    settings.CLAMD_URL = clamd_scanner.url
    assert download(client, attachment).status_code == 409
    assert rescan_pending_uploads.delay().get()["clean"] == 1
    assert download(client, attachment).status_code == 200


def test_the_help_request_form_says_when_files_are_not_scanned(client, alice, settings):
    client.force_login(alice)
    page = client.get(reverse("knowledgebase:help_request_create")).content.decode()
    assert NO_SCANNER_NOTE in page
    settings.CLAMD_URL = "unix:///nowhere.sock"
    assert NO_SCANNER_NOTE not in client.get(reverse("knowledgebase:help_request_create")).content.decode()


def test_production_without_a_scanner_is_a_deployment_warning(settings):
    settings.DEBUG, settings.TESTING, settings.CLAMD_URL = False, False, ""
    assert [w.id for w in scanning.check_scanner_configured()] == ["wizzr.W010"]
    settings.CLAMD_URL = "tcp://clamav:3310"
    assert scanning.check_scanner_configured() == []


def test_every_model_holding_uploads_is_rescanned():
    from knowledgebase.models import HelpRequestAttachment
    from suppliers.models import PsoCertificate

    assert set(scanning.registered_models()) == {Attachment, Evidence, HelpRequestAttachment, PsoCertificate}

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError
from django.test import override_settings
from django.test.client import BOUNDARY
from django.urls import reverse

from contracts import services
from contracts.models import Attachment, attachment_root
from tests.contracts import samples
from tests.contracts.factories import AttachmentFactory, ContractFactory
from wizzr.models import AuditEvent

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def private_root(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    return settings.PRIVATE_MEDIA_ROOT


@pytest.fixture
def concept(arnhem):
    return ContractFactory(organisation=arnhem, contract_number="INK-1")


def stored_files() -> list:
    root = attachment_root()
    return sorted(p.name for p in root.iterdir()) if root.exists() else []


def upload(client, contract, *files):
    return client.post(reverse("contracts:attachments", args=[contract.uuid]), {"files": list(files)})


def pdf(name="afspraken.pdf"):
    return SimpleUploadedFile(name, samples.PDF, content_type="application/pdf")


def test_several_files_are_added_at_once_and_listed(client, alice, concept):
    client.force_login(alice)
    response = upload(client, concept, pdf("sroi-afspraken.pdf"), SimpleUploadedFile("begroting.xlsx", samples.xlsx()))
    assert response.status_code == 302
    attachments = list(concept.attachments.order_by("display_name"))
    assert [a.display_name for a in attachments] == ["begroting.xlsx", "sroi-afspraken.pdf"]
    assert {a.organisation_id for a in attachments} == {concept.organisation_id}
    assert attachments[1].size == len(samples.PDF)
    assert attachments[1].content_type == "application/pdf"
    assert attachments[1].uploaded_by == alice
    assert stored_files() == sorted(a.stored_name for a in attachments)
    assert all(name not in a.stored_name for a in attachments for name in ("begroting", "sroi"))
    assert AuditEvent.objects.filter(action="attachment_added").count() == 2
    html = client.get(reverse("contracts:attachments", args=[concept.uuid])).content.decode()
    assert "sroi-afspraken.pdf" in html and "begroting.xlsx" in html
    assert alice.name in html
    assert "bytes" in html or "KB" in html


BAD_FILES = [
    ("leeg.pdf", b"", "“leeg.pdf” is leeg (0 bytes)."),
    ("factuur.pdf", samples.EXE, "De inhoud van “factuur.pdf” past niet bij een PDF-bestand."),
    ("x.pdf.html", samples.HTML, "“x.pdf.html” heeft een bestandstype dat niet is toegestaan."),
    ("logo.svg", samples.SVG, "“logo.svg” heeft een bestandstype dat niet is toegestaan."),
    ("brief.docx", samples.zip_bytes({"a.exe": samples.EXE}), "“brief.docx” is geen geldig Word (DOCX)-bestand."),
]


@pytest.mark.parametrize(("name", "content", "message"), BAD_FILES)
def test_a_bad_file_is_refused_with_a_message_and_nothing_is_stored(client, alice, concept, name, content, message):
    client.force_login(alice)
    response = upload(client, concept, pdf("goed.pdf"), SimpleUploadedFile(name, content))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert "Er is niets toegevoegd" in response.content.decode()
    assert not Attachment.objects.exists()
    assert stored_files() == []


def multipart_with_raw_name(filename: str, content: bytes) -> bytes:
    """A body as a crafted client would send it: Django's test client would clean the name itself."""
    return (
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="files"; filename="{filename}"\r\n'
        f"Content-Type: application/pdf\r\n\r\n"
    ).encode() + content + f"\r\n--{BOUNDARY}--\r\n".encode()


@pytest.mark.parametrize("filename", ["../../etc/evil.pdf", "..\\..\\evil.pdf", "/srv/evil.pdf", ".."])
def test_a_path_in_the_file_name_is_refused(client, alice, concept, filename):
    client.force_login(alice)
    response = client.post(
        reverse("contracts:attachments", args=[concept.uuid]),
        data=multipart_with_raw_name(filename, samples.PDF),
        content_type=f"multipart/form-data; boundary={BOUNDARY}",
    )
    assert response.status_code == 400
    assert "bevat een pad of map" in response.content.decode()
    assert not Attachment.objects.exists()
    assert stored_files() == []


def test_101_files_at_once_are_refused_with_a_message(client, alice, concept):
    client.force_login(alice)
    files = [pdf(f"{n}.pdf") for n in range(101)]
    response = upload(client, concept, *files)
    assert response.status_code == 400
    assert "U kunt maximaal 20 bestanden tegelijk toevoegen." in response.content.decode()
    assert not Attachment.objects.exists()
    assert stored_files() == []


def test_more_files_than_the_limit_per_request_are_refused(client, alice, concept):
    client.force_login(alice)
    response = upload(client, concept, *[pdf(f"{n}.pdf") for n in range(21)])
    assert "U kunt maximaal 20 bestanden tegelijk toevoegen." in response.content.decode()
    assert not Attachment.objects.exists()


@override_settings(UPLOAD_MAX_FILE_BYTES=3000)
def test_a_file_over_the_limit_is_stopped_while_it_streams_in(client, alice, concept):
    client.force_login(alice)
    big = SimpleUploadedFile("groot.pdf", samples.PDF + b"0" * 300_000)
    response = upload(client, concept, big)
    assert response.status_code == 400
    assert "“groot.pdf” is groter dan 0 MB." in response.content.decode()
    assert stored_files() == []


def test_posting_nothing_asks_for_a_file(client, alice, concept):
    client.force_login(alice)
    response = upload(client, concept)
    assert response.status_code == 400
    assert "Kies een of meer bestanden" in response.content.decode()


def test_the_upload_still_checks_csrf(alice, concept):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    assert upload(client, concept, pdf()).status_code == 403
    assert not Attachment.objects.exists()


def test_a_database_failure_leaves_no_file_behind(client, alice, concept, monkeypatch):
    def fail(*args, **kwargs):
        raise IntegrityError("boom")

    monkeypatch.setattr(services, "audit_record", fail)
    client.raise_request_exception = False
    client.force_login(alice)
    response = upload(client, concept, pdf("a.pdf"), pdf("b.pdf"))
    assert response.status_code == 500
    assert not Attachment.objects.exists()
    assert stored_files() == []


def test_attachments_can_be_removed_before_handover(client, alice, concept, django_capture_on_commit_callbacks):
    attachment = AttachmentFactory(contract=concept)
    client.force_login(alice)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("contracts:attachment_remove", args=[concept.uuid, attachment.uuid]))
    assert response.status_code == 302
    assert not Attachment.objects.exists()
    assert stored_files() == []
    assert AuditEvent.objects.filter(action="attachment_removed", object_id=str(attachment.uuid)).exists()


def test_removing_through_htmx_returns_the_updated_list(client, alice, concept):
    keep = AttachmentFactory(contract=concept, display_name="blijft.pdf")
    gone = AttachmentFactory(contract=concept, display_name="weg.pdf")
    client.force_login(alice)
    response = client.post(
        reverse("contracts:attachment_remove", args=[concept.uuid, gone.uuid]), headers={"HX-Request": "true"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "blijft.pdf" in html and "weg.pdf" not in html and "<html" not in html
    assert list(Attachment.objects.all()) == [keep]


def test_after_handover_attachments_can_be_added_but_not_removed(client, alice, arnhem):
    contract = ContractFactory(organisation=arnhem, handed_over=True)
    attachment = AttachmentFactory(contract=contract)
    client.force_login(alice)
    client.post(reverse("contracts:attachment_remove", args=[contract.uuid, attachment.uuid]))
    assert Attachment.objects.filter(pk=attachment.pk).exists()
    html = client.get(reverse("contracts:attachments", args=[contract.uuid])).content.decode()
    assert "Verwijderen" not in html
    assert upload(client, contract, pdf("nagekomen.pdf")).status_code == 302
    assert contract.attachments.count() == 2


def test_the_download_is_a_private_attachment_that_is_never_rendered(client, alice, concept):
    attachment = AttachmentFactory(contract=concept, display_name="SROI afspraken ‘definitief’.pdf")
    client.force_login(alice)
    response = client.get(reverse("contracts:attachment_download", args=[concept.uuid, attachment.uuid]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == samples.PDF[:0] + attachment.path.read_bytes()
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"
    assert response["Content-Security-Policy"].startswith("sandbox")


def test_the_coordinator_downloads_after_handover(client, carol, arnhem):
    attachment = AttachmentFactory(contract=ContractFactory(organisation=arnhem, handed_over=True))
    client.force_login(carol)
    url = reverse("contracts:attachment_download", args=[attachment.contract.uuid, attachment.uuid])
    assert client.get(url).status_code == 200


def test_the_coordinator_cannot_add_attachments(client, carol, arnhem):
    contract = ContractFactory(organisation=arnhem, handed_over=True)
    client.force_login(carol)
    assert upload(client, contract, pdf()).status_code == 403
    assert not Attachment.objects.exists()


def test_an_attachment_of_another_contract_is_404_under_this_contract(client, alice, arnhem, concept):
    other = AttachmentFactory(contract=ContractFactory(organisation=arnhem))
    client.force_login(alice)
    url = reverse("contracts:attachment_download", args=[concept.uuid, other.uuid])
    assert client.get(url).status_code == 404


def test_the_files_live_outside_every_served_folder(settings, concept):
    from pathlib import Path

    attachment = AttachmentFactory(contract=concept)
    served = [Path(settings.STATIC_ROOT).resolve(), *[Path(d if isinstance(d, str | Path) else d[1]).resolve() for d in settings.STATICFILES_DIRS]]
    assert not any(attachment.path.resolve().is_relative_to(folder) for folder in served)

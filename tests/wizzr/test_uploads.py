import pytest
from django.test import override_settings

from tests.contracts import samples
from tests.contracts.samples import upload
from wizzr import uploads
from wizzr.uploads import sanitise_display_name, validate_upload, validate_uploads


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("afspraken.pdf", samples.PDF, "application/pdf"),
        ("afspraken.PDF", samples.PDF, "application/pdf"),
        ("brief.docx", samples.docx(), "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        ("begroting.xlsx", samples.xlsx(), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        ("brief.odt", samples.odt(), "application/vnd.oasis.opendocument.text"),
        ("begroting.ods", samples.ods(), "application/vnd.oasis.opendocument.spreadsheet"),
        ("foto.png", samples.PNG, "image/png"),
        ("foto.jpg", samples.JPG, "image/jpeg"),
        ("foto.jpeg", samples.JPG, "image/jpeg"),
    ],
)
def test_it_accepts_the_allowed_types_and_decides_the_content_type_itself(name, content, content_type):
    result = validate_upload(upload(name, content, "text/html"))
    assert result.content_type == content_type
    assert result.size == len(content)
    assert result.display_name == name


def refusal(name: str, content: bytes) -> str:
    accepted, errors = validate_uploads([upload(name, content)])
    assert accepted == []
    assert len(errors) == 1
    return errors[0]


def test_it_refuses_an_empty_file():
    assert refusal("leeg.pdf", b"") == "“leeg.pdf” is leeg (0 bytes)."


def test_it_refuses_a_program_renamed_to_pdf():
    assert refusal("factuur.pdf", samples.EXE) == "De inhoud van “factuur.pdf” past niet bij een PDF-bestand."


def test_it_refuses_a_double_extension_ending_in_html():
    assert refusal("x.pdf.html", samples.HTML).startswith("“x.pdf.html” heeft een bestandstype dat niet is toegestaan.")


def test_it_refuses_svg_by_extension_and_by_content():
    assert "niet is toegestaan" in refusal("logo.svg", samples.SVG)
    assert refusal("logo.png", samples.SVG) == "De inhoud van “logo.png” past niet bij een PNG-bestand."


@pytest.mark.parametrize("name", ["../../etc/passwd.pdf", "/srv/x.pdf", "C:\\Users\\x.pdf", "C:x.pdf", "..", "a&#47;b.pdf"])
def test_it_recognises_a_path_in_a_name(name):
    assert uploads.has_path(name)


def test_it_refuses_a_name_with_a_path_that_reaches_it():
    assert "bevat een pad of map" in refusal("C:\\Users\\x.pdf", samples.PDF)


def test_it_refuses_a_file_without_extension():
    assert "niet is toegestaan" in refusal("afspraken", samples.PDF)


def test_it_refuses_a_zip_renamed_to_docx():
    assert refusal("brief.docx", samples.zip_bytes({"evil.exe": samples.EXE})) == "“brief.docx” is geen geldig Word (DOCX)-bestand."


def test_it_refuses_a_docx_with_macros():
    content = samples.zip_bytes({"[Content_Types].xml": b"", "word/document.xml": b"", "word/vbaProject.bin": b"x"})
    assert "macro's" in refusal("brief.docx", content)


def test_it_refuses_an_ods_that_says_it_is_a_text_document():
    assert "geen geldig" in refusal("rekenblad.ods", samples.odt())


def test_it_refuses_a_truncated_zip():
    assert "geen geldig" in refusal("brief.docx", samples.docx()[:40])


def test_it_refuses_a_container_with_too_many_entries(monkeypatch):
    monkeypatch.setattr(uploads, "MAX_ZIP_ENTRIES", 3)
    content = samples.zip_bytes({"[Content_Types].xml": b"", "word/document.xml": b"", "a": b"", "b": b""})
    assert "te veel onderdelen" in refusal("brief.docx", content)


def test_it_refuses_a_container_that_unpacks_too_big(monkeypatch):
    monkeypatch.setattr(uploads, "MAX_ZIP_UNCOMPRESSED_BYTES", 1024 * 1024)
    content = samples.zip_bytes({"[Content_Types].xml": b"", "word/document.xml": b"0" * (2 * 1024 * 1024)})
    assert len(content) < 10_000
    assert "uitgepakt groter" in refusal("brief.docx", content)


@override_settings(UPLOAD_MAX_FILE_BYTES=1000)
def test_it_refuses_a_file_over_the_size_limit():
    assert refusal("groot.pdf", samples.PDF + b"0" * 1000) == "“groot.pdf” is groter dan 0 MB."


@override_settings(UPLOAD_MAX_FILES_PER_REQUEST=2)
def test_it_refuses_more_files_than_allowed_per_request():
    accepted, errors = validate_uploads([upload(f"{n}.pdf", samples.PDF) for n in range(3)])
    assert accepted == []
    assert errors == ["U kunt maximaal 2 bestanden tegelijk toevoegen."]


def test_one_bad_file_refuses_the_whole_batch_with_one_message_per_bad_file():
    files = [upload("goed.pdf", samples.PDF), upload("leeg.pdf", b""), upload("x.svg", samples.SVG)]
    accepted, errors = validate_uploads(files)
    assert accepted == []
    assert len(errors) == 2


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("rapport\u202egpj.pdf", "rapportgpj.pdf"),
        ("a\x00b\x1f.pdf", "ab.pdf"),
        ('what?"<x>.pdf', "what___x_.pdf"),
        ("  ..verborgen.pdf  ", "verborgen.pdf"),
        ("\u200b", "bijlage"),
        ("a" * 300 + ".docx", "a" * 195 + ".docx"),
    ],
)
def test_display_names_are_sanitised(raw, clean):
    assert sanitise_display_name(raw) == clean

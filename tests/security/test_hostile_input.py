"""Hostile input across the product: each case asserts the safe outcome, that nothing was stored half,
and that no request ends in a 500.

Runs in the seeded world of ``conftest.build_world`` (alice advises Arnhem, bob Renkum, carol coordinates
their service point, frank another one, erin administers Arnhem, sam is the invited supplier contact).
The two cases that need real concurrency live in ``test_races.py``.
"""

from __future__ import annotations

import csv
import io

import pytest
from django.core import mail
from django.test import Client, override_settings
from django.urls import reverse
from openpyxl import load_workbook

from contracts.models import Attachment, Contract
from knowledgebase.models import HelpRequest
from monitoring.models import ContractFollowUp, Realisation
from tests.contracts import samples
from tests.factories import PASSWORD, mark_reauthenticated
from wizzr import uploads
from wizzr.models import AuditEvent, Invitation, OutboxMessage

SCRIPT = '<script>alert("x")</script>'
TEMPLATE = "{{ 7*7777 }}{% debug %}"  # evaluated, it would read 54439 and dump the context
HOSTILE = f"{SCRIPT} {TEMPLATE}"
ESCAPED = "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;"


def login(client, user):
    client.force_login(user)
    return client


reauthenticate = mark_reauthenticated  # bulk exports ask for the password again


def contract_data(w, **overrides) -> dict:
    data = {
        "contract_number": "INK-2026-777",
        "title": "Groenonderhoud stadsparken",
        "start_date": "2026-03-01",
        "end_date": "2028-02-29",
        "supplier": str(w["contract"].supplier.uuid),
        "sroi_percentage": "5",
        "contract_value": "100000",
    }
    data.update(overrides)
    return data


def create(client, w, **overrides):
    return client.post(reverse("contracts:create"), contract_data(w, **overrides))


def no_new_contract(w) -> bool:
    return not Contract.objects.filter(contract_number="INK-2026-777").exists()


def attach(client, w, *files):
    return client.post(reverse("contracts:attachments", args=[w["draft"].uuid]), {"files": list(files)})


# --- ids of another tenant in URLs, POST bodies and filters -------------------------------------------------


def test_a_help_request_about_another_tenants_contract_is_refused_and_not_stored(client, w):
    login(client, w["bob"])
    response = client.post(
        reverse("knowledgebase:help_request_create"),
        {"subject": "Vraag", "question": "Wat is dit?", "category": w["category"].pk, "contract": str(w["contract"].uuid)},
    )
    assert response.status_code == 400
    assert list(response.context["form"].errors) == ["contract"]
    assert not HelpRequest.objects.filter(asker=w["bob"]).exists()


def test_a_change_request_on_another_tenants_contract_is_404_and_not_stored(client, w):
    login(client, w["dave"])
    response = client.post(
        reverse("knowledgebase:change_request_create", args=[w["contract"].uuid]), {"subject": "x", "question": "y"}
    )
    assert response.status_code == 404
    assert not HelpRequest.objects.filter(asker=w["dave"]).exists()


def test_filtering_the_contract_list_on_another_tenants_supplier_shows_nothing_of_theirs(client, w):
    login(client, w["bob"])
    supplier = w["contract"].supplier
    response = client.get(reverse("monitoring:individual"), {"supplier": str(supplier.uuid)}, headers={"HX-Request": "true"})
    assert response.status_code in (200, 400)
    assert "INK-2026-0042" not in response.content.decode()


def test_filtering_the_contract_list_on_another_tenants_organisation_shows_nothing_of_theirs(client, w):
    login(client, w["dave"])
    response = client.get(reverse("monitoring:individual"), {"organisation": str(w["arnhem"].uuid)})
    assert response.status_code in (200, 400)
    assert "INK-2026-0042" not in response.content.decode()


def test_a_coordinator_of_another_service_point_cannot_be_assigned(client, w):
    login(client, w["carol"])
    before = ContractFollowUp.objects.get(contract=w["contract"]).coordinator_id
    response = client.post(reverse("monitoring:assign", args=[w["contract"].uuid]), {"coordinator": str(w["frank"].uuid)})
    assert response.status_code == 302
    assert ContractFollowUp.objects.get(contract=w["contract"]).coordinator_id == before


def test_a_contact_person_of_another_tenant_is_not_stored_on_a_contract(client, w):
    login(client, w["alice"])
    response = create(client, w, contact_persons=[str(w["bob"].uuid)])
    assert response.status_code in (302, 400)
    contract = Contract.objects.filter(contract_number="INK-2026-777").first()
    assert contract is None or w["bob"] not in contract.contact_persons.all()


def test_an_attachment_of_another_contract_cannot_be_removed_through_this_contract(client, w):
    login(client, w["alice"])
    response = client.post(reverse("contracts:attachment_remove", args=[w["draft"].uuid, w["attachment"].uuid]))
    assert response.status_code == 404
    assert Attachment.objects.filter(pk=w["attachment"].pk).exists()


def test_a_supplier_cannot_open_evidence_through_the_contract_they_were_invited_to(client, w):
    """uma is invited to another contract of the same company; sam's evidence through her contract's URL is 404."""
    login(client, w["uma"])
    own = w["same_company_contract"]
    assert client.get(reverse("portal:contract", args=[own.uuid])).status_code == 200
    response = client.get(reverse("portal:evidence", args=[own.uuid, w["evidence"].uuid]))
    assert response.status_code == 404


# --- extra POST fields ----------------------------------------------------------------------------------------


def test_extra_fields_on_a_new_contract_do_not_choose_its_tenant_status_or_owner(client, w):
    login(client, w["alice"])
    response = create(
        client, w, organisation=str(w["renkum"].uuid), status="handed_over", organisation_id=str(w["renkum"].pk),
        created_by=str(w["staff"].pk), is_staff="on",
    )
    assert response.status_code in (302, 400)
    assert not Contract.objects.filter(contract_number="INK-2026-777", organisation=w["renkum"]).exists()
    stored = Contract.objects.filter(contract_number="INK-2026-777").first()
    if stored is not None:
        assert (stored.organisation, stored.status, stored.created_by) == (w["arnhem"], "draft", w["alice"])
    w["alice"].refresh_from_db()
    assert not w["alice"].is_staff


def test_extra_fields_on_an_invitation_do_not_grant_staff_or_another_organisation(client, w):
    login(client, w["erin"])
    reauthenticate(client, w["erin"])
    response = client.post(
        reverse("member_invite"),
        {"email": "nieuw2@arnhem.example", "name": "Nina", "role": "advisor", "organisation": str(w["renkum"].uuid),
         "is_staff": "on", "is_superuser": "on"},
    )
    assert response.status_code == 302
    invitation = Invitation.objects.get(email="nieuw2@arnhem.example")
    assert (invitation.organisation, invitation.role) == (w["arnhem"], "advisor")


def test_an_invitation_with_an_unknown_role_is_refused(client, w):
    login(client, w["erin"])
    reauthenticate(client, w["erin"])
    response = client.post(reverse("member_invite"), {"email": "baas@arnhem.example", "name": "B", "role": "superuser"})
    assert response.status_code == 400
    assert not Invitation.objects.filter(email="baas@arnhem.example").exists()


def test_a_supplier_cannot_approve_their_own_realisation_with_extra_fields(client, w):
    login(client, w["sam"])
    realisation = w["realisation"]
    client.post(
        reverse("portal:realisation_update", args=[w["contract"].uuid, realisation.uuid]),
        {"status": "approved", "value": "999999", "organisation": str(w["renkum"].pk), "assessed_by": str(w["carol"].pk)},
    )
    realisation.refresh_from_db()
    assert realisation.status == Realisation.Status.SUBMITTED
    assert realisation.organisation == w["arnhem"]
    assert realisation.assessed_by is None


# --- boundary values ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"end_date": "2026-02-28"}, "end_date"),  # before the start
        ({"start_date": "10000-01-01"}, "start_date"),  # beyond the calendar
        ({"start_date": "2026-02-30"}, "start_date"),  # no such day
        ({"sroi_percentage": "100.01"}, "sroi_percentage"),
        ({"sroi_percentage": "-1"}, "sroi_percentage"),
        ({"contract_value": "-0.01"}, "contract_value"),
        ({"contract_value": "1" + "0" * 14}, "contract_value"),  # more digits than the column holds
        ({"contract_value": "NaN"}, "contract_value"),
        ({"contract_value": "1e308"}, "contract_value"),
        ({"title": "x" * 5000}, "title"),
        ({"contract_number": " "}, "contract_number"),
        ({"contract_number": "A" * 500}, "contract_number"),
    ],
)
def test_out_of_range_contract_values_get_a_message_and_nothing_is_stored(client, w, overrides, field):
    login(client, w["alice"])
    response = create(client, w, description="Blijft staan", **overrides)
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert "Blijft staan" in response.content.decode()  # the rest of the input is kept
    assert no_new_contract(w)


def test_a_realisation_with_a_period_ending_before_it_starts_is_refused(client, w):
    login(client, w["carol"])
    count = Realisation.objects.count()
    response = client.post(
        reverse("monitoring:realisation_create", args=[w["contract"].uuid]),
        {"agreement": str(w["agreement"].uuid), "period_start": "2026-06-30", "period_end": "2026-01-01",
         "candidate_reference": "B", "persons": "1", "months": "999999999999"},
    )
    assert response.status_code == 400
    assert Realisation.objects.count() == count


# --- script and template syntax where the text comes out again --------------------------------------------------


@pytest.fixture
def hostile_contract(w):
    contract = w["contract"]
    contract.title = HOSTILE
    contract.description = HOSTILE
    contract.department = "=HYPERLINK(\"http://evil.example\")"
    contract.save()
    return contract


@pytest.mark.parametrize(
    ("who", "route", "htmx"),
    [
        ("alice", "contracts:detail", False),
        ("alice", "monitoring:contract", False),
        ("alice", "monitoring:contract", True),
        ("carol", "monitoring:workspace", False),
        ("carol", "monitoring:work_queue", False),
        ("sam", "portal:contract", False),
        ("alice", "monitoring:individual", True),
    ],
)
def test_script_and_template_syntax_in_a_contract_title_come_out_escaped(client, w, hostile_contract, who, route, htmx):
    login(client, w[who])
    args = [] if route in ("monitoring:work_queue", "monitoring:individual") else [hostile_contract.uuid]
    response = client.get(reverse(route, args=args), headers={"HX-Request": "true"} if htmx else {})
    html = response.content.decode()
    assert response.status_code == 200
    assert SCRIPT not in html
    assert ESCAPED in html
    assert TEMPLATE in html and "54439" not in html


def test_script_in_a_contract_title_is_escaped_in_the_django_admin_changelist(client, w, hostile_contract):
    login(client, w["staff"])
    response = client.get("/admin/contracts/contract/", {"q": "INK-2026-0042"})
    html = response.content.decode()
    assert response.status_code == 200
    assert SCRIPT not in html and ESCAPED in html


def test_script_in_a_help_question_is_escaped_for_the_coordinator_and_in_the_mail(client, w, django_capture_on_commit_callbacks):
    login(client, w["alice"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("knowledgebase:help_request_create"), {"subject": HOSTILE, "question": HOSTILE, "category": w["category"].pk}
        )
    assert response.status_code == 302
    help_request = HelpRequest.objects.get(asker=w["alice"], subject=HOSTILE)
    login(client, w["carol"])
    html = client.get(reverse("knowledgebase:help_request_detail", args=[help_request.uuid])).content.decode()
    assert SCRIPT not in html and ESCAPED in html
    for message in mail.outbox:
        assert "54439" not in message.subject and "54439" not in message.body
        for content, kind in getattr(message, "alternatives", []):
            if kind == "text/html":
                assert SCRIPT not in content


def test_script_in_a_contract_title_is_escaped_in_the_handover_mail(client, w, django_capture_on_commit_callbacks):
    draft = w["draft"]
    draft.title = HOSTILE
    draft.save()
    login(client, w["alice"])
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(reverse("contracts:hand_over", args=[draft.uuid])).status_code == 302
    sent = [m for m in mail.outbox if w["carol"].email in m.to]
    assert sent, "the coordinator gets a mail"
    for message in sent:
        html = next(c for c, kind in message.alternatives if kind == "text/html")
        assert SCRIPT not in html
        assert "\n" not in message.subject


def test_spreadsheet_formulas_are_neutralised_in_the_csv_export(client, w, hostile_contract):
    hostile_contract.title = "=cmd|' /C calc'!A0"
    hostile_contract.save()
    login(client, w["alice"])
    reauthenticate(client, w["alice"])
    response = client.get(reverse("monitoring:export_individual", kwargs={"fmt": "csv"}))
    assert response.status_code == 200
    cells = [cell for row in csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";") for cell in row]
    cells += [c for row in csv.reader(io.StringIO(response.content.decode("utf-8-sig"))) for c in row]
    assert not any(cell.startswith(("=", "+", "-", "@")) and "calc" in cell for cell in cells)
    assert any("calc" in cell for cell in cells)


def test_spreadsheet_formulas_are_neutralised_in_the_xlsx_export(client, w, hostile_contract):
    hostile_contract.title = "@SUM(1+1)*cmd|' /C calc'!A0"
    hostile_contract.save()
    login(client, w["alice"])
    reauthenticate(client, w["alice"])
    response = client.get(reverse("monitoring:export_individual", kwargs={"fmt": "xlsx"}))
    assert response.status_code == 200
    values = [v for row in load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True) for v in row]
    texts = [v for v in values if isinstance(v, str) and "calc" in v]
    assert texts and not any(t.startswith(("=", "+", "-", "@")) for t in texts)


# --- search metacharacters --------------------------------------------------------------------------------------

METACHARACTERS = ["%", "_", "\\", "'", '"', "'; DROP TABLE contracts_contract;--", "!:*&|()<>", "a & | ! b", "\x00",
                  "ë" * 300, "*", "'' OR 1=1 --", "<script>", "{{ 7*7 }}"]


@pytest.mark.parametrize("query", METACHARACTERS)
def test_the_supplier_typeahead_survives_search_metacharacters(client, w, query):
    login(client, w["alice"])
    response = client.get(reverse("suppliers:search"), {"q": query}, headers={"HX-Request": "true"})
    assert response.status_code in (200, 400, 429)
    assert "<script>" not in response.content.decode()


@pytest.mark.parametrize("query", METACHARACTERS)
def test_the_knowledge_base_search_survives_search_metacharacters(client, w, query):
    login(client, w["alice"])
    response = client.get(reverse("knowledgebase:index"), {"q": query})
    assert response.status_code in (200, 400)
    assert "<script>" not in response.content.decode().split("</head>", 1)[1].replace('<script src=', "")


# --- uploads ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("leeg.pdf", b""),  # empty
        ("programma.pdf", samples.EXE),  # wrong signature
        ("brief.pdf.html", samples.HTML),  # double extension
        ("plaatje.svg", samples.SVG),  # SVG
        ("brief.docx", samples.zip_bytes({"a.txt": b"x"})),  # a ZIP that is not a document
    ],
)
def test_a_refused_upload_stores_nothing(client, w, name, content):
    login(client, w["alice"])
    response = attach(client, w, samples.upload(name, content))
    assert response.status_code == 400
    assert not w["draft"].attachments.exists()


@override_settings(UPLOAD_MAX_FILE_BYTES=1000)
def test_an_oversized_upload_is_refused_and_nothing_is_stored(client, w):
    login(client, w["alice"])
    response = attach(client, w, samples.upload("groot.pdf", samples.PDF + b"0" * 2000))
    assert response.status_code == 400
    assert not w["draft"].attachments.exists()


def test_a_zip_bomb_disguised_as_docx_is_refused_before_it_is_unpacked(client, w, monkeypatch):
    monkeypatch.setattr(uploads, "MAX_ZIP_UNCOMPRESSED_BYTES", 1024 * 1024)
    bomb = samples.zip_bytes({"[Content_Types].xml": b"", "word/document.xml": b"0" * (4 * 1024 * 1024)})
    login(client, w["alice"])
    response = attach(client, w, samples.upload("bom.docx", bomb))
    assert response.status_code == 400
    assert not w["draft"].attachments.exists()


@override_settings(UPLOAD_MAX_FILES_PER_REQUEST=2)
def test_too_many_files_at_once_are_refused_and_none_is_stored(client, w):
    login(client, w["alice"])
    response = attach(client, w, *[samples.upload(f"{n}.pdf", samples.PDF) for n in range(3)])
    assert response.status_code == 400
    assert not w["draft"].attachments.exists()


def test_a_path_in_an_upload_name_is_stripped_and_the_file_stays_in_the_private_folder(client, w, settings):
    login(client, w["alice"])
    response = attach(client, w, samples.upload("../../etc/passwd.pdf", samples.PDF))
    assert response.status_code in (302, 400)
    for attachment in w["draft"].attachments.all():
        assert "/" not in attachment.display_name and ".." not in attachment.display_name
        assert "/" not in attachment.stored_name


# --- CSRF, redirects, host header, session ---------------------------------------------------------------------


def test_an_htmx_post_without_a_csrf_token_is_refused_and_changes_nothing(w):
    client = Client(enforce_csrf_checks=True)
    client.force_login(w["alice"])
    response = client.post(reverse("contracts:hand_over", args=[w["draft"].uuid]), headers={"HX-Request": "true"})
    assert response.status_code == 403
    w["draft"].refresh_from_db()
    assert w["draft"].status == Contract.Status.DRAFT


def test_an_htmx_post_with_the_csrf_header_is_accepted(w):
    client = Client(enforce_csrf_checks=True)
    client.force_login(w["alice"])
    client.get(reverse("contracts:attachments", args=[w["draft"].uuid]))
    token = client.cookies["csrftoken"].value if "csrftoken" in client.cookies else None
    assert token, "the page sets the CSRF cookie"
    response = client.post(
        reverse("contracts:hand_over", args=[w["draft"].uuid]), headers={"HX-Request": "true", "X-CSRFToken": token}
    )
    assert response.status_code == 200 and "HX-Redirect" in response


EVIL = ["https://evil.example/", "//evil.example/", "/\\evil.example/", "https:evil.example", "javascript:alert(1)"]


@pytest.mark.parametrize("target", EVIL)
def test_login_does_not_follow_a_next_to_another_site(client, w, target):
    response = client.post(
        reverse("account_login") + f"?next={target}", {"login": w["alice"].email, "password": PASSWORD, "next": target}
    )
    assert response.status_code == 302
    assert "evil" not in response["Location"] and not response["Location"].startswith("javascript")


@pytest.mark.parametrize("target", EVIL)
def test_switching_organisation_does_not_follow_a_next_to_another_site(client, w, target):
    login(client, w["alice"])
    response = client.post(reverse("switch_organisation"), {"organisation": str(w["arnhem"].uuid), "next": target})
    assert response.status_code == 302
    assert response["Location"] == reverse("start")


@pytest.mark.parametrize("target", EVIL)
def test_choosing_a_language_does_not_follow_a_next_to_another_site(client, w, target):
    response = client.post(reverse("set_language"), {"language": "en", "next": target})
    assert response.status_code == 302
    assert "evil" not in response["Location"] and not response["Location"].startswith("javascript")


@pytest.mark.parametrize("target", EVIL)
def test_the_admin_login_does_not_follow_a_next_to_another_site(client, w, target):
    response = client.get(reverse("admin_login"), {"next": target})
    assert response.status_code == 302
    assert "evil" not in response["Location"].split("?", 1)[1].replace("next=", "")


def test_a_foreign_host_header_gets_400_not_500(client, w):
    response = client.get(reverse("start"), headers={"Host": "evil.example"})
    assert response.status_code == 400


def test_a_session_cookie_no_longer_works_after_logout(client, w):
    client.post(reverse("account_login"), {"login": w["alice"].email, "password": PASSWORD})
    assert client.get(reverse("start")).status_code == 200
    stolen = client.cookies["sessionid"].value
    assert client.post(reverse("account_logout")).status_code == 302
    thief = Client()
    thief.cookies["sessionid"] = stolen
    response = thief.get(reverse("monitoring:contract", args=[w["contract"].uuid]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_a_double_click_on_overdragen_hands_over_once(client, w):
    login(client, w["alice"])
    draft = w["draft"]
    first = client.post(reverse("contracts:hand_over", args=[draft.uuid]))
    outbox = OutboxMessage.objects.count()
    second = client.post(reverse("contracts:hand_over", args=[draft.uuid]))
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"] == reverse("contracts:handed_over", args=[draft.uuid])
    assert OutboxMessage.objects.count() == outbox
    assert AuditEvent.objects.filter(action="contract_handed_over", object_id=str(draft.uuid)).count() == 1
    draft.refresh_from_db()
    assert draft.status == Contract.Status.HANDED_OVER


def test_script_in_a_rejection_reason_comes_out_escaped_for_the_supplier(client, w):
    login(client, w["carol"])
    realisation = w["realisation"]
    response = client.post(
        reverse("monitoring:realisation_reject", args=[w["contract"].uuid, realisation.uuid]), {"reason": HOSTILE}
    )
    assert response.status_code == 302
    realisation.refresh_from_db()
    assert realisation.rejection_reason == HOSTILE
    login(client, w["sam"])
    html = client.get(reverse("portal:realisation", args=[w["contract"].uuid, realisation.uuid])).content.decode()
    assert SCRIPT not in html and ESCAPED in html and "54439" not in html


def test_script_in_an_agreement_description_comes_out_escaped_for_the_buyer(client, w):
    agreement = w["agreement"]
    agreement.description = HOSTILE
    agreement.save(update_fields=["description"])
    login(client, w["alice"])
    html = client.get(reverse("monitoring:contract", args=[w["contract"].uuid])).content.decode()
    assert SCRIPT not in html and ESCAPED in html


def test_script_in_a_supplier_name_comes_out_escaped_in_the_typeahead(client, w):
    supplier = w["contract"].supplier
    supplier.legal_name = f"Kwaad {SCRIPT} B.V."
    supplier.save(update_fields=["legal_name"])
    login(client, w["alice"])
    response = client.get(reverse("suppliers:search"), {"q": "Kwaad"}, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert response.status_code == 200
    assert SCRIPT not in html and ESCAPED in html

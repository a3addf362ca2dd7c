import uuid

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from knowledgebase.models import HelpRequest, HelpRequestAttachment, HelpRequestReply
from tests.contracts.factories import ContractFactory
from tests.contracts.samples import EXE, PDF
from tests.factories import AuthorityFactory, member
from tests.knowledgebase.factories import CategoryFactory, HelpRequestFactory, ReplyFactory
from wizzr.models import AuditEvent, Notification, OutboxMessage, Role

pytestmark = pytest.mark.django_db

CREATE = reverse("knowledgebase:help_request_create")
OPTIONS = reverse("knowledgebase:contract_options")


@pytest.fixture
def category():
    return CategoryFactory(slug="monitoren", name_nl="Monitoren")


@pytest.fixture
def arnhem_contract(arnhem):
    return ContractFactory(organisation=arnhem, contract_number="ARN-001", title="Groenonderhoud", handed_over=True)


@pytest.fixture
def renkum_contract(renkum):
    return ContractFactory(organisation=renkum, contract_number="REN-SECRET-7", title="Geheim", handed_over=True)


def question(category, **extra) -> dict:
    return {"subject": "Hoe exporteer ik?", "category": category.pk, "question": "Waar vind ik de export?", **extra}


def test_an_advisor_asks_a_question_about_a_contract(client, alice, carol, category, arnhem_contract, django_capture_on_commit_callbacks):
    client.force_login(alice)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(CREATE, question(category, contract=arnhem_contract.uuid))
    help_request = HelpRequest.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("knowledgebase:help_request_detail", args=[help_request.uuid])
    assert help_request.organisation == alice.organisations().get()
    assert help_request.service_point.name == "Steunpunt SROI Midden-Gelderland"
    assert (help_request.asker, help_request.contract, help_request.category) == (alice, arnhem_contract, category)
    assert help_request.status == HelpRequest.Status.OPEN
    assert AuditEvent.objects.filter(action="help_request_created", object_id=str(help_request.uuid)).exists()
    page = client.get(response["Location"]).content.decode()
    assert "Uw hulpvraag is verstuurd." in page
    assert "Waar vind ik de export?" in page and "ARN-001" in page


def test_the_coordinators_of_the_service_point_get_an_email_and_a_notification(
    client, alice, carol, frank, category, django_capture_on_commit_callbacks
):
    other = member("gert@steunpunt-mg.example", carol.organisations().get(), Role.COORDINATOR, name="Gert")
    client.force_login(alice)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(CREATE, question(category))
    rows = OutboxMessage.objects.filter(template="help_request_created")
    assert {(row.recipient, row.channel) for row in rows} == {
        (carol, "email"), (carol, "in_app"), (other, "email"), (other, "in_app"),
    }
    assert all(row.status == OutboxMessage.Status.SENT for row in rows)
    assert sorted(message.to[0] for message in mail.outbox) == [carol.email, other.email]
    assert "Nieuwe hulpvraag van Gemeente Arnhem: Hoe exporteer ik?" in mail.outbox[0].subject
    assert Notification.objects.filter(user=carol, title__contains="Hoe exporteer ik?").exists()
    assert not Notification.objects.filter(user=frank).exists()


def test_html_in_subject_and_question_is_escaped_in_page_email_and_admin(
    client, admin_client, alice, carol, category, django_capture_on_commit_callbacks
):
    hostile = '<script>alert("x")</script>'
    client.force_login(alice)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(CREATE, question(category, subject=f"Help {hostile}", question=f"Vraag {hostile} <img src=x onerror=alert(1)>"))
    help_request = HelpRequest.objects.get()
    assert help_request.subject == f"Help {hostile}"  # stored as typed
    for html in [
        client.get(reverse("knowledgebase:help_request_detail", args=[help_request.uuid])).content.decode(),
        client.get(reverse("knowledgebase:help_request_list")).content.decode(),
        admin_client.get(reverse("admin:knowledgebase_helprequest_change", args=[help_request.pk])).content.decode(),
        admin_client.get(reverse("admin:knowledgebase_helprequest_changelist")).content.decode(),
    ]:
        assert hostile not in html and "<img src=x" not in html
        assert "&lt;script&gt;" in html
    email_html = mail.outbox[0].alternatives[0][0]
    assert hostile not in email_html and "&lt;script&gt;" in email_html
    client.force_login(carol)
    notifications = client.get(reverse("notifications")).content.decode()
    assert hostile not in notifications and "&lt;script&gt;" in notifications


def test_an_empty_question_is_refused_and_the_subject_kept(client, alice, category):
    client.force_login(alice)
    response = client.post(CREATE, question(category, question="   "))
    html = response.content.decode()
    assert response.status_code == 400
    assert "Beschrijf uw vraag." in html
    assert 'value="Hoe exporteer ik?"' in html
    assert not HelpRequest.objects.exists()


def test_a_question_of_twenty_thousand_characters_is_refused(client, alice, category):
    client.force_login(alice)
    response = client.post(CREATE, question(category, question="a" * 20_000))
    html = response.content.decode()
    assert response.status_code == 400
    assert "Uw tekst is 20.000 tekens lang; het maximum is 10.000." in html
    assert not HelpRequest.objects.exists()


def test_a_question_of_exactly_the_maximum_is_accepted(client, alice, carol, category):
    client.force_login(alice)
    assert client.post(CREATE, question(category, question="a" * 10_000)).status_code == 302
    assert len(HelpRequest.objects.get().question) == 10_000


def test_a_missing_subject_and_category_get_their_own_messages(client, alice, category):
    client.force_login(alice)
    response = client.post(CREATE, {"question": "Iets"})
    html = response.content.decode()
    assert "Vul een onderwerp in." in html and "Kies een categorie." in html
    assert 'class="utrecht-form-field utrecht-form-field--invalid' in html


def test_a_contract_of_another_tenant_is_refused_and_nothing_is_stored(client, alice, category, renkum_contract):
    client.force_login(alice)
    response = client.post(CREATE, question(category, contract=renkum_contract.uuid))
    assert response.status_code == 400
    html = response.content.decode()
    assert "Dit inkoopcontract is niet gevonden of u heeft er geen toegang toe." in html
    # The picker shows nothing of the other tenant's contract; the other input is kept.
    assert "REN-SECRET-7" not in html and 'name="contract" value=""' in html and 'value="Hoe exporteer ik?"' in html
    assert not HelpRequest.objects.exists()
    assert not OutboxMessage.objects.exists()


def test_the_contract_choice_lists_only_contracts_the_user_may_see(client, alice, arnhem_contract, renkum_contract):
    utrecht_contract = ContractFactory(organisation=AuthorityFactory(slug="utrecht"), contract_number="UTR-9")
    client.force_login(alice)
    for typed in ["-", "ARN-001", "REN-SECRET-7", "UTR-9", "geheim"]:
        html = client.get(OPTIONS, {"q": typed}).content.decode()
        assert ("ARN-001" in html) == (typed in {"-", "ARN-001"}), typed
        assert "REN-SECRET-7" not in html and "UTR-9" not in html and str(utrecht_contract.uuid) not in html
    # The form itself lists no contract: it is chosen by typing.
    assert "ARN-001" not in client.get(CREATE).content.decode()


def test_a_link_with_a_contract_preselects_it(client, alice, arnhem_contract):
    client.force_login(alice)
    html = client.get(CREATE, {"contract": arnhem_contract.uuid}).content.decode()
    assert f'name="contract" value="{arnhem_contract.uuid}"' in html
    assert 'value="ARN-001 — Groenonderhoud"' in html


def test_a_refused_question_keeps_the_chosen_contract(client, alice, category, arnhem_contract):
    client.force_login(alice)
    response = client.post(CREATE, question(category, contract=str(arnhem_contract.uuid), question=""))
    assert response.status_code == 400
    html = response.content.decode()
    assert "Beschrijf uw vraag." in html
    assert f'name="contract" value="{arnhem_contract.uuid}"' in html and 'value="ARN-001 — Groenonderhoud"' in html
    assert not HelpRequest.objects.exists()


def test_a_link_with_another_tenants_contract_says_so_and_selects_nothing(client, alice, renkum_contract):
    client.force_login(alice)
    for wanted in [renkum_contract.uuid, uuid.uuid4(), "not-a-uuid"]:
        html = client.get(CREATE, {"contract": wanted}).content.decode()
        assert "Het inkoopcontract uit de link is niet gevonden" in html
        assert "REN-SECRET-7" not in html and f'value="{renkum_contract.uuid}"' not in html
        assert 'name="contract" value=""' in html


def test_an_organisation_without_service_point_gets_a_clear_message(client, category):
    lonely = AuthorityFactory(slug="nergens", name="Gemeente Nergens", served_by=None)
    advisor = member("a@nergens.example", lonely, Role.ADVISOR)
    client.force_login(advisor)
    response = client.post(CREATE, question(category))
    assert response.status_code == 400
    assert "nog niet gekoppeld aan een Steunpunt SROI" in response.content.decode()
    assert not HelpRequest.objects.exists()


def test_a_valid_attachment_is_stored_privately_and_downloadable_by_the_coordinator(client, alice, carol, category):
    client.force_login(alice)
    upload = SimpleUploadedFile("schermafdruk.pdf", PDF, content_type="application/pdf")
    response = client.post(CREATE, {**question(category), "attachment": upload})
    assert response.status_code == 302
    attachment = HelpRequestAttachment.objects.get()
    assert attachment.path.read_bytes() == PDF
    assert attachment.stored_name != "schermafdruk.pdf"
    client.force_login(carol)
    download = client.get(
        reverse("knowledgebase:help_request_attachment", args=[attachment.help_request.uuid, attachment.uuid])
    )
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment;")
    assert download["X-Content-Type-Options"] == "nosniff"
    assert b"".join(download.streaming_content) == PDF


def test_a_refused_attachment_stores_nothing_at_all(client, alice, category, settings):
    client.force_login(alice)
    upload = SimpleUploadedFile("factuur.pdf", EXE, content_type="application/pdf")
    response = client.post(CREATE, {**question(category), "attachment": upload})
    assert response.status_code == 400
    assert "past niet bij een PDF-bestand" in response.content.decode()
    assert not HelpRequest.objects.exists() and not HelpRequestAttachment.objects.exists()
    root = settings.PRIVATE_MEDIA_ROOT / "help-requests"
    assert not root.exists() or not any(root.iterdir())


def test_extra_post_fields_cannot_choose_the_organisation_or_status(client, alice, category, utrecht):
    client.force_login(alice)
    client.post(CREATE, question(category, organisation=utrecht.pk, status="closed", asker=1, service_point=utrecht.pk))
    help_request = HelpRequest.objects.get()
    assert help_request.organisation.slug == "arnhem"
    assert help_request.service_point.slug == "steunpunt-mg"
    assert help_request.status == "open"


# --- Visibility ---------------------------------------------------------------------------------


@pytest.fixture
def alices_request(alice, arnhem):
    help_request = HelpRequestFactory(organisation=arnhem, asker=alice, subject="Vraag van Alice")
    HelpRequestAttachment.objects.create(
        organisation=arnhem, help_request=help_request, stored_name=uuid.uuid4().hex, display_name="a.pdf",
        size=3, content_type="application/pdf", sha256="x",
    )
    return help_request


def detail_url(help_request) -> str:
    return reverse("knowledgebase:help_request_detail", args=[help_request.uuid])


def object_urls(help_request) -> list[tuple[str, str]]:
    attachment = help_request.attachments.first()
    return [
        ("get", detail_url(help_request)),
        ("post", reverse("knowledgebase:help_request_reply", args=[help_request.uuid])),
        ("post", reverse("knowledgebase:help_request_status", args=[help_request.uuid])),
        ("get", reverse("knowledgebase:change_request_apply", args=[help_request.uuid])),
        ("get", reverse("knowledgebase:help_request_attachment", args=[help_request.uuid, attachment.uuid])),
    ]


@pytest.mark.parametrize("who", ["alice", "erin", "carol"])
def test_the_asker_their_org_admin_and_the_coordinators_see_a_request(client, who, request, alices_request):
    client.force_login(request.getfixturevalue(who))
    response = client.get(detail_url(alices_request))
    assert response.status_code == 200
    assert "Vraag van Alice" in response.content.decode()


def test_anonymous_visitors_are_sent_to_the_login_page(client, alices_request):
    for method, url in object_urls(alices_request):
        response = getattr(client, method)(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_my_help_requests_lists_the_own_ones_and_for_org_admins_the_organisations(client, alice, erin, bob, alices_request):
    HelpRequestFactory(organisation=bob.organisations().get(), asker=bob, subject="Vraag van Bob")
    client.force_login(alice)
    html = client.get(reverse("knowledgebase:help_request_list")).content.decode()
    assert "Vraag van Alice" in html and "Vraag van Bob" not in html
    client.force_login(erin)
    html = client.get(reverse("knowledgebase:help_request_list")).content.decode()
    assert "Vraag van Alice" in html and "Vraag van Bob" not in html
    client.force_login(bob)
    html = client.get(reverse("knowledgebase:help_request_list")).content.decode()
    assert "Vraag van Alice" not in html and "Vraag van Bob" in html


# --- The coordinator's queue and the thread -----------------------------------------------------


QUEUE = reverse("knowledgebase:help_request_queue")


def test_the_queue_shows_the_open_requests_of_the_served_authorities(client, carol, frank, alice, bob, dave, alices_request):
    HelpRequestFactory(organisation=bob.organisations().get(), asker=bob, subject="Vraag van Bob")
    HelpRequestFactory(organisation=dave.organisations().get(), asker=dave, subject="Vraag van Dave")
    HelpRequestFactory(organisation=alice.organisations().get(), asker=alice, subject="Al gesloten", status="closed")
    client.force_login(carol)
    html = client.get(QUEUE).content.decode()
    assert "Vraag van Alice" in html and "Vraag van Bob" in html
    assert "Vraag van Dave" not in html and "Al gesloten" not in html
    assert "Al gesloten" in client.get(QUEUE, {"status": "closed"}).content.decode()
    client.force_login(frank)
    html = client.get(QUEUE).content.decode()
    assert "Vraag van Dave" in html and "Vraag van Alice" not in html


def test_the_queue_filter_through_htmx_returns_only_the_list(client, carol, alices_request):
    client.force_login(carol)
    html = client.get(QUEUE, {"status": "all"}, headers={"HX-Request": "true"}).content.decode()
    assert "Vraag van Alice" in html and "<html" not in html


def test_an_advisor_has_no_queue(client, alice):
    client.force_login(alice)
    assert client.get(QUEUE).status_code == 403


def reply(client, help_request, body, **extra):
    return client.post(reverse("knowledgebase:help_request_reply", args=[help_request.uuid]), {"body": body, **extra})


def test_the_coordinator_replies_and_the_asker_is_notified_and_sees_the_answer(
    client, alice, carol, alices_request, django_capture_on_commit_callbacks
):
    client.force_login(carol)
    with django_capture_on_commit_callbacks(execute=True):
        response = reply(client, alices_request, "Kijk onder Geconsolideerd.", status="answered")
    assert response.status_code == 302
    alices_request.refresh_from_db()
    assert alices_request.status == "answered"
    assert HelpRequestReply.objects.get().author == carol
    assert [message.to for message in mail.outbox] == [[alice.email]]
    assert "Nieuwe reactie op: Vraag van Alice" in mail.outbox[0].subject
    assert Notification.objects.filter(user=alice, title="Nieuwe reactie op: Vraag van Alice").exists()
    client.force_login(alice)
    html = client.get(detail_url(alices_request)).content.decode()
    assert "Kijk onder Geconsolideerd." in html and "Beantwoord" in html.replace("beantwoord", "Beantwoord")


def test_the_asker_answers_back_which_reopens_the_request_and_notifies_the_coordinators(
    client, alice, carol, alices_request, django_capture_on_commit_callbacks
):
    alices_request.status = "answered"
    alices_request.save()
    client.force_login(alice)
    with django_capture_on_commit_callbacks(execute=True):
        reply(client, alices_request, "Dank, maar waar staat de knop?", status="closed")
    alices_request.refresh_from_db()
    assert alices_request.status == "open"  # the asker cannot pick a status
    assert [message.to for message in mail.outbox] == [[carol.email]]


def test_an_org_admin_may_read_but_not_reply(client, erin, alices_request):
    client.force_login(erin)
    assert "Reactie plaatsen" not in client.get(detail_url(alices_request)).content.decode()
    assert reply(client, alices_request, "Ik bemoei me ermee").status_code == 403
    assert not HelpRequestReply.objects.exists()


def test_a_closed_request_takes_no_more_replies_from_the_asker(client, alice, alices_request):
    alices_request.status = "closed"
    alices_request.save()
    client.force_login(alice)
    assert reply(client, alices_request, "Nog iets").status_code == 403
    assert "Deze hulpvraag is gesloten." in client.get(detail_url(alices_request)).content.decode()


def test_an_empty_or_too_long_reply_is_refused(client, carol, alices_request):
    client.force_login(carol)
    assert "Schrijf een reactie." in reply(client, alices_request, " ").content.decode()
    response = reply(client, alices_request, "x" * 10_001)
    assert response.status_code == 400
    assert "10.001 tekens" in response.content.decode()
    assert not HelpRequestReply.objects.exists()


def test_the_coordinator_changes_the_status(client, carol, alice, alices_request):
    client.force_login(carol)
    client.post(reverse("knowledgebase:help_request_status", args=[alices_request.uuid]), {"status": "in_progress"})
    alices_request.refresh_from_db()
    assert alices_request.status == "in_progress"
    assert AuditEvent.objects.filter(action="help_request_status_changed", detail__status=["open", "in_progress"]).exists()
    client.force_login(alice)
    response = client.post(reverse("knowledgebase:help_request_status", args=[alices_request.uuid]), {"status": "closed"})
    assert response.status_code == 403
    alices_request.refresh_from_db()
    assert alices_request.status == "in_progress"


def test_replies_of_the_service_point_are_marked_as_such(client, alice, carol, alices_request):
    ReplyFactory(help_request=alices_request, author=carol, body="Antwoord van het steunpunt")
    client.force_login(alice)
    html = client.get(detail_url(alices_request)).content.decode()
    assert "kb-message--service-point" in html

import threading

import pytest
from django.core import mail
from django.db import connection
from django.urls import reverse
from kombu.exceptions import OperationalError

from contracts.models import Contract
from tests.contracts.factories import AttachmentFactory, ContractFactory
from tests.factories import AuthorityFactory, member
from wizzr.models import AuditEvent, Notification, OutboxMessage, Role

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def private_root(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"


@pytest.fixture
def concept(arnhem):
    return ContractFactory(organisation=arnhem, contract_number="INK-2026-042", title="Groenonderhoud <wijk> & parken")


@pytest.fixture
def second_coordinator(service_point):
    return member("gert@steunpunt-mg.example", service_point, Role.COORDINATOR, name="Gert Hendriks")


def hand_over(client, contract):
    return client.post(reverse("contracts:hand_over", args=[contract.uuid]))


def test_the_handover_changes_the_status_and_shows_the_success_page(client, alice, carol, concept, django_capture_on_commit_callbacks):
    client.force_login(alice)
    with django_capture_on_commit_callbacks(execute=True):
        response = hand_over(client, concept)
    assert response.status_code == 302
    assert response["Location"] == reverse("contracts:handed_over", args=[concept.uuid])
    concept.refresh_from_db()
    assert concept.status == Contract.Status.HANDED_OVER
    assert concept.handed_over_by == alice and concept.handed_over_at is not None
    assert AuditEvent.objects.filter(action="contract_handed_over", object_id=str(concept.uuid), actor=alice).count() == 1
    html = client.get(response["Location"]).content.decode()
    assert "De overdracht is succesvol!" in html
    assert "SR-invullingsafspraken" in html
    assert "Monitoren contracten" in html


def test_every_coordinator_of_the_service_point_gets_an_email_and_a_notification(
    client, alice, carol, second_coordinator, frank, concept, django_capture_on_commit_callbacks
):
    client.force_login(alice)
    with django_capture_on_commit_callbacks(execute=True):
        hand_over(client, concept)
    rows = OutboxMessage.objects.filter(template="contract_handed_over")
    assert sorted((r.recipient.email, r.channel) for r in rows) == sorted(
        [(carol.email, "email"), (carol.email, "in_app"), (second_coordinator.email, "email"), (second_coordinator.email, "in_app")]
    )
    assert set(rows.values_list("status", flat=True)) == {"sent"}
    assert sorted(m.to[0] for m in mail.outbox) == sorted([carol.email, second_coordinator.email])
    message = next(m for m in mail.outbox if m.to == [carol.email])
    assert message.subject == "Inkoopcontract overgedragen: INK-2026-042 — Groenonderhoud <wijk> & parken (Gemeente Arnhem)"
    assert "Beste Carol Visser," in message.body
    assert "Groenonderhoud <wijk> & parken" in message.body
    assert f"/monitoren/opvolging/{concept.uuid}/" in message.body
    assert "1 januari 2026 – 31 december 2027" in message.body
    assert "€ 12.500,00" in message.body
    html = message.alternatives[0].content
    assert "Groenonderhoud &lt;wijk&gt; &amp; parken" in html and "<wijk>" not in html
    notification = Notification.objects.get(user=carol)
    assert notification.title == "Inkoopcontract INK-2026-042 overgedragen door Gemeente Arnhem"
    assert notification.url == reverse("monitoring:workspace", args=[concept.uuid])
    assert not Notification.objects.filter(user=frank).exists()


def test_the_coordinator_sees_the_notification_badge_and_opens_the_contract(client, alice, carol, concept, django_capture_on_commit_callbacks):
    client.force_login(alice)
    with django_capture_on_commit_callbacks(execute=True):
        hand_over(client, concept)
    client.force_login(carol)
    html = client.get(reverse("notifications")).content.decode()
    assert "Inkoopcontract INK-2026-042 overgedragen door Gemeente Arnhem" in html
    assert client.get(reverse("monitoring:workspace", args=[concept.uuid])).status_code == 200


def test_a_second_handover_changes_nothing(client, alice, carol, concept, django_capture_on_commit_callbacks):
    client.force_login(alice)
    with django_capture_on_commit_callbacks(execute=True):
        hand_over(client, concept)
        response = hand_over(client, concept)
    assert response.status_code == 302
    assert response["Location"] == reverse("contracts:handed_over", args=[concept.uuid])
    assert OutboxMessage.objects.count() == 2
    assert len(mail.outbox) == 1
    assert AuditEvent.objects.filter(action="contract_handed_over").count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_handovers_make_one_handover_and_no_error(alice, carol, arnhem):
    from django.test import Client

    contract = ContractFactory(organisation=arnhem)
    barrier = threading.Barrier(2, timeout=10)
    statuses = []

    def click():
        try:
            client = Client()
            client.force_login(alice)
            barrier.wait()
            statuses.append(hand_over(client, contract).status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=click) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert statuses == [302, 302]
    assert OutboxMessage.objects.filter(channel="email").count() == 1
    assert AuditEvent.objects.filter(action="contract_handed_over").count() == 1
    assert len(mail.outbox) == 1


def test_a_broker_outage_does_not_fail_the_handover_and_leaves_the_rows_pending(
    client, alice, carol, concept, monkeypatch, django_capture_on_commit_callbacks
):
    from wizzr import tasks

    def broker_down(*args, **kwargs):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(tasks.deliver_outbox_message, "delay", broker_down)
    client.force_login(alice)
    with django_capture_on_commit_callbacks(execute=True):
        response = hand_over(client, concept)
    assert response.status_code == 302
    concept.refresh_from_db()
    assert concept.status == Contract.Status.HANDED_OVER
    assert set(OutboxMessage.objects.values_list("status", flat=True)) == {"pending"}
    assert mail.outbox == []
    monkeypatch.undo()
    tasks.relay_pending_outbox()
    assert set(OutboxMessage.objects.values_list("status", flat=True)) == {"sent"}
    assert len(mail.outbox) == 1


def test_an_organisation_without_service_point_cannot_hand_over(client):
    lonely = AuthorityFactory(name="Gemeente Nergens", slug="nergens", served_by=None)
    advisor = member("a@nergens.example", lonely, Role.ADVISOR)
    contract = ContractFactory(organisation=lonely)
    client.force_login(advisor)
    response = hand_over(client, contract)
    assert response.status_code == 302
    contract.refresh_from_db()
    assert contract.status == Contract.Status.DRAFT
    html = client.get(response["Location"]).content.decode()
    assert "nog niet gekoppeld aan een Steunpunt SROI" in html


def test_a_coordinator_cannot_hand_over_or_edit(client, carol, arnhem):
    contract = ContractFactory(organisation=arnhem, handed_over=True)
    client.force_login(carol)
    assert hand_over(client, contract).status_code == 403
    assert client.get(reverse("contracts:edit", args=[contract.uuid])).status_code == 403


def test_a_member_without_the_advisor_role_cannot_hand_over(client, arnhem, concept):
    admin_only = member("beheer@arnhem.example", arnhem, Role.ORG_ADMIN)
    client.force_login(admin_only)
    assert hand_over(client, concept).status_code == 403
    concept.refresh_from_db()
    assert concept.is_draft


def test_a_concept_can_be_resumed_and_changed(client, alice, concept):
    client.force_login(alice)
    url = reverse("contracts:edit", args=[concept.uuid])
    form = client.get(url).context["form"]
    assert form["contract_number"].value() == "INK-2026-042"
    data = {
        "contract_number": "INK-2026-042",
        "title": "Groenonderhoud centrum",
        "start_date": "2026-01-01",
        "end_date": "2027-12-31",
        "supplier": str(concept.supplier.uuid),
        "contract_value": "300.000,00",
        "sroi_percentage": "5",
        "contact_persons": [str(alice.uuid)],
    }
    response = client.post(url, data)
    assert response.status_code == 302
    concept.refresh_from_db()
    assert concept.title == "Groenonderhoud centrum"
    assert str(concept.contract_value) == "300000.00"
    event = AuditEvent.objects.get(action="contract_updated")
    assert "title" in event.detail["fields"]


def test_after_handover_the_advisor_cannot_change_the_data(client, alice, arnhem):
    contract = ContractFactory(organisation=arnhem, handed_over=True, title="Vast")
    client.force_login(alice)
    url = reverse("contracts:edit", args=[contract.uuid])
    response = client.post(url, {"title": "Anders", "contract_number": contract.contract_number})
    assert response.status_code == 302
    assert response["Location"] == reverse("contracts:detail", args=[contract.uuid])
    contract.refresh_from_db()
    assert contract.title == "Vast"
    html = client.get(reverse("contracts:detail", args=[contract.uuid])).content.decode()
    assert "Gegevens wijzigen" not in html


def test_a_concept_can_be_deleted_with_its_files(client, alice, concept, django_capture_on_commit_callbacks):
    attachment = AttachmentFactory(contract=concept)
    path = attachment.path
    client.force_login(alice)
    url = reverse("contracts:delete", args=[concept.uuid])
    assert "Concept verwijderen" in client.get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url)
    assert response.status_code == 302
    assert not Contract.objects.exists()
    assert not path.exists()
    assert AuditEvent.objects.filter(action="contract_deleted", object_id=str(concept.uuid)).exists()


def test_a_handed_over_contract_cannot_be_deleted(client, alice, arnhem):
    contract = ContractFactory(organisation=arnhem, handed_over=True)
    client.force_login(alice)
    client.post(reverse("contracts:delete", args=[contract.uuid]))
    assert Contract.objects.filter(pk=contract.pk).exists()


def confirm(client, contract, **headers):
    return client.get(reverse("contracts:hand_over", args=[contract.uuid]), headers=headers)


def test_the_confirmation_page_summarises_what_is_handed_over_and_hands_over_nothing(client, alice, concept):
    concept.supplier.legal_name = "Groenbedrijf De Linge B.V."
    concept.supplier.kvk_number, concept.supplier.branch_number = "09310001", "093100010001"
    concept.supplier.save()
    AttachmentFactory(contract=concept, display_name="sroi-afspraken.pdf")
    AttachmentFactory(contract=concept, display_name="inschrijving.docx")
    client.force_login(alice)
    response = confirm(client, concept)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Inkoopcontract overdragen?" in html
    assert "INK-2026-042 — Groenonderhoud &lt;wijk&gt; &amp; parken" in html
    assert "Groenbedrijf De Linge B.V." in html and "Industrieweg 12, 6827 AB Arnhem" in html
    assert "KvK-nummer 09310001, vestigingsnummer 093100010001" in html
    assert "€ 12.500,00" in html
    assert "sroi-afspraken.pdf" in html and "inschrijving.docx" in html and "Geen bijlagen" not in html
    assert "De Regisseur Social Return van Steunpunt SROI Midden-Gelderland" in html
    assert "krijgt een e-mail over de overdracht" in html
    assert "Wijziging doorgeven" in html
    assert f'action="{reverse("contracts:hand_over", args=[concept.uuid])}"' not in html  # posts to itself
    assert '<form method="post"' in html and "<dialog" not in html
    concept.refresh_from_db()
    assert concept.is_draft
    assert not OutboxMessage.objects.exists()


def test_without_attachments_the_summary_says_the_coordinator_uses_the_sroi_document(client, alice, concept):
    client.force_login(alice)
    html = confirm(client, concept).content.decode()
    assert "Geen bijlagen" in html
    assert "gebruikt dan het SROI-document" in html


def test_for_htmx_the_confirmation_is_a_labelled_dialog_with_the_real_post_form(client, alice, concept):
    client.force_login(alice)
    response = confirm(client, concept, HX_Request="true")
    html = response.content.decode()
    assert html.lstrip("\n").startswith("<dialog")
    assert 'aria-labelledby="handover-title"' in html and 'id="handover-title"' in html
    assert 'aria-describedby="handover-intro"' in html and 'id="handover-intro"' in html
    assert f'<form method="post" action="{reverse("contracts:hand_over", args=[concept.uuid])}"' in html
    assert "Annuleren" in html and "€ 12.500,00" in html
    assert "HX-Request" in response["Vary"]


def test_the_confirmation_of_a_handed_over_contract_leads_to_the_success_page(client, alice, arnhem):
    contract = ContractFactory(organisation=arnhem, handed_over=True)
    client.force_login(alice)
    response = confirm(client, contract)
    assert response.status_code == 302
    assert response["Location"] == reverse("contracts:handed_over", args=[contract.uuid])


def test_only_the_advisor_sees_the_confirmation_and_a_stranger_gets_404(client, carol, bob, arnhem, concept):
    client.force_login(carol)
    assert confirm(client, ContractFactory(organisation=arnhem, handed_over=True)).status_code == 403
    client.force_login(bob)
    assert confirm(client, concept).status_code == 404


def test_the_confirmation_page_names_the_missing_service_point_and_offers_no_button(client):
    lonely = AuthorityFactory(name="Gemeente Nergens", slug="nergens", served_by=None)
    advisor = member("a@nergens.example", lonely, Role.ADVISOR)
    client.force_login(advisor)
    html = confirm(client, ContractFactory(organisation=lonely)).content.decode()
    assert "nog niet gekoppeld aan een Steunpunt SROI" in html
    assert '<form method="post"' not in html.split('id="main"')[-1]


def test_the_attachments_page_asks_for_confirmation_before_handing_over(client, alice, concept):
    client.force_login(alice)
    html = client.get(reverse("contracts:attachments", args=[concept.uuid])).content.decode()
    url = reverse("contracts:hand_over", args=[concept.uuid])
    assert f'<form method="get" action="{url}" data-handover-open>' in html
    assert f'<form method="post" action="{url}"' not in html

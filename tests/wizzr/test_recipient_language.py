"""Each person is sent e-mails and notifications in their own language, whoever's action sends them.

The language is the one a person last chose with the switch in the header (kept on the account), or
before any choice the one they logged in with; a login opens the site in the account's language.
"""

from __future__ import annotations

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse
from django.utils import translation

from knowledgebase.models import HelpRequest
from knowledgebase.services import help_request_reply
from tests.factories import member
from tests.knowledgebase.factories import CategoryFactory
from wizzr.models import Notification, OutboxMessage, Role, User
from wizzr.notifications import notify

pytestmark = pytest.mark.django_db

SWITCH = reverse("set_language")
LOGIN = reverse("account_login")
CREATE = reverse("knowledgebase:help_request_create")


def test_the_language_switch_keeps_a_logged_in_persons_choice_on_the_account(client, alice):
    client.force_login(alice)
    response = client.post(SWITCH, {"language": "en", "next": "/"})
    assert response.status_code == 302
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    alice.refresh_from_db()
    assert alice.language == "en"
    client.post(SWITCH, {"language": "nl", "next": "/"})
    alice.refresh_from_db()
    assert alice.language == "nl"


def test_a_language_the_site_does_not_speak_is_not_kept(client, alice):
    client.force_login(alice)
    client.post(SWITCH, {"language": "de", "next": "/"})
    alice.refresh_from_db()
    assert alice.language == ""


def test_the_switch_still_works_without_an_account(client):
    response = client.post(SWITCH, {"language": "en", "next": "/toegankelijkheid/"}, follow=True)
    assert response.redirect_chain[-1][0] == "/toegankelijkheid/"
    assert response.content.decode().count('lang="en"') >= 1


def test_the_switch_needs_a_post(client, alice):
    client.force_login(alice)
    assert client.get(SWITCH, {"language": "en"}).status_code == 405
    alice.refresh_from_db()
    assert alice.language == ""


def test_a_help_request_reaches_each_coordinator_in_their_own_language(
    client, alice, carol, django_capture_on_commit_callbacks
):
    """Alice asks in Dutch; Carol chose English, Gert Dutch, and Hanna never chose (the sender's)."""
    service_point = carol.organisations().get()
    gert = member("gert@steunpunt-mg.example", service_point, Role.COORDINATOR, name="Gert")
    hanna = member("hanna@steunpunt-mg.example", service_point, Role.COORDINATOR, name="Hanna")
    carol.language, gert.language = "en", "nl"
    carol.save(update_fields=["language"])
    gert.save(update_fields=["language"])
    category = CategoryFactory(slug="monitoren", name_nl="Monitoren")
    client.force_login(alice)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(CREATE, {"subject": "Exporteren", "category": category.pk, "question": "Hoe?"})
    assert response.status_code == 302

    subjects = {message.to[0]: message.subject for message in mail.outbox}
    assert subjects == {
        carol.email: "New help request from Gemeente Arnhem: Exporteren",
        gert.email: "Nieuwe hulpvraag van Gemeente Arnhem: Exporteren",
        hanna.email: "Nieuwe hulpvraag van Gemeente Arnhem: Exporteren",
    }
    english = next(message for message in mail.outbox if message.to[0] == carol.email)
    assert "Nieuwe hulpvraag" not in english.body and "Nieuwe hulpvraag" not in english.alternatives[0].content
    assert Notification.objects.get(user=carol).title.startswith("New help request from Gemeente Arnhem")
    assert Notification.objects.get(user=gert).title.startswith("Nieuwe hulpvraag van Gemeente Arnhem")
    languages = {(row.recipient, row.channel): row.language for row in OutboxMessage.objects.all()}
    assert languages == {
        (carol, "email"): "en", (carol, "in_app"): "en",
        (gert, "email"): "nl", (gert, "in_app"): "nl",
        (hanna, "email"): "nl", (hanna, "in_app"): "nl",
    }


def test_an_english_speaking_coordinators_reply_reaches_a_dutch_asker_in_dutch(
    alice, carol, django_capture_on_commit_callbacks
):
    carol.language, alice.language = "en", "nl"
    carol.save(update_fields=["language"])
    alice.save(update_fields=["language"])
    help_request = HelpRequest.objects.create(
        organisation=alice.organisations().get(),
        service_point=carol.organisations().get(),
        asker=alice,
        subject="Exporteren",
        question="Hoe?",
    )
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        help_request_reply(help_request=help_request, author=carol, body="Via the export button.")
    (message,) = mail.outbox
    assert message.to == [alice.email]
    assert message.subject == "Nieuwe reactie op: Exporteren"
    assert OutboxMessage.objects.get(channel="email").language == "nl"


def test_an_invitee_without_an_account_gets_the_senders_language(arnhem, django_capture_on_commit_callbacks):
    invitee = User(email="nieuw@arnhem.example")  # unsaved: an address only
    with translation.override("en"), django_capture_on_commit_callbacks(execute=False):
        (row,) = notify(organisation=arnhem, recipients=[invitee], template="invitation", context={}, in_app=False)
    assert row.language == "en"


def test_a_first_login_keeps_the_language_it_was_made_in(client, alice, password):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.post(LOGIN, {"login": alice.email, "password": password})
    assert response.status_code == 302
    alice.refresh_from_db()
    assert alice.language == "en"


def test_a_login_opens_the_site_in_the_accounts_language(client, alice, password):
    alice.language = "en"
    alice.save(update_fields=["language"])
    response = client.post(LOGIN, {"login": alice.email, "password": password}, follow=True)
    assert response.status_code == 200
    assert '<html lang="en"' in response.content.decode()
    alice.refresh_from_db()
    assert alice.language == "en"  # a Dutch login page does not overwrite the choice

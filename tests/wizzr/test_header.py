"""The header: organisation switcher, language switch, notifications; and the error pages."""

import pytest
from django.test import override_settings
from django.urls import reverse

from tests.factories import AuthorityFactory
from wizzr.models import Membership, Notification, Role

pytestmark = pytest.mark.django_db

START = reverse("start")


@pytest.fixture
def shared_advisor(alice, renkum):
    """Alice also advises Renkum, like a shared procurement office."""
    Membership.objects.create(user=alice, organisation=renkum, role=Role.ADVISOR)
    return alice


def test_a_user_with_one_organisation_sees_its_name_and_no_switcher(client, alice):
    client.force_login(alice)
    html = client.get(START).content.decode()
    assert '<span class="wizzr-header__org-name">Gemeente Arnhem</span>' in html
    assert reverse("switch_organisation") not in html


def test_a_user_with_several_organisations_gets_a_switcher(client, shared_advisor, arnhem, renkum):
    client.force_login(shared_advisor)
    html = client.get(START).content.decode()
    assert reverse("switch_organisation") in html
    assert f'value="{arnhem.uuid}" aria-current="true">Gemeente Arnhem</button>' in html
    assert f'value="{renkum.uuid}">Gemeente Renkum</button>' in html


def test_switching_organisation_changes_the_current_one(client, shared_advisor, renkum):
    client.force_login(shared_advisor)
    response = client.post(reverse("switch_organisation"), {"organisation": str(renkum.uuid), "next": "/meldingen/"})
    assert response["Location"] == "/meldingen/"
    html = client.get(START).content.decode()
    assert "U werkt voor Gemeente Renkum" in html
    assert "U werkt nu voor Gemeente Renkum." in html


def test_switching_to_a_foreign_organisation_is_not_found(client, alice, renkum):
    client.force_login(alice)
    response = client.post(reverse("switch_organisation"), {"organisation": str(renkum.uuid)})
    assert response.status_code == 404
    assert "U werkt voor Gemeente Arnhem" in client.get(START).content.decode()


def test_switching_never_redirects_to_another_site(client, shared_advisor, renkum):
    client.force_login(shared_advisor)
    response = client.post(
        reverse("switch_organisation"), {"organisation": str(renkum.uuid), "next": "https://evil.example/"}
    )
    assert response["Location"] == START


def test_switching_needs_a_post(client, shared_advisor, renkum):
    client.force_login(shared_advisor)
    assert client.get(reverse("switch_organisation"), {"organisation": str(renkum.uuid)}).status_code == 405


def test_the_interface_switches_to_english_and_back(client, alice):
    client.force_login(alice)
    response = client.post(reverse("set_language"), {"language": "en", "next": START}, follow=True)
    html = response.content.decode()
    assert '<html lang="en"' in html
    assert "Start new contract" in html
    assert "Monitor contracts" in html
    assert "Opstarten nieuw contract" not in html
    assert ">Nederlands</button>" in html
    response = client.post(reverse("set_language"), {"language": "nl", "next": START}, follow=True)
    assert "Opstarten nieuw contract" in response.content.decode()


def test_the_login_page_is_available_in_english(client):
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    html = client.get(reverse("account_login")).content.decode()
    assert ">E-mail address</label>" in html
    assert ">Log in</button>" in html


def test_the_badge_counts_unread_notifications(client, alice, arnhem):
    Notification.objects.create(organisation=arnhem, user=alice, title="Contract overgedragen")
    Notification.objects.create(organisation=arnhem, user=alice, title="Oud bericht", read_at="2026-01-01T10:00Z")
    client.force_login(alice)
    html = client.get(START).content.decode()
    assert 'data-testid="notification-badge"><span class="wizzr-visually-hidden">: </span>1<' in html


def test_no_badge_without_unread_notifications(client, alice):
    client.force_login(alice)
    assert "notification-badge" not in client.get(START).content.decode()


def test_opening_a_notification_marks_it_read_and_follows_its_link(client, alice, arnhem):
    note = Notification.objects.create(organisation=arnhem, user=alice, title="Nieuw bericht", url="/kennisbank/")
    client.force_login(alice)
    listing = client.get(reverse("notifications")).content.decode()
    assert "Nieuw bericht" in listing
    response = client.post(reverse("notification_open", args=[note.uuid]))
    assert response["Location"] == "/kennisbank/"
    note.refresh_from_db()
    assert note.read_at is not None


def test_a_notification_never_redirects_to_another_site(client, alice, arnhem):
    note = Notification.objects.create(organisation=arnhem, user=alice, title="Phish", url="https://evil.example/")
    client.force_login(alice)
    assert client.post(reverse("notification_open", args=[note.uuid]))["Location"] == reverse("notifications")


def test_someone_elses_notification_is_not_found(client, alice, bob, renkum):
    note = Notification.objects.create(organisation=renkum, user=bob, title="Voor Bob")
    client.force_login(alice)
    assert client.post(reverse("notification_open", args=[note.uuid])).status_code == 404
    assert "Voor Bob" not in client.get(reverse("notifications")).content.decode()
    note.refresh_from_db()
    assert note.read_at is None


def test_the_knowledge_base_button_is_on_every_page(client, alice):
    client.force_login(alice)
    for url in (START, reverse("notifications"), reverse("accessibility")):
        html = client.get(url).content.decode()
        assert f'<a class="wizzr-robot" href="{reverse("knowledgebase:index")}">' in html
        assert "<span>Kennisbank</span>" in html


def test_the_footer_links_to_the_accessibility_statement(client):
    html = client.get(reverse("account_login")).content.decode()
    assert reverse("accessibility") in html
    assert "Toegankelijkheidsverklaring" in client.get(reverse("accessibility")).content.decode()


def test_a_missing_page_is_a_friendly_dutch_404(client, alice):
    client.force_login(alice)
    response = client.get("/bestaat-niet/")
    assert response.status_code == 404
    assert "Pagina niet gevonden" in response.content.decode()


def test_a_missing_role_is_a_friendly_dutch_403(client, alice):
    client.force_login(alice)
    response = client.get(reverse("members"))
    assert response.status_code == 403
    assert "Met uw rol in deze organisatie kunt u deze pagina niet gebruiken." in response.content.decode()


@override_settings(DEBUG_PROPAGATE_EXCEPTIONS=False)
def test_the_error_page_renders_without_the_database(client, django_assert_num_queries):
    from wizzr.views import server_error

    with django_assert_num_queries(0):
        response = server_error(None)
    assert response.status_code == 500
    assert "Er ging iets mis" in response.content.decode()


def test_a_user_without_organisation_is_told_so(client):
    from tests.factories import UserFactory

    user = UserFactory(email="los@example.org")
    client.force_login(user)
    html = client.get(START).content.decode()
    assert "Uw account is nog niet gekoppeld aan een organisatie." in html
    assert "Opstarten nieuw contract" not in html


def test_the_tiles_follow_the_current_organisation(client, alice):
    other = AuthorityFactory(name="Gemeente Ede", slug="ede")
    Membership.objects.create(user=alice, organisation=other, role=Role.ORG_ADMIN)
    client.force_login(alice)
    assert "Leden beheren" not in client.get(START).content.decode()
    client.post(reverse("switch_organisation"), {"organisation": str(other.uuid)})
    html = client.get(START).content.decode()
    assert "Leden beheren" in html
    assert "Opstarten nieuw contract" not in html

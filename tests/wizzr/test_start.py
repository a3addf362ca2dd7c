import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_it_sends_anonymous_visitors_to_login(anonymous):
    response = anonymous.get(reverse("start"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_it_shows_both_advisor_tiles_in_dutch(client, alice):
    client.force_login(alice)
    response = client.get(reverse("start"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Opstarten nieuw contract" in html
    assert "Monitoren contracten" in html
    assert "Werkvoorraad" not in html


def test_it_shows_the_work_queue_tile_to_coordinators(client, carol):
    client.force_login(carol)
    html = client.get(reverse("start")).content.decode()
    assert "Werkvoorraad" in html
    assert "Opstarten nieuw contract" not in html


def test_healthz_checks_the_database(client):
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}

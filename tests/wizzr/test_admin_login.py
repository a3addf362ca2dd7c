import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_the_admin_login_goes_through_the_account_login(client):
    response = client.get("/admin/login/?next=/admin/wizzr/user/")
    assert response.status_code == 302
    assert response["Location"] == reverse("account_login") + "?next=/admin/wizzr/user/"


def test_the_admin_login_refuses_a_foreign_next(client):
    response = client.get("/admin/login/?next=https://evil.example/")
    assert response["Location"] == reverse("account_login") + "?next=/admin/"


def test_the_admin_index_sends_anonymous_visitors_to_the_account_login(client):
    response = client.get("/admin/", follow=True)
    assert response.redirect_chain[-1][0].startswith(reverse("account_login"))

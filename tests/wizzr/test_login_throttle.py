"""Wrong passwords slow down the account tried, never the colleagues who share its address."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.urls import reverse

from tests.factories import member
from wizzr import login_throttle
from wizzr.models import Role

pytestmark = pytest.mark.django_db

LOGIN = reverse("account_login")
WRONG = "niet-het-goede-wachtwoord"
WAIT_MESSAGE = "Er is te vaak een verkeerd wachtwoord gebruikt voor dit e-mailadres."
NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


@pytest.fixture
def clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def attempt(client, email: str, password: str, ip: str = "198.51.100.7"):
    return client.post(LOGIN, {"login": email, "password": password}, REMOTE_ADDR=ip)


def fail_after_each_wait(client, email: str, times: int, clock) -> None:
    """``times`` wrong passwords, each one checked: the clock moves past every delay in between."""
    for number in range(1, times + 1):
        html = attempt(client, email, WRONG).content.decode()
        assert "Het e-mailadres of het wachtwoord klopt niet." in html, number
        clock.shift(timedelta(seconds=login_throttle.account_delay(number) + 1))


def test_the_delay_doubles_after_five_failures_up_to_fifteen_minutes():
    assert [login_throttle.account_delay(n) for n in range(1, 16)] == [
        0, 0, 0, 0, 2, 4, 8, 16, 32, 64, 128, 256, 512, 900, 900
    ]


def test_twenty_wrong_passwords_for_one_account_leave_a_colleague_at_the_same_address_in(
    client, alice, password, arnhem, clock
):
    colleague = member("henk@arnhem.example", arnhem, Role.ADVISOR, name="Henk de Boer")
    fail_after_each_wait(client, alice.email, 20, clock)
    # Then a burst without waiting: one more failure, and the rest refused for alice without a check.
    assert "klopt niet" in attempt(client, alice.email, WRONG).content.decode()
    for _ in range(20):
        assert WAIT_MESSAGE in attempt(client, alice.email, WRONG).content.decode()
    response = attempt(client, colleague.email, password)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(colleague.pk)


def test_the_hammered_account_waits_longer_after_each_failure(client, alice, clock):
    for _ in range(5):
        assert "klopt niet" in attempt(client, alice.email, WRONG).content.decode()
    html = attempt(client, alice.email, WRONG).content.decode()
    assert WAIT_MESSAGE in html
    assert "Probeer het over 2 seconden opnieuw." in html
    assert "Wachtwoord vergeten?" in html and "een nieuw wachtwoord aan" in html
    clock.shift(timedelta(seconds=3))
    assert "klopt niet" in attempt(client, alice.email, WRONG).content.decode()
    assert "Probeer het over 4 seconden opnieuw." in attempt(client, alice.email, WRONG).content.decode()
    clock.shift(timedelta(seconds=5))
    assert "klopt niet" in attempt(client, alice.email, WRONG).content.decode()
    assert "Probeer het over 8 seconden opnieuw." in attempt(client, alice.email, WRONG).content.decode()


def test_after_many_failures_the_wait_is_fifteen_minutes_at_most(client, alice, clock):
    fail_after_each_wait(client, alice.email, 15, clock)
    clock.shift(timedelta(seconds=-901))  # back to just after the fifteenth failure
    html = attempt(client, alice.email, WRONG).content.decode()
    assert "Probeer het over 15 minuten opnieuw." in html


def test_the_right_password_waits_too_and_works_after_the_wait(client, alice, password, clock):
    for _ in range(6):
        attempt(client, alice.email, WRONG)
    response = attempt(client, alice.email, password)
    assert WAIT_MESSAGE in response.content.decode()
    assert "_auth_user_id" not in client.session
    clock.shift(timedelta(seconds=3))
    response = attempt(client, alice.email, password)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(alice.pk)
    # A correct login starts the count afresh: the next mistake costs no wait.
    client.post(reverse("account_logout"))
    assert "klopt niet" in attempt(client, alice.email, WRONG).content.decode()
    assert "klopt niet" in attempt(client, alice.email, WRONG).content.decode()


def test_an_unknown_address_gets_the_same_answers(client, clock):
    for _ in range(5):
        assert "klopt niet" in attempt(client, "niemand@example.org", WRONG).content.decode()
    assert "Probeer het over 2 seconden opnieuw." in attempt(client, "niemand@example.org", WRONG).content.decode()


def test_a_password_reset_clears_the_delay(client, alice, mailoutbox, clock):
    fail_after_each_wait(client, alice.email, 12, clock)
    clock.shift(timedelta(seconds=-login_throttle.account_delay(12)))  # in the middle of the wait
    assert WAIT_MESSAGE in attempt(client, alice.email, WRONG).content.decode()
    client.post(reverse("account_reset_password"), {"email": alice.email})
    link = next(line for line in mailoutbox[-1].body.splitlines() if "/accounts/password/reset/key/" in line)
    page = client.get(link, follow=True)
    new = "een-nieuw-wachtwoord-2026"
    done = client.post(page.redirect_chain[-1][0], {"password1": new, "password2": new}, follow=True)
    assert "Wachtwoord gewijzigd" in done.content.decode()
    response = attempt(client, alice.email, new)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(alice.pk)


def test_spraying_many_accounts_from_one_address_uses_up_its_budget(client, alice, password, monkeypatch, clock):
    monkeypatch.setattr(login_throttle, "ADDRESS_BUDGET", 6)
    monkeypatch.setattr(login_throttle, "ADDRESS_SHARE_PER_ACCOUNT", 2)
    for number in range(3):
        for _ in range(3):  # the third failure of an account does not count against the address
            attempt(client, f"iemand-{number}@example.org", WRONG)
    html = attempt(client, alice.email, password).content.decode()
    assert "Vanaf uw netwerk is te vaak met een verkeerd wachtwoord geprobeerd in te loggen." in html
    assert "Probeer het over 15 minuten opnieuw." in html
    # Another address is not affected, and the budget frees up after the window.
    assert attempt(client, alice.email, password, ip="203.0.113.9").status_code == 302
    client.post(reverse("account_logout"))
    clock.shift(timedelta(minutes=15, seconds=1))
    assert attempt(client, alice.email, password).status_code == 302


def test_one_account_counts_for_at_most_five_failures_of_its_address(client, alice, password, monkeypatch, clock):
    monkeypatch.setattr(login_throttle, "ADDRESS_BUDGET", 6)
    fail_after_each_wait(client, "iemand@example.org", 12, clock)
    assert attempt(client, alice.email, password).status_code == 302

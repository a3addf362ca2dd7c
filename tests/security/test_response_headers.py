"""Every route of the URLconf answers with a Permissions-Policy, to a signed-in user never cacheably, and
with HTML always varying on HX-Request (a page and its htmx fragment share a URL).

The routes come from the URLconf itself (as in test_tenancy_matrix.py): a new route without a row in
``routes.ROUTES`` fails here too. Each route is requested anonymously and by one signed-in persona per
answer the matrix expects (200, 302, 400, 403, 404), so pages, fragments, redirects, refusals and file
downloads are all seen.
"""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client, override_settings
from django.urls import reverse

from tests.security.routes import ROUTES
from tests.security.test_tenancy_matrix import (
    EXPECTED,
    PERSONAS,
    SEPARATELY_CHECKED,
    all_route_names,
    request_as,
    url_for,
)

DENIED = ("camera=()", "microphone=()", "geolocation=()", "payment=()", "usb=()", "serial=()", "bluetooth=()",
          "midi=()", "magnetometer=()", "gyroscope=()", "accelerometer=()", "display-capture=()", "fullscreen=()",
          "browsing-topics=()")

OUR_ROUTES = sorted(name for name in all_route_names() if not name.startswith(SEPARATELY_CHECKED))


def assert_permissions_policy(response, what: str) -> None:
    policy = response.get("Permissions-Policy", "")
    missing = [feature for feature in DENIED if feature not in policy]
    assert not missing, f"{what}: Permissions-Policy lacks {missing}"


def assert_not_stored(response, what: str) -> None:
    directives = {d.strip() for d in response.get("Cache-Control", "").split(",")}
    assert {"private", "no-store"} <= directives, f"{what}: Cache-Control is {response.get('Cache-Control')!r}"
    assert "public" not in directives, what


def assert_varies_on_htmx(response, what: str) -> None:
    if response.get("Content-Type", "").startswith("text/html"):
        varies = {v.strip().lower() for v in response.get("Vary", "").split(",")}
        assert "hx-request" in varies, f"{what}: Vary is {response.get('Vary')!r}"


def one_persona_per_answer(name: str) -> dict[int, str]:
    """A signed-in persona for each status the matrix expects of ``name``, the first in matrix order."""
    statuses = dict(zip(PERSONAS, map(int, EXPECTED[name].split()), strict=True))
    chosen: dict[int, str] = {}
    for persona, status in statuses.items():
        if persona != "anon":
            chosen.setdefault(status, persona)
    return chosen


@pytest.mark.parametrize("name", OUR_ROUTES)
def test_every_route_sends_the_permissions_policy_and_signed_in_answers_are_never_stored(client, w, name):
    assert name in ROUTES, f"{name} has no row in tests/security/routes.py"
    method = ROUTES[name][0]
    url = url_for(name, w)
    anonymous = request_as(client, w, "anon", method, url)
    assert_permissions_policy(anonymous, f"{name} anonymous")
    assert_varies_on_htmx(anonymous, f"{name} anonymous")
    for status, persona in one_persona_per_answer(name).items():
        response = request_as(client, w, persona, method, url)
        assert response.status_code == status, f"{name} as {persona}"
        assert_permissions_policy(response, f"{name} as {persona}")
        assert_not_stored(response, f"{name} as {persona} ({status})")
        assert_varies_on_htmx(response, f"{name} as {persona} ({status})")


def test_file_downloads_are_among_the_routes_walked(w):
    # The walk above covers the downloads with a signed-in persona that gets the file itself.
    for name in ("contracts:attachment_download", "monitoring:evidence", "portal:evidence",
                 "knowledgebase:help_request_attachment"):
        assert 200 in one_persona_per_answer(name), name


def test_an_htmx_fragment_is_never_stored(client, w):
    client.cookies[settings.SESSION_COOKIE_NAME] = w["sessions"]["alice"]
    response = client.get(reverse("monitoring:individual"), headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert "<html" not in response.content.decode()  # the fragment, not the page
    assert_not_stored(response, "htmx fragment")


@pytest.mark.parametrize("htmx", [False, True])
def test_a_page_and_its_htmx_fragment_both_vary_on_the_htmx_header(client, w, htmx):
    client.cookies[settings.SESSION_COOKIE_NAME] = w["sessions"]["alice"]
    response = client.get(reverse("monitoring:individual"), headers={"HX-Request": "true"} if htmx else {})
    assert response.status_code == 200
    assert ("<html" in response.content.decode()) is not htmx
    assert "HX-Request" in response["Vary"]


def test_a_stylesheet_does_not_vary_on_the_htmx_header(client, w):
    response = request_as(client, w, "anon", "get", "/static/css/wizzr.css")
    assert response.status_code == 200
    assert "HX-Request" not in response.get("Vary", "")


@pytest.mark.parametrize(
    ("persona", "url"),
    [
        ("anon", "/accounts/login/"),
        ("anon", "/accounts/password/reset/"),
        ("alice", "/accounts/email/"),
        ("alice", "/accounts/2fa/"),
        ("alice", "/accounts/reauthenticate/"),
        ("staff", "/admin/"),
        ("staff", "/admin/wizzr/user/"),
        ("alice", "/bestaat-niet/"),
        ("anon", "/bestaat-niet/"),
    ],
)
def test_account_admin_and_not_found_pages_send_the_headers_too(client, w, persona, url):
    response = request_as(client, w, persona, "get", url)
    assert_permissions_policy(response, url)
    if persona != "anon":
        assert_not_stored(response, url)


def test_a_refused_csrf_token_answers_with_the_headers(w):
    browser = Client(enforce_csrf_checks=True)
    browser.cookies[settings.SESSION_COOKIE_NAME] = w["sessions"]["alice"]
    response = browser.post(reverse("switch_organisation"), {"organisation": str(w["arnhem"].uuid)})
    assert response.status_code == 403
    assert_permissions_policy(response, "CSRF failure")
    assert_not_stored(response, "CSRF failure")


@override_settings(ROOT_URLCONF="tests.wizzr.error_urls")
def test_the_server_error_page_sends_the_headers(w):
    browser = Client(raise_request_exception=False)
    browser.cookies[settings.SESSION_COOKIE_NAME] = w["sessions"]["alice"]
    response = browser.get("/kapot/")
    assert response.status_code == 500
    assert_permissions_policy(response, "500")
    assert_not_stored(response, "500")


def test_static_files_keep_their_caching_for_everyone(client, w):
    for persona in ("anon", "alice"):
        response = request_as(client, w, persona, "get", "/static/css/wizzr.css")
        assert response.status_code == 200
        assert "no-store" not in response.get("Cache-Control", ""), persona
        assert "max-age" in response.get("Cache-Control", ""), persona

"""With DEBUG on (the demo), errors show the product's own pages: Dutch, with a way back, the right status.

Django's technical pages (URL map, traceback) come back only with DEBUG_TECHNICAL_ERRORS for developers.
"""

from __future__ import annotations

import logging

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation

from tests.contracts.factories import ContractFactory

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.wizzr.error_urls")]

TECHNICAL = ("Page not found at", "Using the URLconf", "Traceback", "Request Method:", "DEBUG = True")


@pytest.fixture(autouse=True)
def demo_mode(settings):
    settings.DEBUG = True
    settings.DEBUG_TECHNICAL_ERRORS = False


def assert_product_page(response, status: int, heading: str) -> str:
    html = response.content.decode()
    assert response.status_code == status
    assert f'<h1 class="utrecht-heading-1">{heading}</h1>' in html
    assert 'href="/"' in html and "Naar het startscherm" in html
    for marker in TECHNICAL:
        assert marker not in html, marker
    return html


def test_an_unknown_url_gives_the_product_404_page(client):
    assert_product_page(client.get("/bestaat-niet/"), 404, "Pagina niet gevonden")


def test_an_unknown_url_gives_the_product_404_page_to_a_signed_in_user_too(client, alice):
    client.force_login(alice)
    html = assert_product_page(client.get("/contracten/bestaat-niet/"), 404, "Pagina niet gevonden")
    assert "Alice de Vries" in html  # the normal header: the user can go on from here


def test_another_tenants_contract_gives_the_product_404_page(client, bob, arnhem):
    contract = ContractFactory(organisation=arnhem)
    client.force_login(bob)
    assert_product_page(client.get(reverse("contracts:detail", args=[contract.uuid])), 404, "Pagina niet gevonden")


def test_a_missing_role_gives_the_product_403_page(client, carol):
    client.force_login(carol)
    html = assert_product_page(client.get(reverse("contracts:create")), 403, "Geen toegang")
    assert "Met uw rol in deze organisatie kunt u deze pagina niet gebruiken." in html


def test_a_view_that_raises_gives_the_product_500_page_and_is_logged_with_its_traceback(client, caplog):
    client.raise_request_exception = False
    with caplog.at_level(logging.ERROR, logger="django.request"):
        response = client.get("/kapot/")
    assert_product_page(response, 500, "Er ging iets mis")
    [record] = [r for r in caplog.records if r.name == "django.request"]
    assert record.getMessage() == "Internal Server Error: /kapot/"
    assert record.exc_info and isinstance(record.exc_info[1], RuntimeError)


def test_the_error_pages_are_english_for_an_english_visitor(client):
    response = client.get("/bestaat-niet/", headers={"Accept-Language": "en"})
    html = response.content.decode()
    assert response.status_code == 404
    assert '<html lang="en"' in html and 'href="/"' in html
    assert "Page not found at" not in html


def test_developers_can_have_the_technical_pages_back(client, settings):
    settings.DEBUG_TECHNICAL_ERRORS = True
    response = client.get("/bestaat-niet/")
    assert response.status_code == 404
    assert "Using the URLconf" in response.content.decode()


@pytest.mark.parametrize("template", ["403.html", "404.html"])
@pytest.mark.parametrize("language", ["nl", "en"])
def test_the_error_templates_render_without_a_request_user(template, language):
    request = RequestFactory().get("/bestaat-niet/", headers={"Accept-Language": language})
    request.LANGUAGE_CODE = language
    with translation.override(language):
        html = render_to_string(template, request=request)
    assert f'<html lang="{language}"' in html
    assert 'href="/"' in html

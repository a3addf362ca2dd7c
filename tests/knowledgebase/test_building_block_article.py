"""The generated building-block article lists, for each region's version in force, the social
purchasing and per-hour blocks with their unit in words, in Dutch and in English."""

import datetime
import html as html_lib
import re
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse
from django.utils import translation

from knowledgebase.content import load_shipped
from knowledgebase.models import Article, Category
from tests.catalogue.factories import ship_catalogues

pytestmark = pytest.mark.django_db

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


@pytest.fixture
def article():
    load_shipped(article_model=Article, category_model=Category)
    ship_catalogues()
    return Article.objects.get(slug="bouwblokkenmodel")


def text_of(article, language: str) -> str:
    """The article as text, one line per table row, paragraph, list item or heading."""
    with translation.override(language):
        rendered = " ".join(str(article.body_html()).split())
    rendered = re.sub(r"</(tr|p|li|h\d)>", "\n", rendered)
    return html_lib.unescape(re.sub(r"<[^>]+>", " ", rendered))


def section(text: str, heading: str, next_heading: str | None) -> str:
    part = text.split(heading, 1)[1]
    return part.split(next_heading, 1)[0] if next_heading else part


def rows(text: str) -> list[str]:
    return [" ".join(line.split()) for line in text.splitlines() if line.strip()]


def row_with(text: str, name: str) -> str:
    found = [line for line in rows(text) if name in line]
    assert found, name
    return found[0]


DUTCH = {
    "oost": "Uniform Bouwblokkenmodel Oost-Nederland",
    "utrecht": "Bouwblokken Social Return regio Utrecht",
}


def test_in_2026_the_article_shows_oost_nederland_v05_and_utrecht_2026_with_their_social_blocks(article):
    with time_machine.travel(datetime.datetime(2026, 3, 2, 12, tzinfo=AMSTERDAM), tick=False):
        nl = text_of(article, "nl")
        en = text_of(article, "en")

    oost_nl = section(nl, DUTCH["oost"], DUTCH["utrecht"])
    utrecht_nl = section(nl, DUTCH["utrecht"], None)
    assert "versie V05 april 2023" in oost_nl and "versie Utrecht 2026, geldig vanaf 1 januari 2026" in utrecht_nl
    for name, words in [
        ("Inkoop bij een onderneming in het Register Code Sociale Ondernemingen", "100 % van het factuurbedrag excl. btw"),
        ("Inkoop bij een lid van Social Enterprise NL", "50 % van het factuurbedrag excl. btw"),
        ("Inkoop bij een SW-bedrijf (betaalde facturen)", "100 % van het factuurbedrag excl. btw"),
        ("Inkoop bij een PSO 30+-gecertificeerde onderneming", "100 % van het factuurbedrag excl. btw"),
    ]:
        row = row_with(oost_nl, name)
        assert "sociaal inkopen" in row and row.rstrip(" |").endswith(words), row
    # No per-hour block is known for Oost-Nederland (its notes say so).
    assert not [line for line in rows(oost_nl) if line.endswith("per uur")]
    assert "Een bouwblok per uur voor maatschappelijke activiteit of kennisdeling ontbreekt nog" in oost_nl

    activity = row_with(utrecht_nl, "Maatschappelijke activiteit: hulp of kennis voor een lokaal initiatief")
    assert "maatschappelijke activiteit" in activity and "€ 100,00 per uur" in activity
    for name in ["Afname bij een sociale onderneming", "Wsw-inzet via het SW-bedrijf (betaalde facturen)"]:
        row = row_with(utrecht_nl, name)
        assert "sociaal inkopen" in row and "100 % van het factuurbedrag excl. btw" in row
    assert "€ 5.000,00 per jaar" in utrecht_nl  # the 50-plus bonus of 2026
    assert "versie Utrecht 2023" not in nl

    oost_en = section(en, DUTCH["oost"], DUTCH["utrecht"])
    utrecht_en = section(en, DUTCH["utrecht"], None)
    assert "version V05 april 2023" in oost_en and "version Utrecht 2026" in utrecht_en
    row = row_with(oost_en, "Inkoop bij een lid van Social Enterprise NL")
    assert "social procurement" in row and "50 % of the invoice amount excl. VAT" in row
    row = row_with(oost_en, "Inkoop bij een onderneming in het Register Code Sociale Ondernemingen")
    assert "100 % of the invoice amount excl. VAT" in row
    activity = row_with(utrecht_en, "Maatschappelijke activiteit: hulp of kennis voor een lokaal initiatief")
    assert "community activity" in activity and "€ 100.00 per hour" in activity
    row = row_with(utrecht_en, "Wsw-inzet via het SW-bedrijf (betaalde facturen)")
    assert "social procurement" in row and "100 % of the invoice amount excl. VAT" in row
    assert not [line for line in rows(en) if line.endswith(("per uur", "factuurbedrag excl. btw"))]


def test_in_2025_the_article_shows_utrecht_2023_with_its_own_per_hour_and_purchasing_blocks(article):
    with time_machine.travel(datetime.datetime(2025, 6, 2, 12, tzinfo=AMSTERDAM), tick=False):
        nl = text_of(article, "nl")
        en = text_of(article, "en")
    utrecht_nl = section(nl, DUTCH["utrecht"], None)
    assert "versie Utrecht 2023" in utrecht_nl and "Utrecht 2026" not in nl
    assert "€ 100,00 per uur" in row_with(utrecht_nl, "Hulp, ondersteuning of kennis voor een maatschappelijk initiatief")
    assert "100 % van het factuurbedrag excl. btw" in row_with(utrecht_nl, "Inkoop bij sociale ondernemingen / SW-bedrijven")
    utrecht_en = section(en, DUTCH["utrecht"], None)
    assert "€ 100.00 per hour" in row_with(utrecht_en, "Hulp, ondersteuning of kennis voor een maatschappelijk initiatief")


def test_the_article_page_shows_the_blocks_in_the_reader_s_language(client, alice, article):
    client.force_login(alice)
    url = reverse("knowledgebase:article", args=["bouwblokkenmodel"])
    with time_machine.travel(datetime.datetime(2026, 3, 2, 12, tzinfo=AMSTERDAM), tick=False):
        dutch = html_lib.unescape(client.get(url).content.decode())
        client.cookies["django_language"] = "en"
        english = html_lib.unescape(client.get(url, headers={"Accept-Language": "en"}).content.decode())
    assert "50 % van het factuurbedrag excl. btw" in dutch and "€ 100,00 per uur" in dutch
    assert "50 % of the invoice amount excl. VAT" in english and "€ 100.00 per hour" in english

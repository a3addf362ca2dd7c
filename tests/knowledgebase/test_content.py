"""The articles WIZZR ships, and the demo seed."""

import re
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.color import no_style
from django.urls import reverse
from django.utils import translation

from knowledgebase.content import CATEGORIES, load_shipped, shipped_articles
from knowledgebase.models import Article, Audience, Category, HelpRequest
from knowledgebase.seed import seed_demo
from tests.catalogue.factories import ship_catalogues

pytestmark = pytest.mark.django_db

REQUIRED_TOPICS = [
    "wat-is-social-return", "bouwblokkenmodel", "inkoopcontract-invoeren", "opdrachtnemer-zoeken-of-toevoegen",
    "bijlagen-toevoegen", "overdragen-en-daarna", "contracten-monitoren", "voortgang-en-op-schema",
    "wijziging-doorgeven", "hulpvraag-stellen", "privacy-van-kandidaten", "inloggen-en-tweestapsverificatie",
]


@pytest.fixture
def shipped():
    load_shipped(article_model=Article, category_model=Category)
    ship_catalogues()
    return {article.slug: article for article in Article.objects.all()}


def test_at_least_twelve_articles_cover_the_required_topics_in_dutch_and_english(shipped):
    assert len(shipped) >= 12
    assert set(REQUIRED_TOPICS) <= set(shipped)
    for article in shipped.values():
        assert article.is_published
        for field in ["title_nl", "summary_nl", "body_nl", "title_en", "summary_en", "body_en"]:
            assert len(getattr(article, field)) > 20 or field.startswith("title"), (article.slug, field)
        assert article.plain_nl and article.plain_en != article.plain_nl


def test_every_internal_link_and_related_article_exists():
    slugs = {article.slug for article in shipped_articles()}
    categories = {slug for slug, *_ in CATEGORIES}
    for article in shipped_articles():
        assert article.category in categories
        assert set(article.related) <= slugs, article.slug
        for body in (article.fields["body_nl"], article.fields["body_en"]):
            assert set(re.findall(r"\]\(kb:([-a-z0-9]+)\)", body)) <= slugs, article.slug


def test_every_article_renders_in_both_languages(shipped):
    for article in shipped.values():
        for language in ("nl", "en"):
            with translation.override(language):
                html = article.body_html()
            assert 'href="#"' not in html
            assert "<h2" in html, (article.slug, language)


def test_the_coordinator_article_is_only_for_coordinators(shipped):
    assert shipped["hulpvragen-beantwoorden"].audience == Audience.COORDINATORS


def test_the_building_block_article_shows_the_catalogue_data_and_follows_changes(client, alice, shipped):
    from catalogue.models import BuildingBlock, CatalogueVersion

    client.force_login(alice)
    url = reverse("knowledgebase:article", args=["bouwblokkenmodel"])
    html = client.get(url).content.decode()
    assert "Uniform Bouwblokkenmodel Oost-Nederland" in html
    assert "Participatiewet, uitkering korter dan 2 jaar" in html
    assert "30.000,00" in html
    version = CatalogueVersion.objects.get(label="V05 april 2023")
    BuildingBlock.objects.create(
        version=version, name="Stage VSO/PrO", category="internship", unit="per_month", value=Decimal("500")
    )
    assert "Stage VSO/PrO" in client.get(url).content.decode()


def test_searching_the_shipped_articles_finds_the_expected_one(client, alice, shipped):
    client.force_login(alice)
    for query, slug in [("bouwblokken", "bouwblokkenmodel"), ("verplichte velden", "inkoopcontract-invoeren"),
                        ("telefoon kwijt", "inloggen-en-tweestapsverificatie"), ("BSN", "privacy-van-kandidaten"),
                        ("achter op schema", "voortgang-en-op-schema"), ("verlenging", "wijziging-doorgeven")]:
        html = client.get(reverse("knowledgebase:index"), {"q": query}).content.decode()
        first = re.search(r'href="/kennisbank/artikel/([-a-z0-9]+)/"', html.split("kb-hits", 1)[1]).group(1)
        assert first == slug, query


def test_loading_again_keeps_edits_unless_asked_to_overwrite(shipped):
    article = shipped["wat-is-social-return"]
    article.title_nl = "Aangepast door de beheerder"
    article.save()
    load_shipped(article_model=Article, category_model=Category)
    article.refresh_from_db()
    assert article.title_nl == "Aangepast door de beheerder"
    created, updated = load_shipped(article_model=Article, category_model=Category, overwrite=True)
    article.refresh_from_db()
    assert article.title_nl == "Wat is social return?"
    assert created == 0 and updated == len(shipped)


def test_seed_demo_loads_the_articles_and_a_few_help_requests_and_can_run_twice():
    ship_catalogues()  # monitoring's demo needs the shipped catalogue; transactional tests may have emptied it
    call_command("seed_demo", "--force", stdout=StringIO())
    assert Article.objects.filter(slug__in=REQUIRED_TOPICS).count() == len(REQUIRED_TOPICS)
    first = HelpRequest.objects.count()
    assert first >= 2
    assert HelpRequest.objects.filter(kind="change").exists()
    assert HelpRequest.objects.filter(replies__isnull=False).exists()
    seed_demo(stdout=StringIO(), style=no_style())
    assert HelpRequest.objects.count() == first

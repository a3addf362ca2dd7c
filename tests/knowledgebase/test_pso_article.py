"""The generated building-block article names a region's PSO discount on the obligation when the
version in force has one, and says nothing of it when it has none."""

import re
from decimal import Decimal

import pytest
from django.utils import translation

from catalogue.models import CatalogueVersion, PsoDiscount
from knowledgebase.content import load_shipped
from knowledgebase.models import Article, Category
from tests.catalogue.factories import ship_catalogues

pytestmark = pytest.mark.django_db


@pytest.fixture
def article():
    load_shipped(article_model=Article, category_model=Category)
    ship_catalogues()
    return Article.objects.get(slug="bouwblokkenmodel")


def text_of(article) -> str:
    with translation.override("nl"):
        return " ".join(re.sub(r"<[^>]+>", " ", str(article.body_html())).split())


def test_the_article_lists_the_pso_discount_of_the_version_in_force(article):
    assert "PSO-korting" not in text_of(article)
    version = CatalogueVersion.objects.filter(catalogue__region__slug="oost-nederland").published().first()
    PsoDiscount.objects.create(version=version, level="step_2", percentage=Decimal("10"))
    PsoDiscount.objects.create(version=version, level="pso_30", percentage=Decimal("12.5"))

    text = text_of(article)
    assert "PSO-korting op de SROI-verplichting" in text
    assert "PSO trede 2: 10 % korting" in text
    assert "PSO 30+: 12,5 % korting" in text

"""The knowledge base's lists (categories, a category's articles, search results, help requests and
the coordinator's queue) run as many queries for nine rows as for three (tests/query_counts.py)."""

import itertools
import re

import pytest
from django.urls import reverse

from knowledgebase.models import HelpRequest
from tests.contracts.factories import ContractFactory
from tests.knowledgebase.factories import ArticleFactory, CategoryFactory, HelpRequestFactory, ReplyFactory
from tests.query_counts import assert_constant_queries

pytestmark = pytest.mark.django_db
_numbers = itertools.count()


def distinct(pattern: str):
    return lambda html: len(set(re.findall(pattern, html)))


def test_the_categories_of_the_start_page(client, alice):
    def add(count: int) -> None:
        for _ in range(count):
            n = next(_numbers)
            ArticleFactory(category=CategoryFactory(slug=f"qk-{n}", name_nl=f"Rubriek QK-{n:03d}"))

    client.force_login(alice)
    assert_constant_queries(client, reverse("knowledgebase:index"), add, distinct(r"QK-\d{3}"))


@pytest.fixture
def add_articles():
    category = CategoryFactory(slug="qa", name_nl="Rubriek")

    def add(count: int) -> None:
        for _ in range(count):
            n = next(_numbers)
            ArticleFactory(category=category, title_nl=f"Werkgelegenheid QA-{n:03d}", body_nl="Over werkgelegenheid.")

    return add


def test_the_articles_of_a_category(client, alice, add_articles):
    client.force_login(alice)
    url = reverse("knowledgebase:category", args=["qa"])
    assert_constant_queries(client, url, add_articles, distinct(r"QA-\d{3}"))


def test_the_search_results(client, alice, add_articles):
    client.force_login(alice)
    url = reverse("knowledgebase:index") + "?q=werkgelegenheid"
    assert_constant_queries(client, url, add_articles, distinct(r"QA-\d{3}"))


@pytest.fixture
def add_help_requests(arnhem, alice):
    def add(count: int) -> None:
        for _ in range(count):
            n = next(_numbers)
            contract = ContractFactory(organisation=arnhem, contract_number=f"QH-{n:03d}", handed_over=True)
            request = HelpRequestFactory(
                organisation=arnhem, asker=alice, contract=contract, subject=f"Vraag QH-{n:03d}",
                status=HelpRequest.Status.OPEN,
            )
            ReplyFactory(help_request=request)

    return add


def test_my_help_requests(client, alice, add_help_requests):
    client.force_login(alice)
    url = reverse("knowledgebase:help_request_list")
    assert_constant_queries(client, url, add_help_requests, distinct(r"Vraag QH-\d{3}"))


def test_the_coordinators_help_request_queue(client, carol, add_help_requests):
    client.force_login(carol)
    url = reverse("knowledgebase:help_request_queue")
    assert_constant_queries(client, url, add_help_requests, distinct(r"Vraag QH-\d{3}"))

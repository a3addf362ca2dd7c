"""Editors see the unsaved text of an article rendered as readers will see it, before anything goes live."""

import pytest
from django.urls import reverse

from knowledgebase.models import Article
from tests.factories import UserFactory
from tests.knowledgebase.factories import ArticleFactory

pytestmark = pytest.mark.django_db

PREVIEW = "admin:knowledgebase_article_preview"


def test_the_preview_renders_the_unsaved_text_and_stores_nothing(admin_client):
    article = ArticleFactory(body_nl="Oude tekst")

    response = admin_client.post(reverse(PREVIEW), {"language": "nl", "body_nl": "## Nieuwe kop\n\nMet **vet**."})

    html = response.content.decode()
    assert response.status_code == 200
    assert "<h2" in html and "Nieuwe kop" in html and "<strong>vet</strong>" in html
    assert "nog niet opgeslagen" in html
    article.refresh_from_db()
    assert article.body_nl == "Oude tekst"


def test_the_preview_sanitises_like_the_knowledge_base(admin_client):
    html = admin_client.post(
        reverse(PREVIEW), {"language": "en", "body_en": 'Hi <script>alert(1)</script><a href="javascript:x()">x</a>'}
    ).content.decode()
    assert "<script" not in html and "javascript:" not in html
    assert "Hi" in html


def test_an_empty_body_says_so(admin_client):
    assert "Er is nog geen tekst." in admin_client.post(reverse(PREVIEW), {"language": "nl", "body_nl": "  "}).content.decode()


def test_the_change_form_offers_a_preview_button_for_each_language(admin_client):
    article = ArticleFactory()
    html = admin_client.get(reverse("admin:knowledgebase_article_change", args=[article.pk])).content.decode()
    assert html.count(f'hx-post="{reverse(PREVIEW)}"') == 2
    assert 'id="kb-preview-nl"' in html and 'id="kb-preview-en"' in html
    assert "/static/django-htmx/" in html or "htmx" in html


def test_the_preview_needs_a_post_and_the_right_to_edit_articles(client):
    staff = UserFactory(email="redactie@wizzr.example", is_staff=True)
    articles = Article.objects.count()  # the shipped articles, unless an earlier transactional test emptied them
    client.force_login(staff)
    assert client.post(reverse(PREVIEW), {"language": "nl", "body_nl": "x"}).status_code == 403
    client.logout()
    assert client.post(reverse(PREVIEW), {"language": "nl", "body_nl": "x"}).status_code == 302  # to the login
    assert Article.objects.count() == articles  # a preview never saves

import pytest
from django.urls import reverse

from knowledgebase.models import Article, ArticleFeedback, Audience
from tests.factories import UserFactory
from tests.knowledgebase.factories import ArticleFactory, CategoryFactory, FeedbackFactory

pytestmark = pytest.mark.django_db

INDEX = reverse("knowledgebase:index")


@pytest.fixture(autouse=True)
def empty_knowledge_base():
    Article.objects.all().delete()


def article_url(article: Article) -> str:
    return reverse("knowledgebase:article", args=[article.slug])


def test_anonymous_visitors_are_sent_to_the_login_page(client):
    response = client.get(INDEX)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_an_empty_search_shows_the_categories_and_the_most_read_articles(client, alice):
    category = CategoryFactory(name_nl="Contract invoeren en overdragen")
    ArticleFactory(category=category, title_nl="Weinig gelezen", read_count=1)
    ArticleFactory(category=category, title_nl="Veel gelezen", read_count=40)
    client.force_login(alice)
    response = client.get(INDEX)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Contract invoeren en overdragen" in html
    assert "2 artikelen" in html
    assert "Meest gelezen" in html
    assert html.index("Veel gelezen") < html.index("Weinig gelezen")


def test_search_results_are_highlighted(client, alice):
    ArticleFactory(title_nl="Bijlagen toevoegen", body_nl="Voeg een bijlage toe.")
    client.force_login(alice)
    response = client.get(INDEX, {"q": "bijlagen"})
    html = response.content.decode()
    assert "<mark>Bijlagen</mark> toevoegen" in html
    assert "1 artikel gevonden voor ‘bijlagen’" in html


def test_htmx_gets_only_the_results_and_history_restore_the_whole_page(client, alice):
    ArticleFactory(title_nl="Bijlagen toevoegen")
    client.force_login(alice)
    partial = client.get(INDEX, {"q": "bijlagen"}, headers={"HX-Request": "true"}).content.decode()
    assert "<mark>Bijlagen</mark>" in partial
    assert "<html" not in partial and 'id="kb-q"' not in partial
    restored = client.get(
        INDEX, {"q": "bijlagen"}, headers={"HX-Request": "true", "HX-History-Restore-Request": "true"}
    ).content.decode()
    assert "<html" in restored and 'value="bijlagen"' in restored


def test_the_search_field_pushes_the_query_into_the_url(client, alice):
    client.force_login(alice)
    html = client.get(INDEX).content.decode()
    assert 'hx-push-url="true"' in html
    assert "delay:300ms" in html


def test_a_hostile_query_is_escaped_in_the_page(client, alice):
    client.force_login(alice)
    response = client.get(INDEX, {"q": '<script>alert("x")</script>'})
    html = response.content.decode()
    assert response.status_code == 200
    assert '<script>alert("x")' not in html
    assert "&lt;script&gt;" in html


def test_articles_for_coordinators_are_hidden_from_advisors(client, alice, carol):
    article = ArticleFactory(title_nl="Hulpvragen beantwoorden", audience=Audience.COORDINATORS)
    client.force_login(alice)
    assert "Hulpvragen beantwoorden" not in client.get(INDEX, {"q": "hulpvragen"}).content.decode()
    assert client.get(article_url(article)).status_code == 404
    client.force_login(carol)
    assert "<mark>Hulpvragen</mark> beantwoorden" in client.get(INDEX, {"q": "hulpvragen"}).content.decode()
    assert client.get(article_url(article)).status_code == 200


def test_articles_for_advisors_are_hidden_from_coordinators(client, alice, carol):
    article = ArticleFactory(audience=Audience.ADVISORS)
    client.force_login(carol)
    assert client.get(article_url(article)).status_code == 404
    client.force_login(alice)
    assert client.get(article_url(article)).status_code == 200


def test_an_unpublished_article_is_a_preview_for_staff_only(client, alice):
    article = ArticleFactory(is_published=False, title_nl="Nog niet af")
    client.force_login(alice)
    assert client.get(article_url(article)).status_code == 404
    client.force_login(UserFactory(is_staff=True))
    response = client.get(article_url(article))
    assert response.status_code == 200
    assert "Dit artikel is niet gepubliceerd" in response.content.decode()


def test_an_article_shows_its_rendered_body_summary_and_related_articles(client, alice):
    article = ArticleFactory(title_nl="Overdragen", summary_nl="Zo draagt u over.", body_nl="## Stappen\n\n1. Klik op **Overdragen**.")
    related = ArticleFactory(title_nl="Bijlagen toevoegen")
    hidden = ArticleFactory(title_nl="Alleen voor coördinatoren", audience=Audience.COORDINATORS)
    article.related.add(related, hidden)
    client.force_login(alice)
    html = client.get(article_url(article)).content.decode()
    assert '<h2 class="utrecht-heading-2">Stappen</h2>' in html
    assert "<strong>Overdragen</strong>" in html
    assert "Zo draagt u over." in html
    assert "Bijlagen toevoegen" in html
    assert "Alleen voor coördinatoren" not in html


def test_the_interface_language_picks_the_article_language(client, alice):
    article = ArticleFactory(title_nl="Overdragen", title_en="Handing over", body_en="English text.")
    dutch_only = ArticleFactory(title_nl="Alleen Nederlands", title_en="", body_en="")
    client.force_login(alice)
    client.cookies["django_language"] = "en"
    html = client.get(article_url(article), headers={"Accept-Language": "en"}).content.decode()
    assert "Handing over" in html and "English text." in html
    html = client.get(article_url(dutch_only), headers={"Accept-Language": "en"}).content.decode()
    assert 'lang="nl"' in html and "Alleen Nederlands" in html


def test_reading_counts_once_per_session(client, alice, bob):
    article = ArticleFactory()
    client.force_login(alice)
    client.get(article_url(article))
    client.get(article_url(article))
    article.refresh_from_db()
    assert article.read_count == 1
    client.force_login(bob)
    client.get(article_url(article))
    article.refresh_from_db()
    assert article.read_count == 2


def feedback_url(article: Article) -> str:
    return reverse("knowledgebase:article_feedback", args=[article.slug])


def test_a_user_says_an_article_was_helpful_and_can_change_their_mind(client, alice):
    article = ArticleFactory()
    client.force_login(alice)
    response = client.post(feedback_url(article), {"feedback-helpful": "yes"})
    assert response.status_code == 302
    assert ArticleFeedback.objects.get(article=article, user=alice).helpful is True
    client.post(feedback_url(article), {"feedback-helpful": "no", "feedback-remark": "Het voorbeeld ontbreekt."})
    feedback = ArticleFeedback.objects.get(article=article, user=alice)
    assert (feedback.helpful, feedback.remark) == (False, "Het voorbeeld ontbreekt.")
    assert ArticleFeedback.objects.filter(article=article).count() == 1
    html = client.get(article_url(article)).content.decode()
    assert "U vond dit artikel niet nuttig." in html


def test_feedback_through_htmx_returns_the_feedback_block(client, alice):
    article = ArticleFactory()
    client.force_login(alice)
    response = client.post(feedback_url(article), {"feedback-helpful": "yes"}, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Bedankt voor uw reactie." in html
    assert "<html" not in html


def test_feedback_without_an_answer_is_refused_with_a_message(client, alice):
    article = ArticleFactory()
    client.force_login(alice)
    response = client.post(feedback_url(article), {"feedback-remark": "Zomaar"})
    assert response.status_code == 400
    assert "Kies ‘Ja’ of ‘Nee’." in response.content.decode()
    assert "Zomaar" in response.content.decode()
    assert not ArticleFeedback.objects.exists()


def test_a_too_long_remark_is_refused(client, alice):
    article = ArticleFactory()
    client.force_login(alice)
    response = client.post(feedback_url(article), {"feedback-helpful": "no", "feedback-remark": "x" * 2001})
    assert response.status_code == 400
    assert "2.001 tekens" in response.content.decode()
    assert not ArticleFeedback.objects.exists()


def test_feedback_on_an_article_one_may_not_read_is_a_404(client, alice):
    article = ArticleFactory(audience=Audience.COORDINATORS)
    client.force_login(alice)
    assert client.post(feedback_url(article), {"feedback-helpful": "yes"}).status_code == 404
    assert client.get(feedback_url(article)).status_code == 405


def test_admins_see_the_scores_of_articles(admin_client):
    article = ArticleFactory(title_nl="Veelgevraagd")
    FeedbackFactory(article=article, helpful=True)
    FeedbackFactory(article=article, helpful=True)
    FeedbackFactory(article=article, helpful=True)
    FeedbackFactory(article=article, helpful=False, remark="<b>onduidelijk</b>")
    html = admin_client.get(reverse("admin:knowledgebase_article_changelist")).content.decode()
    assert "75 %" in html
    change = admin_client.get(reverse("admin:knowledgebase_article_change", args=[article.pk])).content.decode()
    assert "&lt;b&gt;onduidelijk&lt;/b&gt;" in change


def test_the_admin_previews_the_rendered_markdown_without_scripts(admin_client):
    article = ArticleFactory(body_nl="## Voorbeeld\n\n<script>alert(1)</script>**Vet**")
    html = admin_client.get(reverse("admin:knowledgebase_article_change", args=[article.pk])).content.decode()
    assert '<h2 class="utrecht-heading-2">Voorbeeld</h2>' in html
    assert "<strong>Vet</strong>" in html
    assert "<script>alert(1)" not in html


def test_a_category_page_lists_its_visible_articles(client, alice):
    category = CategoryFactory(name_nl="Monitoren")
    ArticleFactory(category=category, title_nl="Individueel")
    ArticleFactory(category=category, title_nl="Voor coördinatoren", audience=Audience.COORDINATORS)
    client.force_login(alice)
    html = client.get(reverse("knowledgebase:category", args=[category.slug])).content.decode()
    assert "Individueel" in html and "Voor coördinatoren" not in html
    empty = CategoryFactory()
    assert client.get(reverse("knowledgebase:category", args=[empty.slug])).status_code == 404


def test_more_matches_than_a_page_say_how_many_there_are(client, alice):
    for n in range(12):
        ArticleFactory(title_nl=f"Bijlage {n}")
    client.force_login(alice)
    html = client.get(INDEX, {"q": "bijlage"}).content.decode()
    assert "12 artikelen gevonden voor ‘bijlage’; hieronder de 10 die het best passen." in html
    assert html.count('class="kb-hit"') == 10

import pytest

from knowledgebase.models import Article
from knowledgebase.search import Mode, refresh_search_words, search_articles, tsquery_text
from tests.knowledgebase.factories import ArticleFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def empty_knowledge_base():
    """Searches below run against their own articles only, not the shipped ones."""
    Article.objects.all().delete()
    refresh_search_words()


def search(query: str, language: str = "nl"):
    return search_articles(base=Article.objects.published(), query=query, language=language)


def titles(results) -> list[str]:
    return [hit.article.title_nl for hit in results.hits]


def test_a_plural_finds_the_singular_through_dutch_stemming():
    ArticleFactory(title_nl="Een inkoopcontract beheren", body_nl="Het contract loopt vier jaar.")
    ArticleFactory(title_nl="Iets anders", body_nl="Over zonnepanelen.")
    results = search("contracten")
    assert results.mode == Mode.ALL_WORDS
    assert titles(results) == ["Een inkoopcontract beheren"]


def test_accents_do_not_matter():
    ArticleFactory(title_nl="Rollen", body_nl="De coördinator beoordeelt de invulling.")
    assert titles(search("coordinator")) == ["Rollen"]
    assert titles(search("coördinatoren")) == ["Rollen"]


def test_a_match_in_the_title_ranks_above_a_match_in_the_body():
    body_only = ArticleFactory(title_nl="Overdragen", body_nl="Voeg eerst een bijlage toe en draag dan over.")
    in_title = ArticleFactory(title_nl="Bijlagen toevoegen", body_nl="Kies een bestand.")
    assert [hit.article for hit in search("bijlage").hits] == [in_title, body_only]


def test_keywords_count_like_the_title():
    ArticleFactory(title_nl="Een hulpvraag stellen", keywords_nl="helpdesk, support", body_nl="Tekst.")
    assert titles(search("helpdesk")) == ["Een hulpvraag stellen"]


def test_the_last_word_also_matches_as_a_prefix_while_typing():
    ArticleFactory(title_nl="Het bouwblokkenmodel", body_nl="Waarden per activiteit.")
    results = search("bouwbl")
    assert results.mode == Mode.ALL_WORDS
    assert titles(results) == ["Het bouwblokkenmodel"]


def test_all_words_must_match_before_any_word_may():
    ArticleFactory(title_nl="Bijlagen toevoegen", body_nl="Kies een bestand.")
    ArticleFactory(title_nl="Overdragen", body_nl="Draag het contract over.")
    results = search("bijlagen fietsenstalling")
    assert results.mode == Mode.ANY_WORD
    assert titles(results) == ["Bijlagen toevoegen"]


def test_a_typo_is_corrected_to_a_word_the_articles_use():
    ArticleFactory(title_nl="Het bouwblokkenmodel", body_nl="Elk bouwblok heeft een waarde.")
    ArticleFactory(title_nl="Inloggen", body_nl="Met tweestapsverificatie.")
    refresh_search_words()
    results = search("bouwblokkn")
    assert results.mode == Mode.SIMILAR
    assert results.suggestion == "bouwblok"
    assert titles(results) == ["Het bouwblokkenmodel"]
    assert "<mark>bouwblok</mark>" in results.hits[0].passage_html


def test_a_typo_in_a_word_of_the_body_is_forgiven_too():
    ArticleFactory(title_nl="Inloggen", body_nl="U gebruikt tweestapsverificatie met een app.")
    refresh_search_words()
    results = search("twestapsverifcatie")
    assert results.mode == Mode.SIMILAR
    assert results.suggestion == "tweestapsverificatie"
    assert titles(results) == ["Inloggen"]


def test_the_vocabulary_follows_the_articles_after_commit(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        article = ArticleFactory(title_nl="Zonnepanelen", body_nl="Over zonnepanelen.")
    assert search("zonnepaneeln").suggestion == "zonnepanelen"
    with django_capture_on_commit_callbacks(execute=True):
        article.delete()
    assert search("zonnepaneeln").mode == Mode.NONE


def test_nothing_found_is_reported_as_such():
    ArticleFactory(title_nl="Inloggen", body_nl="Tekst.")
    results = search("qqzzxxyy")
    assert results.mode == Mode.NONE
    assert results.hits == []


def test_an_empty_query_is_not_a_search():
    ArticleFactory()
    assert search("   ").mode == Mode.EMPTY
    assert search("!!! ???").mode == Mode.EMPTY


@pytest.mark.parametrize("query", ["'); DROP TABLE knowledgebase_article; --", "a & | ! :* <-> (", "\\x00 ' \" ''", "x" * 5000])
def test_hostile_queries_are_harmless(query):
    ArticleFactory(title_nl="Inloggen", body_nl="Tekst.")
    search(query)
    assert Article.objects.filter(title_nl="Inloggen").exists()


def test_only_letters_and_digits_reach_the_tsquery():
    assert tsquery_text("contract's & (bijlage) | x:*", "&") == "contract & s & bijlage & x"
    assert tsquery_text("bijlage ", "&") == "bijlage"
    assert tsquery_text("bijl", "&") == "bijl:*"


def test_the_matching_passage_is_highlighted_and_escaped():
    ArticleFactory(
        title_nl="Over de overdracht",
        body_nl="Een regel met `<img src=x onerror=alert(1)>` en 3 < 5 vlak voor de overdracht & meer.",
    )
    hit = search("overdracht").hits[0]
    assert "<mark>overdracht</mark>" in hit.passage_html
    assert "<img" not in hit.passage_html
    assert "3 &lt; 5" in hit.passage_html
    assert "&amp; meer" in hit.passage_html
    assert str(hit.title_html) == "Over de <mark>overdracht</mark>"


def test_markers_typed_into_an_article_cannot_open_a_mark():
    ArticleFactory(title_nl="Privé \ue000 tekens", body_nl="Een \ue000 marker en het woord overdracht.")
    hit = search("overdracht").hits[0]
    assert hit.passage_html.count("<mark>") == hit.passage_html.count("</mark>") == 1


def test_the_english_interface_searches_the_english_text_with_english_stemming():
    ArticleFactory(title_nl="Overdragen", title_en="Handing over a contract", body_en="The handover is final.")
    results = search("contracts handed", language="en")
    assert [hit.article.title_en for hit in results.hits] == ["Handing over a contract"]
    assert "<mark>" in results.hits[0].title_html


def test_an_article_without_english_is_still_found_in_the_english_interface():
    ArticleFactory(title_nl="Zonnepanelen op het stadhuis", title_en="", body_en="", body_nl="Over zonnepanelen.")
    assert titles(search("zonnepanelen", language="en")) == ["Zonnepanelen op het stadhuis"]


def test_unpublished_articles_are_never_found():
    ArticleFactory(title_nl="Concepttekst", is_published=False)
    assert search("concepttekst").hits == []


def test_a_page_holds_ten_results_found_in_a_fixed_number_of_queries(django_assert_max_num_queries):
    for n in range(12):
        ArticleFactory(title_nl=f"Bijlage nummer {n}")
    with django_assert_max_num_queries(2):  # the hits, and their categories
        results = search("bijlage")
    assert (results.count, results.total) == (10, 12)

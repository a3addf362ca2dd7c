"""The vocabulary of the published articles, for the typo-tolerant fallback of the search.

A materialized view of the distinct words (``ts_stat`` over the 'simple' configuration, so not
stemmed) per language, with a trigram index: a misspelt search word is matched against this short
list of real words, and the search runs again with the closest one (a GiST trigram index answers
``ORDER BY word <-> term LIMIT 1`` by walking the index). Refreshed when articles change
(see knowledgebase.search.refresh_search_words). The table name is schema-qualified because
PostgreSQL 17+ builds materialized views with a safe search_path.
"""

from django.db import migrations

CREATE_SQL = r"""
CREATE MATERIALIZED VIEW knowledgebase_searchword AS
SELECT 'nl'::varchar(2) AS language, word, ndoc FROM ts_stat($q$
    SELECT to_tsvector('simple', title_nl || ' ' || keywords_nl || ' ' || summary_nl || ' ' || plain_nl)
    FROM public.knowledgebase_article WHERE is_published
$q$) WHERE length(word) BETWEEN 3 AND 40 AND word !~ '[0-9_]'
UNION ALL
SELECT 'en'::varchar(2), word, ndoc FROM ts_stat($q$
    SELECT to_tsvector('simple', coalesce(nullif(title_en, ''), title_nl) || ' ' || coalesce(nullif(keywords_en, ''), keywords_nl)
        || ' ' || coalesce(nullif(summary_en, ''), summary_nl) || ' ' || plain_en)
    FROM public.knowledgebase_article WHERE is_published
$q$) WHERE length(word) BETWEEN 3 AND 40 AND word !~ '[0-9_]';
CREATE INDEX knowledgebase_searchword_trgm_idx ON knowledgebase_searchword USING gist (word gist_trgm_ops);
CREATE INDEX knowledgebase_searchword_word_idx ON knowledgebase_searchword (language, word);
"""

DROP_SQL = "DROP MATERIALIZED VIEW IF EXISTS knowledgebase_searchword;"


class Migration(migrations.Migration):
    dependencies = [("knowledgebase", "0003_shipped_articles")]

    operations = [migrations.RunSQL(CREATE_SQL, DROP_SQL)]

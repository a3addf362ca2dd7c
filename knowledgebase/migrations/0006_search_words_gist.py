"""Nearest-word lookups on the vocabulary: a GiST trigram index answers ``ORDER BY word <-> term
LIMIT 1`` by walking the index, where the GIN index was skipped for a sequential scan that
computed the similarity of every word."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("knowledgebase", "0005_lean_search_vectors")]

    operations = [
        migrations.RunSQL(
            "DROP INDEX IF EXISTS knowledgebase_searchword_trgm_idx;"
            "CREATE INDEX knowledgebase_searchword_trgm_idx ON knowledgebase_searchword USING gist (word gist_trgm_ops);",
            "DROP INDEX IF EXISTS knowledgebase_searchword_trgm_idx;"
            "CREATE INDEX knowledgebase_searchword_trgm_idx ON knowledgebase_searchword USING gin (word gin_trgm_ops);",
        )
    ]

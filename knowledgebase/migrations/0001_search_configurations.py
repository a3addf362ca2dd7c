"""Text search configurations of the knowledge base, made before the articles whose search columns use them."""

from django.db import migrations

# Dutch and English text search with unaccent in front of the stemmer, so that "coördinator" and
# "coordinator" meet. unaccent and pg_trgm come from wizzr.0002_extensions.
SEARCH_CONFIGURATIONS_SQL = """
CREATE TEXT SEARCH CONFIGURATION wizzr_dutch (COPY = pg_catalog.dutch);
ALTER TEXT SEARCH CONFIGURATION wizzr_dutch
    ALTER MAPPING FOR hword, hword_part, word WITH unaccent, dutch_stem;
CREATE TEXT SEARCH CONFIGURATION wizzr_english (COPY = pg_catalog.english);
ALTER TEXT SEARCH CONFIGURATION wizzr_english
    ALTER MAPPING FOR hword, hword_part, word WITH unaccent, english_stem;
"""
DROP_SEARCH_CONFIGURATIONS_SQL = """
DROP TEXT SEARCH CONFIGURATION IF EXISTS wizzr_dutch;
DROP TEXT SEARCH CONFIGURATION IF EXISTS wizzr_english;
"""


class Migration(migrations.Migration):
    dependencies = [("wizzr", "0002_extensions")]

    operations = [migrations.RunSQL(SEARCH_CONFIGURATIONS_SQL, DROP_SEARCH_CONFIGURATIONS_SQL)]

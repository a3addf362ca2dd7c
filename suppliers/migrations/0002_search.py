"""The search: the functions of suppliers/sql/search.sql, the word table's covering primary key,
and the trigger that keeps the word table and the vocabulary in step with the supplier table."""

from django.db import migrations

from suppliers.sql import sql_file

# The other columns ride along in the word table's primary-key index, so that a search finds,
# checks and ranks candidates with index-only scans.
COVERING = r"""
ALTER TABLE suppliers_supplierword DROP CONSTRAINT suppliers_supplierword_pkey;
ALTER TABLE suppliers_supplierword ADD CONSTRAINT suppliers_supplierword_pkey
    PRIMARY KEY (word, name_key, supplier_id) INCLUDE (trade_key, city_key, word_bits, is_main, area);
"""

# With C collation the plain B-tree serves prefix ranges; Django's extra text_pattern_ops index on
# the vocabulary's primary key is dead weight.
DROP_LIKE_INDEX = r"""
DO $$
DECLARE name text;
BEGIN
    FOR name IN SELECT indexname FROM pg_indexes WHERE tablename = 'suppliers_searchword' AND indexname LIKE '%\_like' LOOP
        EXECUTE format('DROP INDEX %I', name);
    END LOOP;
END
$$;
"""

TRIGGER = r"""
CREATE TRIGGER suppliers_sync_words
AFTER INSERT OR UPDATE OR DELETE ON suppliers_supplier
FOR EACH ROW
WHEN (current_setting('suppliers.bulk_load', true) IS DISTINCT FROM 'on')
EXECUTE FUNCTION suppliers_sync_words();
"""

REVERSE = r"""
DROP TRIGGER IF EXISTS suppliers_sync_words ON suppliers_supplier;
DROP FUNCTION IF EXISTS suppliers_search(text, integer, text[]);
DROP FUNCTION IF EXISTS suppliers_search_ids(text, integer, text[], integer);
DROP FUNCTION IF EXISTS suppliers_word_patterns(text);
DROP FUNCTION IF EXISTS suppliers_variants(text);
DROP FUNCTION IF EXISTS suppliers_one_typo(text, text);
DROP FUNCTION IF EXISTS suppliers_prefix_estimate(text);
DROP FUNCTION IF EXISTS suppliers_sync_words();
DROP FUNCTION IF EXISTS suppliers_postcode_area(text);
DROP FUNCTION IF EXISTS suppliers_word_mask(text[]);
DROP FUNCTION IF EXISTS suppliers_word_bits(text[]);
DROP FUNCTION IF EXISTS suppliers_words(text, text, text);
"""


class Migration(migrations.Migration):
    dependencies = [("suppliers", "0001_initial")]

    operations = [
        migrations.RunSQL(sql_file("search.sql") + COVERING + DROP_LIKE_INDEX + TRIGGER, REVERSE),
    ]

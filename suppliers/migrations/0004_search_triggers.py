from django.db import migrations

# The words of an establishment: distinct words of its legal name, trade name and place, sorted
# (sorted so that concurrent writers touch vocabulary rows in the same order).
WORDS = r"""
CREATE OR REPLACE FUNCTION suppliers_words(name_key text, trade_key text, city_key text) RETURNS text[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN ARRAY(
    SELECT DISTINCT w FROM unnest(string_to_array(concat_ws(' ', name_key, trade_key, city_key), ' ')) AS w
    WHERE w <> '' ORDER BY w
);
"""

# Keeps the word table and the vocabulary in step with every insert, update and delete of a
# supplier. The bulk import switches it off for its transaction (SET LOCAL suppliers.bulk_load;
# the WHEN clause means not even an event is queued per row) and rebuilds both tables in one pass.
SYNC = r"""
CREATE OR REPLACE FUNCTION suppliers_sync_words() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    old_words text[] := '{}';
    new_words text[] := '{}';
BEGIN
    IF TG_OP <> 'INSERT' AND OLD.is_active THEN
        old_words := suppliers_words(OLD.name_key, OLD.trade_key, OLD.city_key);
    END IF;
    IF TG_OP <> 'DELETE' AND NEW.is_active THEN
        new_words := suppliers_words(NEW.name_key, NEW.trade_key, NEW.city_key);
    END IF;
    IF TG_OP = 'UPDATE' AND old_words = new_words AND OLD.name_key = NEW.name_key
            AND OLD.trade_key = NEW.trade_key AND OLD.city_key = NEW.city_key THEN
        RETURN NULL;
    END IF;
    IF TG_OP <> 'INSERT' AND cardinality(old_words) > 0 THEN
        DELETE FROM suppliers_supplierword
        WHERE word = ANY (old_words) AND name_key = OLD.name_key AND supplier_id = OLD.id;
        UPDATE suppliers_searchword SET frequency = frequency - 1 WHERE word = ANY (old_words);
    END IF;
    IF TG_OP <> 'DELETE' AND cardinality(new_words) > 0 THEN
        INSERT INTO suppliers_supplierword (word, name_key, supplier_id, other_words)
        SELECT w, NEW.name_key, NEW.id, concat_ws(' ', NEW.trade_key, NEW.city_key) FROM unnest(new_words) AS w
        ON CONFLICT DO NOTHING;
        INSERT INTO suppliers_searchword (word, frequency)
        SELECT w, 1 FROM unnest(new_words) AS w
        ON CONFLICT (word) DO UPDATE SET frequency = suppliers_searchword.frequency + 1;
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER suppliers_sync_words
AFTER INSERT OR UPDATE OR DELETE ON suppliers_supplier
FOR EACH ROW
WHEN (current_setting('suppliers.bulk_load', true) IS DISTINCT FROM 'on')
EXECUTE FUNCTION suppliers_sync_words();
"""

# The trade name and place words ride along in the primary-key index, so that a search with
# several words is an index-only scan.
COVERING = r"""
ALTER TABLE suppliers_supplierword DROP CONSTRAINT suppliers_supplierword_pkey;
ALTER TABLE suppliers_supplierword
    ADD CONSTRAINT suppliers_supplierword_pkey PRIMARY KEY (word, name_key, supplier_id) INCLUDE (other_words);
"""

BACKFILL = r"""
INSERT INTO suppliers_supplierword (word, name_key, supplier_id, other_words)
SELECT w, s.name_key, s.id, concat_ws(' ', s.trade_key, s.city_key)
FROM suppliers_supplier s, unnest(suppliers_words(s.name_key, s.trade_key, s.city_key)) AS w
WHERE s.is_active
ON CONFLICT DO NOTHING;
INSERT INTO suppliers_searchword (word, frequency)
SELECT word, count(*) FROM suppliers_supplierword GROUP BY word
ON CONFLICT (word) DO UPDATE SET frequency = EXCLUDED.frequency;
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

REVERSE = r"""
DROP TRIGGER IF EXISTS suppliers_sync_words ON suppliers_supplier;
DROP FUNCTION IF EXISTS suppliers_sync_words();
DROP FUNCTION IF EXISTS suppliers_words(text, text, text);
"""


class Migration(migrations.Migration):
    dependencies = [("suppliers", "0003_search_keys")]

    operations = [migrations.RunSQL(WORDS + SYNC + COVERING + BACKFILL + DROP_LIKE_INDEX, REVERSE)]

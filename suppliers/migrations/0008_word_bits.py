import importlib

from django.db import migrations, models

# A 64-bit signature of an establishment's words on every entry of the word table, carried in the
# primary-key index (INCLUDE). Bit hash(first three letters) & 63 is set for each word of the legal
# name, trade name and place. A search with several words scans the rarest word's entries and first
# drops every entry whose signature lacks a bit of the other words: an AND on an integer of the index
# tuple instead of building and searching a string. What passes is checked exactly as before, so a
# false positive costs a string check and there are no false negatives. hashtext() is the hash of
# PostgreSQL's hash indexes, which pg_upgrade keeps, so it is stable across server upgrades.
MAX_WORDS = 16  # an establishment with more words gets every bit (it always passes to the exact check)

_TERMS = "\n        | ".join(
    f"coalesce(1::bigint << (hashtext(left(p_words[{i}], 3)) & 63), 0)" for i in range(1, MAX_WORDS + 1)
)

# One expression without a sub-select, so the planner inlines it: the import computes it for 2.6 M
# establishments in about two seconds. The argument is string_to_array(concat_ws(' ', name_key,
# trade_key, city_key), ' '), the words the exact check searches.
BITS = rf"""
CREATE OR REPLACE FUNCTION suppliers_word_bits(p_words text[]) RETURNS bigint
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN CASE WHEN cardinality(p_words) > {MAX_WORDS} THEN -1 ELSE
          {_TERMS}
       END;

-- The bits a search's words require: one per word of three or more letters (a shorter word's
-- bit is not the bit of the words it starts, so it requires nothing here).
CREATE OR REPLACE FUNCTION suppliers_word_mask(p_words text[]) RETURNS bigint
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN (SELECT coalesce(bit_or(1::bigint << (hashtext(left(w, 3)) & 63)), 0)
        FROM unnest(p_words) AS w WHERE length(w) >= 3);
"""

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
        INSERT INTO suppliers_supplierword (word, name_key, supplier_id, other_words, word_bits)
        SELECT w, NEW.name_key, NEW.id, concat_ws(' ', NEW.trade_key, NEW.city_key),
               suppliers_word_bits(string_to_array(concat_ws(' ', NEW.name_key, NEW.trade_key, NEW.city_key), ' '))
        FROM unnest(new_words) AS w
        ON CONFLICT DO NOTHING;
        INSERT INTO suppliers_searchword (word, frequency)
        SELECT w, 1 FROM unnest(new_words) AS w
        ON CONFLICT (word) DO UPDATE SET frequency = suppliers_searchword.frequency + 1;
    END IF;
    RETURN NULL;
END
$$;
"""

# other_words is concat_ws(' ', trade_key, city_key), so name_key || ' ' || other_words are the
# same words in the same order as the trigger and the import use.
BACKFILL = r"""
ALTER TABLE suppliers_supplierword DROP CONSTRAINT suppliers_supplierword_pkey;
UPDATE suppliers_supplierword
SET word_bits = suppliers_word_bits(string_to_array(concat_ws(' ', name_key, other_words), ' '));
ALTER TABLE suppliers_supplierword
    ADD CONSTRAINT suppliers_supplierword_pkey PRIMARY KEY (word, name_key, supplier_id) INCLUDE (other_words, word_bits);
"""

UNDO_BACKFILL = r"""
ALTER TABLE suppliers_supplierword DROP CONSTRAINT suppliers_supplierword_pkey;
ALTER TABLE suppliers_supplierword
    ADD CONSTRAINT suppliers_supplierword_pkey PRIMARY KEY (word, name_key, supplier_id) INCLUDE (other_words);
"""

# The other words' check (WORDS_MATCH) is the same in the three scans below; it is spliced in.
WORDS_MATCH = r"""(sw.word_bits & v_mask) = v_mask
                  AND (v_o1 IS NULL OR strpos(concat(' ', sw.name_key, ' ', sw.other_words), v_o1) > 0)
                  AND (v_o2 IS NULL OR strpos(concat(' ', sw.name_key, ' ', sw.other_words), v_o2) > 0)
                  AND (v_o3 IS NULL OR strpos(concat(' ', sw.name_key, ' ', sw.other_words), v_o3) > 0)
                  AND (v_o4 IS NULL OR strpos(concat(' ', sw.name_key, ' ', sw.other_words), v_o4) > 0)
                  AND (cardinality(v_rest) = 0 OR NOT EXISTS (
                      SELECT 1 FROM unnest(v_rest) AS o
                      WHERE strpos(concat(' ', sw.name_key, ' ', sw.other_words), ' ' || o) = 0))
                  AND (cardinality(p_numbers) = 0 OR EXISTS (
                      SELECT 1 FROM suppliers_supplier s
                      WHERE s.id = sw.supplier_id
                        AND NOT EXISTS (SELECT 1 FROM unnest(p_numbers) AS n WHERE NOT starts_with(s.kvk_number, n))))"""

# suppliers_word_starts: the signature test comes first in every scan. A driver of known size is
# read in index order until enough entries match; that scan stops early by itself when the words go
# together often, so the bounded first window is kept only for a driver of unknown size (it used to
# read "cafe hoekje renkum"'s 3,311 entries twice: a window, then all).
WORD_STARTS = r"""
CREATE OR REPLACE FUNCTION suppliers_word_starts(
    p_words text[], p_numbers text[], p_limit integer, p_exclude bigint[]
) RETURNS bigint[]
LANGUAGE plpgsql STABLE PARALLEL SAFE
-- The planner cannot know how early the ordered scan stops; parallel workers take milliseconds
-- to start, longer than the scan (it chose them for "van der berg zwolle": 11 ms against 1.5 ms).
SET max_parallel_workers_per_gather = 0
AS $$
DECLARE
    v_word text;
    v_driver text;
    v_best double precision;
    v_estimate double precision;
    v_others text[];
    v_mask bigint;
    v_o1 text;  -- the first four other words get an inline check each; the rest (rare) a sub-select
    v_o2 text;
    v_o3 text;
    v_o4 text;
    v_rest text[];
    v_second text;
    v_found bigint[];
    v_id bigint;
    v_window constant integer := 2000;
BEGIN
    IF cardinality(p_words) = 0 OR p_limit <= 0 THEN
        RETURN '{}';
    END IF;
    FOREACH v_word IN ARRAY p_words LOOP
        v_estimate := suppliers_prefix_estimate(v_word);
        IF v_estimate = 0 THEN
            RETURN '{}';  -- this word starts no word in the registry
        END IF;
        IF v_best IS NULL OR v_estimate < v_best OR (v_estimate = v_best AND length(v_word) > length(v_driver)) THEN
            v_best := v_estimate;
            v_driver := v_word;
        END IF;
    END LOOP;
    v_others := array_remove(p_words, v_driver);
    IF cardinality(v_others) = 0 AND cardinality(p_numbers) = 0 THEN
        RETURN ARRAY(
            SELECT d.supplier_id FROM (
                SELECT w.supplier_id, row_number() OVER () AS position FROM (
                    SELECT supplier_id FROM suppliers_supplierword
                    WHERE word >= v_driver AND word < v_driver || '~' AND NOT (supplier_id = ANY (p_exclude))
                    ORDER BY word, name_key, supplier_id
                    LIMIT p_limit * 3
                ) AS w
            ) AS d
            GROUP BY d.supplier_id ORDER BY min(d.position) LIMIT p_limit
        );
    END IF;
    v_mask := suppliers_word_mask(v_others);
    v_o1 := ' ' || v_others[1];
    v_o2 := ' ' || v_others[2];
    v_o3 := ' ' || v_others[3];
    v_o4 := ' ' || v_others[4];
    v_rest := v_others[5:];
    IF v_best < 'Infinity'::double precision THEN
        -- The rarest word's entries in index order, through a cursor that stops at the limit'th
        -- distinct supplier: a common combination costs a few entries, a rare one at most all of the
        -- driver's. (A cursor's plan starts fast and never uses parallel workers.)
        v_found := '{}';
        FOR v_id IN
            SELECT sw.supplier_id FROM suppliers_supplierword sw
            WHERE sw.word >= v_driver AND sw.word < v_driver || '~' AND NOT (sw.supplier_id = ANY (p_exclude))
              AND %(words_match)s
            ORDER BY sw.word, sw.name_key, sw.supplier_id
        LOOP
            CONTINUE WHEN v_id = ANY (v_found);
            v_found := v_found || v_id;
            EXIT WHEN cardinality(v_found) >= p_limit;
        END LOOP;
        RETURN v_found;
    END IF;
    -- The driver's size is unknown (a short prefix shared by more than 200 vocabulary words): read
    -- at most WINDOW of its entries; when that finds too little, the second word may be the smaller
    -- set, so intersect with its ids.
    v_found := ARRAY(
        SELECT d.supplier_id FROM (
            SELECT w.supplier_id, row_number() OVER () AS position FROM (
                SELECT sw.supplier_id FROM (
                    SELECT supplier_id, word, name_key, other_words, word_bits FROM suppliers_supplierword
                    WHERE word >= v_driver AND word < v_driver || '~'
                    ORDER BY word, name_key, supplier_id
                    LIMIT v_window
                ) AS sw
                WHERE NOT (sw.supplier_id = ANY (p_exclude))
                  AND %(words_match)s
                ORDER BY sw.word, sw.name_key, sw.supplier_id
                LIMIT p_limit * 3
            ) AS w
        ) AS d
        GROUP BY d.supplier_id ORDER BY min(d.position) LIMIT p_limit
    );
    IF cardinality(v_found) >= p_limit THEN
        RETURN v_found;
    END IF;
    SELECT o INTO v_second FROM unnest(v_others) AS o ORDER BY suppliers_prefix_estimate(o), length(o) DESC LIMIT 1;
    RETURN ARRAY(
        SELECT d.supplier_id FROM (
            SELECT w.supplier_id, row_number() OVER () AS position FROM (
                SELECT sw.supplier_id FROM suppliers_supplierword sw
                WHERE sw.word >= v_driver AND sw.word < v_driver || '~' AND NOT (sw.supplier_id = ANY (p_exclude))
                  AND sw.supplier_id IN (
                      SELECT x.supplier_id FROM suppliers_supplierword x WHERE x.word >= v_second AND x.word < v_second || '~')
                  AND %(words_match)s
                ORDER BY sw.word, sw.name_key, sw.supplier_id
                LIMIT p_limit * 3
            ) AS w
        ) AS d
        GROUP BY d.supplier_id ORDER BY min(d.position) LIMIT p_limit
    );
END
$$;
""" % {"words_match": WORDS_MATCH}

_previous = importlib.import_module("suppliers.migrations.0007_word_starts_rest_of_driver")
_triggers = importlib.import_module("suppliers.migrations.0004_search_triggers")


class Migration(migrations.Migration):
    dependencies = [("suppliers", "0007_word_starts_rest_of_driver")]

    operations = [
        migrations.AddField(
            model_name="supplierword",
            name="word_bits",
            field=models.BigIntegerField(default=0),
        ),
        migrations.RunSQL(
            BITS,
            "DROP FUNCTION IF EXISTS suppliers_word_mask(text[]); DROP FUNCTION IF EXISTS suppliers_word_bits(text[]);",
        ),
        migrations.RunSQL(BACKFILL, UNDO_BACKFILL),
        migrations.RunSQL(SYNC + WORD_STARTS, _triggers.SYNC.split("CREATE TRIGGER")[0] + _previous.WORD_STARTS),
    ]

from django.db import migrations

# The typeahead search as one database function: a keystroke costs one round trip, and the plans of
# its statements are prepared once per connection. Every step is an ordered B-tree range scan that
# stops after the rows it needs; see suppliers/search.py for the ranking.

# How many word-table rows a prefix covers, from the vocabulary; infinity when more than 200
# vocabulary words share the prefix (then it is common anyway). A quoted body on purpose: a
# SQL-standard body would pin the vocabulary table, which the bulk import replaces.
ESTIMATE = r"""
CREATE OR REPLACE FUNCTION suppliers_prefix_estimate(p_prefix text) RETURNS double precision
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT CASE WHEN max(v.position) > 200 THEN 'Infinity'::double precision
                ELSE coalesce(sum(v.frequency), 0) END
    FROM (
        SELECT w.frequency, row_number() OVER () AS position
        FROM (SELECT frequency FROM suppliers_searchword
              WHERE word >= p_prefix AND word < p_prefix || '~' AND frequency > 0
              ORDER BY word LIMIT 201) AS w
    ) AS v
$$;
"""

# Up to three vocabulary words near a typo, nearest first; 'installatiebedrijf' is dropped after
# 'installatie' because searching a word as a prefix finds its extensions already.
NEAR_WORDS = r"""
CREATE OR REPLACE FUNCTION suppliers_near_words(p_word text) RETURNS text[]
LANGUAGE plpgsql STABLE PARALLEL SAFE AS $$
DECLARE
    v_near text[];
    v_kept text[] := '{}';
    v_candidate text;
BEGIN
    v_near := ARRAY(
        SELECT n.word FROM (
            SELECT v.word, similarity(v.word, p_word) AS score
            FROM suppliers_searchword v
            WHERE v.frequency > 0
            ORDER BY v.word <-> p_word
            LIMIT 9
        ) AS n
        WHERE n.score >= 0.4 AND NOT starts_with(n.word, p_word)
        ORDER BY n.score DESC, n.word
    );
    FOREACH v_candidate IN ARRAY v_near LOOP
        IF NOT EXISTS (SELECT 1 FROM unnest(v_kept) AS k WHERE starts_with(v_candidate, k)) THEN
            v_kept := v_kept || v_candidate;
        END IF;
    END LOOP;
    RETURN v_kept[1:3];
END
$$;
"""

# Suppliers (not in p_exclude) where every word starts a word of the name, trade name or place and
# every number starts the KvK number. The rarest word drives the range scan; the other words are
# checked on the same index entries (the INCLUDE column), without visiting the table.
WORD_STARTS = r"""
CREATE OR REPLACE FUNCTION suppliers_word_starts(
    p_words text[], p_numbers text[], p_limit integer, p_exclude bigint[]
) RETURNS bigint[]
LANGUAGE plpgsql STABLE PARALLEL SAFE AS $$
DECLARE
    v_word text;
    v_driver text;
    v_best double precision;
    v_estimate double precision;
    v_others text[];
    v_o1 text;  -- the first four other words get an inline check each; the rest (rare) a sub-select
    v_o2 text;
    v_o3 text;
    v_o4 text;
    v_rest text[];
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
    v_o1 := ' ' || v_others[1];
    v_o2 := ' ' || v_others[2];
    v_o3 := ' ' || v_others[3];
    v_o4 := ' ' || v_others[4];
    v_rest := v_others[5:];
    RETURN ARRAY(
        SELECT d.supplier_id FROM (
            SELECT w.supplier_id, row_number() OVER () AS position FROM (
                SELECT sw.supplier_id FROM suppliers_supplierword sw
                WHERE sw.word >= v_driver AND sw.word < v_driver || '~' AND NOT (sw.supplier_id = ANY (p_exclude))
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
                        AND NOT EXISTS (SELECT 1 FROM unnest(p_numbers) AS n WHERE NOT starts_with(s.kvk_number, n))))
                ORDER BY sw.word, sw.name_key, sw.supplier_id
                LIMIT p_limit * 3
            ) AS w
        ) AS d
        GROUP BY d.supplier_id ORDER BY min(d.position) LIMIT p_limit
    );
END
$$;
"""

SEARCH = r"""
CREATE OR REPLACE FUNCTION suppliers_search(p_query text, p_limit integer DEFAULT 10)
RETURNS SETOF suppliers_supplier
LANGUAGE plpgsql STABLE PARALLEL SAFE AS $$
DECLARE
    v_key text := suppliers_normalise(left(p_query, 100));
    v_compact text := replace(v_key, ' ', '');
    v_words text[];
    v_numbers text[];
    v_found bigint[] := '{}';
    v_near text[];          -- per word: its typo candidates joined by spaces ('' = none, NULL = keep the word)
    v_alternative text[];
    v_tried text[] := '{}';
    v_options text[];
    v_rank integer;
    v_index integer;
BEGIN
    IF v_compact = '' THEN
        RETURN;
    END IF;
    IF v_compact ~ '^[0-9]+$' THEN
        -- 1. Digits only: a KvK number is 8 digits, a branch number 12.
        IF length(v_compact) <= 8 THEN
            v_found := ARRAY(
                SELECT id FROM suppliers_supplier
                WHERE kvk_number >= v_compact AND kvk_number < v_compact || '~' AND is_active
                ORDER BY kvk_number, branch_number LIMIT p_limit);
        ELSIF length(v_compact) <= 12 THEN
            v_found := ARRAY(
                SELECT id FROM suppliers_supplier
                WHERE branch_number >= v_compact AND branch_number < v_compact || '~' AND is_active
                  AND branch_number <> ''
                ORDER BY branch_number LIMIT p_limit);
        END IF;
    ELSIF length(v_compact) >= 2 THEN
        v_words := ARRAY(SELECT t FROM unnest(string_to_array(v_key, ' ')) AS t WHERE t !~ '^[0-9]+$');
        v_numbers := ARRAY(SELECT t FROM unnest(string_to_array(v_key, ' ')) AS t WHERE t ~ '^[0-9]+$');
        -- 2. The legal or trade name starts with the input.
        IF cardinality(v_numbers) = 0 THEN
            v_found := ARRAY(
                SELECT h.id FROM (
                    (SELECT id, name_key AS k FROM suppliers_supplier
                     WHERE name_key >= v_key AND name_key < v_key || '~' AND is_active
                     ORDER BY name_key, id LIMIT p_limit)
                    UNION ALL
                    (SELECT id, trade_key AS k FROM suppliers_supplier
                     WHERE trade_key >= v_key AND trade_key < v_key || '~' AND is_active AND trade_name <> ''
                     ORDER BY trade_key, id LIMIT p_limit)
                ) AS h
                GROUP BY h.id ORDER BY min(h.k), h.id LIMIT p_limit);
        END IF;
        -- 3. Every word starts a word of the name, trade name or place.
        v_found := v_found || suppliers_word_starts(v_words, v_numbers, p_limit - cardinality(v_found), v_found);
        -- 4. Typos: words that start nothing (or a single word, to fill the list) tried as their nearest real words.
        IF cardinality(v_found) < p_limit THEN
            v_near := ARRAY(
                SELECT CASE WHEN length(t) >= 4 AND (cardinality(v_words) = 1 OR suppliers_prefix_estimate(t) = 0)
                            THEN array_to_string(suppliers_near_words(t), ' ') END
                FROM unnest(v_words) WITH ORDINALITY AS u(t, i) ORDER BY u.i);
            FOR v_rank IN 1..3 LOOP
                EXIT WHEN cardinality(v_found) >= p_limit;
                v_alternative := '{}';
                FOR v_index IN 1..cardinality(v_words) LOOP
                    IF v_near[v_index] IS NULL THEN
                        v_alternative := v_alternative || v_words[v_index];
                    ELSE
                        v_options := string_to_array(v_near[v_index], ' ');
                        IF cardinality(v_options) = 0 THEN
                            v_alternative := NULL;
                            EXIT;
                        END IF;
                        v_alternative := v_alternative || v_options[least(v_rank, cardinality(v_options))];
                    END IF;
                END LOOP;
                EXIT WHEN v_alternative IS NULL OR v_alternative = v_words;
                CONTINUE WHEN array_to_string(v_alternative, ' ') = ANY (v_tried);
                v_tried := v_tried || array_to_string(v_alternative, ' ');
                v_found := v_found || suppliers_word_starts(v_alternative, v_numbers, p_limit - cardinality(v_found), v_found);
            END LOOP;
        END IF;
    END IF;
    RETURN QUERY
        SELECT s.* FROM unnest(v_found) WITH ORDINALITY AS f(id, position)
        JOIN suppliers_supplier s ON s.id = f.id
        ORDER BY f.position;
END
$$;
"""

REVERSE = r"""
DROP FUNCTION IF EXISTS suppliers_search(text, integer);
DROP FUNCTION IF EXISTS suppliers_word_starts(text[], text[], integer, bigint[]);
DROP FUNCTION IF EXISTS suppliers_near_words(text);
DROP FUNCTION IF EXISTS suppliers_prefix_estimate(text);
"""


class Migration(migrations.Migration):
    dependencies = [("suppliers", "0004_search_triggers")]

    operations = [migrations.RunSQL(ESTIMATE + NEAR_WORDS + WORD_STARTS + SEARCH, REVERSE)]

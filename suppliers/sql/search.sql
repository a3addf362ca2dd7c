-- The typeahead search over the national supplier registry. Run by migration 0002_search; see
-- README.md in this folder: a change to this file needs a new migration that runs it again.
--
-- Everything here is CREATE OR REPLACE, so running the file twice is harmless. Function bodies
-- are quoted ($$ … $$) on purpose: a SQL-standard body would pin the word table and the
-- vocabulary, which the bulk import replaces, and tests/suppliers/test_search_sql.py compares
-- the quoted bodies in the database with this file.
--
-- Tables (see suppliers/models.py):
--   suppliers_supplierword  one row per distinct word of an active establishment's legal name,
--                           trade name and place, with the establishment's keys, main-branch
--                           flag and postcode area in the primary-key index (INCLUDE), so that
--                           finding, checking and ranking candidates never visits the supplier table;
--   suppliers_searchword    the vocabulary: each distinct word and how many establishments use it,
--                           with a trigram index to find the words near a typo.
-- Keys are C-collated, so the prefix p is the B-tree range  p <= key < p || '~'.


-- ---------------------------------------------------------------------------------------------
-- The word table and the vocabulary
-- ---------------------------------------------------------------------------------------------

-- The distinct words of an establishment, sorted (so that concurrent writers touch vocabulary
-- rows in the same order).
CREATE OR REPLACE FUNCTION suppliers_words(name_key text, trade_key text, city_key text) RETURNS text[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT ARRAY(
        SELECT DISTINCT w FROM unnest(string_to_array(concat_ws(' ', name_key, trade_key, city_key), ' ')) AS w
        WHERE w <> '' ORDER BY w)
$$;

-- A 64-bit signature of an establishment's words: bit hashtext(first three letters) & 63 for each
-- word. A search with several words drops every entry whose signature lacks a bit of the other
-- words before it compares strings. hashtext() is the hash of PostgreSQL's hash indexes, which
-- pg_upgrade keeps, so it is stable across server upgrades. More than 16 words: every bit.
-- One expression without a sub-select, so that the planner inlines it in the bulk rebuild.
CREATE OR REPLACE FUNCTION suppliers_word_bits(p_words text[]) RETURNS bigint
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE WHEN cardinality(p_words) > 16 THEN -1 ELSE
          coalesce(1::bigint << (hashtext(left(p_words[1], 3)) & 63), 0)
        | coalesce(1::bigint << (hashtext(left(p_words[2], 3)) & 63), 0)
        | coalesce(1::bigint << (hashtext(left(p_words[3], 3)) & 63), 0)
        | coalesce(1::bigint << (hashtext(left(p_words[4], 3)) & 63), 0)
        | coalesce(1::bigint << (hashtext(left(p_words[5], 3)) & 63), 0)
        | coalesce(1::bigint << (hashtext(left(p_words[6], 3)) & 63), 0)
        | coalesce(1::bigint << (hashtext(left(p_words[7], 3)) & 63), 0)
        | coalesce(1::bigint << (hashtext(left(p_words[8], 3)) & 63), 0)
        | coalesce(1::bigint << (hashtext(left(p_words[9], 3)) & 63), 0)
        | coalesce(1::bigint << (hashtext(left(p_words[10], 3)) & 63), 0)
        | coalesce(1::bigint << (hashtext(left(p_words[11], 3)) & 63), 0)
        | coalesce(1::bigint << (hashtext(left(p_words[12], 3)) & 63), 0)
        | coalesce(1::bigint << (hashtext(left(p_words[13], 3)) & 63), 0)
        | coalesce(1::bigint << (hashtext(left(p_words[14], 3)) & 63), 0)
        | coalesce(1::bigint << (hashtext(left(p_words[15], 3)) & 63), 0)
        | coalesce(1::bigint << (hashtext(left(p_words[16], 3)) & 63), 0)
    END
$$;

-- The bits that search words require: one per word of three or more letters (a shorter word's
-- bit is not the bit of the words it starts, so it requires nothing).
CREATE OR REPLACE FUNCTION suppliers_word_mask(p_words text[]) RETURNS bigint
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT coalesce(bit_or(1::bigint << (hashtext(left(w, 3)) & 63)), 0)
    FROM unnest(p_words) AS w WHERE length(w) >= 3
$$;

-- The postcode area of an establishment: the first two digits of its postcode ('68' for
-- '6811 AB'), the region the ranking prefers when the searcher's organisation is there.
CREATE OR REPLACE FUNCTION suppliers_postcode_area(p_postcode text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE WHEN p_postcode ~ '^[1-9][0-9]' THEN left(p_postcode, 2) ELSE '' END
$$;

-- Keeps the word table and the vocabulary in step with every insert, update and delete of a
-- supplier. The bulk import switches it off for its transaction (SET LOCAL suppliers.bulk_load;
-- the trigger's WHEN clause means not even an event is queued per row) and rebuilds both tables.
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
            AND OLD.trade_key = NEW.trade_key AND OLD.city_key = NEW.city_key
            AND OLD.is_main_branch = NEW.is_main_branch AND OLD.postcode = NEW.postcode THEN
        RETURN NULL;
    END IF;
    IF TG_OP <> 'INSERT' AND cardinality(old_words) > 0 THEN
        DELETE FROM suppliers_supplierword
        WHERE word = ANY (old_words) AND name_key = OLD.name_key AND supplier_id = OLD.id;
        UPDATE suppliers_searchword SET frequency = frequency - 1 WHERE word = ANY (old_words);
    END IF;
    IF TG_OP <> 'DELETE' AND cardinality(new_words) > 0 THEN
        INSERT INTO suppliers_supplierword
            (word, name_key, supplier_id, trade_key, city_key, word_bits, is_main, area)
        SELECT w, NEW.name_key, NEW.id, NEW.trade_key, NEW.city_key,
               suppliers_word_bits(string_to_array(concat_ws(' ', NEW.name_key, NEW.trade_key, NEW.city_key), ' ')),
               NEW.is_main_branch, suppliers_postcode_area(NEW.postcode)
        FROM unnest(new_words) AS w
        ON CONFLICT DO NOTHING;
        INSERT INTO suppliers_searchword (word, frequency)
        SELECT w, 1 FROM unnest(new_words) AS w
        ON CONFLICT (word) DO UPDATE SET frequency = suppliers_searchword.frequency + 1;
    END IF;
    RETURN NULL;
END
$$;


-- ---------------------------------------------------------------------------------------------
-- Forgiving input: typos and equivalent spellings
-- ---------------------------------------------------------------------------------------------

-- How many word-table rows a prefix covers, from the vocabulary; infinity when more than 200
-- vocabulary words share the prefix (then it is common anyway).
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

-- Whether a and b differ by exactly one typo: one letter inserted, left out, replaced, or two
-- neighbouring letters swapped ("jansen"/"janssen", "bakkrij"/"bakkerij", "bedrjif"/"bedrijf").
CREATE OR REPLACE FUNCTION suppliers_one_typo(a text, b text) RETURNS boolean
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE STRICT AS $$
DECLARE
    la integer := length(a);
    lb integer := length(b);
    i integer := 1;
BEGIN
    IF a = b OR abs(la - lb) > 1 THEN
        RETURN false;
    END IF;
    WHILE i <= least(la, lb) AND substr(a, i, 1) = substr(b, i, 1) LOOP
        i := i + 1;
    END LOOP;
    IF la = lb THEN
        RETURN substr(a, i + 1) = substr(b, i + 1)
            OR (substr(a, i, 1) = substr(b, i + 1, 1) AND substr(a, i + 1, 1) = substr(b, i, 1)
                AND substr(a, i + 2) = substr(b, i + 2));
    ELSIF la > lb THEN
        RETURN substr(a, i + 1) = substr(b, i);
    END IF;
    RETURN substr(a, i) = substr(b, i + 1);
END
$$;

-- The other spellings a search word stands for, as prefixes, nearest first (at most four):
-- written-out and abbreviated forms ("gebroeders" -> "gebr", "zonen" -> "zn") and, for a word of
-- five letters or more, the starts of vocabulary words within one typo of it ("jansen" ->
-- "janssen", "instalatie" -> "installatie"). The 30 nearest vocabulary words by trigrams are
-- the candidates (for a word of seven letters or more, only those that share its first half or its
-- last half minus one letter); a variant that the word itself (or a nearer variant) already
-- starts is left out.
CREATE OR REPLACE FUNCTION suppliers_variants(p_word text) RETURNS text[]
LANGUAGE plpgsql STABLE PARALLEL SAFE AS $$
DECLARE
    v_kept text[] := '{}';
    v_length integer := length(p_word);
    v_half integer := length(p_word) / 2;
    v_near text[];                 -- the vocabulary words nearest to the word, nearest first
    v_taken bigint := 0;           -- the candidate whose start was kept last
    r record;
BEGIN
    v_kept := ARRAY(SELECT s.short FROM (VALUES ('gebroeders', 'gebr'), ('zonen', 'zn')) AS s(long, short)
                    WHERE s.long = p_word);
    IF v_length < 5 THEN
        RETURN v_kept;
    END IF;
    -- One typo leaves the first half of the word, or its last half minus one letter, as it was.
    IF v_length >= 7 THEN
        -- A long word: only vocabulary words that start with its first half or hold its last
        -- half can be one typo away, a range on the vocabulary's key and a trigram lookup; far
        -- cheaper than the nearest neighbours of the whole vocabulary.
        v_near := ARRAY(SELECT v.word FROM suppliers_searchword v
                        WHERE v.frequency > 0
                          AND ((v.word >= left(p_word, v_half) AND v.word < left(p_word, v_half) || '~')
                               OR v.word LIKE '%' || right(p_word, v_length - v_half - 1) || '%')
                        ORDER BY v.word <-> p_word, v.word
                        LIMIT 30);
    ELSE
        v_near := ARRAY(SELECT v.word FROM suppliers_searchword v
                        WHERE v.frequency > 0
                        ORDER BY v.word <-> p_word
                        LIMIT 30);
    END IF;
    -- Per candidate, nearest first, its starts of the word's length (then one longer, then one
    -- shorter) that are one typo away: the cheap test of the halves before the exact one.
    FOR r IN
        SELECT n.position, c.cut
        FROM unnest(v_near) WITH ORDINALITY AS n(word, position)
        CROSS JOIN LATERAL unnest(ARRAY[0, 1, -1]) WITH ORDINALITY AS s(shift, o)
        CROSS JOIN LATERAL (SELECT left(n.word, v_length + s.shift) AS cut) AS c
        WHERE length(c.cut) = v_length + s.shift
          -- A start shorter than the word only as a whole word: "jansenn" -> "jansen", but
          -- "jansen" not -> "janse" (which would stand for every word that starts so).
          AND (s.shift >= 0 OR length(n.word) = v_length - 1)
          AND (left(c.cut, v_half) = left(p_word, v_half)
               OR right(c.cut, v_length - v_half - 1) = right(p_word, v_length - v_half - 1))
          AND NOT starts_with(c.cut, p_word)
          AND suppliers_one_typo(p_word, c.cut)
        ORDER BY n.position, s.o
    LOOP
        -- One start per candidate; none that the word itself or a nearer variant already starts.
        CONTINUE WHEN r.position = v_taken OR EXISTS (SELECT 1 FROM unnest(v_kept) AS k WHERE starts_with(r.cut, k));
        v_kept := v_kept || r.cut;
        v_taken := r.position;
        EXIT WHEN cardinality(v_kept) >= 4;
    END LOOP;
    RETURN v_kept;
END
$$;


-- The LIKE patterns that find a word or any of its spellings ('|'-separated) at the start of a
-- word of ' ' || name_key || ' ' || trade_key || ' ' || city_key: '% jansen%', '% janssen%'.
-- LIKE, not a regular expression: on the word table's entries it is three to four times faster.
-- Search words are normalised ([a-z0-9] only), so none holds a LIKE wildcard. NULL for NULL.
CREATE OR REPLACE FUNCTION suppliers_word_patterns(p_spellings text) RETURNS text[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT AS $$
    SELECT ARRAY(SELECT '% ' || s || '%' FROM unnest(string_to_array(p_spellings, '|')) AS s)
$$;

-- Whether p_text (' ' || name_key || ' ' || trade_key || ' ' || city_key) has every word of
-- p_spellings (per word its spellings, '|'-separated) at the start of one of its words.
CREATE OR REPLACE FUNCTION suppliers_has_words(p_text text, p_spellings text[]) RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT NOT EXISTS (SELECT 1 FROM unnest(p_spellings) AS p WHERE NOT p_text LIKE ANY (suppliers_word_patterns(p)))
$$;

-- Whether a word-table entry has the other words of a search: the signature bits first (p_mask,
-- the bits every other word needs), then per word the LIKE patterns of its spellings (p_c1 to
-- p_c4, NULL when there is no such word) and the spellings of any further words (p_rest). One
-- expression without a sub-select, so that the planner inlines it into each scan.
CREATE OR REPLACE FUNCTION suppliers_entry_matches(
    p_name_key text, p_trade_key text, p_city_key text, p_bits bigint,
    p_mask bigint, p_c1 text[], p_c2 text[], p_c3 text[], p_c4 text[], p_rest text[]
) RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE WHEN (p_bits & p_mask) <> p_mask THEN false ELSE
              (p_c1 IS NULL OR (' ' || p_name_key || ' ' || p_trade_key || ' ' || p_city_key) LIKE ANY (p_c1))
          AND (p_c2 IS NULL OR (' ' || p_name_key || ' ' || p_trade_key || ' ' || p_city_key) LIKE ANY (p_c2))
          AND (p_c3 IS NULL OR (' ' || p_name_key || ' ' || p_trade_key || ' ' || p_city_key) LIKE ANY (p_c3))
          AND (p_c4 IS NULL OR (' ' || p_name_key || ' ' || p_trade_key || ' ' || p_city_key) LIKE ANY (p_c4))
          AND (cardinality(p_rest) = 0
               OR suppliers_has_words(' ' || p_name_key || ' ' || p_trade_key || ' ' || p_city_key, p_rest))
    END
$$;

-- For the ranking: how many of the typed words (up to six; p_a1 to p_a6 the LIKE patterns of each
-- word and its variants, NULL when there is no such word) start a word of p_text (' ' || name_key
-- || ' ' || trade_key || ' ' || city_key). Simple expressions, so that the planner inlines them.
CREATE OR REPLACE FUNCTION suppliers_words_matched(
    p_text text, p_a1 text[], p_a2 text[], p_a3 text[], p_a4 text[], p_a5 text[], p_a6 text[]
) RETURNS integer
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT coalesce((p_text LIKE ANY (p_a1))::integer, 0)
         + coalesce((p_text LIKE ANY (p_a2))::integer, 0)
         + coalesce((p_text LIKE ANY (p_a3))::integer, 0)
         + coalesce((p_text LIKE ANY (p_a4))::integer, 0)
         + coalesce((p_text LIKE ANY (p_a5))::integer, 0)
         + coalesce((p_text LIKE ANY (p_a6))::integer, 0)
$$;

-- … and how many of them match only through a variant (p_e1 to p_e6: the pattern of the word itself).
CREATE OR REPLACE FUNCTION suppliers_words_typos(
    p_text text, p_a1 text[], p_a2 text[], p_a3 text[], p_a4 text[], p_a5 text[], p_a6 text[],
    p_e1 text, p_e2 text, p_e3 text, p_e4 text, p_e5 text, p_e6 text
) RETURNS integer
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT coalesce((p_text LIKE ANY (p_a1) AND p_text NOT LIKE p_e1)::integer, 0)
         + coalesce((p_text LIKE ANY (p_a2) AND p_text NOT LIKE p_e2)::integer, 0)
         + coalesce((p_text LIKE ANY (p_a3) AND p_text NOT LIKE p_e3)::integer, 0)
         + coalesce((p_text LIKE ANY (p_a4) AND p_text NOT LIKE p_e4)::integer, 0)
         + coalesce((p_text LIKE ANY (p_a5) AND p_text NOT LIKE p_e5)::integer, 0)
         + coalesce((p_text LIKE ANY (p_a6) AND p_text NOT LIKE p_e6)::integer, 0)
$$;


-- ---------------------------------------------------------------------------------------------
-- The search
-- ---------------------------------------------------------------------------------------------

-- suppliers_search_ids(query, limit, region areas, window) -> the ids of at most ``limit`` active
-- establishments, best first; ``more``, how many further ones match (counted up to ``window``,
-- 1,000 by default, on the scan that finds the candidates, never a COUNT over the registry; NULL
-- when unknown);
-- ``more_is_estimate``, whether ``more`` is a lower bound or an estimate; ``terms``, the
-- normalised words, their variants and the digits searched for (to mark in the list).
--
-- The input is read as words and identifiers, in any order:
--   * an 8-digit KvK number, a 12-digit branch number and a postcode ("6811 AB", "6811ab")
--     anywhere in the input select those establishments; the words then only rank them;
--   * four to seven digits with words narrow on the start of the KvK number (the establishments
--     whose number starts so are the candidates, and the words must match them); one to three
--     digits with words are a word of the name ("Bakkerij 024"); digits alone are a KvK number
--     prefix (up to 8 digits) or a branch-number prefix (9 to 12);
--   * "b v", "v o f" are read as "bv", "vof"; the words en, s, t (from "&", "'s-", "'t") and
--     legal forms (bv, nv, vof, cv, ua) are optional: they rank but do not have to match;
--   * every other word has to start a word of the legal name, trade name or place, or one of its
--     variants (suppliers_variants: one typo per word of five letters or more, gebr/gebroeders).
--
-- Candidates: the rarest word (with its variants) drives an ordered range scan of the word table,
-- where every entry is checked for the other words (signature bits, then the strings) on the
-- index tuple itself. Up to 1,000 matches are counted; the first 200 in index order (alphabetical
-- per word) are ranked, plus the names that start with the input (the supplier table's name
-- indexes), plus, when a region is given and more match than are ranked, up to 200 further
-- matches in that region. A common word is read for its first 5,000 entries (50,000 when those
-- give fewer than ``limit``, or at once when the other words make the combination rare); the
-- count of the rest is then extrapolated. When no establishment matches every word, the first
-- entries of each word of three or more letters (400 shared by up to four words, at least 100
-- each) are offered as partial matches.
--
-- Ranking, each key breaking the ties of the one before:
--   1. the legal or trade name is the input (0), starts with it (1), or has every word as a word
--      start without typos (2); anything else is 3. When the input is exactly a place ("arnhem",
--      "den haag", "s hertogenbosch") the establishments in that place come first instead;
--   2. how many of the typed words match the name, trade name or place (more first);
--   3. how many of them match only through a typo (fewer first);
--   4. main establishment before branches;
--   5. the postcode area is one of the searcher's region areas;
--   6. alphabetical (legal name), then id.
CREATE OR REPLACE FUNCTION suppliers_search_ids(
    p_query text, p_limit integer DEFAULT 10, p_region text[] DEFAULT '{}', p_window integer DEFAULT 1000,
    OUT ids bigint[], OUT more integer, OUT more_is_estimate boolean, OUT terms text[]
)
LANGUAGE plpgsql STABLE PARALLEL SAFE
-- The planner cannot know how early the ordered scans stop; parallel workers take milliseconds
-- to start, longer than the scans.
SET max_parallel_workers_per_gather = 0
-- Each statement is planned once per connection, not per search: the plans (ordered range scans
-- on the indexes, stopped by LIMIT) do not depend on what was typed, and planning the statements
-- anew took about 1 ms of every keystroke.
SET plan_cache_mode = force_generic_plan
AS $$
DECLARE
    v_window integer;                   -- matches ranked and counted per search: p_window, at most 1,000
    c_scan_first constant integer := 5000;  -- word-table entries read per driver spelling, at first
    c_scan constant integer := 50000;   -- … and at most, when the first read found fewer than p_limit
    v_scan integer := c_scan_first;
    v_full integer;                     -- how many establishments of the scan have every word
    c_rank constant integer := 200;     -- matches ranked per search (the first in index order)
    c_partial constant integer := 400;  -- entries read for partial matches, shared by the words
    c_region_scan constant integer := 5000;  -- entries per driver spelling read for matches in the region
    v_key text := suppliers_normalise(left(p_query, 100));
    v_tokens text[];
    v_token text;
    v_match text[];
    v_postcode text;
    v_kvk text;
    v_branch text;
    v_numbers text[] := '{}';
    v_words text[] := '{}';        -- every word, in input order
    v_required text[] := '{}';     -- the words that must match
    v_words_key text;              -- the words as one key, to compare with whole names
    v_alternatives text[];
    v_spellings text[] := '{}';    -- per word: the word and its variants, '|'-separated
    v_required_spellings text[] := '{}';  -- per required word: the word and its variants, '|'-separated
    v_driver_spellings text[];
    v_driver_index integer;
    v_best double precision;
    v_estimate double precision;
    v_estimates double precision[] := '{}';  -- per required word: the entries it covers
    v_expected double precision;   -- how many of the driver's entries are expected to have every word
    v_checks text[] := '{}';       -- the spellings of the required words other than the driver
    v_c1 text[];                   -- the first four of them get an inline check each (LIKE patterns)
    v_c2 text[];
    v_c3 text[];
    v_c4 text[];
    v_mask bigint := 0;
    v_place text;
    v_plain boolean;               -- every word required and without variants: all candidates match all
    -- For the ranking, inline (a sub-select per candidate costs more than the rest): per word, up
    -- to six, the LIKE patterns of the word and its variants (v_a) and of the word itself (v_e);
    -- and the patterns that every required word starts a word of the name (v_name_all, LIKE ALL).
    v_a1 text[]; v_a2 text[]; v_a3 text[]; v_a4 text[]; v_a5 text[]; v_a6 text[];
    v_e1 text; v_e2 text; v_e3 text; v_e4 text; v_e5 text; v_e6 text;
    v_name_all text[];
    v_partial boolean := false;
    v_partial_each integer;        -- entries per word read for partial matches
    v_count integer;
    v_candidates bigint[];
    v_by_number boolean := false;  -- the start of a KvK number selected the candidates
    c_numbers constant integer := 2000;  -- … when at most this many establishments share it
    i integer;
BEGIN
    ids := '{}';
    more := 0;
    more_is_estimate := false;
    terms := '{}';
    p_limit := greatest(least(coalesce(p_limit, 10), 1000), 0);
    v_window := least(greatest(coalesce(p_window, 1000), p_limit), 1000);
    p_region := coalesce(p_region, '{}');
    IF replace(v_key, ' ', '') !~ '^([0-9]|..)' OR p_limit = 0 THEN
        RETURN;  -- nothing, or a single letter: too little to search for
    END IF;

    -- Digits alone: the start of a KvK number (up to 8 digits) or of a branch number (9 to 12).
    -- Counted on the (KvK, branch) index alone, so inactive establishments are counted too: an estimate.
    IF v_key ~ '^[0-9 ]+$' AND v_key !~ '(^| )([0-9]{8}|[0-9]{12})( |$)' THEN
        v_token := replace(v_key, ' ', '');
        terms := ARRAY[v_token];
        IF length(v_token) < 8 THEN
            ids := ARRAY(SELECT id FROM suppliers_supplier
                         WHERE kvk_number >= v_token AND kvk_number < v_token || '~' AND is_active
                         ORDER BY kvk_number, is_main_branch DESC, branch_number LIMIT p_limit);
            SELECT count(*) INTO v_count FROM (
                SELECT 1 FROM suppliers_supplier
                WHERE kvk_number >= v_token AND kvk_number < v_token || '~' LIMIT v_window + 1) AS x;
        ELSIF length(v_token) < 12 THEN
            ids := ARRAY(SELECT id FROM suppliers_supplier
                         WHERE branch_number >= v_token AND branch_number < v_token || '~' AND is_active
                           AND branch_number <> ''
                         ORDER BY branch_number LIMIT p_limit);
            SELECT count(*) INTO v_count FROM (
                SELECT 1 FROM suppliers_supplier
                WHERE branch_number >= v_token AND branch_number < v_token || '~' LIMIT v_window + 1) AS x;
        ELSE
            RETURN;
        END IF;
        more := greatest(least(v_count, v_window) - cardinality(ids), 0);
        more_is_estimate := more > 0;
        RETURN;
    END IF;

    -- Identifiers anywhere in the input, then the words.
    v_key := ' ' || v_key || ' ';
    v_match := regexp_match(v_key, ' ([1-9][0-9]{3}) ?([a-z]{2}) ');
    IF v_match IS NOT NULL THEN
        v_postcode := v_match[1] || ' ' || upper(v_match[2]);
        v_key := regexp_replace(v_key, ' [1-9][0-9]{3} ?[a-z]{2} ', ' ');
        terms := terms || (v_match[1] || v_match[2]);
    END IF;
    v_key := replace(replace(v_key, ' b v ', ' bv '), ' v o f ', ' vof ');
    v_tokens := string_to_array(btrim(v_key), ' ');
    FOREACH v_token IN ARRAY coalesce(v_tokens, '{}') LOOP
        CONTINUE WHEN v_token = '';
        IF v_token ~ '^[0-9]{8}$' AND v_kvk IS NULL THEN
            v_kvk := v_token;
            terms := terms || v_token;
        ELSIF v_token ~ '^[0-9]{12}$' AND v_branch IS NULL THEN
            v_branch := v_token;
            terms := terms || v_token;
        ELSIF v_token ~ '^[0-9]{4,}$' THEN
            v_numbers := v_numbers || left(v_token, 8);
            terms := terms || v_token;
        ELSIF NOT v_token = ANY (v_words) THEN
            v_words := v_words || v_token;
        END IF;
    END LOOP;
    v_words := v_words[1:12];
    v_words_key := array_to_string(v_words, ' ');
    FOR i IN 1..coalesce(cardinality(v_words), 0) LOOP
        v_alternatives := v_words[i] || suppliers_variants(v_words[i]);
        terms := terms || v_alternatives;
        v_spellings := v_spellings || array_to_string(v_alternatives, '|');
        IF NOT v_words[i] = ANY (ARRAY['en', 's', 't', 'bv', 'nv', 'vof', 'cv', 'ua']) THEN
            v_required := v_required || v_words[i];
            v_required_spellings := v_required_spellings || array_to_string(v_alternatives, '|');
        END IF;
    END LOOP;
    IF cardinality(v_required) = 0 THEN  -- only optional words ("bv"): then they are the search
        v_required := v_words;
        v_required_spellings := v_spellings;
    END IF;

    v_plain := cardinality(v_required) = cardinality(v_words)
               AND NOT EXISTS (SELECT 1 FROM unnest(v_spellings) AS p WHERE strpos(p, '|') > 0);
    v_a1 := suppliers_word_patterns(v_spellings[1]); v_a2 := suppliers_word_patterns(v_spellings[2]);
    v_a3 := suppliers_word_patterns(v_spellings[3]); v_a4 := suppliers_word_patterns(v_spellings[4]);
    v_a5 := suppliers_word_patterns(v_spellings[5]); v_a6 := suppliers_word_patterns(v_spellings[6]);
    v_e1 := '% ' || v_words[1] || '%'; v_e2 := '% ' || v_words[2] || '%'; v_e3 := '% ' || v_words[3] || '%';
    v_e4 := '% ' || v_words[4] || '%'; v_e5 := '% ' || v_words[5] || '%'; v_e6 := '% ' || v_words[6] || '%';
    v_name_all := (SELECT array_agg('% ' || w || '%') FROM unnest(v_required) AS w);

    -- A place typed on its own ranks the establishments in that place first.
    IF v_kvk IS NULL AND v_branch IS NULL AND v_postcode IS NULL AND cardinality(v_numbers) = 0
       AND v_words_key <> '' AND EXISTS (
            SELECT 1 FROM suppliers_supplier WHERE city_key = v_words_key AND is_active) THEN
        v_place := v_words_key;
    END IF;

    IF v_kvk IS NULL AND v_branch IS NULL AND v_postcode IS NULL AND cardinality(v_numbers) > 0 THEN
        -- The start of a KvK number beside words: on average a few hundred establishments share
        -- four digits. Those are the candidates (the words must match them below); when more
        -- share it, the words drive the search and each match's number is checked.
        v_candidates := ARRAY(SELECT id FROM suppliers_supplier
                              WHERE kvk_number >= v_numbers[1] AND kvk_number < v_numbers[1] || '~' AND is_active
                              ORDER BY kvk_number LIMIT c_numbers + 1);
        v_by_number := cardinality(v_candidates) <= c_numbers;
    END IF;

    IF v_kvk IS NOT NULL OR v_branch IS NOT NULL OR v_postcode IS NOT NULL OR v_by_number THEN
        -- An identifier selects the candidates (one establishment, a company's establishments or
        -- the establishments at a postcode): each its own statement on its own index, so that
        -- no plan has to serve all three. At most 200 (and the main establishments) are ranked.
        IF v_by_number THEN
            NULL;  -- selected above
        ELSIF v_branch IS NOT NULL THEN
            v_candidates := ARRAY(SELECT id FROM suppliers_supplier
                                  WHERE branch_number = v_branch AND is_active LIMIT 1);
        ELSIF v_kvk IS NOT NULL THEN
            v_candidates := ARRAY(
                (SELECT id FROM suppliers_supplier WHERE kvk_number = v_kvk AND is_active AND is_main_branch LIMIT 10)
                UNION
                (SELECT id FROM suppliers_supplier WHERE kvk_number = v_kvk AND is_active
                 ORDER BY kvk_number, branch_number LIMIT 200));
            IF cardinality(v_candidates) >= 200 THEN  -- counted on the index: inactive ones too
                SELECT count(*) INTO v_count FROM (
                    SELECT 1 FROM suppliers_supplier WHERE kvk_number = v_kvk LIMIT v_window + 1) AS x;
            END IF;
        ELSE
            v_candidates := ARRAY(SELECT id FROM suppliers_supplier
                                  WHERE postcode = v_postcode AND is_active LIMIT 200);
            IF cardinality(v_candidates) >= 200 THEN
                SELECT count(*) INTO v_count FROM (
                    SELECT 1 FROM suppliers_supplier WHERE postcode = v_postcode LIMIT v_window + 1) AS x;
            END IF;
        END IF;
        -- The words rank them (and must match the candidates of a KvK number's start).
        SELECT coalesce(array_agg(c.id ORDER BY c.position) FILTER (WHERE c.position <= p_limit), '{}'),
               count(*)::integer
        INTO ids, v_full
        FROM (
            SELECT s.id, row_number() OVER (ORDER BY
                    suppliers_words_matched(' ' || s.name_key || ' ' || s.trade_key || ' ' || s.city_key,
                                            v_a1, v_a2, v_a3, v_a4, v_a5, v_a6) DESC,
                    s.is_main_branch DESC,
                    suppliers_postcode_area(s.postcode) = ANY (p_region) DESC,
                    s.name_key, s.branch_number, s.id) AS position
            FROM suppliers_supplier s
            WHERE s.id = ANY (v_candidates)
              AND (v_kvk IS NULL OR s.kvk_number = v_kvk)
              AND (v_postcode IS NULL OR s.postcode = v_postcode)
              AND (NOT v_by_number OR (
                  NOT EXISTS (SELECT 1 FROM unnest(v_numbers) AS n WHERE NOT starts_with(s.kvk_number, n))
                  AND NOT EXISTS (
                      SELECT 1 FROM unnest(v_required_spellings) AS p
                      WHERE NOT (' ' || s.name_key || ' ' || s.trade_key || ' ' || s.city_key)
                                LIKE ANY (suppliers_word_patterns(p)))))
        ) AS c;
        more := greatest(least(greatest(coalesce(v_count, 0), v_full), v_window) - cardinality(ids), 0);
        more_is_estimate := coalesce(v_count, 0) > v_full;
        RETURN;
    END IF;

    IF cardinality(v_required) = 0 THEN
        RETURN;
    END IF;

    -- The driver: the required word (with its variants) that covers the fewest entries.
    FOR i IN 1..cardinality(v_required) LOOP
        v_estimate := 0;
        FOREACH v_token IN ARRAY string_to_array(v_required_spellings[i], '|') LOOP
            v_estimate := v_estimate + suppliers_prefix_estimate(v_token);
        END LOOP;
        v_estimates := v_estimates || v_estimate;
        IF v_best IS NULL OR v_estimate < v_best
           OR (v_estimate = v_best AND length(v_required[i]) > length(v_required[v_driver_index])) THEN
            v_best := v_estimate;
            v_driver_index := i;
        END IF;
    END LOOP;
    v_driver_spellings := string_to_array(v_required_spellings[v_driver_index], '|');
    -- The other words are checked rarest first: most entries fail on the first check.
    v_checks := ARRAY(SELECT u.spellings
                      FROM unnest(v_required_spellings, v_estimates) WITH ORDINALITY AS u(spellings, estimate, position)
                      WHERE u.position <> v_driver_index
                      ORDER BY u.estimate, u.position);
    FOR i IN 1..cardinality(v_required) LOOP
        CONTINUE WHEN i = v_driver_index;
        -- A signature bit is required only when every spelling of the word shares it.
        IF (SELECT count(DISTINCT suppliers_word_mask(ARRAY[a])) = 1 AND min(length(a)) >= 3
            FROM unnest(string_to_array(v_required_spellings[i], '|')) AS a) THEN
            v_mask := v_mask | suppliers_word_mask(ARRAY[v_required[i]]);
        END IF;
    END LOOP;
    -- A combination expected to be rare is read to the end of the driver's entries at once,
    -- instead of a first read that would most likely come back short and be repeated. Expected:
    -- the driver's entries times the share of establishments that have each other word, as if
    -- they occurred independently, except the particles of Dutch surnames ("van", "der", "de"),
    -- which go together with each other and with the names they belong to; with only those, the
    -- share of the rarest. Unless the list fills up anyway with names that start with the input.
    SELECT v_best * CASE WHEN count(*) FILTER (WHERE NOT u.particle) > 0
                         THEN exp(sum(ln(least(greatest(u.e, 1) / r.reltuples, 1))) FILTER (WHERE NOT u.particle))
                         ELSE least(min(u.e / r.reltuples), 1) END
    INTO v_expected
    FROM (SELECT e, position, w = ANY (ARRAY['van', 'de', 'der', 'den', 'het', 'ter', 'ten', 'te', 'op', 'in', 'aan', 'uit', 'bij']) AS particle
          FROM unnest(v_estimates, v_required) WITH ORDINALITY AS x(e, w, position)) AS u,
         pg_class r
    WHERE r.oid = 'suppliers_supplier'::regclass AND r.reltuples > 0 AND u.position <> v_driver_index;
    IF v_best <= c_scan AND v_expected < c_rank AND (
        SELECT count(*) < p_limit FROM (
            SELECT 1 FROM suppliers_supplier
            WHERE name_key >= v_words_key AND name_key < v_words_key || '~' AND is_active
            ORDER BY name_key, id LIMIT p_limit) AS n) THEN
        v_scan := c_scan;
    END IF;
    v_c1 := suppliers_word_patterns(v_checks[1]);
    v_c2 := suppliers_word_patterns(v_checks[2]);
    v_c3 := suppliers_word_patterns(v_checks[3]);
    v_c4 := suppliers_word_patterns(v_checks[4]);
    v_checks := v_checks[5:];

    LOOP
    WITH full_matches AS (
        -- Per spelling of the driver (the word first, then its variants): its entries in index
        -- order, at most v_scan read, that have every other word (the signature bits first, then
        -- the strings); the first v_window of them. (spelling: 1 for the word as typed.) When
        -- all of the driver's entries are read, the test runs on the index scan itself.
        SELECT m.*, d.spelling_position AS spelling
        FROM unnest(v_driver_spellings) WITH ORDINALITY AS d(spelling, spelling_position)
        CROSS JOIN LATERAL (
            (SELECT x.supplier_id, x.name_key, x.trade_key, x.city_key, x.is_main, x.area
             FROM suppliers_supplierword x
             WHERE v_best <= v_scan
               AND x.word >= d.spelling AND x.word < d.spelling || '~'
               AND suppliers_entry_matches(x.name_key, x.trade_key, x.city_key, x.word_bits,
                                           v_mask, v_c1, v_c2, v_c3, v_c4, v_checks)
               AND (cardinality(v_numbers) = 0 OR EXISTS (
                   SELECT 1 FROM suppliers_supplier s
                   WHERE s.id = x.supplier_id
                     AND NOT EXISTS (SELECT 1 FROM unnest(v_numbers) AS n WHERE NOT starts_with(s.kvk_number, n))))
             ORDER BY x.word, x.name_key, x.supplier_id
             LIMIT v_window)
            UNION ALL
            (SELECT x.supplier_id, x.name_key, x.trade_key, x.city_key, x.is_main, x.area
             FROM (SELECT * FROM suppliers_supplierword
                   WHERE word >= d.spelling AND word < d.spelling || '~'
                   ORDER BY word, name_key, supplier_id
                   LIMIT v_scan) AS x
             WHERE NOT v_best <= v_scan
               AND suppliers_entry_matches(x.name_key, x.trade_key, x.city_key, x.word_bits,
                                           v_mask, v_c1, v_c2, v_c3, v_c4, v_checks)
               AND (cardinality(v_numbers) = 0 OR EXISTS (
                   SELECT 1 FROM suppliers_supplier s
                   WHERE s.id = x.supplier_id
                     AND NOT EXISTS (SELECT 1 FROM unnest(v_numbers) AS n WHERE NOT starts_with(s.kvk_number, n))))
             LIMIT v_window)
        ) AS m
        LIMIT v_window
    ),
    in_region AS (
        -- When the searcher has a region and more matches were found than are ranked: up to 200
        -- more matches there, beyond the alphabetical window. When the window did not fill up,
        -- every match among the entries read is in full_matches already. Otherwise the driver's
        -- first c_region_scan entries are read for them; a variant's only when the word as typed
        -- has fewer than p_limit matches (a variant's matches rank after all of the word's own).
        (SELECT f.* FROM full_matches f
         WHERE cardinality(p_region) > 0 AND f.area = ANY (p_region)
           AND (SELECT count(*) FROM full_matches) > c_rank AND (SELECT count(*) FROM full_matches) < v_window
         LIMIT 200)
        UNION ALL
        (SELECT m.*, d.spelling_position AS spelling
         FROM unnest(v_driver_spellings) WITH ORDINALITY AS d(spelling, spelling_position)
         CROSS JOIN LATERAL (
            SELECT x.supplier_id, x.name_key, x.trade_key, x.city_key, x.is_main, x.area
            FROM (SELECT * FROM suppliers_supplierword
                  WHERE word >= d.spelling AND word < d.spelling || '~'
                  ORDER BY word, name_key, supplier_id
                  LIMIT c_region_scan) AS x
            WHERE x.area = ANY (p_region)
              AND suppliers_entry_matches(x.name_key, x.trade_key, x.city_key, x.word_bits,
                                          v_mask, v_c1, v_c2, v_c3, v_c4, v_checks)
              AND cardinality(v_numbers) = 0
            LIMIT 200
         ) AS m
         WHERE cardinality(p_region) > 0 AND (SELECT count(*) FROM full_matches) >= greatest(v_window, c_rank + 1)
           AND (d.spelling_position = 1 OR (SELECT count(*) FROM full_matches f WHERE f.spelling = 1) < p_limit)
         LIMIT 200)
    ),
    name_starts AS (
        -- The legal and trade names that start with the input (the supplier table's name indexes).
        (SELECT s.id AS supplier_id, s.name_key, s.trade_key, s.city_key, s.is_main_branch AS is_main,
                suppliers_postcode_area(s.postcode) AS area, 1::bigint AS spelling
         FROM suppliers_supplier s
         WHERE v_place IS NULL AND cardinality(v_numbers) = 0 AND length(v_words_key) >= 2
           AND s.name_key >= v_words_key AND s.name_key < v_words_key || '~' AND s.is_active
         ORDER BY s.name_key, s.id LIMIT 20)
        UNION ALL
        (SELECT s.id, s.name_key, s.trade_key, s.city_key, s.is_main_branch,
                suppliers_postcode_area(s.postcode), 1::bigint
         FROM suppliers_supplier s
         WHERE v_place IS NULL AND cardinality(v_numbers) = 0 AND length(v_words_key) >= 2
           AND s.trade_key >= v_words_key AND s.trade_key < v_words_key || '~' AND s.is_active
           AND s.trade_name <> ''
         ORDER BY s.trade_key, s.id LIMIT 20)
    ),
    candidates AS (
        -- The first c_rank matches in index order are ranked (all of them are counted), with the
        -- names that start with the input and the matches in the region.
        SELECT DISTINCT ON (supplier_id) *
        FROM ((SELECT * FROM full_matches LIMIT c_rank) UNION ALL SELECT * FROM in_region
              UNION ALL SELECT * FROM name_starts) AS u
        ORDER BY supplier_id
    ),
    ranked AS (
        SELECT c.supplier_id, row_number() OVER (ORDER BY
                CASE WHEN v_place IS NOT NULL THEN CASE WHEN c.city_key = v_place THEN 0 ELSE 3 END
                     WHEN c.name_key = v_words_key OR c.trade_key = v_words_key THEN 0
                     WHEN starts_with(c.name_key, v_words_key) OR (c.trade_key <> '' AND starts_with(c.trade_key, v_words_key)) THEN 1
                     WHEN (' ' || c.name_key || ' ' || c.trade_key) LIKE ALL (v_name_all) THEN 2
                     ELSE 3 END,
                -- (Every candidate here has every required word; with no optional words and no
                -- variants, all have all words and none a typo: nothing to count.)
                CASE WHEN v_plain THEN 0 ELSE w.matched END DESC,
                CASE WHEN v_plain THEN 0 ELSE w.typos END,
                c.is_main DESC,
                c.area = ANY (p_region) DESC,
                c.name_key, c.supplier_id) AS position
        FROM candidates c
        CROSS JOIN LATERAL (
            SELECT suppliers_words_matched(x.t, v_a1, v_a2, v_a3, v_a4, v_a5, v_a6) AS matched,
                   suppliers_words_typos(x.t, v_a1, v_a2, v_a3, v_a4, v_a5, v_a6,
                                         v_e1, v_e2, v_e3, v_e4, v_e5, v_e6) AS typos
            FROM (SELECT ' ' || c.name_key || ' ' || c.trade_key || ' ' || c.city_key AS t) AS x
        ) AS w
    )
    SELECT coalesce(array_agg(r.supplier_id ORDER BY r.position) FILTER (WHERE r.position <= p_limit), '{}'),
           -- every candidate: the full matches beyond the ranked ones too
           count(*)::integer + greatest((SELECT count(*)::integer FROM full_matches) - c_rank, 0),
           (SELECT count(*)::integer FROM full_matches)
    INTO ids, v_count, v_full
    FROM ranked r;
    -- A rare combination of common words: read further, once.
    EXIT WHEN cardinality(ids) >= p_limit OR v_best <= v_scan OR v_scan >= c_scan;
    v_scan := c_scan;
    END LOOP;

    IF cardinality(ids) = 0 AND cardinality(v_required) > 1 THEN
        -- Nothing matches every word: offer the first entries of each word (and its variants) as
        -- partial matches, ranked by how many words they match. (When something matches every
        -- word, more words narrow the list.)
        v_partial := true;
        v_partial_each := greatest(c_partial / least(cardinality(v_required), 4), 100);
        WITH partial AS (
            -- Per word (at most four), its first entries: the word's own first, then its
            -- variants'; c_partial shared by the words, at least 100 each.
            SELECT DISTINCT ON (m.supplier_id) m.* FROM unnest(v_required_spellings) WITH ORDINALITY AS w(spellings, position)
            CROSS JOIN LATERAL (
                SELECT e.* FROM unnest(string_to_array(w.spellings, '|')) AS d(spelling)
                CROSS JOIN LATERAL (
                    SELECT x.supplier_id, x.name_key, x.trade_key, x.city_key, x.is_main, x.area
                    FROM suppliers_supplierword x
                    WHERE x.word >= d.spelling AND x.word < d.spelling || '~' AND NOT (x.supplier_id = ANY (ids))
                      AND cardinality(v_numbers) = 0
                    ORDER BY x.word, x.name_key, x.supplier_id
                    LIMIT v_partial_each
                ) AS e
                LIMIT v_partial_each
            ) AS m
            WHERE w.position <= 4 AND length(split_part(w.spellings, '|', 1)) >= 3
            ORDER BY m.supplier_id
        ),
        ranked AS (
            SELECT p.supplier_id, row_number() OVER (ORDER BY
                    w.matched DESC, w.typos, p.is_main DESC, p.area = ANY (p_region) DESC,
                    p.name_key, p.supplier_id) AS position
            FROM partial p
            CROSS JOIN LATERAL (
                SELECT suppliers_words_matched(x.t, v_a1, v_a2, v_a3, v_a4, v_a5, v_a6) AS matched,
                       suppliers_words_typos(x.t, v_a1, v_a2, v_a3, v_a4, v_a5, v_a6,
                                             v_e1, v_e2, v_e3, v_e4, v_e5, v_e6) AS typos
                FROM (SELECT ' ' || p.name_key || ' ' || p.trade_key || ' ' || p.city_key AS t) AS x
            ) AS w
        )
        SELECT ids || coalesce(array_agg(r.supplier_id ORDER BY r.position)
                                   FILTER (WHERE r.position <= p_limit - cardinality(ids)), '{}'),
               count(*) > p_limit - cardinality(ids)
        INTO ids, v_partial
        FROM ranked r;
    END IF;

    IF v_partial THEN
        more := NULL;  -- partial matches beyond the list: how many is not known
        more_is_estimate := true;
    ELSIF v_full >= v_window OR v_best = 'Infinity'::double precision AND v_full > 0 AND v_best > v_scan THEN
        -- The window filled up (or a short prefix was not read to its end): at least this many.
        more := greatest(least(v_count, v_window) - cardinality(ids), 0);
        more_is_estimate := true;
    ELSIF v_best > v_scan THEN
        -- The scan stopped before the end of the driver's entries: extrapolate its share of
        -- matches to all of them (the vocabulary knows how many there are).
        more := greatest(least(round(v_full * v_best / least(v_best, v_scan * cardinality(v_driver_spellings)))::integer
                               + v_count - v_full, 100000) - cardinality(ids), 0);
        more_is_estimate := true;
    ELSE
        more := greatest(v_count - cardinality(ids), 0);
    END IF;
END
$$;

-- The search as rows of the supplier table, best first (the admin's search and the typeahead).
CREATE OR REPLACE FUNCTION suppliers_search(p_query text, p_limit integer DEFAULT 10, p_region text[] DEFAULT '{}')
RETURNS SETOF suppliers_supplier
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT s.* FROM suppliers_search_ids(p_query, p_limit, p_region) AS r
    CROSS JOIN LATERAL unnest(r.ids) WITH ORDINALITY AS f(id, position)
    JOIN suppliers_supplier s ON s.id = f.id
    ORDER BY f.position
$$;

-- Normalisation of names and places for searching. Run by migration 0001_initial before the
-- supplier table is created: its generated search keys (name_key, trade_key, city_key) call
-- suppliers_normalise(). See README.md in this folder before changing anything here.

-- unaccent() is only STABLE (its dictionary could change), which keeps it out of generated columns
-- and stops the planner from inlining a wrapper. Bound to one dictionary it is immutable in
-- practice; the C entry point keeps it inlinable (much faster for millions of rows). Without the
-- right to create C functions, a plain SQL wrapper does the same, more slowly.
DO $do$
BEGIN
    CREATE OR REPLACE FUNCTION suppliers_unaccent(regdictionary, text) RETURNS text
    LANGUAGE c IMMUTABLE PARALLEL SAFE STRICT AS '$libdir/unaccent', 'unaccent_dict';
EXCEPTION WHEN insufficient_privilege THEN
    CREATE OR REPLACE FUNCTION suppliers_unaccent(regdictionary, text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT AS 'SELECT public.unaccent($1, $2)';
END
$do$;

-- The normalised form: unaccented, lower case, dots and apostrophes dropped ("B.V." -> "bv",
-- "'t Hoekje" -> "t hoekje"), every other run of characters outside [a-z0-9] one space
-- ("'s-Hertogenbosch" -> "s hertogenbosch", "Jansen & Zn." -> "jansen zn").
CREATE OR REPLACE FUNCTION suppliers_normalise(value text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT btrim(regexp_replace(
        regexp_replace(lower(suppliers_unaccent('public.unaccent'::regdictionary, coalesce(value, ''))), '[.''`´‘’]', '', 'g'),
        '[^a-z0-9]+', ' ', 'g'))
$$;

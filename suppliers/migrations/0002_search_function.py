from django.db import migrations

# unaccent() is only STABLE (its dictionary could change), which keeps it out of generated columns
# and stops the planner from inlining a wrapper. Bound to one dictionary it is immutable in
# practice; the C entry point keeps it inlinable (much faster for millions of rows). Without the
# right to create C functions, a plain SQL wrapper does the same, more slowly.
UNACCENT = r"""
DO $$
BEGIN
    CREATE OR REPLACE FUNCTION suppliers_unaccent(regdictionary, text) RETURNS text
    LANGUAGE c IMMUTABLE PARALLEL SAFE STRICT AS '$libdir/unaccent', 'unaccent_dict';
EXCEPTION WHEN insufficient_privilege THEN
    CREATE OR REPLACE FUNCTION suppliers_unaccent(regdictionary, text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT RETURN public.unaccent($1, $2);
END
$$;
"""

# Normalised form used for searching: unaccented, lower case, dots and apostrophes dropped
# ("B.V." -> "bv", "'t Hoekje" -> "t hoekje"), every other run of non [a-z0-9] characters one space.
NORMALISE = r"""
CREATE OR REPLACE FUNCTION suppliers_normalise(value text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN btrim(regexp_replace(
    regexp_replace(lower(suppliers_unaccent('public.unaccent'::regdictionary, coalesce(value, ''))), '[.''`´‘’]', '', 'g'),
    '[^a-z0-9]+', ' ', 'g'));
"""

DROP = """
DROP FUNCTION IF EXISTS suppliers_normalise(text);
DROP FUNCTION IF EXISTS suppliers_unaccent(regdictionary, text);
"""


class Migration(migrations.Migration):
    dependencies = [
        ("suppliers", "0001_initial"),
        ("wizzr", "0002_extensions"),
    ]

    operations = [migrations.RunSQL(UNACCENT + NORMALISE, DROP)]

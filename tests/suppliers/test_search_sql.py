"""The search functions in the database are the ones in suppliers/sql/*.sql."""

import re

import pytest
from django.db import connection

from suppliers.sql import SQL_DIR, sql_file

pytestmark = pytest.mark.django_db

_BODY = re.compile(r"\bAS \$\$(.*?)\$\$;", re.DOTALL)


def functions_in(name: str) -> dict[str, str]:
    """Each function of the file with a quoted body: name -> body (as PostgreSQL stores it in prosrc)."""
    functions = {}
    for chunk in sql_file(name).split("CREATE OR REPLACE FUNCTION ")[1:]:
        body = _BODY.search(chunk)
        if body:
            functions[re.match(r"\w+", chunk)[0]] = body[1]
    return functions


def test_the_files_define_the_search_functions():
    assert set(functions_in("normalise.sql")) == {"suppliers_normalise"}
    assert {"suppliers_search_ids", "suppliers_search", "suppliers_variants", "suppliers_one_typo",
            "suppliers_sync_words", "suppliers_word_bits", "suppliers_words"} <= set(functions_in("search.sql"))
    readme = " ".join((SQL_DIR / "README.md").read_text().split())
    assert "A change to a file needs a new migration that runs it again" in readme


@pytest.mark.parametrize("file", ["normalise.sql", "search.sql"])
def test_every_function_in_the_database_has_the_body_of_the_file(file):
    functions = functions_in(file)
    assert functions
    with connection.cursor() as cursor:
        for name, body in functions.items():
            cursor.execute(
                "SELECT prosrc FROM pg_proc WHERE proname = %s AND pronamespace = 'public'::regnamespace", [name]
            )
            rows = cursor.fetchall()
            assert len(rows) == 1, f"{name}: {len(rows)} functions of that name in the database"
            assert rows[0][0] == body, f"{name} in the database differs from suppliers/sql/{file}"


def test_the_search_has_no_functions_left_over_from_earlier_versions():
    names = set(functions_in("normalise.sql")) | set(functions_in("search.sql")) | {"suppliers_unaccent"}
    with connection.cursor() as cursor:
        cursor.execute("SELECT proname FROM pg_proc WHERE proname LIKE 'suppliers\\_%%'")
        in_database = {row[0] for row in cursor.fetchall()}
    assert in_database == names


_SETTINGS = re.compile(r"^SET (\w+) = (\S+)$", re.MULTILINE)


@pytest.mark.parametrize("file", ["normalise.sql", "search.sql"])
def test_every_function_in_the_database_has_the_settings_of_the_file(file):
    """The SET clauses (no parallel workers, plans made once per connection) are part of a function's
    definition but not of its body: compared here."""
    settings = {}
    for chunk in sql_file(file).split("CREATE OR REPLACE FUNCTION ")[1:]:
        head = chunk.split("AS $$", 1)[0]
        settings[re.match(r"\w+", chunk)[0]] = sorted(f"{name}={value}" for name, value in _SETTINGS.findall(head))
    assert settings.get("suppliers_search_ids") or file != "search.sql"
    with connection.cursor() as cursor:
        for name, expected in settings.items():
            cursor.execute(
                "SELECT coalesce(proconfig, '{}') FROM pg_proc WHERE proname = %s AND pronamespace = 'public'::regnamespace",
                [name],
            )
            assert sorted(cursor.fetchone()[0]) == expected, f"{name}: settings differ from suppliers/sql/{file}"

"""The registry's search SQL, one readable file per part (see README.md)."""

from pathlib import Path

SQL_DIR = Path(__file__).resolve().parent


def sql_file(name: str) -> str:
    """The text of ``name`` in this folder, as a migration runs it."""
    return (SQL_DIR / name).read_text(encoding="utf-8")

"""The English catalogue is complete, translated and compiled.

Dutch is the source language: msgids are Dutch, locale/en holds the English. These tests extract the
messages the way `make messages` does (Django's makemessages into a scratch copy of the project, so
the real catalogue is never touched) and name every msgid that is missing, untranslated, fuzzy or
not compiled. To fix a failure: run `make messages`, translate the empty entries in
locale/en/LC_MESSAGES/django.po, run `make messages` again (it also compiles).
"""

from __future__ import annotations

import ast
import gettext
import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import override_settings

PROJECT = Path(settings.BASE_DIR)
CATALOGUE = PROJECT / "locale" / "en" / "LC_MESSAGES"
# Keep in step with MESSAGES_IGNORE in the Makefile.
IGNORED = ["node_modules", ".venv", "var", "tests", "bench", "test-results"]
NOT_COPIED = {*IGNORED, ".git", "locale", "__pycache__", "static"}


@dataclass
class Entry:
    msgid: str
    msgctxt: str | None = None
    msgid_plural: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)

    @property
    def key(self) -> tuple[str | None, str]:
        return (self.msgctxt, self.msgid)

    def __str__(self) -> str:
        return f"{self.msgctxt}|{self.msgid!r}" if self.msgctxt else repr(self.msgid)


def read_po(path: Path) -> dict[tuple[str | None, str], Entry]:
    """Parse a PO file into entries by (msgctxt, msgid); the header and obsolete (#~) entries are left out."""
    entries: dict[tuple[str | None, str], Entry] = {}
    fields: dict[str, str] = {}
    flags: set[str] = set()

    def finish() -> None:
        if fields.get("msgid"):
            entry = Entry(
                msgid=fields["msgid"], msgctxt=fields.get("msgctxt"), msgid_plural=fields.get("msgid_plural"), flags=flags
            )
            for name, value in fields.items():
                if name == "msgstr":
                    entry.msgstr[0] = value
                elif name.startswith("msgstr["):
                    entry.msgstr[int(name[7:-1])] = value
            entries[entry.key] = entry

    current = None
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        starts_entry = line.startswith("#") or line.startswith(("msgctxt ", "msgid "))
        if starts_entry and any(name.startswith("msgstr") for name in fields):
            finish()
            fields, flags, current = {}, set(), None
        if line.startswith("#,"):
            flags |= {flag.strip() for flag in line[2:].split(",")}
        elif line.startswith("#") or not line:
            continue
        elif line.startswith('"'):
            fields[current] += ast.literal_eval(line)
        else:
            current, _, value = line.partition(" ")
            fields[current] = ast.literal_eval(value)
    finish()
    return entries


@pytest.fixture(scope="module")
def extracted(tmp_path_factory) -> dict[tuple[str | None, str], Entry]:
    """The messages of the project's templates and Python code, extracted by Django's makemessages."""
    copy = tmp_path_factory.mktemp("messages") / "project"
    shutil.copytree(PROJECT, copy, ignore=lambda directory, names: [n for n in names if n in NOT_COPIED])
    locale = copy / "locale"
    (locale / "en" / "LC_MESSAGES").mkdir(parents=True)
    here = os.getcwd()
    os.chdir(copy)
    try:
        with override_settings(LOCALE_PATHS=[str(locale)]):
            call_command("makemessages", locale=["en"], ignore_patterns=IGNORED, no_obsolete=True, verbosity=0)
    finally:
        os.chdir(here)
    return read_po(locale / "en" / "LC_MESSAGES" / "django.po")


@pytest.fixture(scope="module")
def catalogue() -> dict[tuple[str | None, str], Entry]:
    return read_po(CATALOGUE / "django.po")


def test_the_extraction_finds_the_interface_strings(extracted):
    # Guards the test itself: an extraction that finds nothing would make everything below pass.
    assert (None, "Opstarten nieuw contract") in extracted
    assert (None, "Inloggen") in extracted


def test_every_msgid_of_the_project_is_in_the_english_catalogue(extracted, catalogue):
    missing = sorted(str(entry) for key, entry in extracted.items() if key not in catalogue)
    assert not missing, (
        f"{len(missing)} msgid(s) missing from locale/en/LC_MESSAGES/django.po (run `make messages` and translate):\n"
        + "\n".join(missing)
    )


def test_every_entry_of_the_english_catalogue_is_translated_and_not_fuzzy(catalogue):
    untranslated = sorted(
        str(entry)
        for entry in catalogue.values()
        if not entry.msgstr or not all(entry.msgstr.values()) or (entry.msgid_plural and len(entry.msgstr) < 2)
    )
    fuzzy = sorted(str(entry) for entry in catalogue.values() if "fuzzy" in entry.flags)
    assert not (untranslated or fuzzy), (
        f"{len(untranslated)} untranslated msgid(s):\n"
        + "\n".join(untranslated)
        + f"\n{len(fuzzy)} fuzzy msgid(s) (check the English, then remove the fuzzy flag):\n"
        + "\n".join(fuzzy)
    )


def test_the_compiled_catalogue_matches_the_po_file(catalogue):
    mo = CATALOGUE / "django.mo"
    assert mo.exists(), "locale/en/LC_MESSAGES/django.mo is missing: run `make messages`"
    with mo.open("rb") as handle:
        compiled = dict(gettext.GNUTranslations(handle)._catalog)
    compiled.pop("", None)  # the header
    expected: dict = {}
    for entry in catalogue.values():
        if "fuzzy" in entry.flags or not all(entry.msgstr.values()):
            continue
        msgid = f"{entry.msgctxt}\x04{entry.msgid}" if entry.msgctxt else entry.msgid
        if entry.msgid_plural:
            expected.update({(msgid, n): text for n, text in entry.msgstr.items()})
        else:
            expected[msgid] = entry.msgstr[0]
    stale = sorted(repr(key) for key in expected.keys() | compiled.keys() if expected.get(key) != compiled.get(key))
    assert not stale, "django.mo is out of date with django.po (run `make messages`); differing entries:\n" + "\n".join(
        stale
    )

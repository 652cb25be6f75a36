"""Bokmål and English are both complete: every UI string has a bokmål
translation, and the compiled catalogue is the one the .po says.

Message ids are English, so English needs no catalogue of its own.
"""

from __future__ import annotations

import shutil
import tempfile
from contextlib import chdir
from pathlib import Path

import polib
from django.conf import settings
from django.core.management import call_command
from django.test import SimpleTestCase, override_settings

from tests.tools import missing_tool

LOCALE = Path(settings.BASE_DIR) / "locale"
CATALOGUE = LOCALE / "nb" / "LC_MESSAGES" / "django.po"
FIX = "run `make messages`, translate in locale/nb/LC_MESSAGES/django.po, run it again"
# What makemessages need not read: no UI text lives there.
NOT_SOURCE = (".*", "venv", "tests", "static", "staticfiles", "docs", "__pycache__")


def incomplete(catalogue: polib.POFile) -> list[str]:
    """Msgids of entries without a finished translation."""
    return [
        entry.msgid
        for entry in catalogue.untranslated_entries() + catalogue.fuzzy_entries()
        if not entry.obsolete
    ]


def translations(entries: list[polib.POEntry]) -> set[tuple[object, ...]]:
    return {
        (
            entry.msgctxt or None,
            entry.msgid,
            entry.msgid_plural or None,
            entry.msgstr or None,
            tuple(sorted(entry.msgstr_plural.items())),
        )
        for entry in entries
        if entry.msgid and not entry.obsolete
    }


class TranslationTests(SimpleTestCase):
    def test_every_entry_in_the_catalogue_is_translated(self):
        catalogue = polib.pofile(str(CATALOGUE))

        self.assertEqual(incomplete(catalogue), [], FIX)

    def test_every_ui_string_is_in_the_catalogue(self):
        if shutil.which("msgmerge") is None:
            missing_tool("no GNU gettext (apt-get install gettext)")
        with tempfile.TemporaryDirectory() as folder:
            # makemessages writes into the locale folder of the tree it
            # reads, so it reads a copy and merges into a copy.
            copy = Path(folder) / "project"
            shutil.copytree(
                settings.BASE_DIR, copy, ignore=shutil.ignore_patterns(*NOT_SOURCE)
            )
            with chdir(copy), override_settings(LOCALE_PATHS=[copy / "locale"]):
                call_command(
                    "makemessages", locale=["nb"], verbosity=0, no_obsolete=True
                )
            merged = polib.pofile(str(copy / CATALOGUE.relative_to(settings.BASE_DIR)))

        self.assertEqual(incomplete(merged), [], f"Not yet in the catalogue: {FIX}")

    def test_compiled_catalogue_matches_the_po_file(self):
        source = polib.pofile(str(CATALOGUE))
        compiled = polib.mofile(str(CATALOGUE.with_suffix(".mo")))

        self.assertEqual(
            translations(compiled),
            translations(source.translated_entries()),
            "locale/nb/LC_MESSAGES/django.mo is stale: run `make messages`",
        )

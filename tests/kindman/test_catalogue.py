"""The Spanish catalogue is complete, its placeholders match, and the committed .mo (what Django
reads) says exactly what the .po says: `manage.py compile_catalogues` rebuilds it."""

import re
from pathlib import Path

import polib
from django.conf import settings

PO = Path(settings.BASE_DIR) / "locale" / "es" / "LC_MESSAGES" / "django.po"
PLACEHOLDER = re.compile(r"%\((\w+)\)s")


def entries():
    return [entry for entry in polib.pofile(str(PO)) if not entry.obsolete]


def test_every_interface_string_has_a_spanish_translation():
    untranslated = [
        entry.msgid
        for entry in entries()
        if "fuzzy" in entry.flags
        or not (all(entry.msgstr_plural.values()) if entry.msgid_plural else entry.msgstr)
    ]
    assert untranslated == []


def test_translations_keep_the_placeholders_of_the_english():
    for entry in entries():
        english = set(PLACEHOLDER.findall(entry.msgid + entry.msgid_plural))
        if entry.msgid_plural:
            # A singular may leave out the number ("Queda un lugar").
            spanish = set(PLACEHOLDER.findall(entry.msgstr_plural[1]))
            assert spanish == english, entry.msgid
        else:
            assert set(PLACEHOLDER.findall(entry.msgstr)) == english, entry.msgid


def test_the_compiled_catalogue_matches_the_po_file():
    compiled = {
        (entry.msgctxt, entry.msgid): entry.msgstr_plural or entry.msgstr
        for entry in polib.mofile(str(PO.with_suffix(".mo")))
        if entry.msgid
    }
    written = {
        (entry.msgctxt, entry.msgid): entry.msgstr_plural or entry.msgstr for entry in entries()
    }
    stale = {
        key for key in written.keys() | compiled.keys() if written.get(key) != compiled.get(key)
    }
    assert stale == set(), "run `manage.py compile_catalogues` and commit the .mo"

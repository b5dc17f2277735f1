"""Compiles the translation catalogues (locale/*/LC_MESSAGES/django.po → .mo) with polib, in pure
Python: Django's compilemessages needs GNU gettext's msgfmt, which a machine may not have. The
.mo files are committed, so running the site or the tests needs no step; a test checks that
each .mo says what its .po says."""

from pathlib import Path

import polib
from django.conf import settings
from django.core.management.base import BaseCommand


def catalogues() -> list[Path]:
    return sorted(
        po
        for directory in settings.LOCALE_PATHS
        for po in Path(directory).glob("*/LC_MESSAGES/*.po")
    )


class Command(BaseCommand):
    help = "Compile locale/*/LC_MESSAGES/*.po into .mo files without GNU gettext."

    def handle(self, *args, **options):
        for po_path in catalogues():
            catalogue = polib.pofile(str(po_path))
            catalogue.save_as_mofile(str(po_path.with_suffix(".mo")))
            self.stdout.write(f"{po_path}: {catalogue.percent_translated()}% translated")

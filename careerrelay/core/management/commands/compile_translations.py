from __future__ import annotations

from pathlib import Path
from typing import Any

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from django.conf import settings
from django.core.management.base import BaseCommand


def compile_catalogs(locale_dirs: list[Path]) -> list[Path]:
    """Compile every django.po under the locale dirs to .mo with Babel (no GNU gettext needed)."""
    written = []
    for locale_dir in locale_dirs:
        for po_path in sorted(Path(locale_dir).glob("*/LC_MESSAGES/*.po")):
            # Always rebuilt (milliseconds): an mtime check is fooled by checkouts and copies.
            mo_path = po_path.with_suffix(".mo")
            with po_path.open("rb") as po_file:
                catalog = read_po(po_file, locale=po_path.parent.parent.name)
            with mo_path.open("wb") as mo_file:
                write_mo(mo_file, catalog, use_fuzzy=False)
            written.append(mo_path)
    return written


class Command(BaseCommand):
    help = "Compile the translation catalogues (.po → .mo) without GNU gettext."

    def handle(self, *args: Any, **options: Any) -> None:
        for path in compile_catalogs([Path(p) for p in settings.LOCALE_PATHS]):
            self.stdout.write(f"compiled {path}")

"""Build the translation catalogues (.po → .mo) with Babel, before Django loads them.

Django caches a language's catalogue the first time it is used, so a .mo written later in the
same process is not seen: the console script and manage.py build missing ones before setup.
No Django imports here for that reason.
"""

from __future__ import annotations

from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"


def compile_catalogs(locale_dirs: list[Path], *, only_stale: bool = False) -> list[Path]:
    written = []
    for locale_dir in locale_dirs:
        for po_path in sorted(Path(locale_dir).glob("*/LC_MESSAGES/*.po")):
            mo_path = po_path.with_suffix(".mo")
            if only_stale and mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
                continue
            with po_path.open("rb") as po_file:
                catalog = read_po(po_file, locale=po_path.parent.parent.name)
            with mo_path.open("wb") as mo_file:
                write_mo(mo_file, catalog, use_fuzzy=False)
            written.append(mo_path)
    return written


def ensure_compiled() -> None:
    compile_catalogs([LOCALE_DIR], only_stale=True)

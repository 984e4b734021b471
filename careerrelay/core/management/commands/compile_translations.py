from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from careerrelay.core.catalogs import compile_catalogs


class Command(BaseCommand):
    help = "Compile the translation catalogues (.po → .mo) with Babel, without GNU gettext."

    def handle(self, *args: Any, **options: Any) -> None:
        for path in compile_catalogs([Path(p) for p in settings.LOCALE_PATHS]):
            self.stdout.write(f"compiled {path}")

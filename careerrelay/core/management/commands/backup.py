from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from careerrelay.core.backup import BackupError, backup


class Command(BaseCommand):
    help = "Write the whole database (SQLite or PostgreSQL) to one archive file, with a manifest to check it by."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="The archive to write, e.g. careerrelay-2026-11-26.tar.gz")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            manifest = backup(options["file"])
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            _("Backed up %(rows)s rows in %(tables)s tables of the %(vendor)s database to %(file)s.")
            % {
                "rows": manifest.rows,
                "tables": len(manifest.row_counts),
                "vendor": manifest.vendor,
                "file": options["file"],
            }
        )

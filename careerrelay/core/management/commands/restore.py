from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from careerrelay.core.backup import BackupError, restore


class Command(BaseCommand):
    help = "Restore the database from an archive written by `careerrelay backup`, and check it row by table."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--replace", action="store_true", help="Overwrite a database that already holds data.")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            manifest = restore(options["file"], replace=options["replace"])
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            _("Restored %(rows)s rows in %(tables)s tables from the backup of %(created)s; every table checked.")
            % {"rows": manifest.rows, "tables": len(manifest.row_counts), "created": manifest.created_at}
        )

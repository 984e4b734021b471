"""`careerrelay export candidates --org SLUG [--encoding utf-8-sig|cp932] [--output FILE]`."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import IO, Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from careerrelay.candidates.imports.export import ENCODINGS, write_export
from careerrelay.core.errors import NotFound
from careerrelay.orgs.actors import Actor
from careerrelay.orgs.models import Role
from careerrelay.orgs.selectors import org_get_by_slug


class Command(BaseCommand):
    help = "Export the candidate pool as CSV for Excel (formula cells neutralised)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("what", choices=["candidates"])
        parser.add_argument("--org", required=True, help="the organisation's slug")
        parser.add_argument("--encoding", default="utf-8-sig", choices=ENCODINGS)
        parser.add_argument("--output", type=Path, help="file to write (default: standard output)")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            org = org_get_by_slug(options["org"])
        except NotFound as exc:
            raise CommandError(f"No organisation with the slug {options['org']!r}.") from exc
        output: Path | None = options["output"]
        if output is None:
            report = write_export(
                actor=Actor(org=org, role=Role.ADMIN), out=_stdout_bytes(), encoding=options["encoding"]
            )
        else:
            with output.open("wb") as out:
                report = write_export(actor=Actor(org=org, role=Role.ADMIN), out=out, encoding=options["encoding"])
        for row, column in report.replaced:
            self.stderr.write(f"row {row}, column {column}: characters {options['encoding']} lacks were replaced by ?")
        self.stderr.write(f"{report.rows} rows exported.")


def _stdout_bytes() -> IO[bytes]:
    return sys.stdout.buffer

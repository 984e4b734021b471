"""`careerrelay import candidates FILE --org SLUG [--format csv] [--preset NAME] [--dry-run]`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from careerrelay.candidates.imports.importer import import_candidates
from careerrelay.candidates.imports.presets import PRESETS
from careerrelay.core.console import console_for
from careerrelay.core.errors import NotFound
from careerrelay.orgs.actors import Actor
from careerrelay.orgs.models import Role
from careerrelay.orgs.selectors import org_get_by_slug


def _count_lines(path: Path) -> int:
    """A cheap estimate of the rows for the progress bar (quoted line breaks count extra)."""
    with path.open("rb") as raw:
        return max(sum(chunk.count(b"\n") for chunk in iter(lambda: raw.read(1 << 20), b"")) - 1, 0)


class Command(BaseCommand):
    help = "Import candidates from a CSV file (UTF-8 or Shift_JIS/CP932). Nothing is written if any row is bad."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("what", choices=["candidates"])
        parser.add_argument("file", type=Path)
        parser.add_argument("--org", required=True, help="the organisation's slug")
        parser.add_argument("--format", default="csv", choices=["csv"])
        parser.add_argument("--preset", default="", choices=["", *PRESETS], help="detected from the header if omitted")
        parser.add_argument("--dry-run", action="store_true", help="check every row and write nothing")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        try:
            org = org_get_by_slug(options["org"])
        except NotFound as exc:
            raise CommandError(f"No organisation with the slug {options['org']!r}.") from exc
        console = console_for(self)
        columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
        with Progress(*columns, console=console, transient=True) as bar:
            task = bar.add_task("checking rows", total=_count_lines(path))
            report = import_candidates(
                actor=Actor(org=org, role=Role.ADMIN),
                path=path,
                preset=options["preset"],
                dry_run=options["dry_run"],
                source="csv",
                file_name=path.name,
                progress=lambda done: bar.update(task, completed=done),
            )
        for error in report.errors:
            where = f"row {error.row}" + (f", column {error.column}" if error.column else "")
            console.print(f"[red]{where}:[/red] {error.message}", highlight=False)
        if report.error_count > len(report.errors):
            console.print(f"… and {report.error_count - len(report.errors)} more errors")
        summary = (
            f"{report.rows_total} rows, preset {report.preset or '-'}, encoding {report.encoding or '-'}: "
            f"{report.created} created, {report.updated} updated"
        )
        if report.error_count:
            raise CommandError(f"{report.error_count} errors; nothing was imported. ({summary})")
        console.print(("Dry run, nothing written: " if report.dry_run else "Imported: ") + summary, highlight=False)

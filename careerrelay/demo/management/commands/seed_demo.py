from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from rich.console import Console
from rich.table import Table

from careerrelay.core.console import console_for
from careerrelay.demo.seed import DEMO_ORGS, DEMO_PASSWORD, demo_logins, is_seeded, seed_demo


def print_logins(console: Console, logins: list[tuple[str, str, str]]) -> None:
    table = Table(title=f"Demo logins (password: {DEMO_PASSWORD})")
    table.add_column("email")
    table.add_column("organisation")
    table.add_column("role")
    for email, orgs, role in logins:
        table.add_row(email, orgs, role)
    console.print(table)


class Command(BaseCommand):
    help = "Load the deterministic demo network (once; a second run changes nothing)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--scale", type=float, default=1.0, help="Shrink the hiring history (e.g. 0.1).")

    def handle(self, *args: Any, **options: Any) -> None:
        console = console_for(self)
        if is_seeded():
            console.print("The demo network is already loaded.")
            return
        with console.status("Loading the demo network…") as status:
            total = len(DEMO_ORGS) + sum(demo.kind == "employer" for demo in DEMO_ORGS)
            done = {"n": 0}

            def progress(step: str) -> None:
                done["n"] += 1
                status.update(f"Loading the demo network… {done['n']}/{total} {step}")

            report = seed_demo(progress=progress, scale=options["scale"])
        console.print(
            f"Loaded {report.orgs} organisations, {report.users} users, {report.api_keys} API keys, "
            f"{report.applications} applications."
        )
        print_logins(console, demo_logins())

from __future__ import annotations

import subprocess
import sys
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from careerrelay.core.console import console_for
from careerrelay.demo.management.commands.seed_demo import print_logins
from careerrelay.demo.seed import demo_logins, is_seeded


class Command(BaseCommand):
    help = "Migrate, load the demo network, start the worker and serve the app; prints the URL and logins."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000")

    def handle(self, *args: Any, **options: Any) -> None:
        console = console_for(self)
        call_command("migrate", interactive=False, verbosity=0)
        if not is_seeded():
            call_command("seed_demo")
        worker = subprocess.Popen([sys.executable, "-m", "careerrelay.cli", "worker"])
        url = f"http://{options['addrport']}/"
        console.rule("Career Relay demo")
        console.print(f"Open [bold]{url}[/bold]")
        print_logins(console, demo_logins())
        console.print("Stop with Ctrl-C.")
        try:
            call_command("serve", options["addrport"])
        finally:
            worker.terminate()
            worker.wait(timeout=15)

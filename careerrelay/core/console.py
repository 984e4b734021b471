from __future__ import annotations

from typing import IO, cast

from django.core.management.base import BaseCommand
from rich.console import Console


def console_for(command: BaseCommand) -> Console:
    """A rich console writing to the command's stdout (so call_command can capture it)."""
    return Console(file=cast(IO[str], command.stdout))

"""`careerrelay db-app-role NAME [--password]`: the PostgreSQL role the app runs as.

Run as the owner of the tables (the role that runs `migrate`). The app role may read and write
rows but owns nothing, so row-level security applies to it (see docs/operations.md).
"""

from __future__ import annotations

import getpass
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection
from django.utils.translation import gettext as _

from careerrelay.core.tenancy_rls import grant_app_role


class Command(BaseCommand):
    help = "Create (or update) the non-owner PostgreSQL role the web app connects as, and grant it row access."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("name", help="the role's name, e.g. careerrelay_app")
        parser.add_argument(
            "--password", action="store_true", help="set a login password (asked for, or read from standard input)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if connection.vendor != "postgresql":
            raise CommandError(_("Row-level security needs PostgreSQL (DATABASE_URL=postgres://…)."))
        password = None
        if options["password"]:
            password = getpass.getpass(_("Password: ")) if sys.stdin.isatty() else sys.stdin.readline().rstrip("\n")
            if not password:
                raise CommandError(_("The password is empty."))
        try:
            grant_app_role(options["name"], password=password)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            _("The role %(role)s may now use the tables of %(database)s.")
            % {"role": options["name"], "database": connection.settings_dict["NAME"]}
        )

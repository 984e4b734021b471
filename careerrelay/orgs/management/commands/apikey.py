from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from careerrelay.core.errors import DomainValidationError, NotFound
from careerrelay.orgs.actors import system_actor
from careerrelay.orgs.models import Role
from careerrelay.orgs.selectors import org_get_by_slug
from careerrelay.orgs.services import apikey_create


class Command(BaseCommand):
    help = "Manage API keys: `apikey create --org SLUG [--name NAME] [--role ROLE]` prints the key once."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="Create an API key and print it once.")
        create.add_argument("--org", required=True)
        create.add_argument("--name", default="command line")
        create.add_argument("--role", default=Role.RECRUITER, choices=Role.values)

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            org = org_get_by_slug(options["org"])
            _key, secret = apikey_create(actor=system_actor(org), name=options["name"], role=options["role"])
        except NotFound as exc:
            raise CommandError(f"No organisation with the slug {options['org']!r}.") from exc
        except DomainValidationError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(secret)

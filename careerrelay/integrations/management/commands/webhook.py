from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from careerrelay.core.errors import DomainValidationError, NotFound
from careerrelay.integrations.models import Provider
from careerrelay.integrations.services import endpoint_create
from careerrelay.orgs.actors import system_actor
from careerrelay.orgs.selectors import org_get_by_slug


class Command(BaseCommand):
    help = (
        "Manage inbound webhooks: `webhook create --org SLUG --provider greenhouse` prints a new secret key "
        "once; `--provider lever --secret TOKEN` stores the signature token Lever shows."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="Add a webhook secret for an org and print it once.")
        create.add_argument("--org", required=True)
        create.add_argument("--provider", required=True, choices=Provider.values)
        create.add_argument("--secret", default="", help="Lever's signature token (required for lever).")
        create.add_argument("--label", default="")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            org = org_get_by_slug(options["org"])
            _endpoint, secret = endpoint_create(
                actor=system_actor(org), provider=options["provider"], secret=options["secret"], label=options["label"]
            )
        except NotFound as exc:
            raise CommandError(f"No organisation with the slug {options['org']!r}.") from exc
        except DomainValidationError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(secret)

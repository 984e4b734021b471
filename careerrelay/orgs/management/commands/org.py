from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from careerrelay.core.errors import DomainValidationError
from careerrelay.orgs.models import Organization
from careerrelay.orgs.services import org_create

OPTION_FOR_FIELD = {"slug": "SLUG", "name": "--name", "kind": "--kind", "placement_licence_number": "--licence"}


class Command(BaseCommand):
    help = "Manage organisations: `org create SLUG --name NAME --kind employer|agency|operator`."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="Create an organisation.")
        create.add_argument("slug")
        create.add_argument("--name", required=True)
        create.add_argument("--name-en", default="")
        create.add_argument("--kind", required=True, choices=Organization.Kind.values)
        create.add_argument("--licence", default="", help="Paid-placement licence number, e.g. 13-ユ-300000")
        create.add_argument("--language", default="ja", choices=["ja", "en"])

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            org = org_create(
                slug=options["slug"],
                name=options["name"],
                name_en=options["name_en"],
                kind=options["kind"],
                placement_licence_number=options["licence"],
                default_language=options["language"],
                actor_label="cli",
            )
        except DomainValidationError as exc:
            option = OPTION_FOR_FIELD.get(exc.field or "", exc.field or "")
            raise CommandError(f"{option}: {exc.message}") from exc
        self.stdout.write(f"created {org.kind} {org.slug} ({org.name})")

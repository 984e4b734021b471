"""`careerrelay matching unknown-skills --org SLUG [--limit N]` lists the skills people typed that
the taxonomy does not know, most frequent first (what to add to matching/data/skills.txt next);
`careerrelay matching rebuild --org SLUG` computes every match profile again."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from careerrelay.core.errors import NotFound
from careerrelay.matching import selectors, services
from careerrelay.matching.taxonomy import FREE_PREFIX
from careerrelay.orgs.actors import Actor
from careerrelay.orgs.models import Role
from careerrelay.orgs.selectors import org_get_by_slug


class Command(BaseCommand):
    help = "Matching: list unknown skills by frequency, or rebuild the match profiles of an org."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["unknown-skills", "rebuild"])
        parser.add_argument("--org", required=True, help="the organisation's slug")
        parser.add_argument("--limit", type=int, default=100, help="how many unknown skills to list")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            org = org_get_by_slug(options["org"])
        except NotFound as exc:
            raise CommandError(f"No organisation with the slug {options['org']!r}.") from exc
        if options["action"] == "rebuild":
            count = services.profiles_rebuild(actor=Actor(org=org, role=Role.ADMIN))
            self.stdout.write(f"{count} match profiles rebuilt.")
            return
        for tag, count in selectors.unknown_skills(org=org, limit=options["limit"]):
            self.stdout.write(f"{count}\t{tag.removeprefix(FREE_PREFIX)}")

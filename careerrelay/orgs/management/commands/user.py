from __future__ import annotations

import getpass
import os
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from careerrelay.accounts.selectors import user_by_email
from careerrelay.accounts.services import user_create
from careerrelay.core.errors import DomainValidationError, NotFound
from careerrelay.orgs.models import Role
from careerrelay.orgs.selectors import org_get_by_slug
from careerrelay.orgs.services import membership_add_existing_user


class Command(BaseCommand):
    help = (
        "Manage users: `user create EMAIL --org SLUG --role admin|recruiter|viewer`. The password is read "
        "from CAREERRELAY_PASSWORD or asked for; an existing user is added to the org."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="Create a user and make them a member of an org.")
        create.add_argument("email")
        create.add_argument("--org", required=True)
        create.add_argument("--role", required=True, choices=Role.values)
        create.add_argument("--family-name", default="")
        create.add_argument("--given-name", default="")
        create.add_argument("--language", default="ja", choices=["ja", "en"])
        create.add_argument("--no-password", action="store_true", help="Create without a password.")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            org = org_get_by_slug(options["org"])
        except NotFound as exc:
            raise CommandError(f"No organisation with the slug {options['org']!r}.") from exc
        user = user_by_email(options["email"])
        try:
            if user is None:
                password = None if options["no_password"] else self._password()
                user = user_create(
                    email=options["email"],
                    password=password,
                    family_name=options["family_name"],
                    given_name=options["given_name"],
                    language=options["language"],
                )
            membership_add_existing_user(org=org, user=user, role=options["role"])
        except DomainValidationError as exc:
            raise CommandError(f"{exc.field or 'error'}: {exc.message}") from exc
        self.stdout.write(f"{user.email} is now {options['role']} of {org.slug}")

    def _password(self) -> str:
        password = os.environ.get("CAREERRELAY_PASSWORD")
        if password:
            return password
        first = getpass.getpass("Password: ")
        if first != getpass.getpass("Password (again): "):
            raise CommandError("The passwords do not match.")
        return first

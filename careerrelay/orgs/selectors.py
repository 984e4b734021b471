"""Reads for orgs, memberships and API keys. Tenant reads take `org=` first."""

from __future__ import annotations

import hashlib
import hmac
import uuid
from dataclasses import dataclass

from django.db.models import QuerySet

from careerrelay.accounts.models import AuditEvent, SystemEmail, User
from careerrelay.core.errors import NotFound
from careerrelay.core.selectors import get_for_org
from careerrelay.orgs.models import ApiKey, Membership, Organization, Role


def org_get_by_slug(slug: str) -> Organization:
    try:
        return Organization.objects.get(slug=slug)
    except Organization.DoesNotExist as exc:
        raise NotFound() from exc


def memberships_of_user(user: User) -> QuerySet[Membership]:
    """The orgs a user may switch between (the org switcher): accepted memberships only."""
    return Membership.objects.filter(user=user, accepted_at__isnull=False).select_related("org").order_by("org__name")


@dataclass(frozen=True)
class UserMemberships:
    """Every membership of one user, read once per request: the org switcher, the invitations
    banner and the current org all come from it."""

    accepted: list[Membership]  # by org name: the orgs the user may switch between
    pending: list[Membership]  # invitations not yet accepted

    def in_org(self, org_id: uuid.UUID | str) -> Membership | None:
        wanted = str(org_id)
        return next((m for m in self.accepted if str(m.org_id) == wanted), None)


def user_memberships(user: User) -> UserMemberships:
    """CROSS-ORG by nature (a user's memberships span orgs): call inside `tenancy.system_scope`."""
    rows = list(Membership.objects.filter(user=user).select_related("org").order_by("org__name", "id"))
    return UserMemberships(
        accepted=[m for m in rows if m.accepted_at is not None], pending=[m for m in rows if m.accepted_at is None]
    )


def pending_invitations(user: User) -> QuerySet[Membership]:
    return Membership.objects.filter(user=user, accepted_at__isnull=True).select_related("org").order_by("id")


def invitation_of(*, user: User, membership_id: uuid.UUID | str) -> Membership:
    """The user's own pending invitation; NotFound for anyone else's."""
    try:
        return pending_invitations(user).get(pk=uuid.UUID(str(membership_id)))
    except (Membership.DoesNotExist, ValueError) as exc:
        raise NotFound() from exc


def membership_for_switch(*, user: User, org_id: uuid.UUID | str) -> Membership:
    """The user's membership in the org they asked to switch to; NotFound if they have none."""
    try:
        return memberships_of_user(user).get(org_id=uuid.UUID(str(org_id)))
    except (Membership.DoesNotExist, ValueError) as exc:
        raise NotFound() from exc


def members_list(*, org: Organization) -> QuerySet[Membership]:
    return Membership.objects.for_org(org).select_related("user").order_by("id")


def member_get(*, org: Organization, pk: object) -> Membership:
    return get_for_org(Membership.objects.select_related("user"), org=org, pk=pk)


def apikeys_list(*, org: Organization) -> QuerySet[ApiKey]:
    return ApiKey.objects.for_org(org).select_related("created_by").order_by("-id")


def apikey_get(*, org: Organization, pk: object) -> ApiKey:
    return get_for_org(ApiKey.objects.all(), org=org, pk=pk)


def apikey_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def apikey_lookup(raw_key: str) -> ApiKey | None:
    """The active key for a presented `cr_<prefix>_<secret>` string, or None.

    Keys carry 190 bits of randomness, so a fast hash is enough; the prefix finds the row and
    the comparison runs in constant time.
    """
    parts = raw_key.strip().split("_", 2)
    if len(parts) != 3 or parts[0] != "cr":
        return None
    key = ApiKey.objects.select_related("org").filter(prefix=parts[1], revoked_at__isnull=True).first()
    if key is None or not hmac.compare_digest(key.secret_hash, apikey_hash(parts[2])):
        return None
    return key


def audit_events_list(*, org: Organization, actor: User | None = None) -> QuerySet[AuditEvent]:
    """The org's audit log, newest first; with `actor`, only what that person did."""
    events = AuditEvent.objects.filter(org=org)
    if actor is not None:
        events = events.filter(actor=actor)
    return events.select_related("actor").order_by("-at", "-id")


@dataclass(frozen=True)
class HomeFigures:
    members: int
    admins: int
    active_api_keys: int
    revoked_api_keys: int
    audit_events_30d: int
    failed_system_emails: int


def home_figures(*, org: Organization, since: object) -> HomeFigures:
    members = Membership.objects.for_org(org)
    keys = ApiKey.objects.for_org(org)
    member_emails = members.values("user__email")
    return HomeFigures(
        members=members.count(),
        admins=members.filter(role=Role.ADMIN, accepted_at__isnull=False).count(),
        active_api_keys=keys.filter(revoked_at__isnull=True).count(),
        revoked_api_keys=keys.filter(revoked_at__isnull=False).count(),
        audit_events_30d=AuditEvent.objects.filter(org=org, at__gte=since).count(),
        failed_system_emails=SystemEmail.objects.filter(status=SystemEmail.Status.FAILED, to__in=member_emails).count(),
    )

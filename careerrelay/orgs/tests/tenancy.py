"""Tenancy probes for the foundation's routes: members, API keys, audit, org switch, account."""

from __future__ import annotations

from typing import Any

from careerrelay.accounts.models import AuditEvent, User
from careerrelay.orgs.models import ApiKey, Membership
from careerrelay.orgs.tests.factories import OrgWorld
from tests.tenancy import AppProbes


def _foreign_ids(other: OrgWorld) -> dict[str, str]:
    return {
        "member_id": str(other.membership(other.recruiter).pk),
        "key_id": str(ApiKey.objects.get(org=other.org, name="viewer key").pk),
    }


def _snapshot(world: OrgWorld) -> dict[str, Any]:
    return {
        "members": sorted(Membership.objects.filter(org=world.org).values_list("id", "role", "user__email")),
        "keys": sorted(ApiKey.objects.filter(org=world.org).values_list("id", "revoked_at", "name")),
        "audit": AuditEvent.objects.filter(org=world.org).count(),
        "users": sorted(User.objects.filter(memberships__org=world.org).values_list("email", "password", "language")),
    }


def _secrets(other: OrgWorld) -> list[str]:
    return [
        other.org.name,
        other.admin.email,
        other.recruiter.email,
        str(other.org.pk),
        ApiKey.objects.get(org=other.org, name="viewer key").prefix,
    ]


PROBES = AppProbes(
    web_object={
        "web:member_role": ("post", "/settings/members/{member_id}/role/", {"role": "admin"}),
        "web:member_remove": ("post", "/settings/members/{member_id}/remove/", {}),
        "web:apikey_revoke": ("post", "/settings/api-keys/{key_id}/revoke/", {}),
    },
    web_collections={
        "web:home": "/",
        "web:members": "/settings/members/",
        "web:apikeys": "/settings/api-keys/",
        "web:audit": "/settings/audit/",
    },
    web_other={
        "web:switch_org": "org id in the body; test_switching_to_an_org_one_is_not_a_member_of_is_404",
        "web:invitation_accept": "one person's own; test_nobody_answers_an_invitation_meant_for_someone_else",
        "web:invitation_decline": "one person's own; test_nobody_answers_an_invitation_meant_for_someone_else",
        "healthz": "no org data",
        "web:account": "the signed-in person's own profile",
        "web:login": "no org data",
        "web:logout": "no org data",
        "web:password_reset": "no org data",
        "web:password_reset_confirm": "no org data",
        "web:password_reset_set": "no org data",
        "web:password_reset_complete": "no org data",
        "web:set_language": "no org data",
    },
    api_object={
        "GET /api/v1/members/{member_id}": None,
        "PATCH /api/v1/members/{member_id}": {"role": "admin"},
        "DELETE /api/v1/members/{member_id}": None,
        "GET /api/v1/api-keys/{key_id}": None,
        "POST /api/v1/api-keys/{key_id}/revoke": None,
    },
    api_collections={"GET /api/v1/members", "GET /api/v1/api-keys", "GET /api/v1/audit-events", "GET /api/v1/org"},
    api_other={
        "POST /api/v1/members": "creates in the caller's org; test_creating_a_member_lands_in_the_callers_org_only",
    },
    foreign_ids=_foreign_ids,
    snapshot=_snapshot,
    secrets=_secrets,
)

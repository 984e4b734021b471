"""Who is acting: a signed-in member or an API key, always within one org."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import models
from django.utils.translation import gettext as _

from careerrelay.accounts import audit
from careerrelay.accounts.models import User
from careerrelay.core.errors import PermissionDenied
from careerrelay.orgs.models import ApiKey, Organization, Role

_RANK = {Role.VIEWER: 0, Role.RECRUITER: 1, Role.ADMIN: 2}


@dataclass(frozen=True)
class Actor:
    org: Organization
    role: str
    user: User | None = None
    api_key: ApiKey | None = None
    ip: str | None = None
    # Names an actor that is neither a member nor a key: "system", "seed-demo", "greenhouse webhook".
    actor_label: str = "system"

    @property
    def label(self) -> str:
        if self.user is not None:
            return self.user.email
        if self.api_key is not None:
            return f"api key: {self.api_key.name}"
        return self.actor_label

    def audit(self, action: str, *, target: models.Model | None = None, details: dict[str, Any] | None = None) -> None:
        """Record in the audit log that this actor did `action` in their org (from their IP)."""
        audit.record(
            action=action,
            org=self.org,
            actor=self.user,
            actor_label=self.label,
            target=target,
            ip=self.ip,
            details=details,
        )

    def require(self, role: str) -> None:
        if _RANK[Role(self.role)] < _RANK[Role(role)]:
            raise PermissionDenied(_("Your role does not allow this action."))


def system_actor(org: Organization, label: str = "system") -> Actor:
    return Actor(org=org, role=Role.ADMIN, actor_label=label)

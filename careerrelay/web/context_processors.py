from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from careerrelay.accounts.models import User
from careerrelay.orgs.selectors import memberships_of_user, pending_invitations


def current_org(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if not isinstance(user, User) or not user.is_authenticated:
        return {}
    membership = getattr(request, "membership", None)
    return {
        "current_org": getattr(request, "org", None),
        "current_membership": membership,
        "is_org_admin": membership is not None and membership.role == "admin",
        "switchable_memberships": list(memberships_of_user(user)),
        "pending_invitations": list(pending_invitations(user)),
    }

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from careerrelay.accounts.models import User
from careerrelay.core import tenancy
from careerrelay.orgs.selectors import user_memberships


def current_org(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if not isinstance(user, User) or not user.is_authenticated:
        return {}
    membership = getattr(request, "membership", None)
    mine = getattr(request, "user_memberships", None)  # read once by CurrentOrgMiddleware
    if mine is None:
        # CROSS-ORG: the org switcher lists the user's own memberships in every org.
        with tenancy.system_scope("the org switcher and the user's pending invitations"):
            mine = user_memberships(user)
    return {
        "current_org": getattr(request, "org", None),
        "current_membership": membership,
        "is_org_admin": membership is not None and membership.role == "admin",
        "switchable_memberships": mine.accepted,
        "pending_invitations": mine.pending,
    }

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from careerrelay.accounts.models import User
from careerrelay.core import tenancy
from careerrelay.orgs.selectors import memberships_of_user, pending_invitations


def current_org(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if not isinstance(user, User) or not user.is_authenticated:
        return {}
    membership = getattr(request, "membership", None)
    # CROSS-ORG: the org switcher lists the user's own memberships in every org.
    with tenancy.system_scope("the org switcher and the user's pending invitations"):
        switchable = list(memberships_of_user(user))
        invitations = list(pending_invitations(user))
    return {
        "current_org": getattr(request, "org", None),
        "current_membership": membership,
        "is_org_admin": membership is not None and membership.role == "admin",
        "switchable_memberships": switchable,
        "pending_invitations": invitations,
    }

"""The purposes a person can consent to. `disclose:<org id>` is one per receiving company."""

from __future__ import annotations

from uuid import UUID

from django.utils.translation import gettext_lazy as _

RECONTACT = "recontact"
NEWSLETTER = "newsletter"
RELAY_SHARE = "relay_share"
DISCLOSE_PREFIX = "disclose:"

# The fixed purposes, in the order the portal offers them.
FIXED = (RECONTACT, NEWSLETTER, RELAY_SHARE)

LABELS = {
    RECONTACT: _("Job offers from this company"),
    NEWSLETTER: _("News from this company"),
    RELAY_SHARE: _("An anonymous profile in the Career Relay network"),
    "disclose": _("My name and contact details to one company"),
}


def disclose(org_id: UUID | str) -> str:
    return f"{DISCLOSE_PREFIX}{UUID(str(org_id))}"


def disclosed_org_id(purpose: str) -> UUID | None:
    if not purpose.startswith(DISCLOSE_PREFIX):
        return None
    return UUID(purpose.removeprefix(DISCLOSE_PREFIX))


def statement_key(purpose: str) -> str:
    """The policy statement a purpose is shown with: its own, or the one for all disclosures."""
    return "disclose" if purpose.startswith(DISCLOSE_PREFIX) else purpose


def is_valid(purpose: str) -> bool:
    if purpose in FIXED:
        return True
    try:
        return disclosed_org_id(purpose) is not None
    except ValueError:
        return False

"""Writes an admin makes for the dashboard: cost entries and the agency fee a free slot replaces."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from careerrelay.analytics.models import CostEntry
from careerrelay.core.errors import DomainValidationError
from careerrelay.core.text import normalize
from careerrelay.orgs.actors import Actor
from careerrelay.orgs.models import Role


@transaction.atomic
def cost_add(*, actor: Actor, month: date, kind: str, channel: str, amount_yen: int, note: str = "") -> CostEntry:
    actor.require(Role.ADMIN)
    if kind not in CostEntry.Kind.values:
        raise DomainValidationError(_("Choose a kind of cost."), field="kind")
    channel = normalize(channel).lower()
    if not channel:
        raise DomainValidationError(
            _("Say which channel the money was for (agency, own_site, referral…)."), field="channel"
        )
    if amount_yen <= 0:
        raise DomainValidationError(_("Enter an amount above zero."), field="amount_yen")
    entry = CostEntry.objects.create(
        org=actor.org, month=month.replace(day=1), kind=kind, channel=channel, amount_yen=amount_yen, note=note[:200]
    )
    actor.audit("analytics.cost_added", target=entry, details={"kind": kind, "channel": channel, "amount": amount_yen})
    return entry


@transaction.atomic
def agency_fee_set(*, actor: Actor, amount_yen: int) -> None:
    """What one agency hire costs the org: a free referral slot saves this much."""
    actor.require(Role.ADMIN)
    if amount_yen < 0:
        raise DomainValidationError(_("Enter an amount of zero or more."), field="agency_fee_yen")
    org = actor.org
    org.settings = {
        **(org.settings or {}),
        "analytics": {**org.settings.get("analytics", {}), "agency_fee_yen": amount_yen},
    }
    org.save(update_fields=["settings"])
    actor.audit("analytics.agency_fee_set", details={"agency_fee_yen": amount_yen})

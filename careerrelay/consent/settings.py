"""Each org's consent and retention settings, kept in `Organization.settings` under "consent"."""

from __future__ import annotations

from dataclasses import asdict, dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from careerrelay.core.errors import DomainValidationError
from careerrelay.orgs.actors import Actor
from careerrelay.orgs.models import Organization, Role


@dataclass(frozen=True)
class ConsentSettings:
    # A grant lapses this many months after it was given; 30 days before, a renewal email asks once.
    consent_months: int = 24
    # Data of people with no consent in force is erased this long after their last application closed.
    retention_months_without_consent: int = 6
    # With consent, this long after the last contact.
    retention_months_with_consent: int = 24
    # "immediate" or "next_business_morning" (09:30 JST on the next weekday that is not a holiday).
    rejection_email_timing: str = "next_business_morning"
    # Rejections reported by an ATS webhook get our rejection email (with the relay invitation)
    # too. Turn the ATS's own rejection email off, or this off, so nobody is told twice.
    rejection_email_for_ats: bool = True


TIMINGS = ("immediate", "next_business_morning")


def for_org(org: Organization) -> ConsentSettings:
    stored = (org.settings or {}).get("consent", {})
    known = {key: value for key, value in stored.items() if key in ConsentSettings.__dataclass_fields__}
    return ConsentSettings(**known)


def as_json(values: ConsentSettings) -> dict[str, object]:
    return asdict(values)


# The bounds an admin may choose, in months.
MONTHS_RANGE = range(1, 121)


@transaction.atomic
def consent_settings_save(
    *,
    actor: Actor,
    consent_months: int,
    retention_months_without_consent: int,
    retention_months_with_consent: int,
    rejection_email_timing: str,
    rejection_email_for_ats: bool,
) -> ConsentSettings:
    """An admin sets the org's consent lifetime, retention periods and rejection email options."""
    actor.require(Role.ADMIN)
    values = ConsentSettings(
        consent_months=consent_months,
        retention_months_without_consent=retention_months_without_consent,
        retention_months_with_consent=retention_months_with_consent,
        rejection_email_timing=rejection_email_timing,
        rejection_email_for_ats=rejection_email_for_ats,
    )
    for name in ("consent_months", "retention_months_without_consent", "retention_months_with_consent"):
        if getattr(values, name) not in MONTHS_RANGE:
            raise DomainValidationError(_("Choose between 1 and 120 months."), field=name)
    if rejection_email_timing not in TIMINGS:
        raise DomainValidationError(_("Choose when the rejection email is sent."), field="rejection_email_timing")
    org = Organization.objects.select_for_update().get(pk=actor.org.pk)
    before = for_org(org)
    org.settings = {**(org.settings or {}), "consent": as_json(values)}
    org.save(update_fields=["settings"])
    actor.org.settings = org.settings
    actor.audit("consent.settings_saved", target=org, details={"from": as_json(before), "to": as_json(values)})
    return values

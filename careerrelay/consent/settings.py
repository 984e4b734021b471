"""Each org's consent and retention settings, kept in `Organization.settings` under "consent"."""

from __future__ import annotations

from dataclasses import asdict, dataclass

from careerrelay.orgs.models import Organization


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


TIMINGS = ("immediate", "next_business_morning")


def for_org(org: Organization) -> ConsentSettings:
    stored = (org.settings or {}).get("consent", {})
    known = {key: value for key, value in stored.items() if key in ConsentSettings.__dataclass_fields__}
    return ConsentSettings(**known)


def as_json(values: ConsentSettings) -> dict[str, object]:
    return asdict(values)

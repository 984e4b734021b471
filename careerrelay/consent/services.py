"""Writes to the consent log. Grants and withdrawals append events; nothing is ever edited.

Candidate-facing calls (the portal, one-click links) pass an `Evidence` saying how the person
acted; recruiter and API calls pass an `Actor` and the evidence of consent given elsewhere.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext as _

from careerrelay.candidates.models import Candidate
from careerrelay.consent import hooks, purposes
from careerrelay.consent.gate import consent_allows
from careerrelay.consent.models import ConsentEvent, PolicyVersion, SharingBlock
from careerrelay.consent.policy import LANGUAGES, current_policy, org_display_name, shown_text, text_hash
from careerrelay.consent.settings import for_org
from careerrelay.core import clock
from careerrelay.core.dates import add_months
from careerrelay.core.errors import DomainValidationError, NotFound
from careerrelay.core.selectors import get_for_org
from careerrelay.core.text import normalize
from careerrelay.orgs.actors import Actor
from careerrelay.orgs.models import Organization, Role


@dataclass(frozen=True)
class Evidence:
    channel: str
    ip: str | None = None
    user_agent: str = ""
    note: str = ""
    actor_label: str = "candidate"


def _check_purpose(purpose: str) -> None:
    if not purposes.is_valid(purpose):
        raise DomainValidationError(_("Unknown consent purpose."), field="purpose")


def disclosed_company_name(purpose: str, language: str) -> str:
    org_id = purposes.disclosed_org_id(purpose)
    if org_id is None:
        return ""
    org = Organization.objects.filter(pk=org_id).first()
    if org is None:
        raise DomainValidationError(_("Unknown company."), field="purpose")
    return org_display_name(org, language)


@transaction.atomic
def consent_grant(
    *, candidate: Candidate, purpose: str, language: str, evidence: Evidence, at: datetime | None = None
) -> ConsentEvent:
    """Record that the person agreed to `purpose` after being shown the org's current policy
    text in `language`; a grant given again renews the expiry."""
    _check_purpose(purpose)
    if candidate.erased_at is not None or candidate.merged_into_id is not None:
        raise NotFound()
    at = at or clock.now()
    language = language if language in LANGUAGES else "ja"
    policy = current_policy(org=candidate.org)
    text = shown_text(policy, purpose, language, company=disclosed_company_name(purpose, language))
    return ConsentEvent.objects.create(
        org=candidate.org,
        candidate=candidate,
        purpose=purpose,
        kind=ConsentEvent.Kind.GRANTED,
        policy=policy,
        language=language,
        text_hash=text_hash(text),
        channel=evidence.channel,
        occurred_at=at,
        expires_at=add_months(at, for_org(candidate.org).consent_months),
        ip=evidence.ip,
        user_agent=evidence.user_agent[:400],
        evidence=evidence.note,
        actor_label=evidence.actor_label,
    )


def _close(candidate: Candidate, purpose: str, kind: str, evidence: Evidence, at: datetime) -> ConsentEvent:
    event = ConsentEvent.objects.create(
        org=candidate.org,
        candidate=candidate,
        purpose=purpose,
        kind=kind,
        channel=evidence.channel,
        occurred_at=at,
        ip=evidence.ip,
        user_agent=evidence.user_agent[:400],
        evidence=evidence.note,
        actor_label=evidence.actor_label,
    )
    hooks.run_withdrawn(hooks.Withdrawal(candidate=candidate, purpose=purpose, at=at))
    return event


@transaction.atomic
def consent_withdraw(
    *, candidate: Candidate, purpose: str, evidence: Evidence, at: datetime | None = None
) -> ConsentEvent | None:
    """Withdraw at once: the event, cancelled messages and unpublished profiles land together.
    Withdrawing what is not in force records nothing."""
    _check_purpose(purpose)
    at = at or clock.now()
    if not consent_allows(candidate, purpose, at=at):
        return None
    return _close(candidate, purpose, ConsentEvent.Kind.WITHDRAWN, evidence, at)


@transaction.atomic
def consent_withdraw_all(*, candidate: Candidate, evidence: Evidence, at: datetime | None = None) -> int:
    at = at or clock.now()
    granted = (
        ConsentEvent.objects.filter(candidate=candidate, kind=ConsentEvent.Kind.GRANTED)
        .values_list("purpose", flat=True)
        .distinct()
    )
    withdrawn = 0
    for purpose in sorted(set(granted)):
        if consent_withdraw(candidate=candidate, purpose=purpose, evidence=evidence, at=at) is not None:
            withdrawn += 1
    return withdrawn


@transaction.atomic
def consent_record(
    *, actor: Actor, candidate_id: object, purpose: str, granted: bool, evidence_note: str, language: str = "ja"
) -> ConsentEvent | None:
    """A recruiter or an API client records consent the person gave elsewhere (a signed form,
    another system's log). The evidence is required: without it there is no proof (GDPR Art. 7)."""
    actor.require(Role.RECRUITER)
    candidate = get_for_org(Candidate.objects.all(), org=actor.org, pk=candidate_id)
    note = normalize(evidence_note)
    if granted and not note:
        raise DomainValidationError(_("Say where and how the person gave their consent."), field="evidence")
    evidence = Evidence(
        channel=ConsentEvent.Channel.API if actor.api_key else ConsentEvent.Channel.RECRUITER,
        ip=actor.ip,
        note=note,
        actor_label=actor.label,
    )
    if granted:
        event: ConsentEvent | None = consent_grant(
            candidate=candidate, purpose=purpose, language=language, evidence=evidence
        )
    else:
        event = consent_withdraw(candidate=candidate, purpose=purpose, evidence=evidence)
    actor.audit(
        "consent.recorded", target=candidate, details={"purpose": purpose, "granted": granted, "recorded": bool(event)}
    )
    return event


def consents_expire(at: datetime) -> int:
    """The worker's daily pass: each grant whose time has run out, and that nothing followed,
    gets its `expired` event, and the withdrawal hooks run as for a withdrawal."""
    later = ConsentEvent.objects.filter(
        candidate=OuterRef("candidate"), purpose=OuterRef("purpose"), occurred_at__gt=OuterRef("occurred_at")
    )
    lapsed = (
        ConsentEvent.objects.filter(kind=ConsentEvent.Kind.GRANTED, expires_at__lte=at)
        .exclude(Exists(later))
        .select_related("candidate", "org")
        .order_by("expires_at")[:1000]
    )
    expired = 0
    for grant in lapsed:
        assert grant.expires_at is not None
        with transaction.atomic():
            _close(
                grant.candidate,
                grant.purpose,
                ConsentEvent.Kind.EXPIRED,
                Evidence(channel=ConsentEvent.Channel.SYSTEM, actor_label="system"),
                grant.expires_at,
            )
        expired += 1
    return expired


@transaction.atomic
def policy_save(*, actor: Actor, notice: dict[str, str], statements: dict[str, dict[str, str]]) -> PolicyVersion:
    """Save the org's policy texts. A version nobody has agreed to yet is corrected in place;
    one that consents refer to is kept as it was, and the texts become the next version."""
    actor.require(Role.ADMIN)
    for language in LANGUAGES:
        if not normalize(notice.get(language, "")):
            raise DomainValidationError(_("Write the notice in Japanese and in English."), field=f"notice_{language}")
        for key in (*purposes.FIXED, "disclose"):
            if not normalize(statements.get(key, {}).get(language, "")):
                raise DomainValidationError(_("Write every statement in both languages."), field=f"{key}_{language}")
    if "{company}" not in statements["disclose"]["ja"] or "{company}" not in statements["disclose"]["en"]:
        raise DomainValidationError(
            _("The disclosure statement must name the company as {company}."), field="disclose_ja"
        )
    policy = PolicyVersion.objects.select_for_update().filter(org=actor.org).order_by("-number").first()
    if policy is not None and policy.notice == notice and policy.statements == statements:
        return policy
    in_use = policy is not None and ConsentEvent.objects.filter(policy=policy).exists()
    if policy is None or in_use:
        policy = PolicyVersion(org=actor.org, number=(policy.number + 1) if policy else 1)
    policy.notice, policy.statements, policy.published_by = notice, statements, actor.label
    policy.updated_at = clock.now()
    policy.save()
    actor.audit("consent.policy_saved", target=policy, details={"version": policy.number})
    return policy


@transaction.atomic
def sharing_blocks_set(*, candidate: Candidate, org_ids: list[str], names: list[str]) -> None:
    """Replace the companies the person never wants to be shared with."""
    orgs = list(Organization.objects.filter(pk__in=org_ids))
    SharingBlock.objects.filter(candidate=candidate).delete()
    SharingBlock.objects.bulk_create(
        [SharingBlock(org=candidate.org, candidate=candidate, blocked_org=org) for org in orgs]
        + [
            SharingBlock(org=candidate.org, candidate=candidate, company_name=name[:200])
            for name in dict.fromkeys(normalize(n) for n in names)
            if name
        ]
    )

"""Writes an admin makes to re-scouting: the rules (re-planned in bulk when they change) and the
org's send window and frequency cap."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from careerrelay.candidates.models import RejectionReason
from careerrelay.core import clock
from careerrelay.core.errors import DomainValidationError
from careerrelay.core.selectors import get_for_org
from careerrelay.core.text import normalize
from careerrelay.orgs.actors import Actor
from careerrelay.orgs.models import Role
from careerrelay.outreach import settings as outreach_settings
from careerrelay.outreach.models import RescoutRule, RescoutSchedule
from careerrelay.outreach.rescout_rules import latest_rejections, matches, schedule_rows

MAX_STEPS = 6
MAX_MONTHS = 60


@dataclass(frozen=True)
class RuleInput:
    name: str
    step_months: list[int]
    require_flag: bool = True
    reason_codes: tuple[str, ...] = ()
    min_score: Decimal | None = None
    departments: tuple[str, ...] = ()
    wait_for_availability: bool = True
    is_active: bool = True


def _check(actor: Actor, data: RuleInput) -> RuleInput:
    name = normalize(data.name)
    if not name:
        raise DomainValidationError(_("Give the rule a name."), field="name")
    steps = sorted(set(data.step_months))
    if not steps or len(steps) > MAX_STEPS or any(not 1 <= months <= MAX_MONTHS for months in steps):
        raise DomainValidationError(
            _("Give one to %(steps)s steps, each 1 to %(months)s months after the rejection.")
            % {"steps": MAX_STEPS, "months": MAX_MONTHS},
            field="step_months",
        )
    known = set(RejectionReason.objects.filter(org=actor.org).values_list("code", flat=True))
    if any(code not in known for code in data.reason_codes):
        raise DomainValidationError(_("Choose one of your organisation's rejection reasons."), field="reason_codes")
    if data.min_score is not None and not Decimal(1) <= data.min_score <= Decimal(5):
        raise DomainValidationError(_("The minimum evaluation is between 1 and 5."), field="min_score")
    departments = tuple(dict.fromkeys(normalize(d) for d in data.departments if normalize(d)))
    return RuleInput(
        name=name[:100],
        step_months=steps,
        require_flag=data.require_flag,
        reason_codes=tuple(data.reason_codes),
        min_score=data.min_score,
        departments=departments,
        wait_for_availability=data.wait_for_availability,
        is_active=data.is_active,
    )


def replan(rule: RescoutRule) -> int:
    """Rewrite the rule's pending rows for every person's latest rejection. Steps already queued
    or skipped stay; steps whose time has passed are not back-filled (a rule change never sends
    a burst of old re-scouts). Returns the number of pending rows."""
    RescoutSchedule.objects.filter(rule=rule, state=RescoutSchedule.State.PENDING).delete()
    if not rule.is_active:
        return 0
    now = clock.now()
    batch: list[RescoutSchedule] = []
    written = 0
    for facts in latest_rejections(rule.org, with_scores=rule.min_score is not None):
        if matches(rule, facts):
            batch.extend(schedule_rows(rule, facts, after=now))
        if len(batch) >= 2000:
            written += len(RescoutSchedule.objects.bulk_create(batch, ignore_conflicts=True))
            batch = []
    written += len(RescoutSchedule.objects.bulk_create(batch, ignore_conflicts=True))
    return written


@transaction.atomic
def rule_save(*, actor: Actor, data: RuleInput, rule_id: Any = None) -> RescoutRule:
    """Create or change a rule and re-plan its schedule in the same transaction."""
    actor.require(Role.ADMIN)
    data = _check(actor, data)
    rule = (
        get_for_org(RescoutRule.objects.select_for_update(), org=actor.org, pk=rule_id)
        if rule_id
        else RescoutRule(org=actor.org)
    )
    created = rule._state.adding
    rule.name = data.name
    rule.step_months = data.step_months
    rule.require_flag = data.require_flag
    rule.reason_codes = list(data.reason_codes)
    rule.min_score = data.min_score
    rule.departments = list(data.departments)
    rule.wait_for_availability = data.wait_for_availability
    rule.is_active = data.is_active
    rule.updated_by = actor.label
    rule.updated_at = clock.now()
    rule.save()
    pending = replan(rule)
    actor.audit(
        "rescout_rule.saved",
        target=rule,
        details={"created": created, "steps": rule.step_months, "active": rule.is_active, "pending": pending},
    )
    return rule


@transaction.atomic
def outreach_settings_save(
    *, actor: Actor, cap_days: int, window_start_hour: int, window_end_hour: int
) -> outreach_settings.OutreachSettings:
    actor.require(Role.ADMIN)
    if not 0 <= cap_days <= 365:
        raise DomainValidationError(_("Between 0 and 365 days."), field="cap_days")
    if not 0 <= window_start_hour < window_end_hour <= 24:
        raise DomainValidationError(_("The window must start before it ends, within the day."), field="window_end_hour")
    values = outreach_settings.OutreachSettings(
        cap_days=cap_days, window_start_hour=window_start_hour, window_end_hour=window_end_hour
    )
    org = type(actor.org).objects.select_for_update().get(pk=actor.org.pk)
    org.settings = {**(org.settings or {}), "outreach": outreach_settings.as_json(values)}
    org.save(update_fields=["settings"])
    actor.audit("outreach_settings.saved", target=org, details=outreach_settings.as_json(values))
    return values

"""Which rejections a re-scout rule applies to, and the schedule rows it writes for them.

A rule's conditions are checked against the facts of a rejection; each matching rejection gets
one small `RescoutSchedule` row per step, due `step_months` after the rejection. The planner
tick later reads only the rows that are due."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.db.models import Avg

from careerrelay.candidates.defaults import RESCOUT_TAG
from careerrelay.candidates.models import Application, CandidateTag, Evaluation
from careerrelay.core.bulkinsert import NewObjects
from careerrelay.orgs.models import Organization
from careerrelay.outreach.models import RescoutRule, RescoutSchedule
from careerrelay.outreach.settings import add_months

CLOSED_BY_REJECTION = (Application.Status.REJECTED, Application.Status.WITHDRAWN)


@dataclass(frozen=True)
class RejectionFacts:
    candidate_id: Any
    application_id: Any
    closed_at: datetime
    flagged: bool  # the application's re-scout flag or the person's 再スカウト可 tag
    reason_code: str
    department: str
    score: Decimal | None  # average overall evaluation of the application


def matches(rule: RescoutRule, facts: RejectionFacts) -> bool:
    if rule.require_flag and not facts.flagged:
        return False
    if rule.reason_codes and facts.reason_code not in rule.reason_codes:
        return False
    if rule.departments and facts.department not in rule.departments:
        return False
    return rule.min_score is None or (facts.score is not None and facts.score >= rule.min_score)


def schedule_rows(
    rule: RescoutRule, facts: RejectionFacts, *, after: datetime | None = None, new: NewObjects | None = None
) -> list[RescoutSchedule]:
    """The rows for each step of `rule`; with `after`, only steps still to come. `new`, from a
    caller making many rows at one instant, makes them (see `core.bulkinsert.NewObjects`)."""
    rows = []
    for step, months in enumerate(rule.step_months, start=1):
        due = add_months(facts.closed_at, int(months))
        if after is not None and due <= after:
            continue
        values = {
            "org_id": rule.org_id,
            "candidate_id": facts.candidate_id,
            "application_id": facts.application_id,
            "step": step,
            "due_at": due,
        }
        rows.append(new({"rule": rule}, **values) if new is not None else RescoutSchedule(rule=rule, **values))
    return rows


def _scores(application_ids: Iterable[Any]) -> dict[Any, Decimal]:
    rows = (
        Evaluation.objects.filter(application_id__any_of=list(application_ids), overall__isnull=False)
        .values("application_id")
        .annotate(score=Avg("overall"))
    )
    return {row["application_id"]: Decimal(str(row["score"])) for row in rows}


def facts_of(applications: Sequence[Application]) -> list[RejectionFacts]:
    """The facts of these closed applications, with two queries however many they are."""
    tagged = set(
        CandidateTag.objects.filter(
            candidate_id__any_of={a.candidate_id for a in applications}, tag__code=RESCOUT_TAG
        ).values_list("candidate_id", flat=True)
    )
    scores = _scores(a.pk for a in applications)
    facts = []
    for application in applications:
        assert application.closed_at is not None
        facts.append(
            RejectionFacts(
                candidate_id=application.candidate_id,
                application_id=application.pk,
                closed_at=application.closed_at,
                flagged=application.rescout_eligible or application.candidate_id in tagged,
                reason_code=application.rejection_reason.code if application.rejection_reason else "",
                department=application.job.department if application.job else "",
                score=scores.get(application.pk),
            )
        )
    return facts


def latest_rejections(org: Organization, *, with_scores: bool, chunk: int = 5000) -> Iterator[RejectionFacts]:
    """Each person's latest rejection in the org (the one a re-scout counts from)."""
    tagged = set(CandidateTag.objects.filter(org=org, tag__code=RESCOUT_TAG).values_list("candidate_id", flat=True))
    rows = (
        Application.objects.filter(
            org=org,
            status__in=CLOSED_BY_REJECTION,
            closed_at__isnull=False,
            candidate__erased_at__isnull=True,
            candidate__merged_into__isnull=True,
        )
        .order_by("candidate_id", "-closed_at")
        .values_list("candidate_id", "pk", "closed_at", "rescout_eligible", "rejection_reason__code", "job__department")
    )
    seen = None
    batch: list[tuple[Any, ...]] = []
    for row in rows.iterator(chunk_size=chunk):
        if row[0] == seen:
            continue
        seen = row[0]
        batch.append(row)
        if len(batch) >= chunk:
            yield from _facts(batch, tagged, with_scores)
            batch = []
    yield from _facts(batch, tagged, with_scores)


def _facts(batch: list[tuple[Any, ...]], tagged: set[Any], with_scores: bool) -> Iterator[RejectionFacts]:
    scores = _scores(row[1] for row in batch) if with_scores else {}
    for candidate_id, application_id, closed_at, eligible, reason, department in batch:
        yield RejectionFacts(
            candidate_id=candidate_id,
            application_id=application_id,
            closed_at=closed_at,
            flagged=eligible or candidate_id in tagged,
            reason_code=reason or "",
            department=department or "",
            score=scores.get(application_id),
        )

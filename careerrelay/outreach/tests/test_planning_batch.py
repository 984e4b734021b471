"""The import plans a chunk's rejections at once (`plan_rejections`); it must write exactly the
rows that planning them one at a time, as the reject action does, writes."""

from __future__ import annotations

from datetime import UTC, datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext

from careerrelay.candidates.hooks import Rejection
from careerrelay.candidates.models import Application
from careerrelay.orgs.tests.factories import OrgWorld
from careerrelay.outreach.models import RescoutSchedule
from careerrelay.outreach.planner import plan_rejections
from careerrelay.outreach.tests.rescout_helpers import rejected

FIRST = datetime(2025, 1, 10, 3, 0, tzinfo=UTC)
LATER = datetime(2025, 3, 20, 3, 0, tzinfo=UTC)


def _rows(world: OrgWorld) -> list[tuple[object, ...]]:
    return sorted(
        RescoutSchedule.objects.filter(org=world.org).values_list(
            "rule_id", "candidate_id", "step", "due_at", "application_id"
        )
    )


def test_a_batch_writes_the_rows_the_reject_action_writes_one_at_a_time(world: OrgWorld) -> None:
    applications = [rejected(world, FIRST, flagged=flag) for flag in (True, True, False)]
    again = rejected(world, LATER, email=applications[0].candidate.email)  # the same person, rejected again
    assert again.candidate_id == applications[0].candidate_id
    applications.append(again)
    one_at_a_time = _rows(world)
    assert len({row[1] for row in one_at_a_time}) == 2  # the unflagged person gets no re-scout
    assert {row[3] for row in one_at_a_time if row[1] == again.candidate_id} > set()

    RescoutSchedule.objects.filter(org=world.org).delete()
    related = Application.objects.select_related("candidate", "job", "rejection_reason")
    fresh = [related.get(pk=a.pk) for a in applications]
    with CaptureQueriesContext(connection) as queries:
        plan_rejections([Rejection(application=a, actor=None, send_rejection_email=False) for a in fresh])  # type: ignore[arg-type]

    assert _rows(world) == one_at_a_time
    later_rows = [row for row in one_at_a_time if row[1] == again.candidate_id]
    assert all(row[4] == again.pk for row in later_rows)  # counted from the later rejection
    assert len(queries) <= 6  # rules, tags, scores, existing rows, one insert (and no per-row query)


def test_a_batch_moves_pending_steps_of_an_earlier_rejection(world: OrgWorld) -> None:
    first = rejected(world, FIRST)
    before = _rows(world)
    again = rejected(world, FIRST, email=first.candidate.email)
    Application.objects.filter(pk=again.pk).update(closed_at=LATER)
    fresh = Application.objects.select_related("candidate", "job", "rejection_reason").get(pk=again.pk)

    plan_rejections([Rejection(application=fresh, actor=None, send_rejection_email=False)])  # type: ignore[arg-type]

    after = _rows(world)
    assert len(after) == len(before)
    assert all(row[4] == again.pk and row[3] > old[3] for row, old in zip(after, before, strict=True))

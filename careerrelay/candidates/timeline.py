"""The application's timeline: one StageChange row for every move, written by the services."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from careerrelay.candidates.models import Application, StageChange
from careerrelay.orgs.actors import Actor


def stage_change_values(*, actor: Actor, application: Application, at: datetime) -> dict[str, Any]:
    """What a stage change records: the application's current stage and status, as of `at`, by
    `actor` (the CSV import writes these as plain rows)."""
    return {"stage": application.stage, "status": application.status, "at": at, "actor_label": actor.label}


def stage_change_new(*, actor: Actor, application: Application, at: datetime) -> StageChange:
    """The application's current stage and status, as of `at`, by `actor` (not saved yet)."""
    return StageChange(
        org=actor.org, application=application, **stage_change_values(actor=actor, application=application, at=at)
    )


def stage_change_record(*, actor: Actor, application: Application, at: datetime) -> StageChange:
    """Record the application's current stage and status, as of `at`, by `actor`."""
    change = stage_change_new(actor=actor, application=application, at=at)
    change.save()
    return change

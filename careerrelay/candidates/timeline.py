"""The application's timeline: one StageChange row for every move, written by the services."""

from __future__ import annotations

from datetime import datetime

from careerrelay.candidates.models import Application, StageChange
from careerrelay.orgs.actors import Actor


def stage_change_new(*, actor: Actor, application: Application, at: datetime) -> StageChange:
    """The application's current stage and status, as of `at`, by `actor` (not saved yet)."""
    return StageChange(
        org=actor.org,
        application=application,
        stage=application.stage,
        status=application.status,
        at=at,
        actor_label=actor.label,
    )


def stage_change_record(*, actor: Actor, application: Application, at: datetime) -> StageChange:
    """Record the application's current stage and status, as of `at`, by `actor`."""
    change = stage_change_new(actor=actor, application=application, at=at)
    change.save()
    return change

"""Writes that move an application along without rejecting it: stage changes, hire, unhire, and
the day a hired person left.

Used by the ATS webhooks (integrations) today and by the pool UI later. Each checks the actor's
role, is audited, and leaves a StageChange row on the timeline.
"""

from __future__ import annotations

import uuid
from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from careerrelay.candidates import hooks
from careerrelay.candidates.models import Application
from careerrelay.candidates.selectors import application_get
from careerrelay.candidates.timeline import stage_change_record
from careerrelay.core import clock
from careerrelay.core.errors import Conflict, DomainValidationError
from careerrelay.core.text import normalize
from careerrelay.orgs.actors import Actor
from careerrelay.orgs.models import Role

Id = uuid.UUID | str


def _log(actor: Actor, application: Application, action: str, **details: object) -> None:
    stage_change_record(actor=actor, application=application, at=application.updated_at)
    actor.audit(action, target=application, details=details)


@transaction.atomic
def application_set_stage(*, actor: Actor, application_id: Id, stage: str) -> Application:
    """Move an open application to `stage`; the same stage again changes nothing."""
    actor.require(Role.RECRUITER)
    application = application_get(org=actor.org, pk=application_id, for_update=True)
    stage = normalize(stage)[:60]
    if not stage:
        raise DomainValidationError(_("A stage needs a name."), field="stage")
    if stage == application.stage:
        return application
    if application.status in (Application.Status.REJECTED, Application.Status.WITHDRAWN):
        raise Conflict(_("This application is already closed."))
    previous = application.stage
    application.stage = stage
    application.updated_at = clock.now()
    application.save(update_fields=["stage", "updated_at"])
    hooks.run_candidate_changed(application.candidate_id)
    _log(actor, application, "application.stage_changed", previous=previous, stage=stage)
    return application


@transaction.atomic
def application_offer(*, actor: Actor, application_id: Id, offer_date: date | None = None) -> Application:
    """Record an offer on an open application; offering again changes nothing."""
    actor.require(Role.RECRUITER)
    application = application_get(org=actor.org, pk=application_id, for_update=True)
    if application.status == Application.Status.OFFER:
        return application
    if application.status != Application.Status.ACTIVE:
        raise Conflict(_("Only an application in progress can receive an offer."))
    application.status = Application.Status.OFFER
    application.offer_date = offer_date or clock.today_jst().date()
    application.updated_at = clock.now()
    application.save(update_fields=["status", "offer_date", "updated_at"])
    hooks.run_candidate_changed(application.candidate_id)
    _log(actor, application, "application.offered", offer_date=application.offer_date.isoformat())
    return application


@transaction.atomic
def application_hire(*, actor: Actor, application_id: Id, hire_date: date | None = None) -> Application:
    """Mark the application hired; hiring it again changes nothing."""
    actor.require(Role.RECRUITER)
    application = application_get(org=actor.org, pk=application_id, for_update=True)
    if application.status == Application.Status.HIRED:
        return application
    if application.status in (Application.Status.REJECTED, Application.Status.WITHDRAWN):
        raise Conflict(_("This application is already closed."))
    application.status = Application.Status.HIRED
    application.hire_date = hire_date or clock.today_jst().date()
    application.offer_date = application.offer_date or application.hire_date
    application.updated_at = clock.now()
    application.save(update_fields=["status", "hire_date", "offer_date", "updated_at"])
    hooks.run_candidate_changed(application.candidate_id)
    _log(actor, application, "application.hired", hire_date=application.hire_date.isoformat())
    return application


@transaction.atomic
def application_unhire(*, actor: Actor, application_id: Id) -> Application:
    """Undo a hire (the offer fell through): the application is active again."""
    actor.require(Role.RECRUITER)
    application = application_get(org=actor.org, pk=application_id, for_update=True)
    if application.status != Application.Status.HIRED:
        raise Conflict(_("This application is not marked as hired."))
    application.status = Application.Status.ACTIVE
    application.hire_date = None
    application.left_on = None
    application.updated_at = clock.now()
    application.save(update_fields=["status", "hire_date", "left_on", "updated_at"])
    hooks.run_candidate_changed(application.candidate_id)
    _log(actor, application, "application.unhired")
    return application


@transaction.atomic
def application_set_left_on(*, actor: Actor, application_id: Id, left_on: date | None) -> Application:
    """Record (or clear, with None) the day a hired person left; it cannot be before the hire date."""
    actor.require(Role.RECRUITER)
    application = application_get(org=actor.org, pk=application_id, for_update=True)
    if application.status != Application.Status.HIRED:
        raise Conflict(_("This application is not marked as hired."))
    if left_on is not None and application.hire_date is not None and left_on < application.hire_date:
        raise DomainValidationError(_("The leave date cannot be before the hire date."), field="left_on")
    if left_on == application.left_on:
        return application
    application.left_on = left_on
    application.updated_at = clock.now()
    application.save(update_fields=["left_on", "updated_at"])
    hooks.run_candidate_changed(application.candidate_id)
    if left_on is None:
        actor.audit("application.leave_cleared", target=application)
    else:
        actor.audit("application.leave_recorded", target=application, details={"left_on": left_on.isoformat()})
    return application

"""Greenhouse webhook events → candidate pool services. Payload shapes: Greenhouse's public
webhook documentation (grnhse/greenhouse-api-docs, source/includes/webhooks/)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from careerrelay.candidates.application_status import application_hire, application_set_stage, application_unhire
from careerrelay.candidates.data import CandidateData
from careerrelay.candidates.models import Application
from careerrelay.candidates.services import CLOSED, application_record, candidate_reject
from careerrelay.consent.settings import for_org
from careerrelay.core import clock
from careerrelay.core.phone import to_e164
from careerrelay.core.text import normalize_email
from careerrelay.integrations.models import Provider
from careerrelay.integrations.reasons import map_reason
from careerrelay.integrations.services import ats_erasure_request
from careerrelay.orgs.actors import Actor

SOURCE = "greenhouse"


APPLICATION_EVENTS = {
    "reject_candidate",
    "hire_candidate",
    "unhire_candidate",
    "application_updated",
    "new_candidate_application",
}


class Skip(Exception):
    """Nothing to do for this delivery; the message says why (kept in the delivery log)."""


def _values(items: Any) -> list[str]:
    return [str(item["value"]).strip() for item in items or [] if isinstance(item, dict) and item.get("value")]


def _first_phone(items: Any) -> str:
    for value in _values(items):
        try:
            return to_e164(value)
        except ValueError:
            continue  # a number we cannot read is left out rather than failing the delivery
    return ""


def _email(items: Any) -> str:
    """The first readable address, personal ones first; malformed ones are left out."""
    ordered = sorted(
        (item for item in items or [] if isinstance(item, dict) and item.get("value")),
        key=lambda item: item.get("type") != "personal",
    )
    for item in ordered:
        address = normalize_email(str(item["value"]))
        try:
            validate_email(address)
        except ValidationError:
            continue
        return address
    return ""


def candidate_data(candidate: dict[str, Any]) -> CandidateData:
    return CandidateData(
        family_name=str(candidate.get("last_name") or ""),
        given_name=str(candidate.get("first_name") or ""),
        email=_email(candidate.get("email_addresses")),
        phone=_first_phone(candidate.get("phone_numbers")),
        current_title=str(candidate.get("title") or ""),
        current_employer=str(candidate.get("company") or ""),
        links=_values(candidate.get("website_addresses")) + _values(candidate.get("social_media_addresses")),
        external_system=SOURCE,
        external_id=str(candidate["id"]) if candidate.get("id") is not None else "",
    )


def _application(actor: Actor, app: dict[str, Any]) -> Application:
    applied = app.get("applied_at")
    return application_record(
        actor=actor,
        data=candidate_data(app.get("candidate") or {}),
        source=SOURCE,
        applied_at=clock.parse_instant(applied) if applied else None,
        external_ref=f"greenhouse:{app['id']}",
    )


def _sync_stage(actor: Actor, application: Application, app: dict[str, Any]) -> Application:
    stage = str((app.get("current_stage") or {}).get("name") or "")
    if stage and application.status not in CLOSED:
        application = application_set_stage(actor=actor, application_id=application.pk, stage=stage)
    return application


def _reject(actor: Actor, application: Application, app: dict[str, Any]) -> str:
    if application.status in CLOSED:
        raise Skip(f"application already {application.status}")
    given = app.get("rejection_reason") or {}
    name = str(given.get("name") or "")
    type_name = str((given.get("type") or {}).get("name") or "")
    reason = map_reason(actor=actor, name=name, type_name=type_name)
    note = f"Greenhouse: {name} ({type_name})" if type_name else f"Greenhouse: {name}" if name else ""
    candidate_reject(
        actor=actor,
        application_id=application.pk,
        reason_id=reason.pk,
        note=note,
        send_rejection_email=for_org(actor.org).rejection_email_for_ats,
    )
    return f"rejected with {reason.code}"


def _hire(actor: Actor, application: Application, app: dict[str, Any]) -> str:
    if application.status == Application.Status.HIRED:
        raise Skip("application already hired")
    if application.status in CLOSED:
        raise Skip(f"application already {application.status}")
    starts = str((app.get("offer") or {}).get("starts_at") or "")
    try:
        hire_date = date.fromisoformat(starts) if starts else None
    except ValueError:
        hire_date = None
    application_hire(actor=actor, application_id=application.pk, hire_date=hire_date)
    return "hired"


def handle(actor: Actor, payload: dict[str, Any]) -> str:
    """Apply one delivery. Returns what was done; raises Skip when there is nothing to do."""
    action = str(payload.get("action") or "")
    body = payload.get("payload") or {}
    if action in APPLICATION_EVENTS:
        app = body.get("application") or {}
        if app.get("id") is None:
            raise Skip("no application in the payload")
        application = _application(actor, app)
        if action == "hire_candidate":
            return _hire(actor, application, app)
        if action == "unhire_candidate":
            if application.status != Application.Status.HIRED:
                raise Skip("application is not hired")
            application_unhire(actor=actor, application_id=application.pk)
            return "unhired"
        application = _sync_stage(actor, application, app)
        if action == "reject_candidate" or app.get("status") == "rejected":
            return _reject(actor, application, app)
        if app.get("status") == "hired":
            return _hire(actor, application, app)
        return "recorded"
    if action in ("delete_candidate", "candidate_anonymized"):
        person_id = (body.get("person") or {}).get("id") if action == "delete_candidate" else body.get("candidate_id")
        request = ats_erasure_request(
            actor=actor, provider=Provider.GREENHOUSE, external_candidate_id=str(person_id or ""), event=action
        )
        if request is None:
            raise Skip("no candidate with this Greenhouse id; nothing to erase")
        return "erasure requested"
    raise Skip(f"event {action!r} is not handled")

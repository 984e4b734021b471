"""Editing one candidate's profile by hand (API PATCH, the candidate page)."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from careerrelay.candidates import hooks
from careerrelay.candidates.cleaning import clean_candidate_data
from careerrelay.candidates.data import MODEL_FIELDS, CandidateData
from careerrelay.candidates.models import Candidate
from careerrelay.candidates.search import build_search_text
from careerrelay.candidates.services import Id
from careerrelay.candidates.services import _record as record
from careerrelay.core import clock
from careerrelay.core.errors import Conflict, DomainValidationError
from careerrelay.core.selectors import get_for_org
from careerrelay.orgs.actors import Actor, system_actor
from careerrelay.orgs.models import Role


def candidate_data_of(candidate: Candidate) -> CandidateData:
    return CandidateData(**{name: getattr(candidate, name) for name in MODEL_FIELDS})


@transaction.atomic
def candidate_update(*, actor: Actor, candidate_id: Id, changes: dict[str, Any]) -> Candidate:
    """Replace the given fields (lists are replaced, not merged; "" or None clears a field).
    Checked like any other input; a merged-away record cannot be edited."""
    actor.require(Role.RECRUITER)
    candidate = get_for_org(Candidate.objects.select_for_update(), org=actor.org, pk=candidate_id)
    if candidate.merged_into_id is not None:
        raise Conflict(_("This record was merged into another one; edit that one instead."))
    unknown = set(changes) - set(MODEL_FIELDS)
    if unknown:
        raise DomainValidationError(_("This field cannot be changed."), field=sorted(unknown)[0])
    data = candidate_data_of(candidate)
    for name, value in changes.items():
        setattr(data, name, value if value is not None or name not in _TEXT_FIELDS else "")
    cleaned = clean_candidate_data(data)
    before = asdict(candidate_data_of(candidate))
    changed = [name for name in MODEL_FIELDS if getattr(cleaned, name) != before[name]]
    if not changed:
        return candidate
    for name in changed:
        setattr(candidate, name, getattr(cleaned, name))
    candidate.search_text = build_search_text(candidate)
    candidate.updated_at = clock.now()
    candidate.save()
    hooks.run_candidate_changed(candidate.pk)
    record(actor, "candidate.updated", candidate, source="edit", fields=changed)
    return candidate


_TEXT_FIELDS = {
    name for name, value in asdict(CandidateData()).items() if isinstance(value, str) and name in MODEL_FIELDS
}


# What a person may change about themselves from the portal: their wishes, never the record of
# their application.
SELF_EDITABLE = {
    "desired_roles",
    "desired_locations",
    "desired_salary_min",
    "desired_salary_max",
    "available_from",
    "language",
}


def candidate_self_update(*, candidate: Candidate, changes: dict[str, Any]) -> Candidate:
    unknown = set(changes) - SELF_EDITABLE
    if unknown:
        raise DomainValidationError(_("This field cannot be changed."), field=sorted(unknown)[0])
    return candidate_update(
        actor=system_actor(candidate.org, "candidate (portal)"), candidate_id=candidate.pk, changes=changes
    )

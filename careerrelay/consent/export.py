"""The person's data download (GDPR Art. 15 and 20, APPI Art. 33): everything the org holds about
them, as one JSON-serialisable dict.

It covers every record of the person (the merge survivor and the records merged into it): the
profile, ids in other systems, applications with their stages and reasons, evaluation scores and
recommendations, tags, the consent history, the companies they blocked, erasure requests, and
what other apps add through `consent.hooks.on_export` (outreach: messages). Interviewers' names
and their free comments are left out: they are the interviewers' own words and data (APPI Art.
33(2) lets a business withhold what would seriously hinder it); docs/privacy.md says so.
"""

from __future__ import annotations

import json
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction

from careerrelay.candidates.models import Application, Candidate
from careerrelay.consent import hooks
from careerrelay.consent.erasing import merge_cluster
from careerrelay.consent.models import ConsentEvent, ErasureRequest, SharingBlock
from careerrelay.core import clock
from careerrelay.core.selectors import get_for_org
from careerrelay.orgs.actors import Actor
from careerrelay.orgs.models import Role

FORMAT = "careerrelay.personal-data/1"
_INTERNAL = {"org", "search_text", "merged_into", "erased_at"}


def _profile(candidate: Candidate) -> dict[str, Any]:
    profile = {
        field.name: getattr(candidate, field.attname)
        for field in Candidate._meta.concrete_fields
        if field.name not in _INTERNAL
    }
    profile["external_ids"] = [{"system": e.system, "value": e.value} for e in candidate.external_ids.all()]
    return profile


def _application(application: Application) -> dict[str, Any]:
    reason = application.rejection_reason
    return {
        "id": application.pk,
        "job": str(application.job) if application.job else None,
        "source": application.source,
        "status": application.status,
        "stage": application.stage,
        "applied_at": application.applied_at,
        "offer_date": application.offer_date,
        "hire_date": application.hire_date,
        "closed_at": application.closed_at,
        "rejection_reason": {"code": reason.code, "ja": reason.label_ja, "en": reason.label_en} if reason else None,
        "rejection_note": application.rejection_note,
        "evaluation_summary": application.evaluation_summary,
        "rescout_eligible": application.rescout_eligible,
        "is_reapplication": application.is_reapplication,
        "stages": [{"stage": s.stage, "status": s.status, "at": s.at} for s in application.stage_changes.all()],
        "evaluations": [
            {"stage": e.stage, "at": e.at, "scores": e.scores, "overall": e.overall, "recommendation": e.recommendation}
            for e in application.evaluations.all()
        ],
    }


def _consent(event: ConsentEvent) -> dict[str, Any]:
    return {
        "purpose": event.purpose,
        "kind": event.kind,
        "at": event.occurred_at,
        "expires_at": event.expires_at,
        "policy_version": event.policy.number if event.policy else None,
        "language": event.language,
        "text_sha256": event.text_hash,
        "channel": event.channel,
        "ip": event.ip,
        "user_agent": event.user_agent,
        "evidence": event.evidence,
    }


def personal_data_export(candidate: Candidate) -> dict[str, Any]:
    cluster = merge_cluster(candidate)
    survivor = cluster[0]
    org = survivor.org
    applications = (
        Application.objects.filter(candidate__in=cluster)
        .select_related("job", "rejection_reason")
        .prefetch_related("stage_changes", "evaluations")
        .order_by("applied_at", "id")
    )
    data: dict[str, Any] = {
        "format": FORMAT,
        "exported_at": clock.now(),
        "held_by": {"name": org.name, "name_en": org.name_en},
        "profile": _profile(survivor),
        "merged_records": [_profile(record) for record in cluster[1:]],
        "applications": [_application(application) for application in applications],
        "tags": [
            {"code": link.tag.code, "ja": link.tag.label_ja, "en": link.tag.label_en}
            for link in survivor.tag_links.select_related("tag").order_by("tag__code")
        ],
        "consent_history": [
            _consent(event)
            for event in ConsentEvent.objects.filter(candidate__in=cluster)
            .select_related("policy")
            .order_by("occurred_at", "id")
        ],
        "sharing_blocks": [
            {"company": block.blocked_org.name if block.blocked_org else block.company_name}
            for block in SharingBlock.objects.filter(candidate__in=cluster).select_related("blocked_org")
        ],
        "erasure_requests": [
            {"channel": r.channel, "status": r.status, "requested_at": r.requested_at, "completed_at": r.completed_at}
            for r in ErasureRequest.objects.filter(candidate__in=cluster).order_by("requested_at")
        ],
    }
    for section in hooks.export_sections():
        name, value = section(cluster)
        data[name] = value
    # One round through JSON: dates, decimals and ids become strings, so the result is plain data.
    result: dict[str, Any] = json.loads(json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False))
    return result


@transaction.atomic
def candidate_personal_data(*, actor: Actor, candidate_id: object) -> dict[str, Any]:
    """An admin downloads a person's data, e.g. to answer a request that came by post or phone.
    Audited, since it hands everything about the person to whoever asked."""
    actor.require(Role.ADMIN)
    candidate = get_for_org(Candidate.objects.all(), org=actor.org, pk=candidate_id)
    data = personal_data_export(candidate)
    actor.audit("personal_data.exported", target=candidate, details={"records": 1 + len(data["merged_records"])})
    return data

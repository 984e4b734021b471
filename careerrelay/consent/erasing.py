"""What erasure empties, table by table, for the tables of consent and the apps below it.

Apps above consent (integrations, api, outreach, relay) empty their own tables in an
`on_erasure` hook; `erase_person` runs those hooks first, while the person's values are still
on the candidate row for them to search with.

Kept, because it identifies nobody and the org's figures need it: the emptied candidate row (id,
source, created and erased times), applications (job, source, status, stage, dates, rejection
reason, re-scout flag, re-application flag), stage history, evaluation scores and
recommendations, tags, merge records without their snapshots, consent events without IP, user
agent and evidence (purpose, kind, time, policy version and text hash stay as proof of what was
agreed), and the erasure requests. docs/privacy.md explains why.
"""

from __future__ import annotations

from datetime import datetime

from django.db.models import Q

from careerrelay.accounts.models import AuditEvent
from careerrelay.candidates.models import Application, Candidate, Evaluation, ExternalId, ImportJob, MergeRecord
from careerrelay.consent import hooks
from careerrelay.consent.models import ConsentEvent, ErasureRequest, SharingBlock
from careerrelay.consent.scrub import mentions, person_terms, scrub_json, scrub_text, text_mentions_q
from careerrelay.core.models import RateCounter

# Candidate columns that stay on the emptied row; every other column is emptied, including any
# column added later.
KEPT_CANDIDATE_FIELDS = {"id", "org", "created_at", "updated_at", "source", "erased_at", "merged_into"}


def merge_cluster(candidate: Candidate) -> list[Candidate]:
    """The records that are one person: the survivor at the top of the merge chain and every
    record merged into it, directly or through another."""
    root = Candidate.objects.select_related("org").get(pk=candidate.pk)  # as stored now, not as passed
    seen = {root.pk}
    while root.merged_into_id is not None and root.merged_into_id not in seen:
        seen.add(root.merged_into_id)
        root = Candidate.objects.get(pk=root.merged_into_id)
    cluster, frontier = [root], [root.pk]
    while frontier:
        found = list(Candidate.objects.filter(merged_into__in=frontier).exclude(pk__in=[c.pk for c in cluster]))
        cluster += found
        frontier = [c.pk for c in found]
    return cluster


def erase_person(candidate: Candidate, at: datetime) -> list[Candidate]:
    """Empty every record of the person (their whole merge cluster). Call inside a transaction."""
    cluster = merge_cluster(candidate)
    for person in cluster:
        hooks.run_erasure(person)
        _erase_record(person, person_terms(person), at)
    return cluster


def _erase_record(person: Candidate, terms: list[str], at: datetime) -> None:
    application_ids = list(Application.objects.filter(candidate=person).values_list("pk", flat=True))
    evaluations = Evaluation.objects.filter(application__in=application_ids)
    merges = MergeRecord.objects.filter(Q(survivor=person) | Q(merged=person))
    owned_ids = [
        person.pk,
        *application_ids,
        *evaluations.values_list("pk", flat=True),
        *merges.values_list("pk", flat=True),
        *ConsentEvent.objects.filter(candidate=person).values_list("pk", flat=True),
        *ErasureRequest.objects.filter(candidate=person).values_list("pk", flat=True),
    ]
    evaluations.update(comment="")
    Application.objects.filter(pk__in=application_ids).update(rejection_note="", evaluation_summary="", external_ref="")
    merges.filter(status=MergeRecord.Status.PENDING).update(status=MergeRecord.Status.CONFIRMED, confirmed_at=at)
    merges.update(moved={}, survivor_before={})
    ExternalId.objects.filter(candidate=person).delete()
    SharingBlock.objects.filter(candidate=person).delete()
    # The consent log is append-only; erasure empties the evidence columns by name.
    ConsentEvent.objects.filter(candidate=person).update(ip=None, user_agent="", evidence="")
    _scrub_audit(person, {str(pk) for pk in owned_ids}, terms)
    _scrub_imports(person, terms)
    if person.email:
        RateCounter.objects.filter(key__icontains=person.email).delete()
    _empty_candidate(person, at)


def _scrub_audit(person: Candidate, owned_ids: set[str], terms: list[str]) -> None:
    """Audit events about the person's rows lose their label (it was the person's name); any
    event naming them in its label or details has those values replaced by [erased]."""
    found = Q(object_id__in=owned_ids)
    if terms:
        found |= text_mentions_q("object_label", terms) | text_mentions_q("details", terms)
    for event in AuditEvent.objects.filter(org=person.org_id).filter(found):
        label = "" if event.object_id in owned_ids else scrub_text(event.object_label, terms)
        AuditEvent.objects.filter(pk=event.pk).update(object_label=label, details=scrub_json(event.details, terms))


def _scrub_imports(person: Candidate, terms: list[str]) -> None:
    """Import reports that quote the person (a row error, a file named after them). The uploaded
    files themselves are deleted when their job ends, and erasure waits for unfinished jobs."""
    if not terms:
        return
    jobs = ImportJob.objects.filter(org=person.org_id).filter(
        text_mentions_q("errors", terms) | text_mentions_q("file_name", terms)
    )
    for job in jobs:
        if mentions(str(job.errors), terms) or mentions(job.file_name, terms):
            ImportJob.objects.filter(pk=job.pk).update(
                errors=scrub_json(job.errors, terms), file_name=scrub_text(job.file_name, terms)
            )


def _empty_candidate(person: Candidate, at: datetime) -> None:
    for field in Candidate._meta.concrete_fields:
        if field.name in KEPT_CANDIDATE_FIELDS:
            continue
        if field.null:
            setattr(person, field.attname, None)
        elif field.has_default():
            setattr(person, field.attname, field.get_default())
        else:
            setattr(person, field.attname, "")
    person.erased_at = person.updated_at = at
    person.save()

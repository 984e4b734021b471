"""Probable duplicates and merging them: audited, and reversible until a recruiter confirms.

A merge moves the merged record's applications, tags and external ids to the survivor, fills the
survivor's blank fields (lists are joined), and marks the merged record `merged_into` the survivor.
The MergeRecord keeps the ids it moved and the survivor's fields before, so a revert puts
everything back as it was.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from itertools import combinations
from typing import Any

from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from careerrelay.candidates import hooks
from careerrelay.candidates.data import LIST_FIELDS, MODEL_FIELDS
from careerrelay.candidates.models import (
    Application,
    Candidate,
    CandidateTag,
    DuplicateDismissal,
    ExternalId,
    MergeRecord,
)
from careerrelay.candidates.search import build_search_text
from careerrelay.candidates.services import Id
from careerrelay.candidates.services import _record as record
from careerrelay.core import clock
from careerrelay.core.errors import Conflict, DomainValidationError
from careerrelay.core.selectors import get_for_org
from careerrelay.orgs.actors import Actor
from careerrelay.orgs.models import Organization, Role

# Why two records look like one person.
SAME_KANA_NAME = "same_kana_name"
SAME_NAME_AND_PHONE = "same_name_and_phone"
SAME_NAME_AND_EMAIL_DOMAIN = "same_name_and_email_domain"

_RESTORED = [*MODEL_FIELDS, "search_text", "updated_at"]


@dataclass(frozen=True)
class DuplicatePair:
    first: Candidate  # the older record, proposed as the survivor
    second: Candidate
    reasons: tuple[str, ...]


def _domain(email: str) -> str:
    return email.rpartition("@")[2]


# Sharing one of these says nothing about being the same person. The documentation domains
# (RFC 2606, JPRS) stand in for free mail in samples and the demo.
FREE_MAIL_DOMAINS = {
    "gmail.com",
    "yahoo.co.jp",
    "ymail.ne.jp",
    "icloud.com",
    "me.com",
    "outlook.jp",
    "outlook.com",
    "hotmail.com",
    "hotmail.co.jp",
    "live.jp",
    "docomo.ne.jp",
    "ezweb.ne.jp",
    "au.com",
    "softbank.ne.jp",
    "i.softbank.jp",
    "example.com",
    "example.jp",
    "example.net",
    "example.org",
}


def _why(a: Candidate, b: Candidate) -> tuple[str, ...]:
    reasons = []
    kana = (a.family_name_kana, a.given_name_kana)
    # Common names repeat: a known, different birth year means two people, not one.
    years_agree = a.birth_year is None or b.birth_year is None or a.birth_year == b.birth_year
    if all(kana) and kana == (b.family_name_kana, b.given_name_kana) and years_agree:
        reasons.append(SAME_KANA_NAME)
    if a.family_name and a.given_name and (a.family_name, a.given_name) == (b.family_name, b.given_name):
        if a.phone and a.phone == b.phone:
            reasons.append(SAME_NAME_AND_PHONE)
        domain = _domain(a.email) if a.email else ""
        if domain and domain not in FREE_MAIL_DOMAINS and b.email and _domain(b.email) == domain:
            reasons.append(SAME_NAME_AND_EMAIL_DOMAIN)
    return tuple(reasons)


def duplicates_list(*, org: Organization, limit: int = 200) -> list[DuplicatePair]:
    """Pairs of live records that probably are one person, oldest pair first. Pairs that were
    merged before (even if the merge was undone) or dismissed are not proposed again."""
    live = Candidate.objects.filter(org=org, merged_into__isnull=True)
    kana_groups = (
        live.exclude(family_name_kana="")
        .exclude(given_name_kana="")
        .values("family_name_kana", "given_name_kana")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
        .values_list("family_name_kana", "given_name_kana")
    )
    name_groups = (
        live.exclude(family_name="")
        .exclude(given_name="")
        .values("family_name", "given_name")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
        .values_list("family_name", "given_name")
    )
    wanted = Q(pk__in=[])
    for family, given in kana_groups[:limit]:
        wanted |= Q(family_name_kana=family, given_name_kana=given)
    for family, given in name_groups[:limit]:
        wanted |= Q(family_name=family, given_name=given)
    candidates = list(live.filter(wanted).order_by("id"))
    decided = {frozenset(pair) for pair in MergeRecord.objects.filter(org=org).values_list("survivor_id", "merged_id")}
    decided |= {frozenset(pair) for pair in DuplicateDismissal.objects.filter(org=org).values_list("first", "second")}
    pairs = []
    for a, b in combinations(candidates, 2):
        reasons = _why(a, b)
        if reasons and frozenset((a.pk, b.pk)) not in decided:
            pairs.append(DuplicatePair(first=a, second=b, reasons=reasons))
            if len(pairs) >= limit:
                break
    return pairs


def merges_list(*, org: Organization, status: str | None = None) -> QuerySet[MergeRecord]:
    merges = MergeRecord.objects.for_org(org).select_related("survivor", "merged")
    return merges.filter(status=status) if status else merges


def merge_get(*, org: Organization, pk: Any) -> MergeRecord:
    return get_for_org(MergeRecord.objects.select_related("survivor", "merged"), org=org, pk=pk)


def _to_json(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date | datetime) else value


def _from_json(name: str, value: Any) -> Any:
    if value is None:
        return None
    if name == "updated_at":
        return datetime.fromisoformat(value)
    if name == "available_from":
        return date.fromisoformat(value)
    return value


def _is_blank(value: Any) -> bool:
    return value in ("", None, [])


@transaction.atomic
def candidates_merge(*, actor: Actor, survivor_id: Id, merged_id: Id) -> MergeRecord:
    """Fold `merged_id` into `survivor_id`. Reversible with `merge_revert` until confirmed."""
    actor.require(Role.RECRUITER)
    locked = Candidate.objects.select_for_update()
    survivor = get_for_org(locked, org=actor.org, pk=survivor_id)
    merged = get_for_org(locked, org=actor.org, pk=merged_id)
    if survivor.pk == merged.pk:
        raise DomainValidationError(_("A record cannot be merged into itself."), field="merged_id")
    if survivor.merged_into_id is not None or merged.merged_into_id is not None:
        raise Conflict(_("One of these records was already merged into another."))
    # A pending merge must stay exactly undoable: its survivor cannot be merged on meanwhile.
    pending = MergeRecord.objects.filter(org=actor.org, status=MergeRecord.Status.PENDING)
    if pending.filter(survivor__in=[survivor, merged]).exists():
        raise Conflict(_("Confirm or undo the pending merge of one of these records first."))
    before = {name: _to_json(getattr(survivor, name)) for name in _RESTORED}
    survivor_tags = set(CandidateTag.objects.filter(candidate=survivor).values_list("tag_id", flat=True))
    moved = {
        "applications": [str(pk) for pk in Application.objects.filter(candidate=merged).values_list("pk", flat=True)],
        "tags": [
            str(pk)
            for pk in CandidateTag.objects.filter(candidate=merged)
            .exclude(tag_id__in=survivor_tags)
            .values_list("pk", flat=True)
        ],
        "external_ids": [str(pk) for pk in ExternalId.objects.filter(candidate=merged).values_list("pk", flat=True)],
        "fields": [],
    }
    Application.objects.filter(pk__in=moved["applications"]).update(candidate=survivor)
    CandidateTag.objects.filter(pk__in=moved["tags"]).update(candidate=survivor)
    ExternalId.objects.filter(pk__in=moved["external_ids"]).update(candidate=survivor)
    for name in MODEL_FIELDS:
        mine, theirs = getattr(survivor, name), getattr(merged, name)
        if name in LIST_FIELDS:
            joined = list(dict.fromkeys([*(mine or []), *(theirs or [])]))
            if joined != (mine or []):
                setattr(survivor, name, joined)
                moved["fields"].append(name)
        elif _is_blank(mine) and not _is_blank(theirs):
            setattr(survivor, name, theirs)
            moved["fields"].append(name)
    survivor.search_text = build_search_text(survivor)
    survivor.updated_at = clock.now()
    survivor.save()
    merged.merged_into = survivor
    merged.save(update_fields=["merged_into"])
    merge = MergeRecord.objects.create(
        org=actor.org, survivor=survivor, merged=merged, moved=moved, survivor_before=before
    )
    hooks.run_candidate_changed(survivor.pk, merged.pk)
    record(actor, "candidates.merged", merge, survivor=str(survivor.pk), merged=str(merged.pk), fields=moved["fields"])
    return merge


@transaction.atomic
def duplicate_dismiss(*, actor: Actor, first_id: Id, second_id: Id) -> DuplicateDismissal:
    """Two records are different people: stop proposing them as a pair (audited; idempotent)."""
    actor.require(Role.RECRUITER)
    pool = Candidate.objects.all()
    one, other = get_for_org(pool, org=actor.org, pk=first_id), get_for_org(pool, org=actor.org, pk=second_id)
    if one.pk == other.pk:
        raise DomainValidationError(_("Choose two different records."), field="second_id")
    first, second = sorted((one, other), key=lambda candidate: candidate.pk)
    dismissal, created = DuplicateDismissal.objects.get_or_create(org=actor.org, first=first, second=second)
    if created:
        record(actor, "candidates.duplicate_dismissed", dismissal, first=str(first.pk), second=str(second.pk))
    return dismissal


def _pending(actor: Actor, merge_id: Id) -> MergeRecord:
    actor.require(Role.RECRUITER)
    merge = get_for_org(MergeRecord.objects.select_for_update(), org=actor.org, pk=merge_id)
    if merge.status != MergeRecord.Status.PENDING:
        raise Conflict(_("This merge was already confirmed or undone."))
    return merge


@transaction.atomic
def merge_revert(*, actor: Actor, merge_id: Id) -> MergeRecord:
    """Undo a pending merge: the moved rows go back and the survivor's fields are restored."""
    merge = _pending(actor, merge_id)
    survivor = Candidate.objects.select_for_update().get(pk=merge.survivor_id)
    merged = Candidate.objects.select_for_update().get(pk=merge.merged_id)
    moved = merge.moved
    Application.objects.filter(pk__in=moved["applications"], candidate=survivor).update(candidate=merged)
    CandidateTag.objects.filter(pk__in=moved["tags"], candidate=survivor).update(candidate=merged)
    ExternalId.objects.filter(pk__in=moved["external_ids"], candidate=survivor).update(candidate=merged)
    for name, value in merge.survivor_before.items():
        setattr(survivor, name, _from_json(name, value))
    survivor.save()
    merged.merged_into = None
    merged.save(update_fields=["merged_into"])
    merge.status = MergeRecord.Status.REVERTED
    merge.updated_at = clock.now()
    merge.save(update_fields=["status", "updated_at"])
    hooks.run_candidate_changed(survivor.pk, merged.pk)
    record(actor, "candidates.merge_reverted", merge, survivor=str(survivor.pk), merged=str(merged.pk))
    return merge


@transaction.atomic
def merge_confirm(*, actor: Actor, merge_id: Id) -> MergeRecord:
    """Make a merge final: it can no longer be undone."""
    merge = _pending(actor, merge_id)
    merge.status = MergeRecord.Status.CONFIRMED
    merge.confirmed_at = merge.updated_at = clock.now()
    merge.save(update_fields=["status", "confirmed_at", "updated_at"])
    record(actor, "candidates.merge_confirmed", merge, survivor=str(merge.survivor_id), merged=str(merge.merged_id))
    return merge

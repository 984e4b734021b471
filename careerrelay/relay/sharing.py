"""Sharing people to a network: building the anonymous profile, generalising the network's
published profiles to k, and taking profiles down when consent ends or the person is erased."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from careerrelay.candidates.models import Application, Candidate
from careerrelay.consent import purposes
from careerrelay.consent.gate import consent_allows, consenting_candidate_ids
from careerrelay.consent.hooks import Withdrawal
from careerrelay.core import clock
from careerrelay.core.errors import Conflict
from careerrelay.core.selectors import get_for_org
from careerrelay.orgs.actors import Actor
from careerrelay.orgs.models import Organization, Role
from careerrelay.relay import postings
from careerrelay.relay.generalise import Facts, generalise
from careerrelay.relay.models import Network, SharedProfile
from careerrelay.relay.scrub import industry_of, scrub
from careerrelay.relay.selectors import active_network_of

CLOSED = (Application.Status.REJECTED, Application.Status.WITHDRAWN)
LIVE = (SharedProfile.Status.PUBLISHED, SharedProfile.Status.HELD)


def _identifying_words(candidate: Candidate) -> list[str]:
    words = [
        candidate.family_name,
        candidate.given_name,
        candidate.family_name_kana,
        candidate.given_name_kana,
        candidate.current_employer,
        candidate.email,
        f"{candidate.family_name}{candidate.given_name}",
        f"{candidate.family_name_kana}{candidate.given_name_kana}",
    ]
    # The romaji forms the pool's search text already holds (yamada, taro…).
    words += [word for word in candidate.search_text.split() if word.isascii() and word.isalpha()]
    return words


def _facts(profile: SharedProfile, candidate: Candidate) -> None:
    names = _identifying_words(candidate)
    latest = Application.objects.filter(candidate=candidate, status__in=CLOSED).order_by("-closed_at", "-id").first()
    profile.birth_year = candidate.birth_year
    profile.prefecture = candidate.prefecture
    profile.years_experience = candidate.years_experience
    profile.industry = industry_of(candidate.current_employer)
    profile.skills = list(candidate.skills)
    profile.desired_roles = [scrub(role, names=names) for role in candidate.desired_roles]
    profile.desired_locations = [scrub(place, names=names) for place in candidate.desired_locations]
    available = candidate.available_from
    profile.available_from = available.replace(day=1) if available else None
    profile.summary = scrub(latest.evaluation_summary, names=names) if latest else ""
    profile.last_title = scrub(candidate.current_title, names=names)


def _eligible(candidate: Candidate) -> None:
    if candidate.erased_at is not None or candidate.merged_into_id is not None:
        raise Conflict(_("This person can no longer be shared."))
    if not Application.objects.filter(candidate=candidate, status__in=CLOSED).exists():
        raise Conflict(_("Only people whose application was closed (rejected or withdrawn) can be shared."))
    if not consent_allows(candidate, purposes.RELAY_SHARE, at=clock.now()):
        raise Conflict(_("This person has not agreed to be shared with the network."))


# What a profile's postings are built from besides its status (`relay.postings.SHOWN`).
INDEXED = ("status", *postings.SHOWN)


def _indexed(profile: SharedProfile) -> tuple[object, ...]:
    return tuple(getattr(profile, name) for name in INDEXED)


def regeneralise(network: Network, *, changed: frozenset[object] = frozenset()) -> None:
    """Show every live profile of the network at the level k allows, or hold it back; the
    postings of every profile whose shown fields or status this changes (and of `changed`, whose
    facts the caller has just rewritten) are rewritten in the same transaction."""
    profiles = list(SharedProfile.objects.select_for_update().filter(network=network, status__in=LIVE))
    before = {profile.pk: _indexed(profile) for profile in profiles}
    facts = [Facts(p.pk, p.birth_year, p.prefecture, p.years_experience, p.industry) for p in profiles]
    shown = generalise(facts, k=network.k, this_year=clock.today_jst().year)
    now = clock.now()
    for profile in profiles:
        result = shown[profile.pk]
        if result is None:
            profile.status = SharedProfile.Status.HELD
            profile.held_reason = _(
                "Fewer than %(k)s people in the network share even the broadest description yet."
            ) % {"k": network.k}
            profile.shown_age = profile.shown_location = profile.shown_experience = profile.shown_industry = ""
            continue
        profile.status = SharedProfile.Status.PUBLISHED
        profile.held_reason = ""
        profile.shown_age, profile.shown_location = result.age, result.location
        profile.shown_experience, profile.shown_industry = result.experience, result.industry
        profile.generalisation_level = result.level
        profile.published_at = profile.published_at or now
        profile.updated_at = now
    SharedProfile.objects.bulk_update(
        profiles,
        [
            "status",
            "held_reason",
            "shown_age",
            "shown_location",
            "shown_experience",
            "shown_industry",
            "generalisation_level",
            "published_at",
            "updated_at",
        ],
    )
    postings.refresh([p.pk for p in profiles if p.pk in changed or _indexed(p) != before[p.pk]])


@dataclass(frozen=True)
class SharePreview:
    profile: SharedProfile  # unsaved, with what partners would see
    published: bool


def share_preview(*, actor: Actor, candidate_id: object, network_id: object) -> SharePreview:
    """Exactly what partners would see if the person were shared now (nothing is saved)."""
    network = active_network_of(org=actor.org, network_id=network_id)
    candidate = get_for_org(Candidate.objects.all(), org=actor.org, pk=candidate_id)
    _eligible(candidate)
    profile = SharedProfile(org=actor.org, network=network, candidate=candidate)
    _facts(profile, candidate)
    others = SharedProfile.objects.filter(network=network, status__in=LIVE).exclude(candidate=candidate)
    facts = [Facts(p.pk, p.birth_year, p.prefecture, p.years_experience, p.industry) for p in others]
    facts.append(Facts("preview", profile.birth_year, profile.prefecture, profile.years_experience, profile.industry))
    shown = generalise(facts, k=network.k, this_year=clock.today_jst().year)["preview"]
    if shown is not None:
        profile.shown_age, profile.shown_location = shown.age, shown.location
        profile.shown_experience, profile.shown_industry = shown.experience, shown.industry
    return SharePreview(profile=profile, published=shown is not None)


def _share(actor: Actor, network: Network, candidate: Candidate) -> SharedProfile:
    profile = SharedProfile.objects.filter(network=network, candidate=candidate).first() or SharedProfile(
        org=actor.org, network=network, candidate=candidate
    )
    _facts(profile, candidate)
    if profile.status == SharedProfile.Status.UNPUBLISHED:
        profile.status, profile.unpublished_at, profile.published_at = SharedProfile.Status.HELD, None, None
    profile.updated_at = clock.now()
    profile.save()
    return profile


@transaction.atomic
def share_candidate(*, actor: Actor, candidate_id: object, network_id: object) -> SharedProfile:
    actor.require(Role.RECRUITER)
    network = active_network_of(org=actor.org, network_id=network_id, for_update=True)
    candidate = get_for_org(Candidate.objects.all(), org=actor.org, pk=candidate_id)
    _eligible(candidate)
    profile = _share(actor, network, candidate)
    regeneralise(network, changed=frozenset({profile.pk}))
    profile.refresh_from_db()
    actor.audit("relay.shared", target=candidate, details={"network": str(network.pk), "status": profile.status})
    return profile


def shareable(*, org: Organization, network: Network) -> QuerySet[Candidate]:
    """The org's people with relay consent in force and a closed application, not yet shared."""
    return (
        Candidate.objects.filter(
            org=org,
            pk__in=consenting_candidate_ids(org=org, purpose=purposes.RELAY_SHARE, at=clock.now()),
            applications__status__in=CLOSED,
        )
        .exclude(shared_profiles__network=network, shared_profiles__status__in=LIVE)
        .distinct()
    )


@transaction.atomic
def share_all_eligible(*, actor: Actor, network_id: object) -> int:
    actor.require(Role.RECRUITER)
    network = active_network_of(org=actor.org, network_id=network_id, for_update=True)
    changed = [_share(actor, network, candidate).pk for candidate in shareable(org=actor.org, network=network)]
    shared = len(changed)
    regeneralise(network, changed=frozenset(changed))
    actor.audit("relay.shared_all", details={"network": str(network.pk), "count": shared})
    return shared


def take_down(profiles: QuerySet[SharedProfile]) -> None:
    networks = {profile.network for profile in profiles.select_related("network")}
    postings.drop(profiles.values_list("pk", flat=True))
    profiles.update(status=SharedProfile.Status.UNPUBLISHED, unpublished_at=clock.now(), updated_at=clock.now())
    for network in networks:
        regeneralise(network)


def unpublish_on_withdrawal(withdrawal: Withdrawal) -> None:
    if withdrawal.purpose == purposes.RELAY_SHARE:
        take_down(SharedProfile.objects.filter(candidate=withdrawal.candidate).exclude(status="unpublished"))


def erase_profiles(candidate: Candidate) -> None:
    profiles = SharedProfile.objects.filter(candidate=candidate)
    take_down(profiles.exclude(status="unpublished"))
    postings.drop(profiles.values_list("pk", flat=True))
    profiles.update(
        candidate=None,
        birth_year=None,
        prefecture="",
        years_experience=None,
        industry="",
        skills=[],
        desired_roles=[],
        desired_locations=[],
        available_from=None,
        summary="",
        last_title="",
        shown_age="",
        shown_location="",
        shown_experience="",
        shown_industry="",
    )

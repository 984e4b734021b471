"""The Career Relay network: networks, shares, partner profiles, introductions, credits."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.http import HttpRequest
from ninja import Query, Router, Schema
from ninja.decorators import decorate_view
from ninja.responses import Status
from pydantic import Field

from careerrelay.api.auth import actor_of
from careerrelay.api.relay_schemas import (
    AdjustIn,
    CreditsOut,
    EntryOut,
    IntroductionIn,
    IntroductionOut,
    IntroductionPage,
    InviteIn,
    MemberOut,
    NetworkIn,
    NetworkOut,
    OutcomeIn,
    ProfileOut,
    ProfilePage,
    RedeemIn,
    ShareIn,
    ShareOut,
)
from careerrelay.api.schemas import problems
from careerrelay.core import tenancy
from careerrelay.core.pagination import MAX_LIMIT, page, paginate
from careerrelay.relay import credits, introductions, networks, selectors, sharing, viewing
from careerrelay.relay.models import Introduction, Network, NetworkMember, SharedProfile

router = Router()

# CROSS-ORG: every relay page and operation reads across orgs by design (partners' profiles, networks run
# by another org, introductions between orgs); the relay selectors still take org= and check it.
RELAY_REASON = "the relay is shared between orgs"


def _network(network: Network) -> dict[str, Any]:
    return {
        "id": network.pk,
        "name": network.name,
        "operator": network.org.name,
        "operator_licence_number": network.org.placement_licence_number,
        **{
            name: getattr(network, name)
            for name in ("k", "japan_mode", "first_look_days", "credits_per_hire", "guarantee_days")
        },
        "credit_expiry_months": network.credit_expiry_months,
    }


def profile_out(profile: SharedProfile) -> dict[str, Any]:
    """What partners see: the shown fields only (never the candidate)."""
    return {
        "id": profile.pk,
        "network_id": profile.network_id,
        "shared_by": profile.org.name,
        "status": profile.status,
        "age": profile.shown_age,
        "location": profile.shown_location,
        "experience": profile.shown_experience,
        "industry": profile.shown_industry,
        "skills": profile.skills,
        "desired_roles": profile.desired_roles,
        "desired_locations": profile.desired_locations,
        "available_from": profile.available_from,
        "summary": profile.summary,
        "last_title": profile.last_title,
        "held_reason": profile.held_reason,
    }


@router.get("/networks", response={200: list[NetworkOut], **problems()}, summary="Networks you run or belong to")
@decorate_view(tenancy.cross_org(RELAY_REASON))
def networks_list(request: HttpRequest) -> list[dict[str, Any]]:
    org = actor_of(request).org
    run = list(selectors.networks_run_by(org=org))
    joined = [m.network for m in selectors.memberships_of(org=org) if m.status == NetworkMember.Status.ACTIVE]
    return [_network(network) for network in [*run, *joined]]


@router.post("/networks", response={201: NetworkOut, **problems(403, 422)}, summary="Start a network (operators)")
@decorate_view(tenancy.cross_org(RELAY_REASON))
def networks_create(request: HttpRequest, payload: NetworkIn) -> Status:
    network = networks.network_create(actor=actor_of(request), **payload.model_dump())
    return Status(201, _network(network))


@router.get("/networks/{network_id}/members", response={200: list[MemberOut], **problems(404)}, summary="Members")
@decorate_view(tenancy.cross_org(RELAY_REASON))
def members_list(request: HttpRequest, network_id: UUID) -> list[dict[str, Any]]:
    return [
        {
            "org_id": m.org_id,
            "org_name": m.org.name,
            "status": m.status,
            "first_look": m.first_look,
            "invited_at": m.invited_at,
            "joined_at": m.joined_at,
        }
        for m in selectors.network_members(org=actor_of(request).org, network_id=network_id)
    ]


@router.post(
    "/networks/{network_id}/members", response={201: MemberOut, **problems(403, 404, 422)}, summary="Invite a company"
)
@decorate_view(tenancy.cross_org(RELAY_REASON))
def members_invite(request: HttpRequest, network_id: UUID, payload: InviteIn) -> Status:
    m = networks.member_invite(
        actor=actor_of(request), network_id=network_id, org_slug=payload.org_slug, first_look=payload.first_look
    )
    return Status(
        201,
        {
            "org_id": m.org_id,
            "org_name": m.org.name,
            "status": m.status,
            "first_look": m.first_look,
            "invited_at": m.invited_at,
            "joined_at": m.joined_at,
        },
    )


@router.post(
    "/networks/{network_id}/join", response={200: NetworkOut, **problems(403, 404, 409)}, summary="Accept an invitation"
)
@decorate_view(tenancy.cross_org(RELAY_REASON))
def networks_join(request: HttpRequest, network_id: UUID) -> dict[str, Any]:
    member = networks.member_accept(actor=actor_of(request), network_id=network_id)
    return _network(member.network)


@router.post(
    "/shares",
    response={200: ShareOut, 201: ShareOut, **problems(403, 404, 409, 422)},
    summary="Share one person or everyone eligible (preview: see what partners would see)",
)
@decorate_view(tenancy.cross_org(RELAY_REASON))
def shares_create(request: HttpRequest, payload: ShareIn) -> Status:
    actor = actor_of(request)
    if payload.preview and payload.candidate_id:
        preview = sharing.share_preview(actor=actor, candidate_id=payload.candidate_id, network_id=payload.network_id)
        return Status(200, {"shared": 0, "profile": profile_out(preview.profile)})
    if payload.all:
        count = sharing.share_all_eligible(actor=actor, network_id=payload.network_id)
        return Status(201, {"shared": count, "profile": None})
    profile = sharing.share_candidate(actor=actor, candidate_id=payload.candidate_id, network_id=payload.network_id)
    return Status(201, {"shared": 1, "profile": profile_out(profile)})


class ProfileQuery(Schema):
    network_id: UUID
    skills: list[str] = Field(default_factory=list)
    location: str = ""
    age: str = ""
    experience: str = ""
    desired_role: str = ""
    cursor: str | None = None
    limit: int = Field(50, ge=1, le=MAX_LIMIT)


@router.get("/profiles", response={200: ProfilePage, **problems(404, 422)}, summary="Browse the network's profiles")
@decorate_view(tenancy.cross_org(RELAY_REASON))
def profiles_list(request: HttpRequest, params: Query[ProfileQuery]) -> dict[str, Any]:
    filters = selectors.ProfileFilters(
        skills=params.skills,
        location=params.location,
        age=params.age,
        experience=params.experience,
        desired_role=params.desired_role,
    )
    profiles = selectors.partner_profiles(org=actor_of(request).org, network_id=params.network_id, filters=filters)
    rows, next_cursor = paginate(profiles, cursor=params.cursor, limit=params.limit)
    return page([profile_out(p) for p in rows], next_cursor)


@router.get(
    "/profiles/{profile_id}",
    response={200: ProfileOut, **problems(404)},
    summary="One profile of the network",
    description="What partners see of one shared profile. The first read by your company is counted in the "
    'sharing company\'s relay funnel ("viewed"); nothing about you beyond your company is recorded.',
)
@decorate_view(tenancy.cross_org(RELAY_REASON))
def profiles_detail(request: HttpRequest, profile_id: UUID) -> dict[str, Any]:
    return profile_out(viewing.profile_open(actor=actor_of(request), profile_id=profile_id))


def _introduction(introduction: Introduction) -> dict[str, Any]:
    return {
        "id": introduction.pk,
        "network_id": introduction.network_id,
        "profile_id": introduction.profile_id,
        "job_id": introduction.job_id,
        "status": introduction.status,
        "outcome": introduction.outcome,
        "requested_at": introduction.requested_at,
        "expires_at": introduction.expires_at,
        "decided_at": introduction.decided_at,
        "candidate_id": introduction.recipient_candidate_id,
    }


@router.post(
    "/introductions", response={201: IntroductionOut, **problems(403, 404, 409, 422)}, summary="Ask to meet a person"
)
@decorate_view(tenancy.cross_org(RELAY_REASON))
def introductions_create(request: HttpRequest, payload: IntroductionIn) -> Status:
    introduction = introductions.introduction_request(actor=actor_of(request), **payload.model_dump())
    return Status(201, _introduction(introduction))


class PageQuery(Schema):
    cursor: str | None = None
    limit: int = Field(50, ge=1, le=MAX_LIMIT)


@router.get("/introductions", response={200: IntroductionPage, **problems(422)}, summary="Introductions you asked for")
@decorate_view(tenancy.cross_org(RELAY_REASON))
def introductions_list(request: HttpRequest, params: Query[PageQuery]) -> dict[str, Any]:
    rows, next_cursor = paginate(
        selectors.introductions_sent(org=actor_of(request).org), cursor=params.cursor, limit=params.limit
    )
    return page([_introduction(i) for i in rows], next_cursor)


@router.post(
    "/introductions/{introduction_id}/outcome",
    response={200: IntroductionOut, **problems(403, 404, 409, 422)},
    summary="Report interview, offer, hired or not hired",
)
@decorate_view(tenancy.cross_org(RELAY_REASON))
def introductions_outcome(request: HttpRequest, introduction_id: UUID, payload: OutcomeIn) -> dict[str, Any]:
    introduction = introductions.introduction_outcome(
        actor=actor_of(request), introduction_id=introduction_id, outcome=payload.outcome
    )
    return _introduction(introduction)


@router.get("/credits", response={200: CreditsOut, **problems()}, summary="Free referral slots: balances and entries")
@decorate_view(tenancy.cross_org(RELAY_REASON))
def credits_get(request: HttpRequest) -> dict[str, Any]:
    org = actor_of(request).org
    return {
        "balances": [
            {
                "network_id": b.network.pk,
                "network": b.network.name,
                "issuer": b.issuer.name if b.issuer else "",
                "pending": b.pending,
                "available": b.available,
            }
            for b in selectors.balances(org=org)
        ],
        "entries": [
            {
                "network_id": e.network_id,
                "kind": e.kind,
                "bucket": e.bucket,
                "amount": e.amount,
                "at": e.at,
                "reason": e.reason,
            }
            for e in selectors.ledger_of(org=org)[:200]
        ],
    }


@router.post(
    "/credits/redeem", response={201: EntryOut, **problems(403, 404, 409)}, summary="Use one free referral slot"
)
@decorate_view(tenancy.cross_org(RELAY_REASON))
def credits_redeem(request: HttpRequest, payload: RedeemIn) -> Status:
    entry = credits.credit_redeem(
        actor=actor_of(request), network_id=payload.network_id, issuer_id=payload.issuer_id, note=payload.note
    )
    return Status(
        201,
        {
            "network_id": entry.network_id,
            "kind": entry.kind,
            "bucket": entry.bucket,
            "amount": entry.amount,
            "at": entry.at,
            "reason": entry.reason,
        },
    )


@router.post(
    "/credits/adjust",
    response={204: None, **problems(403, 404, 409, 422)},
    summary="The operator corrects a member's balance, with a reason",
)
@decorate_view(tenancy.cross_org(RELAY_REASON))
def credits_adjust(request: HttpRequest, payload: AdjustIn) -> Status:
    credits.credit_adjust(
        actor=actor_of(request),
        network_id=payload.network_id,
        holder_id=payload.holder_id,
        amount=payload.amount,
        reason=payload.reason,
    )
    return Status(204, None)

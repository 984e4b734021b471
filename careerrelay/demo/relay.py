"""The demo network: the operator runs 関東キャリアリレー; the employers and the agency are members;
each employer shares the rejected people who agreed. Story B is the manufacturer, towa-seiki:
100 of its people are shared, partners (the agency and two employers) ask to meet some of them,
8 are hired elsewhere and towa-seiki has earned 3 free referral slots — the 3 hires whose 90-day
guarantee has passed by the end of the history; the 5 recent ones are still pending
(docs/relay.md, "The demo network")."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from careerrelay.candidates.services import job_create
from careerrelay.consent.models import ConsentEvent
from careerrelay.consent.services import Evidence
from careerrelay.core import clock
from careerrelay.orgs.actors import Actor
from careerrelay.orgs.models import Organization, Role
from careerrelay.relay import credits, introductions, networks, sharing, viewing
from careerrelay.relay.models import Network, SharedProfile

ANSWER = Evidence(channel=ConsentEvent.Channel.PORTAL, ip="198.51.100.77", user_agent="Mozilla/5.0 (demo)")
MANUFACTURER = "towa-seiki"
MANUFACTURER_SHARES = 100
RELAY_DAYS = 420  # the relay's part of the demo history; its last day is the demo's "now"
# (day asked, partner, the person's answer, the partner's last report). A hire is reported 35 days
# after the ask: the first three before the last 90 days (guarantee passed: slots available), the
# last five within them (slots pending).
ASKS: list[tuple[int, str, bool | None, str]] = [
    (25, "jinzai-bridge", True, "hired"),
    (30, "soranote", None, ""),
    (85, "soranote", True, "hired"),
    (90, "hikari-shoji", False, ""),
    (150, "jinzai-bridge", True, "interview"),
    (165, "jinzai-bridge", True, "hired"),
    (220, "hikari-shoji", True, "not_hired"),
    (250, "jinzai-bridge", None, ""),
    (300, "soranote", False, ""),
    (330, "hikari-shoji", True, "interview"),
    (345, "hikari-shoji", True, "hired"),
    (352, "jinzai-bridge", True, "hired"),
    (360, "soranote", True, "hired"),
    (367, "jinzai-bridge", True, "hired"),
    (375, "hikari-shoji", True, "hired"),
]
JOBS = {
    "jinzai-bridge": ("生産技術エンジニア（クライアント案件）", "製造業チーム"),
    "soranote": ("品質保証エンジニア", "品質保証部"),
    "hikari-shoji": ("生産管理スタッフ", "物流部"),
}


@dataclass
class RelayReport:
    shared: int = 0
    introductions: int = 0
    # A yes puts the person in the partner's pool with an application for the job.
    applications: int = 0
    hires: int = 0


def _admin(org: Organization) -> Actor:
    return Actor(org=org, role=Role.ADMIN, actor_label="seed-demo")


def _share_the_manufacturers_people(org: Organization, network: Network, *, start: datetime) -> int:
    """One at a time, a round each month as more people agree, until 100 are shown to partners."""
    published = SharedProfile.objects.filter(org=org, network=network, published_at__isnull=False)
    shared = 0
    for day in range(2, RELAY_DAYS, 30):
        with clock.frozen_at(start + timedelta(days=day)):
            for candidate_id in sharing.shareable(org=org, network=network).order_by("id").values_list("pk", flat=True):
                if published.count() >= MANUFACTURER_SHARES:
                    return shared
                sharing.share_candidate(actor=_admin(org), candidate_id=candidate_id, network_id=network.pk)
                shared += 1
    return shared


def seed_relay(orgs: dict[str, Organization], *, rng: random.Random, start: datetime) -> RelayReport:
    report = RelayReport()
    members = [org for slug, org in orgs.items() if org.kind != Organization.Kind.OPERATOR]
    with clock.frozen_at(start):
        network = networks.network_create(actor=_admin(orgs["relay-network"]), name="関東キャリアリレー", k=5)
        for org in members:
            networks.member_invite(
                actor=_admin(orgs["relay-network"]),
                network_id=network.pk,
                org_slug=org.slug,
                first_look=org.kind == Organization.Kind.AGENCY,
            )
    with clock.frozen_at(start + timedelta(days=2)):
        for org in members:
            networks.member_accept(actor=_admin(org), network_id=network.pk)
        for org in members:  # the manufacturer after the others, so that their shares do not change its count
            if org.kind == Organization.Kind.EMPLOYER and org.slug != MANUFACTURER:
                report.shared += sharing.share_all_eligible(actor=_admin(org), network_id=network.pk)
    report.shared += _share_the_manufacturers_people(orgs[MANUFACTURER], network, start=start)
    with clock.frozen_at(start + timedelta(days=3)):
        jobs = {
            slug: job_create(actor=_admin(orgs[slug]), title=title, department=department)
            for slug, (title, department) in JOBS.items()
        }
    asked: set[object] = set()
    for day, partner, answer, outcome in ASKS:
        asked_at = start + timedelta(days=day)
        shown = SharedProfile.objects.filter(
            network=network, org=orgs[MANUFACTURER], status="published", published_at__lte=asked_at
        ).exclude(pk__in=asked)
        choices = list(shown.order_by("id"))
        if not choices:
            continue  # a small demo (tests) may have fewer people to ask for
        profile = rng.choice(choices)
        asked.add(profile.pk)
        requester = _admin(orgs[partner])
        with clock.frozen_at(asked_at - timedelta(days=1)):
            # The partner opened this profile and two others before asking (the funnel's "viewed").
            for looked_at in [profile, *rng.sample(choices, min(2, len(choices)))]:
                viewing.profile_open(actor=requester, profile_id=looked_at.pk)
        with clock.frozen_at(asked_at):
            introduction = introductions.introduction_request(
                actor=requester,
                profile_id=profile.pk,
                job_id=jobs[partner].pk,
                client_company="東海精工株式会社" if orgs[partner].kind == Organization.Kind.AGENCY else "",
            )
        report.introductions += 1
        if answer is None:
            continue  # no answer: the request expires
        with clock.frozen_at(asked_at + timedelta(days=2)):
            assert profile.candidate is not None
            answered = introductions.introduction_answer(
                candidate=profile.candidate, introduction_id=introduction.pk, approve=answer, evidence=ANSWER
            )
        report.applications += answered.recipient_application_id is not None
        if not outcome:
            continue
        with clock.frozen_at(asked_at + timedelta(days=14)):
            introductions.introduction_outcome(actor=requester, introduction_id=introduction.pk, outcome="interview")
        if outcome != "interview":
            with clock.frozen_at(asked_at + timedelta(days=35)):
                introductions.introduction_outcome(actor=requester, introduction_id=introduction.pk, outcome=outcome)
            report.hires += outcome == "hired"
    with clock.frozen_at(start + timedelta(days=RELAY_DAYS)):
        credits.credits_finalise(clock.now())
        introductions.introductions_expire(clock.now())
    return report

"""The demo network: the operator runs 関東キャリアリレー; the employers and the agency are members;
each employer shares the rejected people who agreed; partners ask to meet some of towa-seiki's
people, most say yes, a few are hired, and towa-seiki earns free referral slots."""

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
from careerrelay.relay import credits, introductions, networks, sharing
from careerrelay.relay.models import SharedProfile

ANSWER = Evidence(channel=ConsentEvent.Channel.PORTAL, ip="198.51.100.77", user_agent="Mozilla/5.0 (demo)")


@dataclass
class RelayReport:
    shared: int = 0
    introductions: int = 0
    # A yes puts the person in the agency's pool with an application for the job.
    applications: int = 0
    hires: int = 0


def _admin(org: Organization) -> Actor:
    return Actor(org=org, role=Role.ADMIN, actor_label="seed-demo")


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
            if org.kind == Organization.Kind.EMPLOYER:
                report.shared += sharing.share_all_eligible(actor=_admin(org), network_id=network.pk)
    agency = orgs["jinzai-bridge"]
    with clock.frozen_at(start + timedelta(days=3)):
        job = job_create(
            actor=_admin(agency), title="生産技術エンジニア（クライアント案件）", department="製造業チーム"
        )
    shared = list(
        SharedProfile.objects.filter(network=network, org=orgs["towa-seiki"], status="published").order_by("id")
    )
    for index, profile in enumerate(rng.sample(shared, min(len(shared), 12))):
        asked_at = start + timedelta(days=10 + 9 * index)
        with clock.frozen_at(asked_at):
            introduction = introductions.introduction_request(
                actor=_admin(agency), profile_id=profile.pk, job_id=job.pk, client_company="東海精工株式会社"
            )
        report.introductions += 1
        if index % 4 == 3:
            continue  # no answer: the request expires
        with clock.frozen_at(asked_at + timedelta(days=2)):
            assert profile.candidate is not None
            answered = introductions.introduction_answer(
                candidate=profile.candidate, introduction_id=introduction.pk, approve=index % 5 != 1, evidence=ANSWER
            )
        report.applications += answered.recipient_application_id is not None
        if index % 3 == 0 and index % 5 != 1:
            with clock.frozen_at(asked_at + timedelta(days=35)):
                introductions.introduction_outcome(
                    actor=_admin(agency), introduction_id=introduction.pk, outcome="hired"
                )
            report.hires += 1
    with clock.frozen_at(start + timedelta(days=400)):
        credits.credits_finalise(clock.now())
        introductions.introductions_expire(clock.now())
    return report

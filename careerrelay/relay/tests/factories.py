"""A small network: an operator, the source employer (alpha), a partner employer (gamma) and an
agency (delta), with people alpha rejected who agreed to be shared."""

from __future__ import annotations

from dataclasses import dataclass

from careerrelay.candidates.models import Candidate, JobRequisition, RejectionReason
from careerrelay.candidates.services import candidate_reject, job_create
from careerrelay.candidates.tests.factories import apply, recruiter_of
from careerrelay.consent import purposes
from careerrelay.consent.services import consent_grant
from careerrelay.consent.tests.factories import PORTAL
from careerrelay.orgs.actors import Actor
from careerrelay.orgs.models import Organization
from careerrelay.orgs.tests.factories import OrgWorld, make_org_world
from careerrelay.relay.models import Network
from careerrelay.relay.networks import member_accept, member_invite, network_create


def admin_of(world: OrgWorld) -> Actor:
    return Actor(org=world.org, role="admin", user=world.admin, ip="192.0.2.5")


@dataclass
class Relay:
    operator: OrgWorld
    source: OrgWorld
    partner: OrgWorld
    agency: OrgWorld
    network: Network
    partner_job: JobRequisition
    agency_job: JobRequisition


def make_relay(source: OrgWorld, *, k: int = 2) -> Relay:
    operator = make_org_world("relay-op", kind=Organization.Kind.OPERATOR, placement_licence_number="13-ユ-312345")
    partner = make_org_world("gamma")
    agency = make_org_world("delta", kind=Organization.Kind.AGENCY, placement_licence_number="27-ユ-301234")
    network = network_create(actor=admin_of(operator), name="関東リレー", k=k)
    for member in (source, partner, agency):
        member_invite(actor=admin_of(operator), network_id=network.pk, org_slug=member.org.slug)
        member_accept(actor=admin_of(member), network_id=network.pk)
    partner_job = job_create(actor=recruiter_of(partner), title="データエンジニア", department="データ基盤")
    agency_job = job_create(actor=recruiter_of(agency), title="法人営業（クライアント案件）")
    return Relay(operator, source, partner, agency, network, partner_job, agency_job)


def rejected_with_consent(world: OrgWorld, n: int, **person: object) -> Candidate:
    # 高峰: a family name the user factory never gives a member, so that a member's name on a page
    # is never mistaken for the person's.
    values: dict[str, object] = {
        "email": f"person{n}@example.jp",
        "phone": f"090-1111-{n:04d}",
        "family_name": "高峰",
        "given_name": f"一郎{n}",
        "family_name_kana": "タカミネ",
        "given_name_kana": f"イチロウ{n}",
        "birth_year": 1991,
        "prefecture": "東京",
        "years_experience": 6,
        "current_employer": "株式会社ひみつシステム",
        "skills": ["Python", "SQL"],
        "desired_roles": ["データエンジニア"],
    }
    values.update(person)
    application = apply(world, **values)
    reason = RejectionReason.objects.get(org=world.org, code="skills_gap")
    candidate_reject(
        actor=recruiter_of(world),
        application_id=application.pk,
        reason_id=reason.pk,
        evaluation_summary=f"最終面接まで進みました。高峰さん（person{n}@example.jp）は分析力が高い。",
        send_rejection_email=False,
    )
    consent_grant(candidate=application.candidate, purpose=purposes.RELAY_SHARE, language="ja", evidence=PORTAL)
    return application.candidate

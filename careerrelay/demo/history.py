"""Two years of hiring at each demo employer: jobs, applications, interviews, rejections, hires
and re-applications, written through the pool's services with the clock at each event's time.

Deterministic (seeded). Volumes follow each company's profile: the venture receives about 500
applications a year and hires about 20.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from faker import Faker

from careerrelay.candidates.application_status import application_hire, application_offer
from careerrelay.candidates.data import CandidateData
from careerrelay.candidates.models import Application, JobRequisition, RejectionReason
from careerrelay.candidates.services import application_record, candidate_reject, evaluation_add, job_create
from careerrelay.consent import purposes
from careerrelay.consent.gate import consent_allows
from careerrelay.consent.models import ConsentEvent
from careerrelay.consent.services import Evidence, consent_grant, consents_choose
from careerrelay.core import clock
from careerrelay.orgs.actors import Actor
from careerrelay.orgs.models import Organization, Role

SKILLS = {
    "software": [
        "Python",
        "Go",
        "TypeScript",
        "React",
        "AWS",
        "GCP",
        "Docker",
        "Kubernetes",
        "SQL",
        "Django",
        "Ruby on Rails",
        "Java",
        "データ分析",
        "プロダクトマネジメント",
        "英語（ビジネス）",
    ],
    "manufacturing": [
        "CAD",
        "CATIA",
        "品質管理",
        "QC検定2級",
        "PLC",
        "生産管理",
        "ISO 9001",
        "機械設計",
        "溶接",
        "フォークリフト",
        "改善活動",
        "英語（読み書き）",
    ],
    "media": ["コンテンツ企画", "SEO", "Google Analytics", "ライティング", "編集", "SNS運用", "Photoshop", "動画編集"],
    "trading": ["法人営業", "日商簿記2級", "TOEIC 800", "貿易実務", "Excel", "経理", "中国語", "在庫管理"],
}
TITLES = {
    "software": [
        "バックエンドエンジニア",
        "フロントエンドエンジニア",
        "インフラエンジニア",
        "データアナリスト",
        "プロダクトマネージャー",
        "カスタマーサクセス",
        "QAエンジニア",
    ],
    "manufacturing": ["生産技術", "品質保証", "機械設計", "生産管理", "設備保全", "製造オペレーター"],
    "media": ["編集者", "Webマーケター", "ライター", "SNSプランナー"],
    "trading": ["法人営業", "経理", "貿易事務", "営業事務"],
}
DEPARTMENTS = {
    "software": ["開発部", "プロダクト部", "カスタマーサクセス部", "データ基盤部"],
    "manufacturing": ["生産技術部", "品質保証部", "設計部", "製造部"],
    "media": ["編集部", "マーケティング部"],
    "trading": ["営業部", "管理部", "貿易部"],
}
ANNUAL_APPLICATIONS = {"miraitech": 520, "towa-seiki": 180, "soranote": 90, "hikari-shoji": 120}
SOURCES = [("ats", 55), ("referral", 10), ("agency", 20), ("own_site", 15)]
EMAIL_DOMAINS = ["example.com", "example.jp", "example.net"]


@dataclass
class HistoryReport:
    applications: int = 0
    rejections: int = 0
    hires: int = 0
    reapplications: int = 0


def _weekday(moment: datetime) -> datetime:
    while moment.weekday() >= 5:
        moment += timedelta(days=1)
    return moment


def _person(fake: Faker, rng: random.Random, industry: str, offices: list[str]) -> CandidateData:
    family, family_kana, family_roman = fake.last_name_pair()
    given, given_kana, given_roman = fake.first_name_pair()
    skills = rng.sample(SKILLS[industry], k=rng.randint(2, 5))
    birth_year = rng.randint(1968, 2002)
    return CandidateData(
        family_name=family,
        given_name=given,
        family_name_kana=family_kana,
        given_name_kana=given_kana,
        email=f"{given_roman}.{family_roman}{rng.randint(1, 9999)}@{rng.choice(EMAIL_DOMAINS)}".lower(),
        phone=f"0{rng.choice([70, 80, 90])}-{rng.randint(1000, 9999)}-{rng.randint(1000, 9999)}",
        prefecture=rng.choice(offices) if rng.random() < 0.7 else fake.prefecture(),
        birth_year=birth_year,
        current_title=rng.choice(TITLES[industry]),
        current_employer=fake.company(),
        years_experience=max(0, min(2024 - birth_year - 22, rng.randint(1, 20))),
        skills=skills,
        desired_roles=[rng.choice(TITLES[industry])],
        desired_locations=rng.sample(offices, k=1),
        desired_salary_min=rng.randrange(350, 700, 50) * 10_000,
        resume_text=f"{rng.choice(TITLES[industry])}として{rng.randint(1, 15)}年の経験。"
        f"{'、'.join(skills)}を活かしてきました。",
    )


def _jobs(actor: Actor, rng: random.Random, industry: str, offices: list[str], start: datetime) -> list[JobRequisition]:
    jobs = []
    for index, title in enumerate(TITLES[industry]):
        with clock.frozen_at(_weekday(start + timedelta(days=index * 9))):
            jobs.append(
                job_create(
                    actor=actor,
                    title=title,
                    department=rng.choice(DEPARTMENTS[industry]),
                    description=f"{title}を募集しています。",
                    required_skills=rng.sample(SKILLS[industry], k=2),
                    preferred_skills=rng.sample(SKILLS[industry], k=2),
                    prefecture=offices[0],
                    remote=rng.choice(list(JobRequisition.Remote.values)),
                    salary_min=rng.randrange(400, 600, 50) * 10_000,
                    salary_max=rng.randrange(650, 1000, 50) * 10_000,
                )
            )
    return jobs


def _interviews(actor: Actor, rng: random.Random, application: Application, at: datetime, rounds: int) -> None:
    for round_number in range(rounds):
        score = rng.choice([2, 3, 3, 4, 4, 5])
        with clock.frozen_at(at + timedelta(days=7 * (round_number + 1))):
            evaluation_add(
                actor=actor,
                application_id=application.pk,
                interviewer=f"面接官{round_number + 1}",
                stage=["一次面接", "二次面接", "最終面接"][round_number],
                scores={
                    "スキル": score,
                    "コミュニケーション": rng.choice([3, 4, 5]),
                    "カルチャー": rng.choice([2, 3, 4, 5]),
                },
                recommendation="yes" if score >= 4 else "no",
                comment="落ち着いて受け答えができていた。" if score >= 4 else "経験がポジションの要件に届かない。",
            )


# The chance that an application comes from someone rejected 20–200 days before.
RETURN_ON_THEIR_OWN = 0.043
RETURN_RESCOUTING = 0.175


def seed_hiring_history(
    org: Organization,
    *,
    start: datetime,
    days: int,
    seed: int,
    scale: float = 1.0,
    progress: Callable[[int], None] = lambda n: None,
) -> HistoryReport:
    """`scale` shrinks the volumes (tests use a small one); the shapes stay the same."""
    rng = random.Random(seed)
    fake = Faker("ja_JP")
    fake.seed_instance(seed)
    profile = org.settings.get("profile", {})
    industry = profile.get("industry", "software")
    offices = profile.get("offices", ["東京都"])
    actor = Actor(org=org, role=Role.RECRUITER, actor_label="seed-demo")
    jobs = _jobs(actor, rng, industry, offices, start)
    reasons = list(RejectionReason.objects.filter(org=org))
    we_rejected = [r for r in reasons if r.kind == RejectionReason.Kind.WE_REJECTED]
    withdrew = [r for r in reasons if r.kind == RejectionReason.Kind.THEY_WITHDREW]
    rejected_people: list[tuple[datetime, CandidateData]] = []
    rescout_started = profile.get("rescout_started")
    rescouting_from = (
        datetime.fromisoformat(str(rescout_started)).replace(tzinfo=clock.JST) if rescout_started else None
    )
    report = HistoryReport()
    total = max(1, int(ANNUAL_APPLICATIONS.get(org.slug, 60) * days / 365 * scale))
    for index in range(total):
        applied = _weekday(start + timedelta(days=index * days / total, minutes=rng.randint(540, 1080)))
        # People come back on their own now and then; once re-scouting runs, far more of those
        # rejected in the last months come back, most of them through the re-scout email.
        rescouting = rescouting_from is not None and applied >= rescouting_from
        recent = [
            person for when, person in rejected_people if timedelta(days=20) <= applied - when <= timedelta(days=200)
        ]
        returning = bool(recent) and rng.random() < (RETURN_RESCOUTING if rescouting else RETURN_ON_THEIR_OWN)
        person = rng.choice(recent) if returning else _person(fake, rng, industry, offices)
        source = rng.choices([s for s, _ in SOURCES], weights=[w for _, w in SOURCES])[0]
        if returning and rescouting and rng.random() < 0.8:
            source = "rescout"
        with clock.frozen_at(applied):
            application = application_record(
                actor=actor, data=person, source=source, job_id=rng.choice(jobs).pk, audited=False
            )
        report.applications += 1
        report.reapplications += application.is_reapplication
        age_days = days - index * days / total
        outcome = rng.random()
        rounds = rng.choice([0, 1, 1, 2, 3])
        _interviews(actor, rng, application, applied, rounds)
        decided = applied + timedelta(days=7 * rounds + rng.randint(3, 10))
        if age_days < 21:
            pass  # still in progress
        elif outcome < 0.1 and rounds >= 2:
            with clock.frozen_at(decided):
                application_offer(actor=actor, application_id=application.pk)
            with clock.frozen_at(decided + timedelta(days=rng.randint(20, 45))):
                application_hire(actor=actor, application_id=application.pk)
            report.hires += 1
        else:
            reason = rng.choice(withdrew) if outcome > 0.9 else rng.choice(we_rejected)
            rescout = rounds >= 2 and rng.random() < 0.7
            with clock.frozen_at(decided):
                if rescout and not consent_allows(application.candidate, purposes.RECONTACT, at=decided):
                    # The people worth re-contacting agreed to it on the application form.
                    consent_grant(
                        candidate=application.candidate,
                        purpose=purposes.RECONTACT,
                        language="ja",
                        evidence=Evidence(channel=ConsentEvent.Channel.IMPORT, note="seed-demo application form"),
                    )
                candidate_reject(
                    actor=actor,
                    application_id=application.pk,
                    reason_id=reason.pk,
                    evaluation_summary="最終面接まで進み高評価。タイミングが合えば再度お声がけしたい。"
                    if rounds >= 2
                    else "",
                    rescout_eligible=rescout,
                    send_rejection_email=False,
                )
            report.rejections += 1
            rejected_people.append((decided, person))
            _answer_the_rejection_email(rng, application, decided)
        if index % 25 == 0:
            progress(index)
    return report


# Of the people who read the rejection email, the share who open their page and tick each box.
OPT_IN = {purposes.RECONTACT: 0.55, purposes.RELAY_SHARE: 0.35, purposes.NEWSLETTER: 0.2}


def _answer_the_rejection_email(rng: random.Random, application: Application, decided: datetime) -> None:
    chosen = [purpose for purpose, share in OPT_IN.items() if rng.random() < share]
    if not chosen or not application.candidate.email:
        return
    with clock.frozen_at(decided + timedelta(days=rng.randint(1, 6), hours=rng.randint(0, 12))):
        consents_choose(
            candidate=application.candidate,
            chosen=chosen,
            language=application.candidate.language or "ja",
            evidence=Evidence(
                channel=ConsentEvent.Channel.PORTAL,
                ip=f"198.51.100.{rng.randint(1, 254)}",
                user_agent="Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) (demo)",
            ),
        )

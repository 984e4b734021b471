"""The demo network: an operator, four employers shaped like the article's companies and one
licensed agency, with two years of history. Deterministic: the same seed gives the same data.

Everything is written through the services, with the clock pinned to the historical instant,
so the audit log and timestamps read as if the two years had really happened.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from faker import Faker

from careerrelay.accounts.models import User
from careerrelay.accounts.services import user_create
from careerrelay.core import clock
from careerrelay.demo.history import seed_hiring_history
from careerrelay.demo.relay import RELAY_DAYS, seed_relay
from careerrelay.orgs.actors import Actor
from careerrelay.orgs.models import Organization, Role
from careerrelay.orgs.services import (
    apikey_create,
    apikey_revoke,
    invitation_accept,
    membership_add,
    membership_change_role,
    org_create,
    org_update_settings,
)
from careerrelay.orgs.services import membership_add_existing_user as add_member

DEMO_PASSWORD = "relay-demo-2026"
DEMO_RECRUITER = "recruiter@demo.careerrelay.jp"
HISTORY_START = datetime(2024, 11, 1, 9, 0, tzinfo=clock.JST)
HISTORY_DAYS = 730
SEED = 2026


@dataclass(frozen=True)
class DemoOrg:
    slug: str
    name: str
    name_en: str
    kind: str
    profile: dict[str, object]
    staff: int
    licence: str = ""


DEMO_ORGS = [
    DemoOrg(
        "relay-network",
        "キャリアリレー・ネットワーク事務局",
        "Career Relay Network Office",
        "operator",
        {"story": "D", "member_companies": 10, "prefecture": "東京都", "offices": ["東京都", "大阪府"]},
        staff=3,
        licence="13-ユ-312345",
    ),
    DemoOrg(
        "miraitech",
        "株式会社ミライテック",
        "Miraitech Inc.",
        "employer",
        {
            "story": "A",
            "industry": "software",
            "employees": 120,
            "annual_applications": 520,
            "annual_hires": 20,
            "cost_per_hire_yen": 800_000,
            "prefecture": "東京都",
            "offices": ["東京都", "福岡県"],
            "hiring_for": [
                "バックエンドエンジニア",
                "フロントエンドエンジニア",
                "プロダクトマネージャー",
                "カスタマーサクセス",
            ],
            "key_skills": ["Python", "TypeScript", "AWS", "SQL", "法人営業"],
            # Case A: automatic re-scout emails from this day on (re-application 8% → about 22%).
            "rescout_started": "2025-11-01",
        },
        staff=6,
    ),
    DemoOrg(
        "towa-seiki",
        "東和精機株式会社",
        "Towa Seiki Co., Ltd.",
        "employer",
        {
            "story": "B",
            "industry": "manufacturing",
            "employees": 850,
            "agency_fee_yen": 1_000_000,
            "prefecture": "愛知県",
            "offices": ["愛知県", "静岡県", "三重県"],
            "hiring_for": ["生産技術", "品質保証", "機械設計", "生産管理"],
            "key_skills": ["CAD", "品質管理", "QC検定2級", "PLC", "生産管理"],
        },
        staff=5,
    ),
    DemoOrg(
        "soranote",
        "株式会社ソラノート",
        "Soranote Inc.",
        "employer",
        {
            "story": "C",
            "industry": "media",
            "employees": 35,
            "own_channel_share": 0.10,
            "prefecture": "福岡県",
            "offices": ["福岡県"],
            "hiring_for": ["編集者", "Webマーケター", "SNS運用"],
            "key_skills": ["コンテンツ企画", "SEO", "Google Analytics", "ライティング"],
        },
        staff=3,
    ),
    DemoOrg(
        "hikari-shoji",
        "ひかり商事株式会社",
        "Hikari Shoji Co., Ltd.",
        "employer",
        {
            "industry": "trading",
            "employees": 400,
            "prefecture": "大阪府",
            "offices": ["大阪府", "東京都"],
            "hiring_for": ["法人営業", "経理", "貿易事務"],
            "key_skills": ["法人営業", "日商簿記2級", "TOEIC 800", "貿易実務"],
        },
        staff=4,
    ),
    DemoOrg(
        "jinzai-bridge",
        "株式会社人材ブリッジ",
        "Jinzai Bridge Inc.",
        "agency",
        {
            "industry": "recruitment",
            "prefecture": "大阪府",
            "offices": ["大阪府", "京都府", "兵庫県"],
            "specialities": ["製造業", "IT", "営業"],
        },
        staff=4,
        licence="27-ユ-301234",
    ),
]


@dataclass
class SeedReport:
    orgs: int = 0
    users: int = 0
    api_keys: int = 0
    applications: int = 0
    shared: int = 0
    introductions: int = 0
    hires_through_relay: int = 0


def demo_logins() -> list[tuple[str, str, str]]:
    """(email, organisation, role) of the accounts a visitor can try; all use DEMO_PASSWORD."""
    logins = [(DEMO_RECRUITER, "miraitech, towa-seiki", Role.RECRUITER.value)]
    logins += [(f"admin@{demo.slug}.demo.careerrelay.jp", demo.slug, Role.ADMIN.value) for demo in DEMO_ORGS]
    return logins


def is_seeded() -> bool:
    return Organization.objects.filter(slug=DEMO_ORGS[0].slug).exists()


def _at(rng: random.Random, start_day: int, end_day: int) -> datetime:
    """A weekday, office-hours instant between two day offsets of the history."""
    moment = HISTORY_START + timedelta(days=rng.randint(start_day, end_day), minutes=rng.randint(0, 9 * 60))
    while moment.weekday() >= 5:
        moment += timedelta(days=1)
    return moment


def _person(fake: Faker, email: str) -> User:
    family, family_kana, family_roman = fake.last_name_pair()
    given, given_kana, given_roman = fake.first_name_pair()
    return user_create(
        email=email or f"{given_roman}.{family_roman}@example.jp".lower(),
        password=DEMO_PASSWORD,
        family_name=family,
        given_name=given,
        family_name_kana=family_kana,
        given_name_kana=given_kana,
    )


@transaction.atomic
def seed_demo(*, progress: Callable[[str], None] = lambda step: None, scale: float = 1.0) -> SeedReport:
    """The whole demo network; `scale` < 1 shrinks the hiring history for fast tests."""
    rng = random.Random(SEED)
    fake = Faker("ja_JP")
    fake.seed_instance(SEED)
    report = SeedReport()
    orgs: dict[str, Organization] = {}

    for demo in DEMO_ORGS:
        progress(demo.name)
        founded = _at(rng, 0, 20)
        with clock.frozen_at(founded):
            org = org_create(
                slug=demo.slug,
                name=demo.name,
                name_en=demo.name_en,
                kind=demo.kind,
                placement_licence_number=demo.licence,
                actor_label="seed-demo",
            )
            org_update_settings(
                org=org,
                # The demo keeps its two years of history: with the default six months, the worker's
                # first retention run would erase most of the people the demo is meant to show.
                changes={
                    "profile": demo.profile,
                    "consent": {
                        "consent_months": 24,
                        "retention_months_without_consent": 36,
                        "retention_months_with_consent": 36,
                    },
                },
                actor_label="seed-demo",
            )
            admin = _person(fake, f"admin@{demo.slug}.demo.careerrelay.jp")
            add_member(org=org, user=admin, role=Role.ADMIN, actor_label="seed-demo")
        orgs[demo.slug] = org
        report.orgs += 1
        report.users += 1
        admin_actor = Actor(org=org, role=Role.ADMIN, user=admin, ip="203.0.113.10")

        for index in range(demo.staff):
            joined = _at(rng, 20, HISTORY_DAYS - 30)
            with clock.frozen_at(joined):
                person = _person(fake, "")
                membership = membership_add(
                    actor=admin_actor, email=person.email, role=Role.RECRUITER if index % 3 else Role.VIEWER
                )
            with clock.frozen_at(joined + timedelta(hours=rng.randint(1, 48))):
                invitation_accept(user=person, membership_id=membership.pk, ip="198.51.100.20")
            report.users += 1
            if index == 0:
                with clock.frozen_at(joined + timedelta(days=rng.randint(30, 200))):
                    membership_change_role(actor=admin_actor, membership_id=membership.pk, role=Role.ADMIN)

        with clock.frozen_at(_at(rng, 30, 200)):
            first_key, _secret = apikey_create(actor=admin_actor, name="ATS連携 (旧)", role=Role.RECRUITER)
        with clock.frozen_at(_at(rng, 400, 500)):
            apikey_create(actor=admin_actor, name="ATS連携", role=Role.RECRUITER)
            apikey_revoke(actor=admin_actor, key_id=first_key.pk)
        report.api_keys += 2

    for index, demo in enumerate(DEMO_ORGS):
        if demo.kind != Organization.Kind.EMPLOYER:
            continue
        progress(f"{demo.name}: applications")
        history = seed_hiring_history(
            orgs[demo.slug],
            start=HISTORY_START + timedelta(days=30),
            days=HISTORY_DAYS - 30,
            seed=SEED + index,
            scale=scale,
        )
        report.applications += history.applications

    progress("Career Relay")
    relay = seed_relay(orgs, rng=rng, start=HISTORY_START + timedelta(days=HISTORY_DAYS - RELAY_DAYS))
    report.shared, report.introductions, report.hires_through_relay = relay.shared, relay.introductions, relay.hires
    report.applications += relay.applications

    with clock.frozen_at(HISTORY_START + timedelta(days=25)):
        recruiter = user_create(
            email=DEMO_RECRUITER,
            password=DEMO_PASSWORD,
            family_name="佐藤",
            given_name="美咲",
            family_name_kana="サトウ",
            given_name_kana="ミサキ",
        )
        for slug in ("miraitech", "towa-seiki"):
            add_member(org=orgs[slug], user=recruiter, role=Role.RECRUITER, actor_label="seed-demo")
    report.users += 1
    return report

from __future__ import annotations

from careerrelay.candidates.data import CandidateData
from careerrelay.candidates.models import Application
from careerrelay.candidates.services import application_record
from careerrelay.orgs.actors import Actor
from careerrelay.orgs.tests.factories import OrgWorld


def recruiter_of(world: OrgWorld) -> Actor:
    return Actor(org=world.org, role="recruiter", user=world.recruiter, ip="192.0.2.10")


def sample_data(**overrides: object) -> CandidateData:
    values: dict[str, object] = {
        "family_name": "佐藤",
        "given_name": "美咲",
        "family_name_kana": "さとう",
        "given_name_kana": "みさき",
        "email": "Misaki.Sato@Example.jp",
        "phone": "090-1234-5678",
        "prefecture": "東京",
        "birth_year": 1992,
        "current_title": "バックエンドエンジニア",
        "skills": ["Python", "ＡＷＳ", "Python"],
    }
    values.update(overrides)
    return CandidateData(**values)  # type: ignore[arg-type]


def apply(world: OrgWorld, **overrides: object) -> Application:
    return application_record(actor=recruiter_of(world), data=sample_data(**overrides), source="test")

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import pytest

from careerrelay.candidates.models import Application, Candidate, RejectionReason
from careerrelay.candidates.pool import PoolFilters, pool_list
from careerrelay.candidates.services import candidate_reject, evaluation_add, tags_set
from careerrelay.candidates.tests.factories import apply, recruiter_of
from careerrelay.core import clock
from careerrelay.core.errors import DomainValidationError
from careerrelay.orgs.tests.factories import OrgWorld

pytestmark = pytest.mark.django_db


def person(world: OrgWorld, n: int, **overrides: Any) -> Application:
    values: dict[str, Any] = {
        "email": f"person{n}@example.jp",
        "phone": f"090-1234-{n + 1000:04d}",
        "family_name_kana": f"テスト{n}",
        "birth_year": 1980 + n,
    }
    values.update(overrides)
    return apply(world, **values)


def reason(world: OrgWorld, code: str) -> RejectionReason:
    return RejectionReason.objects.get(org=world.org, code=code)


def names(filters: PoolFilters, world: OrgWorld) -> set[str]:
    return {c.email for c in pool_list(org=world.org, filters=filters)}


def test_keyword_search_finds_kanji_kana_romaji_names_skills_titles_and_resume(world: OrgWorld) -> None:
    person(
        world,
        1,
        family_name="山田",
        given_name="太郎",
        family_name_kana="やまだ",
        given_name_kana="たろう",
        skills=["Kubernetes"],
        current_title="インフラエンジニア",
        resume_text="物流システムの刷新を担当",
    )
    person(world, 2, family_name="鈴木", given_name="花子", family_name_kana="すずき", given_name_kana="はなこ")
    for query in ("山田", "やまだ", "ヤマダ", "yamada", "YAMADA taro", "kubernetes", "インフラ", "物流", "山田 太郎"):
        assert names(PoolFilters(q=query), world) == {"person1@example.jp"}, query
    assert names(PoolFilters(q="yamada hanako"), world) == set()


def test_status_filter_uses_the_latest_application(world: OrgWorld) -> None:
    first = person(world, 1)
    candidate_reject(actor=recruiter_of(world), application_id=first.pk, reason_id=reason(world, "timing").pk)
    person(world, 1)  # the same person applies again: the latest application is active
    rejected_only = person(world, 2)
    candidate_reject(actor=recruiter_of(world), application_id=rejected_only.pk, reason_id=reason(world, "timing").pk)
    assert names(PoolFilters(status="active"), world) == {"person1@example.jp"}
    assert names(PoolFilters(status="rejected"), world) == {"person2@example.jp"}


def test_reason_tag_rescout_and_source_filters(world: OrgWorld) -> None:
    a = person(world, 1)
    b = person(world, 2)
    person(world, 3)
    actor = recruiter_of(world)
    candidate_reject(actor=actor, application_id=a.pk, reason_id=reason(world, "skills_gap").pk, rescout_eligible=True)
    candidate_reject(actor=actor, application_id=b.pk, reason_id=reason(world, "timing").pk)
    Candidate.objects.filter(email="person3@example.jp").update(source="greenhouse")
    assert names(PoolFilters(reason="skills_gap"), world) == {"person1@example.jp"}
    assert names(PoolFilters(tag="rescout"), world) == {"person1@example.jp"}
    assert names(PoolFilters(rescout=True), world) == {"person1@example.jp"}
    assert names(PoolFilters(rescout=False), world) == {"person2@example.jp", "person3@example.jp"}
    assert names(PoolFilters(source="greenhouse"), world) == {"person3@example.jp"}


def test_score_range_uses_the_average_overall_score(world: OrgWorld) -> None:
    actor = recruiter_of(world)
    high, low = person(world, 1), person(world, 2)
    person(world, 3)  # never evaluated: outside any score range
    evaluation_add(actor=actor, application_id=high.pk, interviewer="A", stage="1st", scores={"tech": 5, "fit": 4})
    evaluation_add(actor=actor, application_id=high.pk, interviewer="B", stage="2nd", scores={"tech": 4})
    evaluation_add(actor=actor, application_id=low.pk, interviewer="A", stage="1st", scores={"tech": 2})
    assert names(PoolFilters(score_min=Decimal("4")), world) == {"person1@example.jp"}
    assert names(PoolFilters(score_min=Decimal("2"), score_max=Decimal("3")), world) == {"person2@example.jp"}
    with pytest.raises(DomainValidationError) as error:
        list(pool_list(org=world.org, filters=PoolFilters(score_min=Decimal("4"), score_max=Decimal("3"))))
    assert error.value.field == "score_min"


def test_rejected_between_counts_whole_days_in_japan_time(world: OrgWorld) -> None:
    early, late = person(world, 1), person(world, 2)
    actor = recruiter_of(world)
    # 2026-04-01 23:30 JST is still 14:30 UTC on April 1st; 2026-04-02 00:30 JST is April 1st in UTC.
    with clock.frozen_at(datetime(2026, 4, 1, 14, 30, tzinfo=UTC)):
        candidate_reject(actor=actor, application_id=early.pk, reason_id=reason(world, "timing").pk)
    with clock.frozen_at(datetime(2026, 4, 1, 15, 30, tzinfo=UTC)):
        candidate_reject(actor=actor, application_id=late.pk, reason_id=reason(world, "timing").pk)
    day = date(2026, 4, 1)
    assert names(PoolFilters(rejected_from=day, rejected_to=day), world) == {"person1@example.jp"}
    assert names(PoolFilters(rejected_from=date(2026, 4, 2)), world) == {"person2@example.jp"}


def test_skills_filter_requires_all_of_them_whatever_the_case_and_script(world: OrgWorld) -> None:
    person(world, 1, skills=["Python", "AWS", "経理"])
    person(world, 2, skills=["Python"])
    person(world, 3, skills=["PythonScript"])
    assert names(PoolFilters(skills=["python", "ＡＷＳ"]), world) == {"person1@example.jp"}
    assert names(PoolFilters(skills=["経理"]), world) == {"person1@example.jp"}
    assert names(PoolFilters(skills=["Python"]), world) == {"person1@example.jp", "person2@example.jp"}


def test_prefecture_filter_takes_a_code_or_a_name(world: OrgWorld) -> None:
    person(world, 1, prefecture="大阪府")
    person(world, 2, prefecture="東京都")
    assert names(PoolFilters(prefecture="27"), world) == {"person1@example.jp"}
    assert names(PoolFilters(prefecture="大阪"), world) == {"person1@example.jp"}
    with pytest.raises(DomainValidationError):
        pool_list(org=world.org, filters=PoolFilters(prefecture="Atlantis"))


def test_pool_excludes_merged_away_candidates_and_other_orgs(world: OrgWorld, other_world: OrgWorld) -> None:
    kept, gone = person(world, 1).candidate, person(world, 2).candidate
    Candidate.objects.filter(pk=gone.pk).update(merged_into=kept)
    person(other_world, 3)
    assert names(PoolFilters(), world) == {"person1@example.jp"}


def test_pool_is_newest_first(world: OrgWorld) -> None:
    for n in range(3):
        person(world, n)
    assert [c.email for c in pool_list(org=world.org)] == [f"person{n}@example.jp" for n in (2, 1, 0)]


@pytest.mark.parametrize("size", [2, 20])
def test_a_page_costs_the_same_number_of_queries_whatever_its_size(
    world: OrgWorld, django_assert_max_num_queries: Any, size: int
) -> None:
    actor = recruiter_of(world)
    for n in range(size):
        application = person(world, n, skills=["Python"])
        evaluation_add(actor=actor, application_id=application.pk, interviewer="A", stage="1st", scores={"x": 3})
    ids = [str(pk) for pk in Candidate.objects.filter(org=world.org).values_list("pk", flat=True)]
    tags_set(actor=actor, candidate_ids=ids, tag_code="rescout", present=True)
    with django_assert_max_num_queries(2):
        rows = list(pool_list(org=world.org, filters=PoolFilters(skills=["python"], q="テスト")))
        assert [len(row.tag_list) for row in rows] == [1] * size  # type: ignore[attr-defined]
        assert {row.latest_status for row in rows} == {"active"}  # type: ignore[attr-defined]
        assert {row.average_score for row in rows} == {Decimal("3")}  # type: ignore[attr-defined]

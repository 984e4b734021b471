"""What the match list reads and scores in bulk must be what one profile at a time gives."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime

from hypothesis import given, settings
from hypothesis import strategies as st

from careerrelay.matching import ranking, taxonomy
from careerrelay.matching.features import FeatureRecord
from careerrelay.matching.models import MatchProfile
from careerrelay.matching.profiles import record_of, records_of
from careerrelay.matching.tests.helpers import rejected
from careerrelay.orgs.tests.factories import OrgWorld

FREE = taxonomy.FREE_PREFIX
NOW = datetime(2026, 11, 26, 12, tzinfo=UTC)


def test_profiles_read_in_bulk_are_the_records_read_one_by_one(world: OrgWorld, other_world: OrgWorld) -> None:
    mine = [
        rejected(
            world,
            skills=["Python", "機械学習", "社内ツール作り"],
            prefecture="13",
            desired_locations=["大阪府", "リモート"],
            current_title="データエンジニア",
            desired_roles=["機械学習エンジニア"],
            years_experience=6,
            birth_year=1988,
        ).candidate,
        rejected(world, skills=[], prefecture="", current_title="", birth_year=1990).candidate,
    ]
    theirs = rejected(other_world, skills=["Python"], prefecture="13", birth_year=1991).candidate
    ids = [person.pk for person in mine] + [theirs.pk, uuid.uuid4()]

    found = dict(records_of(org=world.org, candidate_ids=ids))

    assert set(found) == {person.pk for person in mine}  # another org's person is not read
    for person in mine:
        expected = record_of(MatchProfile.objects.get(org=world.org, candidate=person))
        assert found[person.pk] == expected
    assert f"{taxonomy.FREE_PREFIX}社内ツール作り" in found[mine[0].pk].free_tags
    assert found[mine[0].pk].desired_prefectures == ("27",)
    assert found[mine[0].pk].remote_ok


_skills = st.lists(st.sampled_from(["python", "django", "javascript", "react", "aws", FREE + "社内ツール"]), max_size=4)
_prefecture = st.sampled_from(["", "13", "14", "27", "40"])
_records = st.builds(
    FeatureRecord,
    skill_ids=_skills.map(tuple),
    free_tags=st.lists(st.sampled_from([FREE + "社内ツール", FREE + "営業"]), max_size=2).map(tuple),
    prefecture=_prefecture,
    region=st.sampled_from(["", "関東", "近畿"]),
    desired_prefectures=st.lists(_prefecture, max_size=2).map(tuple),
    remote_ok=st.booleans(),
    years=st.none() | st.integers(0, 30),
    title_tokens=st.frozensets(st.sampled_from(["エン", "ンジ", "営業", "data"])),
    available_from=st.none() | st.dates(date(2025, 1, 1), date(2027, 12, 31)),
    evaluation_strength=st.floats(0, 1),
    last_activity=st.none() | st.datetimes(datetime(2020, 1, 1), datetime(2026, 11, 1), timezones=st.just(UTC)),
)
_queries = st.builds(
    ranking.job_query,
    title=st.sampled_from(["", "データエンジニア", "法人営業"]),
    required=_skills,
    preferred=_skills,
    prefecture=_prefecture,
    remote=st.sampled_from(["onsite", "hybrid", "remote"]),
    description=st.sampled_from(["", "経験3年以上"]),
)


@settings(max_examples=300, deadline=None)
@given(query=_queries, record=_records)
def test_the_score_alone_is_the_explained_score(query: ranking.JobQuery, record: FeatureRecord) -> None:
    assert ranking.score_value(query, record, now=NOW) == ranking.score(query, record, now=NOW)[0]

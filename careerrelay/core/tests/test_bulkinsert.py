"""core.bulkinsert writes rows that read back exactly as the ORM would have saved them."""

from __future__ import annotations

import gc
import uuid
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.db import IntegrityError, connection, transaction

from careerrelay.candidates.models import Candidate, ExternalId
from careerrelay.core.bulkinsert import (
    BULK_GC_THRESHOLD,
    BackgroundChecks,
    NewObjects,
    fewer_collections,
    insert_many,
    insert_rows,
    refresh_statistics,
)
from careerrelay.core.ids import IdSequence
from careerrelay.orgs.tests.factories import OrgWorld

pytestmark = pytest.mark.django_db


def _fields(candidate: Candidate) -> dict[str, object]:
    return {f.attname: getattr(candidate, f.attname) for f in Candidate._meta.concrete_fields}


def test_inserted_rows_read_back_equal_to_what_save_writes(world: OrgWorld) -> None:
    made = datetime(2026, 11, 25, 23, 0, 0, 123456, tzinfo=ZoneInfo("Asia/Tokyo"))
    values = {
        "family_name": "山田",
        "given_name_kana": "タロウ",
        "email": "taro@example.jp",
        "birth_year": 1990,
        "skills": ["Python", "日本語"],
        "links": [],
        "available_from": date(2027, 4, 1),
        "desired_salary_min": None,
        "resume_text": "改行\nあり",
        "created_at": made,
        "updated_at": made,
    }
    saved = Candidate(org=world.org, **values)
    saved.save()
    inserted = Candidate(org=world.org, merged_into=saved, **values)
    insert_many(Candidate, [inserted])
    back = Candidate.objects.get(pk=inserted.pk)
    expected = _fields(Candidate.objects.get(pk=saved.pk)) | {"id": inserted.pk, "merged_into_id": saved.pk}
    assert _fields(back) == expected


def test_a_row_breaking_a_constraint_fails_the_whole_call(world: OrgWorld) -> None:
    candidate = Candidate.objects.create(org=world.org, email="a@example.jp")
    rows = [ExternalId(org=world.org, candidate=candidate, system="x", value="1") for _ in range(2)]
    with pytest.raises(IntegrityError), transaction.atomic():
        insert_many(ExternalId, rows)
    assert not ExternalId.objects.exists()
    refresh_statistics({Candidate: ["org", "email"]})  # runs on either database without effect on the rows
    assert Candidate.objects.count() == 1


def test_plain_rows_and_positional_instances_read_back_as_the_orm_writes_them(world: OrgWorld) -> None:
    at = datetime(2026, 11, 26, 9, 0, 0, 123456, tzinfo=ZoneInfo("Asia/Tokyo"))
    new_id = IdSequence(at)
    make = NewObjects(Candidate, now=at, new_id=new_id)
    first, second = make({"org": world.org}, email="a@example.jp"), make({"org": world.org}, source="csv")
    assert first.org is world.org and first.skills == [] and first.skills is not second.skills
    assert (first.created_at, first.updated_at, first.language) == (at, at, "")
    # The same instance the model's constructor makes from the same values, a new unsaved one.
    values = [getattr(first, field.attname) for field in Candidate._meta.concrete_fields]
    constructed = Candidate(*values)
    assert {k: v for k, v in vars(first).items() if k != "_state"} == {
        k: v for k, v in vars(constructed).items() if k != "_state"
    }
    assert (first._state.adding, first._state.db) == (True, None)
    with pytest.raises(TypeError):
        make({"org": world.org}, emial="a@example.jp")  # a name the model does not have
    insert_many(Candidate, [first, second])
    link = (new_id(), world.org.pk, at, at, first.pk, "ja_ats", "B1")
    insert_rows(ExternalId, ["id", "org_id", "created_at", "updated_at", "candidate_id", "system", "value"], [link])
    back = Candidate.objects.get(pk=first.pk)
    assert _fields(back) == _fields(first)
    saved = ExternalId.objects.get()
    assert (saved.pk, saved.candidate_id, saved.created_at, saved.value) == (link[0], first.pk, at, "B1")


def test_fewer_collections_raises_the_young_threshold_and_restores_the_old_ones() -> None:
    before = gc.get_threshold()
    with fewer_collections():
        during = gc.get_threshold()
    assert during == (max(before[0], BULK_GC_THRESHOLD), *before[1:])
    assert gc.get_threshold() == before
    with pytest.raises(RuntimeError), fewer_collections():
        raise RuntimeError
    assert gc.get_threshold() == before


def test_json_lists_are_written_as_their_own_text_even_when_equal_to_another(world: OrgWorld) -> None:
    at = datetime(2026, 11, 26, 9, 0, tzinfo=ZoneInfo("Asia/Tokyo"))
    make = NewObjects(Candidate, now=at, new_id=IdSequence(at))
    lists = [["Python", "簿記2級"], ["Python", "簿記2級"], [1], [True], [1.0], [{"a": "b"}], []]
    made = [make({"org": world.org}, skills=skills, links=[str(n)]) for n, skills in enumerate(lists)]
    insert_many(Candidate, made)
    back = {c.pk: c for c in Candidate.objects.filter(org=world.org)}
    assert [back[c.pk].skills for c in made] == lists
    assert [type(back[c.pk].skills[0]) for c in made[2:5]] == [int, bool, float]
    assert [back[c.pk].links for c in made] == [[str(n)] for n in range(len(lists))]


_POSTGRESQL = pytest.mark.skipif(connection.vendor != "postgresql", reason="deferred foreign keys are PostgreSQL's")
_LINK = ("id", "org_id", "created_at", "updated_at", "candidate_id", "system", "value")


def _links(world: OrgWorld, *candidate_ids: object) -> list[tuple[object, ...]]:
    at = datetime(2026, 11, 26, 9, 0, tzinfo=ZoneInfo("Asia/Tokyo"))
    new_id = IdSequence(at)
    return [(new_id(), world.org.pk, at, at, pk, "x", str(pk)) for pk in candidate_ids]


@_POSTGRESQL
def test_background_checks_find_a_broken_foreign_key_before_the_commit(world: OrgWorld) -> None:
    checks = BackgroundChecks()
    with pytest.raises(IntegrityError), transaction.atomic():
        insert_rows(ExternalId, _LINK, _links(world, uuid.uuid4()))  # deferred: no error yet
        checks.start()
        checks.wait()  # the check ran in the helper thread; its error is raised here
        pytest.fail("the broken key was not reported by wait()")
    assert not ExternalId.objects.exists()


@_POSTGRESQL
def test_background_checks_leave_the_keys_deferred_for_what_follows(world: OrgWorld) -> None:
    candidate = Candidate.objects.create(org=world.org, email="a@example.jp")
    checks = BackgroundChecks()
    with transaction.atomic():
        insert_rows(ExternalId, _LINK, _links(world, candidate.pk))
        checks.start()
        checks.wait()
        # A row pointing at a candidate inserted later in the same transaction is still fine.
        later = Candidate(org=world.org, email="b@example.jp")
        insert_rows(ExternalId, _LINK, _links(world, later.pk))
        insert_many(Candidate, [later])
    assert ExternalId.objects.filter(candidate_id__in=[candidate.pk, later.pk]).count() == 2


@_POSTGRESQL
def test_every_deferrable_constraint_starts_deferred(db: None) -> None:
    """What BackgroundChecks relies on: `SET CONSTRAINTS ALL DEFERRED` puts every constraint back
    as it was only if no deferrable constraint starts out immediate."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT conrelid::regclass::text, conname FROM pg_constraint"
            " WHERE condeferrable AND NOT condeferred AND connamespace = 'public'::regnamespace"
        )
        assert cursor.fetchall() == []
        cursor.execute("SELECT count(*) FROM pg_constraint WHERE condeferrable AND condeferred")
        assert cursor.fetchone()[0] > 0  # the foreign keys


def test_background_checks_do_nothing_on_sqlite_and_nothing_when_not_started() -> None:
    checks = BackgroundChecks()
    checks.wait()  # never started: nothing to wait for
    checks.start()
    checks.wait()

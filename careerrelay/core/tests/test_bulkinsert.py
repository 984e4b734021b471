"""core.bulkinsert writes rows that read back exactly as the ORM would have saved them."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.db import IntegrityError, transaction

from careerrelay.candidates.models import Candidate, ExternalId
from careerrelay.core.bulkinsert import NewObjects, insert_many, insert_rows, refresh_statistics
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
    insert_many(Candidate, [first, second])
    link = (new_id(), world.org.pk, at, at, first.pk, "ja_ats", "B1")
    insert_rows(ExternalId, ["id", "org_id", "created_at", "updated_at", "candidate_id", "system", "value"], [link])
    back = Candidate.objects.get(pk=first.pk)
    assert _fields(back) == _fields(first)
    saved = ExternalId.objects.get()
    assert (saved.pk, saved.candidate_id, saved.created_at, saved.value) == (link[0], first.pk, at, "B1")

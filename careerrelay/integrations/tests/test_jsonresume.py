"""JSON Resume import and export: the schema, the sample, the round trip, the API."""

from __future__ import annotations

from typing import Any

import pytest
from django.forms.models import model_to_dict
from django.test import Client

from careerrelay.api.tests.helpers import call
from careerrelay.candidates.models import Candidate
from careerrelay.candidates.tests.factories import apply, recruiter_of
from careerrelay.integrations.jsonresume import (
    JsonResumeInvalid,
    from_candidate,
    join_name,
    jsonresume_import,
    split_name,
    validate,
)
from careerrelay.integrations.tests.helpers import fixture
from careerrelay.orgs.tests.factories import OrgWorld

pytestmark = pytest.mark.django_db

COMPARED = [
    "family_name",
    "given_name",
    "email",
    "phone",
    "prefecture",
    "city",
    "current_title",
    "current_employer",
    "skills",
    "languages",
    "resume_text",
    "links",
    "source",
]


def fields(candidate: Candidate) -> dict[str, Any]:
    return model_to_dict(candidate, fields=COMPARED)


def test_the_sample_resume_is_valid_and_imports(world: OrgWorld) -> None:
    sample = fixture("jsonresume/sample.resume.json")
    assert validate(sample) == []
    candidate = jsonresume_import(actor=recruiter_of(world), resume=sample).candidate
    assert (candidate.given_name, candidate.family_name) == ("Richard", "Hendriks")
    assert candidate.email == "richard.hendriks@mail.com"
    assert candidate.phone == "+19125554321"  # read with the résumé's country, US
    assert candidate.current_title == "Programmer" and candidate.current_employer == "Pied Piper"
    assert candidate.city == "San Francisco" and candidate.prefecture == ""
    assert "Web Development" in candidate.skills and "Javascript" in candidate.skills
    assert candidate.languages == ["English"]
    assert candidate.links == ["http://richardhendricks.example.com", "https://soundcloud.example.com/dandymusicnl"]
    assert candidate.source == "jsonresume"


def test_the_sample_round_trips(world: OrgWorld, other_world: OrgWorld) -> None:
    first = jsonresume_import(actor=recruiter_of(world), resume=fixture("jsonresume/sample.resume.json")).candidate
    exported = from_candidate(first)
    assert validate(exported) == []
    second = jsonresume_import(actor=recruiter_of(other_world), resume=exported).candidate
    assert fields(second) == fields(first)


def test_a_japanese_candidate_round_trips(world: OrgWorld, other_world: OrgWorld) -> None:
    original = apply(world, current_employer="株式会社テスト", links=["https://example.jp/misaki"]).candidate
    exported = from_candidate(original)
    assert validate(exported) == []
    assert exported["basics"]["name"] == "佐藤 美咲"
    assert exported["basics"]["location"] == {"region": "東京都", "countryCode": "JP"}
    copy = jsonresume_import(actor=recruiter_of(other_world), resume=exported).candidate
    assert fields(copy) | {"source": "test"} == fields(original)


def test_importing_the_same_resume_again_updates_rather_than_duplicates(world: OrgWorld) -> None:
    sample = fixture("jsonresume/sample.resume.json")
    jsonresume_import(actor=recruiter_of(world), resume=sample)
    again = jsonresume_import(actor=recruiter_of(world), resume=sample)
    assert not again.created and again.matched_by == "email"
    assert Candidate.objects.filter(org=world.org).count() == 1


@pytest.mark.parametrize(
    ("name", "pointers"),
    [
        ("basics-wrong-type", ["#/basics", "#/profiles"]),
        ("invalid-email", ["#/basics/email"]),
    ],
)
def test_the_projects_invalid_examples_are_refused_with_pointers(
    world: OrgWorld, name: str, pointers: list[str]
) -> None:
    resume = fixture(f"jsonresume/invalid/{name}.json")
    assert [pointer for pointer, _message in validate(resume)] == pointers
    with pytest.raises(JsonResumeInvalid) as caught:
        jsonresume_import(actor=recruiter_of(world), resume=resume)
    assert [pointer for pointer, _message in caught.value.errors] == pointers
    assert not Candidate.objects.filter(org=world.org).exists()


def test_bad_dates_and_phones_are_refused_with_pointers(world: OrgWorld) -> None:
    resume = fixture("jsonresume/sample.resume.json")
    resume["work"][0]["startDate"] = "December 2013"
    assert validate(resume) == [
        ("#/work/0/startDate", "日付は YYYY、YYYY-MM、YYYY-MM-DD のいずれかの形式で指定してください。")
    ]
    resume = fixture("jsonresume/sample.resume.json")
    resume["basics"]["phone"] = "12"
    with pytest.raises(JsonResumeInvalid) as caught:
        jsonresume_import(actor=recruiter_of(world), resume=resume)
    assert caught.value.errors[0][0] == "#/basics/phone"


def test_a_resume_without_name_or_email_is_refused(world: OrgWorld) -> None:
    with pytest.raises(JsonResumeInvalid) as caught:
        jsonresume_import(actor=recruiter_of(world), resume={"basics": {"label": "Engineer"}})
    assert caught.value.errors[0][0] == "#/basics/name"


@pytest.mark.parametrize(
    ("name", "family", "given"),
    [("Richard Hendriks", "Hendriks", "Richard"), ("山田 太郎", "山田", "太郎"), ("Cher", "", "Cher"), ("", "", "")],
)
def test_names_split_and_join_back(name: str, family: str, given: str) -> None:
    assert split_name(name) == (family, given)
    assert join_name(family, given) == name


def test_api_import_and_export(client: Client, world: OrgWorld) -> None:
    sample = fixture("jsonresume/sample.resume.json")
    response = call(client, "POST", "/api/v1/integrations/jsonresume", world.recruiter_key, sample)
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["email"] == "richard.hendriks@mail.com" and body["created"] is True
    again = call(client, "POST", "/api/v1/integrations/jsonresume", world.recruiter_key, sample)
    assert again.status_code == 200 and again.json()["matched_by"] == "email"
    exported = call(client, "GET", f"/api/v1/integrations/jsonresume/{body['id']}", world.viewer_key)
    assert exported.status_code == 200
    assert exported.json()["basics"]["name"] == "Richard Hendriks"
    assert validate(exported.json()) == []


def test_api_refuses_an_invalid_resume_with_every_pointer(client: Client, world: OrgWorld) -> None:
    response = call(
        client,
        "POST",
        "/api/v1/integrations/jsonresume",
        world.recruiter_key,
        fixture("jsonresume/invalid/basics-wrong-type.json"),
    )
    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"
    assert [error["pointer"] for error in response.json()["errors"]] == ["#/basics", "#/profiles"]


def test_a_viewer_cannot_import(client: Client, world: OrgWorld) -> None:
    response = call(
        client, "POST", "/api/v1/integrations/jsonresume", world.viewer_key, fixture("jsonresume/sample.resume.json")
    )
    assert response.status_code == 403
    assert not Candidate.objects.filter(org=world.org).exists()


def test_jsonresume_import_lands_in_the_callers_org_only(
    client: Client, world: OrgWorld, other_world: OrgWorld
) -> None:
    call(
        client, "POST", "/api/v1/integrations/jsonresume", world.recruiter_key, fixture("jsonresume/sample.resume.json")
    )
    assert Candidate.objects.filter(org=world.org).count() == 1
    assert not Candidate.objects.filter(org=other_world.org).exists()


def test_export_of_another_orgs_candidate_is_404(client: Client, world: OrgWorld, other_world: OrgWorld) -> None:
    foreign = apply(other_world).candidate
    response = call(client, "GET", f"/api/v1/integrations/jsonresume/{foreign.pk}", world.admin_key)
    assert response.status_code == 404
    assert "佐藤" not in response.content.decode()

"""The day a hired person left: recorded and cleared by a recruiter, audited, never before the
hire date, on the candidate page and in the API."""

from __future__ import annotations

from datetime import date

import pytest

from careerrelay.accounts.models import AuditEvent
from careerrelay.api.tests.helpers import call
from careerrelay.candidates.application_status import application_hire, application_set_left_on, application_unhire
from careerrelay.candidates.models import Application
from careerrelay.candidates.tests.factories import apply, recruiter_of
from careerrelay.core.errors import Conflict, DomainValidationError, PermissionDenied
from careerrelay.orgs.actors import Actor
from careerrelay.orgs.tests.factories import OrgWorld

pytestmark = pytest.mark.django_db
HIRED_ON = date(2025, 4, 1)


def _hired(world: OrgWorld) -> Application:
    application = apply(world)
    return application_hire(actor=recruiter_of(world), application_id=application.pk, hire_date=HIRED_ON)


def test_a_recruiter_records_and_clears_a_leave_date_with_an_audit_trail(world):
    application = _hired(world)
    actor = recruiter_of(world)
    assert application_set_left_on(actor=actor, application_id=application.pk, left_on=date(2025, 9, 30)).left_on
    application.refresh_from_db()
    assert application.left_on == date(2025, 9, 30)
    assert application_set_left_on(actor=actor, application_id=application.pk, left_on=None).left_on is None
    actions = AuditEvent.objects.filter(org=world.org, action__startswith="application.leave")
    assert sorted(actions.values_list("action", flat=True)) == [
        "application.leave_cleared",
        "application.leave_recorded",
    ]


def test_a_leave_date_before_the_hire_date_is_refused_naming_the_field(world):
    application = _hired(world)
    with pytest.raises(DomainValidationError) as refused:
        application_set_left_on(actor=recruiter_of(world), application_id=application.pk, left_on=date(2025, 3, 31))
    assert refused.value.field == "left_on"
    application.refresh_from_db()
    assert application.left_on is None


def test_only_hires_and_only_recruiters(world):
    open_application = apply(world, email="open@example.jp", phone="", family_name_kana="ヒラキ")
    with pytest.raises(Conflict):
        application_set_left_on(actor=recruiter_of(world), application_id=open_application.pk, left_on=HIRED_ON)
    application = _hired(world)
    viewer = Actor(org=world.org, role="viewer", user=world.viewer)
    with pytest.raises(PermissionDenied):
        application_set_left_on(actor=viewer, application_id=application.pk, left_on=HIRED_ON)
    application_set_left_on(actor=recruiter_of(world), application_id=application.pk, left_on=date(2025, 5, 1))
    assert application_unhire(actor=recruiter_of(world), application_id=application.pk).left_on is None


def test_the_api_records_it_and_localises_the_error(client, world):
    application = _hired(world)
    path = f"/api/v1/applications/{application.pk}/leave"
    done = call(client, "POST", path, world.recruiter_key, {"left_on": "2025-10-01"}, Idempotency_Key="leave-1")
    assert done.status_code == 200 and done.json()["left_on"] == "2025-10-01"
    refused = call(
        client, "POST", path, world.recruiter_key, {"left_on": "2025-01-01"}, Idempotency_Key="leave-2",
        Accept_Language="ja",
    )  # fmt: skip
    assert refused.status_code == 422 and refused["Content-Type"] == "application/problem+json"
    problem = refused.json()
    assert problem["errors"][0]["pointer"] == "#/left_on" and "入社日" in problem["detail"]


def test_the_candidate_page_has_the_form(client, world):
    application = _hired(world)
    client.force_login(world.recruiter)
    page = client.get(f"/candidates/{application.candidate_id}/").content.decode()
    assert f"/applications/{application.pk}/left-on/" in page
    client.post(f"/applications/{application.pk}/left-on/", {"left_on": "2025-03-01"})
    application.refresh_from_db()
    assert application.left_on is None  # before the hire date: refused
    answer = client.post(f"/applications/{application.pk}/left-on/", {"left_on": "2025-06-01"}, follow=True)
    application.refresh_from_db()
    assert application.left_on == date(2025, 6, 1) and "退職日" in answer.content.decode()

"""The one-click links of a re-scout message, and the recruiter's re-scout pages."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from careerrelay.candidates.models import Application, JobRequisition
from careerrelay.consent import purposes
from careerrelay.consent.gate import consent_allows
from careerrelay.core import clock
from careerrelay.core.clock import JST
from careerrelay.outreach.links import message_token
from careerrelay.outreach.models import LinkClick, RescoutResponse, RescoutRule, RescoutSchedule, ScheduledMessage
from careerrelay.outreach.planner import compose_rescout_messages
from careerrelay.outreach.tests.rescout_helpers import rejected

REJECTED_AT = datetime(2026, 1, 14, 10, 0, tzinfo=JST)
DUE = datetime(2026, 7, 14, 11, 0, tzinfo=JST)


def _job(world, title: str, **fields: object) -> JobRequisition:
    return JobRequisition.objects.create(org=world.org, title=title, **fields)


def _message(world, **person: object) -> ScheduledMessage:
    application = rejected(world, REJECTED_AT, **person)
    with clock.frozen_at(DUE):
        compose_rescout_messages(DUE)
    return ScheduledMessage.objects.get(candidate=application.candidate, kind="rescout_1")


@pytest.mark.django_db
def test_the_message_lists_open_jobs_that_fit_the_person_and_no_others(world):
    _job(world, "データエンジニア", required_skills=["python"])
    _job(world, "経理", required_skills=["簿記"])
    _job(world, "閉じた求人", required_skills=["python"], status=JobRequisition.Status.CLOSED)
    message = _message(world)
    assert "・データエンジニア" in message.body
    assert "経理" not in message.body and "閉じた求人" not in message.body
    assert message.purpose == purposes.RECONTACT
    assert message.idempotency_key.startswith(f"rescout:{message.candidate_id}:")


@pytest.mark.django_db
def test_im_interested_counts_the_click_then_creates_one_attributed_reapplication(client, world, other_world):
    job = _job(world, "データエンジニア", required_skills=["python"])
    foreign_job = JobRequisition.objects.create(org=other_world.org, title="他社の求人")
    message = _message(world)
    url = f"/p/m/{message_token(message.pk)}/interested/"
    with clock.frozen_at(DUE + timedelta(days=1)):
        page = client.get(url)
        assert page.status_code == 200 and "データエンジニア" in page.content.decode()
        assert LinkClick.objects.filter(message=message, action="interested").count() == 1
        assert not RescoutResponse.objects.exists()
        client.post(url, {"job": str(job.pk)})
        client.post(url, {"job": str(foreign_job.pk)})
    response = RescoutResponse.objects.get(message=message)
    application = response.application
    assert (application.source, application.job_id, application.is_reapplication) == ("rescout", job.pk, True)
    assert application.status == Application.Status.ACTIVE
    assert Application.objects.filter(candidate=message.candidate, source="rescout").count() == 1
    assert not Application.objects.filter(org=other_world.org).exists()


@pytest.mark.django_db
def test_stop_withdraws_recontact_and_cancels_the_next_step(client, world):
    message = _message(world)
    url = f"/p/m/{message_token(message.pk)}/stop/"
    with clock.frozen_at(DUE + timedelta(days=1)):
        assert client.get(url).status_code == 200
        assert consent_allows(message.candidate, purposes.RECONTACT, at=clock.now())
        client.post(url)
        assert not consent_allows(message.candidate, purposes.RECONTACT, at=clock.now())
    later = datetime(2027, 1, 14, 11, 0, tzinfo=JST)
    with clock.frozen_at(later):
        assert compose_rescout_messages(later) == 0
    assert RescoutSchedule.objects.get(candidate=message.candidate, step=2).skip_reason == "no_consent"


@pytest.mark.django_db
def test_update_my_profile_counts_and_opens_the_persons_own_wishes_page(client, world):
    message = _message(world)
    with clock.frozen_at(DUE + timedelta(days=1)):
        answer = client.get(f"/p/m/{message_token(message.pk)}/profile/")
    assert answer.status_code == 302 and "/wishes/" in answer["Location"]
    assert LinkClick.objects.filter(message=message, action="profile").count() == 1


@pytest.mark.django_db
def test_a_tampered_link_opens_nothing(client, world):
    message = _message(world)
    token = message_token(message.pk)
    for action in ("interested", "profile", "stop"):
        assert client.get(f"/p/m/{token[:-2]}xx/{action}/").status_code == 404
        assert client.post(f"/p/m/{token[:-2]}xx/{action}/").status_code in (404, 405)
    assert not LinkClick.objects.exists() and not RescoutResponse.objects.exists()
    assert consent_allows(message.candidate, purposes.RECONTACT, at=DUE)


@pytest.mark.django_db
def test_saving_a_rule_replans_its_future_steps_and_the_forecast_shows_who_gets_what(client, world):
    rule = RescoutRule.objects.get(org=world.org)
    with clock.frozen_at(REJECTED_AT):
        # A name nobody else on the page has (the factories' names repeat: the signed-in admin may share one).
        person = rejected(world, REJECTED_AT, flagged=False, family_name="予報", given_name="太郎").candidate
    assert not RescoutSchedule.objects.filter(candidate=person).exists()
    client.force_login(world.admin)
    with clock.frozen_at(REJECTED_AT + timedelta(days=10)):
        answer = client.post(
            f"/settings/rescout/{rule.pk}/",
            {"name": "毎月", "step_months": "4, 5", "wait_for_availability": "on", "is_active": "on"},
        )
        assert answer.status_code == 302
        steps = sorted(RescoutSchedule.objects.filter(candidate=person).values_list("step", "due_at"))
        assert [step for step, _due in steps] == [1, 2]
        page = client.get("/settings/rescout/").content.decode()
    assert person.display_name not in page  # four months away: beyond the 90-day forecast
    with clock.frozen_at(REJECTED_AT + timedelta(days=40)):
        page = client.get("/settings/rescout/").content.decode()
    assert person.display_name in page


@pytest.mark.django_db
def test_a_viewer_cannot_change_rules_or_the_send_window(client, world):
    rule = RescoutRule.objects.get(org=world.org)
    client.force_login(world.viewer)
    client.post(f"/settings/rescout/{rule.pk}/", {"name": "x", "step_months": "1"})
    client.post("/settings/rescout/settings/", {"cap_days": "1", "window_start_hour": "0", "window_end_hour": "24"})
    rule.refresh_from_db()
    world.org.refresh_from_db()
    assert rule.step_months == [6, 12] and "outreach" not in (world.org.settings or {})

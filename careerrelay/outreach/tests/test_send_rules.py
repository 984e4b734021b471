"""Send window, frequency cap and stop conditions, at planning and again at send time."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from careerrelay.candidates.services import application_record
from careerrelay.candidates.tests.factories import recruiter_of, sample_data
from careerrelay.consent.tokens import portal_token
from careerrelay.core import clock
from careerrelay.core.clock import JST
from careerrelay.outreach.dispatch import dispatch_due
from careerrelay.outreach.models import RescoutRule, ScheduledMessage
from careerrelay.outreach.planner import compose_rescout_messages
from careerrelay.outreach.tests.rescout_helpers import rejected

REJECTED_AT = datetime(2026, 1, 14, 10, 0, tzinfo=JST)
EVENING = datetime(2026, 7, 14, 20, 0, tzinfo=JST)  # a Tuesday, after the window closes
Status = ScheduledMessage.Status


def _plan(at: datetime) -> None:
    with clock.frozen_at(at):
        compose_rescout_messages(at)


@pytest.mark.django_db
def test_a_step_due_in_the_evening_waits_for_the_next_business_morning(world, smtp_server):
    person = rejected(world, REJECTED_AT).candidate
    _plan(EVENING)
    message = ScheduledMessage.objects.get(candidate=person)
    assert message.due_at == datetime(2026, 7, 15, 10, 0, tzinfo=JST)
    # Even if it were due earlier (a late worker), the dispatcher keeps to the window.
    ScheduledMessage.objects.filter(pk=message.pk).update(due_at=EVENING)
    assert dispatch_due(EVENING) == 0
    message.refresh_from_db()
    assert (message.status, message.due_at) == (Status.PLANNED, datetime(2026, 7, 15, 10, 0, tzinfo=JST))
    assert dispatch_due(message.due_at) == 1 and len(smtp_server.messages) == 1


@pytest.mark.django_db
def test_the_frequency_cap_spaces_two_rules_for_one_person_and_holds_at_send_time(world, smtp_server):
    RescoutRule.objects.create(org=world.org, name="早め", step_months=[6], require_flag=True)
    person = rejected(world, REJECTED_AT).candidate
    morning = datetime(2026, 7, 14, 11, 0, tzinfo=JST)
    _plan(morning)
    first, second = ScheduledMessage.objects.filter(candidate=person).order_by("due_at")
    assert first.due_at == morning
    assert second.due_at >= morning + timedelta(days=30)
    assert dispatch_due(morning) == 1
    # Forced early, the second is put back after the cap instead of being sent.
    ScheduledMessage.objects.filter(pk=second.pk).update(due_at=morning + timedelta(days=3))
    assert dispatch_due(morning + timedelta(days=3)) == 0
    second.refresh_from_db()
    assert second.status == Status.PLANNED and second.due_at >= morning + timedelta(days=30)
    assert len(smtp_server.messages) == 1


@pytest.mark.django_db
def test_an_unsubscribe_between_planning_and_sending_stops_the_message(client, world, smtp_server):
    person = rejected(world, REJECTED_AT).candidate
    _plan(EVENING)
    with clock.frozen_at(EVENING + timedelta(hours=1)):
        client.post(f"/p/{portal_token(person)}/unsubscribe/")  # what a mail client's one-click sends
    message = ScheduledMessage.objects.get(candidate=person)
    assert (message.status, message.cancelled_reason) == (Status.CANCELLED, "withdrawn")
    assert dispatch_due(datetime(2026, 7, 15, 10, 0, tzinfo=JST)) == 0
    assert smtp_server.messages == []


@pytest.mark.django_db
def test_a_reapplication_between_planning_and_sending_stops_the_message(world, smtp_server):
    person = rejected(world, REJECTED_AT).candidate
    _plan(EVENING)
    with clock.frozen_at(EVENING + timedelta(hours=1)):
        application_record(actor=recruiter_of(world), data=sample_data(email=person.email, phone=""), source="site")
    assert dispatch_due(datetime(2026, 7, 15, 10, 0, tzinfo=JST)) == 0
    message = ScheduledMessage.objects.get(candidate=person)
    assert (message.status, message.cancelled_reason) == (Status.CANCELLED, "reapplied")
    assert smtp_server.messages == []


@pytest.mark.django_db
def test_a_person_available_later_is_asked_when_they_are_available(world, smtp_server):
    person = rejected(world, REJECTED_AT, available_from="2026-09-01").candidate
    _plan(datetime(2026, 7, 14, 11, 0, tzinfo=JST))
    assert not ScheduledMessage.objects.filter(candidate=person).exists()
    _plan(datetime(2026, 9, 1, 11, 0, tzinfo=JST))
    assert ScheduledMessage.objects.filter(candidate=person, status=Status.PLANNED).count() == 1

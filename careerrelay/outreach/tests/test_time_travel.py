"""Case A end to end: `careerrelay worker --once --now <+6 months>` sends the first re-scout to
exactly the eligible, consenting people; a second run sends nothing; +12 months the second."""

from __future__ import annotations

from datetime import datetime, timedelta
from io import StringIO

import pytest
from django.core.management import call_command

from careerrelay.candidates.models import Application
from careerrelay.candidates.services import application_record
from careerrelay.candidates.tests.factories import recruiter_of, sample_data
from careerrelay.consent import purposes
from careerrelay.consent.services import consent_withdraw
from careerrelay.consent.tests.factories import PORTAL
from careerrelay.core import clock
from careerrelay.core.clock import JST
from careerrelay.outreach.models import MessageKind, RescoutSchedule, ScheduledMessage, Suppression
from careerrelay.outreach.tests.rescout_helpers import rejected

REJECTED_AT = datetime(2026, 1, 14, 10, 0, tzinfo=JST)  # a Wednesday


def _worker(now: str) -> None:
    call_command("worker", "--once", "--now", now, stdout=StringIO())


def _recipients(smtp_server) -> list[str]:
    return sorted(str(message["To"]) for message in smtp_server.messages)


@pytest.mark.django_db(transaction=True)
def test_six_and_twelve_months_later_exactly_the_eligible_consenting_people_get_one_message_each(world, smtp_server):
    # The worker also runs retention, which would erase the people without consent six months
    # after their rejection; this test is about re-scouting, so it keeps them for two years.
    world.org.settings = {**world.org.settings, "consent": {"retention_months_without_consent": 24}}
    world.org.save(update_fields=["settings"])
    eligible = rejected(world, REJECTED_AT).candidate
    english = rejected(world, REJECTED_AT, language="en").candidate
    silent = rejected(world, REJECTED_AT, consent=False).candidate  # never agreed to be contacted
    unflagged = rejected(world, REJECTED_AT, flagged=False).candidate  # not marked re-scout eligible
    came_back = rejected(world, REJECTED_AT).candidate
    with clock.frozen_at(REJECTED_AT + timedelta(days=60)):
        application_record(actor=recruiter_of(world), data=sample_data(email=came_back.email, phone=""), source="site")
    hired = rejected(world, REJECTED_AT).candidate
    with clock.frozen_at(REJECTED_AT + timedelta(days=90)):
        application_record(
            actor=recruiter_of(world),
            data=sample_data(email=hired.email, phone=""),
            source="agency",
            status=Application.Status.HIRED,
        )
    unsubscribed = rejected(world, REJECTED_AT).candidate
    consent_withdraw(
        candidate=unsubscribed, purpose=purposes.RECONTACT, evidence=PORTAL, at=REJECTED_AT + timedelta(days=100)
    )
    bounced = rejected(world, REJECTED_AT).candidate
    Suppression.objects.create(org=world.org, email=bounced.email, reason="bounce")

    _worker("2026-07-10T11:00:00+09:00")  # a few days early: nothing yet
    assert smtp_server.messages == []

    _worker("2026-07-14T11:00:00+09:00")
    assert _recipients(smtp_server) == sorted([eligible.email, english.email])
    by_to = {str(message["To"]): message for message in smtp_server.messages}
    japanese = by_to[eligible.email]
    assert "ポジション" in str(japanese["Subject"])
    body = japanese.get_body(("plain",)).get_content()
    assert "/p/m/" in body and "/interested/" in body and "/stop/" in body and "/profile/" in body
    assert japanese["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "new positions" in str(by_to[english.email]["Subject"])
    skipped = dict(
        RescoutSchedule.objects.filter(step=1, state=RescoutSchedule.State.SKIPPED).values_list(
            "candidate__email", "skip_reason"
        )
    )
    assert skipped == {
        came_back.email: "reapplied",
        hired.email: "hired",
        unsubscribed.email: "no_consent",
        bounced.email: "suppressed",
        silent.email: "no_consent",
    }
    assert not RescoutSchedule.objects.filter(candidate=unflagged).exists()

    _worker("2026-07-14T11:00:00+09:00")
    _worker("2026-07-15T11:00:00+09:00")
    assert len(smtp_server.messages) == 2

    _worker("2027-01-14T11:00:00+09:00")
    assert len(smtp_server.messages) == 4
    assert sorted(str(m["To"]) for m in smtp_server.messages[2:]) == sorted([eligible.email, english.email])
    kinds = sorted(ScheduledMessage.objects.filter(status="sent").values_list("kind", flat=True))
    assert kinds == [MessageKind.RESCOUT_FIRST] * 2 + [MessageKind.RESCOUT_LATER] * 2
    _worker("2027-01-14T11:00:00+09:00")
    assert len(smtp_server.messages) == 4

"""Newsletters (case C): the segment keeps to people with newsletter consent, expansion into the
outbox is chunked and idempotent, the dispatcher checks consent again, real SMTP delivery, and a
newsletter's unsubscribe stops newsletters only."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest

from careerrelay.consent import purposes
from careerrelay.consent.gate import consent_allows
from careerrelay.consent.services import consent_withdraw
from careerrelay.consent.tests.factories import PORTAL
from careerrelay.consent.tokens import check_token
from careerrelay.core import clock
from careerrelay.core.errors import Conflict, PermissionDenied
from careerrelay.outreach import newsletter_send
from careerrelay.outreach.dispatch import dispatch_due
from careerrelay.outreach.models import MessageKind, Newsletter, ScheduledMessage
from careerrelay.outreach.newsletter_selectors import Segment, newsletter_counts, segment_reach
from careerrelay.outreach.newsletters import NewsletterInput, newsletter_cancel, newsletter_save
from careerrelay.outreach.tests.newsletter_helpers import MORNING, TEXTS, actor_of, person, scheduled

Status = ScheduledMessage.Status


def _expand(at: datetime = MORNING, **kwargs: int) -> int:
    with clock.frozen_at(at):
        return newsletter_send.expand_due(at, **kwargs)


@pytest.mark.django_db
def test_the_segment_reaches_only_people_with_newsletter_consent_who_match_every_filter(world):
    tokyo_python = person(world, prefecture="東京", skills=["Python"])
    person(world, consent=(), prefecture="東京", skills=["Python"])  # never agreed
    person(world, consent=(purposes.RECONTACT,), prefecture="東京", skills=["Python"])  # job offers only
    person(world, prefecture="大阪", skills=["Python"])  # another prefecture
    person(world, prefecture="東京", skills=["Go"])  # another skill
    segment = Segment(prefecture="東京", skills=("python",))
    assert segment_reach(org=world.org, segment=segment, at=MORNING).recipients == 1
    newsletter = scheduled(world, segment=segment)
    _expand()
    assert list(ScheduledMessage.objects.filter(newsletter=newsletter).values_list("candidate_id", flat=True)) == [
        tokyo_python.pk
    ]


@pytest.mark.django_db
def test_the_language_filter_and_each_persons_version(world):
    japanese = person(world)  # no language of their own: the org's default, Japanese
    english = person(world, language="en")
    assert segment_reach(org=world.org, segment=Segment(language="en"), at=MORNING).recipients == 1
    scheduled(world)
    _expand()
    by_person = {m.candidate_id: m for m in ScheduledMessage.objects.filter(kind=MessageKind.NEWSLETTER)}
    assert by_person[japanese.pk].subject == f"{world.org.name}からのお知らせ「新しい求人のご案内」"
    assert by_person[japanese.pk].language == "ja"
    assert by_person[english.pk].language == "en"
    assert by_person[english.pk].body.startswith("Dear ")


@pytest.mark.django_db
def test_expansion_is_chunked_resumes_after_a_crash_and_never_writes_a_person_twice(world, monkeypatch):
    people = [person(world) for _ in range(5)]
    newsletter = scheduled(world)
    monkeypatch.setattr(newsletter_send, "CHUNK", 2)
    assert _expand(max_chunks=1) == 1  # one chunk this tick: two people
    assert ScheduledMessage.objects.filter(newsletter=newsletter).count() == 2
    newsletter.refresh_from_db()
    assert newsletter.status == Newsletter.Status.SENDING and newsletter.expanded_at is None
    # A crash after the rows were written but before the progress was saved: the chunk runs again.
    Newsletter.objects.filter(pk=newsletter.pk).update(expanded_through="")
    _expand()
    _expand()
    rows = ScheduledMessage.objects.filter(newsletter=newsletter)
    assert sorted(rows.values_list("candidate_id", flat=True)) == sorted(p.pk for p in people)
    assert {(m.kind, m.purpose) for m in rows} == {(MessageKind.NEWSLETTER, purposes.NEWSLETTER)}
    assert {m.idempotency_key for m in rows} == {f"newsletter:{newsletter.pk}:{p.pk}" for p in people}
    newsletter.refresh_from_db()
    assert newsletter.expanded_at is not None


@pytest.mark.django_db
def test_nothing_is_written_before_the_newsletters_time(world):
    person(world)
    scheduled(world, at=MORNING + timedelta(days=1))
    assert _expand() == 0
    assert not ScheduledMessage.objects.filter(kind=MessageKind.NEWSLETTER).exists()


@pytest.mark.django_db
def test_consent_withdrawn_before_expansion_leaves_the_person_out(world):
    stays, leaves = person(world), person(world)
    scheduled(world)
    consent_withdraw(candidate=leaves, purpose=purposes.NEWSLETTER, evidence=PORTAL, at=MORNING - timedelta(hours=1))
    _expand()
    assert list(ScheduledMessage.objects.values_list("candidate_id", flat=True)) == [stays.pk]


@pytest.mark.django_db
def test_consent_withdrawn_between_expansion_and_sending_sends_nothing(world, smtp_server):
    reader = person(world)
    newsletter = scheduled(world)
    _expand()
    consent_withdraw(candidate=reader, purpose=purposes.NEWSLETTER, evidence=PORTAL, at=MORNING)
    # The withdrawal hook cancels it; even a row still planned is screened at send time.
    ScheduledMessage.objects.filter(newsletter=newsletter).update(status=Status.PLANNED, cancelled_reason="")
    assert dispatch_due(MORNING + timedelta(minutes=1)) == 0
    message = ScheduledMessage.objects.get(newsletter=newsletter)
    assert (message.status, message.cancelled_reason) == (Status.CANCELLED, "no_consent")
    assert smtp_server.messages == []


@pytest.mark.django_db
def test_delivered_over_real_smtp_in_the_readers_language_with_a_newsletter_only_unsubscribe(world, smtp_server):
    reader = person(world, family_name="山田", given_name="花子")
    newsletter = scheduled(world)
    _expand()
    assert dispatch_due(MORNING) == 1
    [mail] = smtp_server.messages
    assert mail["Subject"] == f"{world.org.name}からのお知らせ「新しい求人のご案内」"
    assert mail["To"] == reader.email
    text = mail.get_body(("plain",))
    assert text is not None and text.get_content_charset() == "utf-8"
    body = text.get_content()
    assert body.startswith("山田 花子 様")
    assert "/unsubscribe/?only=newsletter" in body  # the footer, always added
    assert mail["List-Unsubscribe"].endswith("/unsubscribe/?only=newsletter>")
    # The footer's link is the same page for the same person (tokens carry their issue time).
    footer_link = re.search(r"/p/([^/\s]+)/unsubscribe/\?only=newsletter", body)
    assert footer_link is not None and check_token(footer_link.group(1)).candidate == reader
    assert mail["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    message = ScheduledMessage.objects.get(newsletter=newsletter)
    assert message.status == Status.SENT and mail["Message-ID"] == message.message_id
    _expand(MORNING + timedelta(minutes=5))
    newsletter.refresh_from_db()
    assert newsletter.status == Newsletter.Status.SENT
    assert (newsletter_counts(newsletter).sent, newsletter_counts(newsletter).queued) == (1, 0)


@pytest.mark.django_db
def test_one_click_unsubscribe_stops_the_next_newsletter_but_not_job_offers(client, world, smtp_server):
    reader = person(world, consent=(purposes.NEWSLETTER, purposes.RECONTACT))
    scheduled(world)
    _expand()
    dispatch_due(MORNING)
    [mail] = smtp_server.messages
    link = mail["List-Unsubscribe"].strip("<>")
    path = link[link.index("/p/") :]
    with clock.frozen_at(MORNING + timedelta(hours=1)):
        response = client.post(path, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    later = MORNING + timedelta(days=40)
    assert not consent_allows(reader, purposes.NEWSLETTER, at=later)
    assert consent_allows(reader, purposes.RECONTACT, at=later)
    second = scheduled(world, at=later)
    _expand(later)
    assert not ScheduledMessage.objects.filter(newsletter=second).exists()


@pytest.mark.django_db
def test_the_unsubscribe_page_of_other_mail_still_stops_everything(client, world):
    from careerrelay.consent.tokens import portal_token

    reader = person(world, consent=(purposes.NEWSLETTER, purposes.RECONTACT))
    with clock.frozen_at(MORNING):
        client.post(f"/p/{portal_token(reader)}/unsubscribe/")
    assert not consent_allows(reader, purposes.NEWSLETTER, at=MORNING + timedelta(minutes=1))
    assert not consent_allows(reader, purposes.RECONTACT, at=MORNING + timedelta(minutes=1))


@pytest.mark.django_db
def test_a_newsletter_inside_the_frequency_cap_is_dropped_not_delayed(world, smtp_server):
    reader = person(world)
    ScheduledMessage.objects.create(
        org=world.org,
        candidate=reader,
        kind=MessageKind.RESCOUT_FIRST,
        purpose=purposes.RECONTACT,
        idempotency_key="earlier-rescout",
        status=Status.SENT,
        sent_at=MORNING - timedelta(days=5),
        to_email=reader.email,
        language="ja",
        subject="s",
        body="b",
    )
    newsletter = scheduled(world)
    _expand()
    assert dispatch_due(MORNING) == 0
    message = ScheduledMessage.objects.get(newsletter=newsletter)
    assert (message.status, message.cancelled_reason) == (Status.CANCELLED, "frequency_cap")
    assert newsletter_counts(newsletter).by_reason == {"frequency_cap": 1}


@pytest.mark.django_db
def test_recruiters_write_only_admins_schedule_and_cancel_stops_what_is_not_sent(world):
    person(world)
    person(world)
    with clock.frozen_at(MORNING - timedelta(hours=2)):
        with pytest.raises(PermissionDenied):
            newsletter_save(actor=actor_of(world, "viewer"), data=NewsletterInput(**TEXTS))
        draft = newsletter_save(actor=actor_of(world, "recruiter"), data=NewsletterInput(**TEXTS))
        from careerrelay.outreach.newsletters import newsletter_schedule

        with pytest.raises(PermissionDenied):
            newsletter_schedule(actor=actor_of(world, "recruiter"), newsletter_id=draft.pk)
    newsletter = scheduled(world)
    _expand()
    with clock.frozen_at(MORNING):
        newsletter_cancel(actor=actor_of(world), newsletter_id=newsletter.pk)
        with pytest.raises(Conflict):
            newsletter_save(
                actor=actor_of(world, "recruiter"), data=NewsletterInput(**TEXTS), newsletter_id=newsletter.pk
            )
    assert set(ScheduledMessage.objects.filter(newsletter=newsletter).values_list("status", "cancelled_reason")) == {
        (Status.CANCELLED, "newsletter_cancelled")
    }
    assert dispatch_due(MORNING) == 0


@pytest.mark.django_db
def test_scheduling_is_audited_with_the_recipient_count(world):
    from careerrelay.accounts.models import AuditEvent

    person(world)
    newsletter = scheduled(world)
    event = AuditEvent.objects.get(action="newsletter.scheduled", org=world.org)
    assert event.details["recipients_now"] == 1
    assert newsletter.send_at == MORNING
    assert datetime.fromisoformat(event.details["send_at"]) == MORNING.astimezone(UTC)

"""The rejection email: queued by the reject action, in the person's language, at the right time,
once; sent through a real SMTP server with the headers mail clients need."""

from __future__ import annotations

from datetime import datetime

import pytest

from careerrelay.candidates.models import RejectionReason
from careerrelay.core.clock import JST
from careerrelay.orgs.actors import Actor
from careerrelay.outreach.dispatch import dispatch_due
from careerrelay.outreach.models import MessageKind, ScheduledMessage
from careerrelay.outreach.services import template_save
from careerrelay.outreach.tests.helpers import reject, set_timing

FRIDAY_EVENING = datetime(2026, 11, 20, 18, 0, tzinfo=JST)
TUESDAY_MORNING = datetime(2026, 11, 24, 9, 30, tzinfo=JST)  # Monday the 23rd is 勤労感謝の日


@pytest.mark.django_db
def test_rejecting_queues_one_email_for_the_next_business_morning(world):
    application = reject(world, FRIDAY_EVENING)
    (message,) = ScheduledMessage.objects.filter(candidate=application.candidate)
    assert message.kind == MessageKind.REJECTION
    assert message.due_at == TUESDAY_MORNING
    assert message.to_email == "misaki.sato@example.jp"
    assert message.subject == f"【{world.org.name}】選考結果のご連絡"
    assert "佐藤 美咲 様" in message.body and "/p/" in message.body
    assert message.idempotency_key == f"rejection:{application.pk}"


@pytest.mark.django_db
def test_immediate_timing_and_english_readers(world):
    set_timing(world, "immediate")
    application = reject(world, FRIDAY_EVENING, language="en", family_name="Smith", given_name="Anna")
    message = ScheduledMessage.objects.get(candidate=application.candidate)
    assert message.due_at == FRIDAY_EVENING
    assert message.subject.startswith("Your application to")
    assert message.body.startswith("Dear Anna Smith,")


@pytest.mark.django_db
def test_the_recruiter_can_choose_not_to_send(world):
    application = reject(world, FRIDAY_EVENING, send=False)
    assert not ScheduledMessage.objects.filter(candidate=application.candidate).exists()


@pytest.mark.django_db
def test_a_reason_with_its_own_template_uses_it(world):
    admin = Actor(org=world.org, role="admin", user=world.admin)
    reason = RejectionReason.objects.get(org=world.org, code="other_department")
    template_save(
        actor=admin,
        kind=MessageKind.REJECTION,
        language="ja",
        reason_id=reason.pk,
        subject="【{company}】選考結果と、別のポジションのご案内",
        body="{candidate_name} 様\n他部署でのご活躍も考えています。\n{portal_url}\n",
    )
    application = reject(world, FRIDAY_EVENING, reason="other_department")
    message = ScheduledMessage.objects.get(candidate=application.candidate)
    assert "別のポジション" in message.subject and "他部署" in message.body


@pytest.mark.django_db
def test_the_email_arrives_once_with_message_id_and_one_click_unsubscribe(world, smtp_server):
    application = reject(world, FRIDAY_EVENING)
    assert dispatch_due(FRIDAY_EVENING) == 0  # not due before Tuesday morning
    assert dispatch_due(TUESDAY_MORNING) == 1
    assert dispatch_due(TUESDAY_MORNING) == 0
    (mail,) = smtp_server.messages
    message = ScheduledMessage.objects.get(candidate=application.candidate)
    assert message.status == ScheduledMessage.Status.SENT
    assert mail["Message-ID"] == message.message_id
    assert mail["Subject"] == f"【{world.org.name}】選考結果のご連絡"
    assert mail["To"] == "misaki.sato@example.jp"
    assert world.org.name in str(mail["From"])
    assert mail["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    # A long URL may be folded onto its own line (RFC 5322 folding white space is not part of it).
    unsubscribe = str(mail["List-Unsubscribe"]).strip()
    assert unsubscribe.startswith("<http") and unsubscribe.endswith("/unsubscribe/>")
    body = mail.get_body(preferencelist=("plain",)).get_content()
    assert "佐藤 美咲 様" in body and "キャリアリレー" in body
    assert mail.get_content_charset() == "utf-8"


@pytest.mark.django_db
def test_a_second_reject_of_the_same_application_never_queues_twice(world):
    application = reject(world, FRIDAY_EVENING)
    from careerrelay.candidates.hooks import Rejection
    from careerrelay.candidates.tests.factories import recruiter_of
    from careerrelay.outreach.rejection import queue_rejection_email

    queue_rejection_email(Rejection(application=application, actor=recruiter_of(world), send_rejection_email=True))
    assert ScheduledMessage.objects.filter(candidate=application.candidate).count() == 1

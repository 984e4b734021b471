"""Thirty days before a consent lapses, the person is asked once to renew it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from careerrelay.consent import purposes
from careerrelay.consent.services import consent_grant, consent_withdraw
from careerrelay.consent.tests.factories import PORTAL, candidate_in
from careerrelay.outreach.lifecycle import RENEWAL_NOTICE, queue_renewals
from careerrelay.outreach.models import MessageKind, ScheduledMessage

T0 = datetime(2026, 1, 10, 2, 0, tzinfo=UTC)


@pytest.mark.django_db
def test_one_renewal_request_thirty_days_before_expiry(world):
    candidate = candidate_in(world)
    grant = consent_grant(candidate=candidate, purpose=purposes.RELAY_SHARE, language="ja", evidence=PORTAL, at=T0)
    assert queue_renewals(grant.expires_at - RENEWAL_NOTICE - timedelta(days=1)) == 0
    assert queue_renewals(grant.expires_at - RENEWAL_NOTICE + timedelta(hours=1)) == 1
    assert queue_renewals(grant.expires_at - timedelta(days=10)) == 0  # asked once
    (message,) = ScheduledMessage.objects.filter(candidate=candidate, kind=MessageKind.CONSENT_RENEWAL)
    assert message.purpose == purposes.RELAY_SHARE
    assert "2028-01-10" in message.body and "/p/" in message.body


@pytest.mark.django_db
def test_no_renewal_request_after_a_withdrawal_and_a_pending_one_is_cancelled(world):
    candidate = candidate_in(world)
    grant = consent_grant(candidate=candidate, purpose=purposes.RECONTACT, language="en", evidence=PORTAL, at=T0)
    assert queue_renewals(grant.expires_at - timedelta(days=20)) == 1
    consent_withdraw(
        candidate=candidate, purpose=purposes.RECONTACT, evidence=PORTAL, at=grant.expires_at - timedelta(days=19)
    )
    message = ScheduledMessage.objects.get(candidate=candidate)
    assert (message.status, message.cancelled_reason) == (ScheduledMessage.Status.CANCELLED, "withdrawn")
    other = candidate_in(world, email="b@example.jp", phone="", family_name_kana="ベツ")
    grant = consent_grant(candidate=other, purpose=purposes.RECONTACT, language="en", evidence=PORTAL, at=T0)
    consent_withdraw(candidate=other, purpose=purposes.RECONTACT, evidence=PORTAL, at=T0 + timedelta(days=1))
    assert queue_renewals(grant.expires_at - timedelta(days=20)) == 0

"""Lever webhooks: the signature over token + triggeredAt, archive → reject, hired."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from careerrelay.candidates.models import Application
from careerrelay.candidates.services import application_record
from careerrelay.candidates.tests.factories import recruiter_of, sample_data
from careerrelay.core import clock
from careerrelay.core.worker import run_tick
from careerrelay.integrations.models import WebhookDelivery
from careerrelay.integrations.tests.helpers import lever_body, post_lever
from careerrelay.orgs.tests.factories import OrgWorld

pytestmark = pytest.mark.django_db

OPPORTUNITY = "250d8f03-738a-4bba-a671-8a3d73477145"
ARCHIVE = {
    "opportunityId": OPPORTUNITY,
    "fromArchived": None,
    "toArchived": {"archivedAt": 1700000000000, "reason": "63dd55b2-a99f-4e7b-985f-22c7bf80ab42"},
}


def known_application(world: OrgWorld) -> Application:
    return application_record(
        actor=recruiter_of(world), data=sample_data(), source="lever", external_ref=f"lever:{OPPORTUNITY}"
    )


def process() -> None:
    run_tick(clock.now(), force=True)


def test_archive_with_a_reason_rejects_the_known_application(
    client: Client, world: OrgWorld, lever_secret: str
) -> None:
    application = known_application(world)
    response = post_lever(client, world.org.slug, lever_body(lever_secret, "candidateArchiveChange", ARCHIVE))
    assert response.status_code == 200
    application.refresh_from_db()
    assert application.status == Application.Status.ACTIVE  # not before the worker runs
    process()
    application.refresh_from_db()
    assert application.status == Application.Status.REJECTED
    assert application.rejection_reason.code == "ats_other"
    assert application.rejection_note == f"Lever archive reason {ARCHIVE['toArchived']['reason']}"
    assert WebhookDelivery.objects.get(org=world.org).payload == ""


def test_hired_marks_the_application_hired(client: Client, world: OrgWorld, lever_secret: str) -> None:
    application = known_application(world)
    post_lever(client, world.org.slug, lever_body(lever_secret, "candidateHired", {"opportunityId": OPPORTUNITY}))
    process()
    application.refresh_from_db()
    assert application.status == Application.Status.HIRED


@pytest.mark.parametrize("change", ["signature", "token", "triggeredAt", "missing"])
def test_a_bad_or_missing_signature_is_401_and_changes_nothing(
    client: Client, world: OrgWorld, lever_secret: str, change: str
) -> None:
    application = known_application(world)
    body = json.loads(lever_body(lever_secret, "candidateArchiveChange", ARCHIVE))
    if change == "signature":
        body["signature"] = "0" * 64
    elif change == "missing":
        del body["signature"]
    else:
        body[change] = body[change] + (1 if change == "triggeredAt" else "x")
    response = post_lever(client, world.org.slug, json.dumps(body).encode())
    assert response.status_code == 401
    process()
    assert not WebhookDelivery.objects.exists()
    application.refresh_from_db()
    assert application.status == Application.Status.ACTIVE


def test_another_orgs_token_is_401(client: Client, world: OrgWorld, other_world: OrgWorld, lever_secret: str) -> None:
    body = lever_body(lever_secret, "candidateHired", {"opportunityId": OPPORTUNITY})
    assert post_lever(client, other_world.org.slug, body).status_code == 401
    assert not WebhookDelivery.objects.exists()


def test_a_replayed_delivery_is_acknowledged_once(client: Client, world: OrgWorld, lever_secret: str) -> None:
    known_application(world)
    body = lever_body(lever_secret, "candidateHired", {"opportunityId": OPPORTUNITY})
    assert post_lever(client, world.org.slug, body).json() == {"status": "accepted"}
    assert post_lever(client, world.org.slug, body).json() == {"status": "duplicate"}
    assert WebhookDelivery.objects.filter(org=world.org).count() == 1


def test_an_unknown_opportunity_is_skipped_with_the_reason(client: Client, world: OrgWorld, lever_secret: str) -> None:
    post_lever(client, world.org.slug, lever_body(lever_secret, "candidateArchiveChange", ARCHIVE))
    process()
    delivery = WebhookDelivery.objects.get(org=world.org)
    assert delivery.status == WebhookDelivery.Status.SKIPPED and "unknown Lever opportunity" in delivery.outcome


def test_a_body_that_is_not_json_is_401(client: Client, world: OrgWorld, lever_secret: str) -> None:
    assert post_lever(client, world.org.slug, b"not json").status_code == 401


def test_a_signed_token_replayed_with_other_data_is_not_processed_again(
    client: Client, world: OrgWorld, lever_secret: str
) -> None:
    """Lever signs only token + triggeredAt: the unsigned event and data cannot make a new delivery."""
    first = post_lever(client, world.org.slug, lever_body(lever_secret, "candidateArchiveChange", ARCHIVE))
    forged = post_lever(client, world.org.slug, lever_body(lever_secret, "candidateHired", {"opportunityId": "x"}))
    assert first.json() == {"status": "accepted"}
    assert forged.json() == {"status": "duplicate"}
    assert WebhookDelivery.objects.filter(org=world.org).count() == 1

"""The newsletter pages: a recruiter composes with a live preview and a recipient count, an admin
schedules in Japan time (stored in UTC), the status page counts the messages."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from careerrelay.api.tests.helpers import call
from careerrelay.core import clock
from careerrelay.outreach.models import Newsletter
from careerrelay.outreach.tests.newsletter_helpers import MORNING, TEXTS, person, scheduled

FORM = {**TEXTS, "prefecture": "", "skills": "", "tag": "", "reason": "", "department": "", "language": ""}


@pytest.mark.django_db
def test_a_recruiter_composes_a_draft_and_sees_the_preview_and_the_count(client, world):
    person(world, prefecture="東京")
    person(world, prefecture="大阪")
    client.force_login(world.recruiter)
    with clock.frozen_at(MORNING):
        page = client.get("/newsletters/new/")
        assert page.status_code == 200 and 'data-live-preview="/newsletters/preview/"' in page.content.decode()
        preview = client.post("/newsletters/preview/", {**FORM, "prefecture": "13"}).json()
        assert preview["recipients"] == "1"
        assert preview["subject_ja"] == f"{world.org.name}からのお知らせ「新しい求人のご案内」"
        assert preview["body_en"].startswith("Dear Hanako Yamada,")
        assert "unsubscribe/?only=newsletter" in preview["body_ja"]
        response = client.post("/newsletters/new/", {**FORM, "prefecture": "13"})
    newsletter = Newsletter.objects.get(org=world.org)
    assert response.status_code == 302 and response["Location"] == f"/newsletters/{newsletter.pk}/"
    assert (newsletter.status, newsletter.segment["prefecture"]) == (Newsletter.Status.DRAFT, "13")
    with clock.frozen_at(MORNING):
        page = client.get(f"/newsletters/{newsletter.pk}/").content.decode()
    assert f"/newsletters/{newsletter.pk}/schedule/" not in page  # no schedule form for recruiters
    # A recruiter cannot schedule it.
    with clock.frozen_at(MORNING):
        assert client.post(f"/newsletters/{newsletter.pk}/schedule/", {"send_at": ""}).status_code == 403


@pytest.mark.django_db
def test_a_missing_subject_names_the_field(client, world):
    client.force_login(world.recruiter)
    response = client.post("/newsletters/new/", {**FORM, "subject_en": ""})
    assert response.status_code == 400
    assert not Newsletter.objects.exists()


@pytest.mark.django_db
def test_an_admin_schedules_in_japan_time_and_it_is_stored_in_utc(client, world):
    client.force_login(world.admin)
    with clock.frozen_at(MORNING):
        client.post("/newsletters/new/", FORM)
        newsletter = Newsletter.objects.get(org=world.org)
        response = client.post(f"/newsletters/{newsletter.pk}/schedule/", {"send_at": "2026-07-20T10:30"})
    assert response.status_code == 302
    newsletter.refresh_from_db()
    assert newsletter.status == Newsletter.Status.SCHEDULED
    assert newsletter.send_at == datetime(2026, 7, 20, 1, 30, tzinfo=UTC)
    with clock.frozen_at(MORNING):
        page = client.get(f"/newsletters/{newsletter.pk}/").content.decode()
    assert "2026-07-20 10:30" in page  # shown back in Japan time


@pytest.mark.django_db
def test_a_time_in_the_past_is_refused(client, world):
    client.force_login(world.admin)
    with clock.frozen_at(MORNING):
        client.post("/newsletters/new/", FORM)
        newsletter = Newsletter.objects.get(org=world.org)
        client.post(f"/newsletters/{newsletter.pk}/schedule/", {"send_at": "2026-07-01T10:00"})
    newsletter.refresh_from_db()
    assert newsletter.status == Newsletter.Status.DRAFT


@pytest.mark.django_db
def test_the_list_and_status_page_count_the_messages(client, world, smtp_server):
    from careerrelay.outreach.dispatch import dispatch_due
    from careerrelay.outreach.newsletter_send import expand_due

    reader = person(world)
    person(world)
    newsletter = scheduled(world)
    expand_due(MORNING)
    dispatch_due(MORNING)
    client.force_login(world.viewer)
    with clock.frozen_at(MORNING + timedelta(minutes=5)):
        listing = client.get("/newsletters/").content.decode()
        status = client.get(f"/newsletters/{newsletter.pk}/").content.decode()
        timeline = client.get(f"/candidates/{reader.pk}/").content.decode()
    assert f"/newsletters/{newsletter.pk}/" in listing
    assert '<td data-count="sent">2</td>' in status and '<td data-count="queued">0</td>' in status
    # The candidate's page lists the newsletter like every other message.
    assert "ニュースレター" in timeline and "新しい求人のご案内" in timeline


@pytest.mark.django_db
def test_the_api_writes_schedules_in_japan_time_and_cancels(client, world):
    from careerrelay.api.tests.helpers import call

    person(world, prefecture="東京")
    body = {**TEXTS, "segment": {"prefecture": "東京都"}}
    with clock.frozen_at(MORNING):
        created = call(client, "POST", "/api/v1/newsletters", world.recruiter_key, body)
        assert created.status_code == 201, created.content
        newsletter_id = created.json()["id"]
        refused = call(client, "POST", f"/api/v1/newsletters/{newsletter_id}/schedule", world.recruiter_key, {})
        assert refused.status_code == 403
        done = call(
            client,
            "POST",
            f"/api/v1/newsletters/{newsletter_id}/schedule",
            world.admin_key,
            {"send_at": "2026-07-20T10:30:00"},
        )
        assert done.status_code == 200, done.content
        assert datetime.fromisoformat(done.json()["send_at"]) == datetime(2026, 7, 20, 1, 30, tzinfo=UTC)
        again = call(client, "POST", f"/api/v1/newsletters/{newsletter_id}/schedule", world.admin_key, {})
        assert again.status_code == 409
        listed = call(client, "GET", "/api/v1/newsletters", world.viewer_key).json()
        assert [row["id"] for row in listed["items"]] == [newsletter_id]
        cancelled = call(client, "POST", f"/api/v1/newsletters/{newsletter_id}/cancel", world.admin_key, {})
        assert cancelled.json()["status"] == "cancelled"


def test_a_nul_character_is_refused_not_a_server_error(client, world):
    """Found by the API fuzzer on PostgreSQL, which cannot store NUL in text: the API refuses it
    for every operation, and the service names the field for the pages."""
    from careerrelay.core.errors import DomainValidationError
    from careerrelay.outreach.newsletters import NewsletterInput, newsletter_save
    from careerrelay.outreach.tests.newsletter_helpers import actor_of

    body = {"subject_ja": "お知らせ", "body_ja": "本文\x00", "subject_en": "News", "body_en": "Body"}
    response = call(client, "POST", "/api/v1/newsletters", world.recruiter_key, body)
    assert response.status_code == 422
    assert response["Content-Type"].startswith("application/problem+json")
    with pytest.raises(DomainValidationError) as refused:
        newsletter_save(actor=actor_of(world, "recruiter"), data=NewsletterInput(**body))
    assert refused.value.field == "body_ja"
    assert not Newsletter.objects.filter(org=world.org).exists()

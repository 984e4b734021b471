"""Recruiter pages and API operations for consent and messages."""

from __future__ import annotations

import pytest

from careerrelay.api.tests.helpers import call
from careerrelay.candidates.models import RejectionReason
from careerrelay.consent import purposes
from careerrelay.consent.models import ConsentEvent, PolicyVersion
from careerrelay.consent.services import consent_grant, consent_withdraw
from careerrelay.consent.tests.factories import PORTAL, candidate_in
from careerrelay.outreach.models import MessageKind, MessageTemplate, ScheduledMessage
from careerrelay.outreach.selectors import purposes_of
from careerrelay.outreach.tests.tenancy import ensure_message

pytestmark = pytest.mark.django_db


def test_the_api_shows_state_and_history_with_the_text_hash(client, world):
    candidate = candidate_in(world)
    event = consent_grant(candidate=candidate, purpose=purposes.RELAY_SHARE, language="ja", evidence=PORTAL)
    body = call(client, "GET", f"/api/v1/candidates/{candidate.pk}/consents", world.viewer_key).json()
    states = {state["purpose"]: state["in_force"] for state in body["states"]}
    assert states == {"recontact": False, "newsletter": False, "relay_share": True}
    (logged,) = body["events"]
    assert logged["text_hash"] == event.text_hash and logged["policy_version"] == 1


def test_recording_consent_through_the_api_needs_evidence_and_a_recruiter(client, world):
    candidate = candidate_in(world)
    path = f"/api/v1/candidates/{candidate.pk}/consents"
    missing = call(client, "POST", path, world.recruiter_key, {"purpose": "recontact", "granted": True})
    assert missing.status_code == 422 and missing["Content-Type"] == "application/problem+json"
    viewer = call(client, "POST", path, world.viewer_key, {"purpose": "recontact", "granted": True, "evidence": "紙"})
    assert viewer.status_code == 403
    made = call(client, "POST", path, world.recruiter_key, {"purpose": "recontact", "granted": True, "evidence": "紙"})
    assert made.status_code == 201
    assert ConsentEvent.objects.get(candidate=candidate).channel == "api"


def test_the_messages_list_filters_by_candidate_and_refuses_another_orgs(client, world, other_world):
    mine = ensure_message(world)
    ensure_message(other_world)
    body = call(client, "GET", f"/api/v1/messages?candidate={mine.candidate_id}", world.viewer_key).json()
    assert [item["id"] for item in body["items"]] == [str(mine.pk)]
    theirs = ensure_message(other_world).candidate_id
    assert call(client, "GET", f"/api/v1/messages?candidate={theirs}", world.viewer_key).status_code == 404


def test_an_admin_edits_a_template_with_a_preview(client, world):
    client.force_login(world.admin)
    template = MessageTemplate.objects.get(org=world.org, kind=MessageKind.REJECTION, language="ja", reason=None)
    page = client.get(f"/settings/messages/{template.pk}/").content.decode()
    assert "山田 花子 様" in page  # the preview's sample person
    preview = client.post(
        f"/settings/messages/{template.pk}/preview/", {"subject": "【{company}】ご連絡", "body": "{candidate_name} 様"}
    ).json()
    assert preview == {"subject": f"【{world.org.name}】ご連絡", "body": "山田 花子 様"}
    refused = client.post(f"/settings/messages/{template.pk}/", {"subject": "x", "body": "リンクなし"})
    assert refused.status_code == 400 and "{portal_url}" in refused.content.decode()
    saved = client.post(f"/settings/messages/{template.pk}/", {"subject": "件名", "body": "本文 {portal_url}"})
    assert saved.status_code == 302
    template.refresh_from_db()
    assert (template.subject, template.body) == ("件名", "本文 {portal_url}")


def test_recruiters_cannot_change_templates(client, world):
    client.force_login(world.recruiter)
    template = MessageTemplate.objects.filter(org=world.org).first()
    response = client.post(f"/settings/messages/{template.pk}/", {"subject": "x", "body": "{portal_url}"})
    assert response.status_code == 403
    template.refresh_from_db()
    assert template.subject != "x"


def test_a_template_for_another_orgs_reason_is_refused(client, world, other_world):
    client.force_login(world.admin)
    theirs = RejectionReason.objects.filter(org=other_world.org).first()
    response = client.post("/settings/messages/new/", {"reason_id": str(theirs.pk), "language": "ja"})
    assert response.status_code == 302
    assert not MessageTemplate.objects.filter(reason=theirs).exists()
    assert not MessageTemplate.objects.filter(org=world.org, reason__isnull=False).exists()


def test_a_reason_template_starts_from_the_default(client, world):
    client.force_login(world.admin)
    reason = RejectionReason.objects.get(org=world.org, code="timing")
    response = client.post("/settings/messages/new/", {"reason_id": str(reason.pk), "language": "en"})
    created = MessageTemplate.objects.get(org=world.org, reason=reason, language="en")
    assert response.status_code == 302 and response.url.endswith(f"/settings/messages/{created.pk}/")
    assert created.subject == "Your application to {company}"


def test_saving_policy_texts_after_use_makes_a_new_version(client, world):
    client.force_login(world.admin)
    consent_grant(candidate=candidate_in(world), purpose=purposes.RECONTACT, language="ja", evidence=PORTAL)
    form = client.get("/settings/privacy-policy/").context["form"]
    data = {name: form.initial[name] for name in form.fields}
    data["notice_en"] += " We updated this text."
    assert client.post("/settings/privacy-policy/", data).status_code == 302
    assert list(PolicyVersion.objects.filter(org=world.org).values_list("number", flat=True)) == [2, 1]


def test_the_outbox_warns_about_uncertain_messages(client, world):
    message = ensure_message(world)
    ScheduledMessage.objects.filter(pk=message.pk).update(status=ScheduledMessage.Status.UNCERTAIN)
    client.force_login(world.recruiter)
    html = client.get("/outbox/").content.decode()
    assert 'role="alert"' in html and message.subject in html


def test_recording_consent_on_the_candidate_page(client, world):
    candidate = candidate_in(world)
    client.force_login(world.recruiter)
    client.post(
        f"/candidates/{candidate.pk}/consents/",
        {"purpose": "newsletter", "granted": "1", "evidence": "展示会のフォーム"},
    )
    event = ConsentEvent.objects.get(candidate=candidate)
    assert (event.purpose, event.channel, event.evidence) == ("newsletter", "recruiter", "展示会のフォーム")
    html = client.get(f"/candidates/{candidate.pk}/").content.decode()
    assert "展示会のフォーム" in html


def test_each_disclosure_the_person_was_asked_about_is_listed_once(world, other_world):
    candidate = candidate_in(world)
    to_other = purposes.disclose(other_world.org.pk)
    consent_grant(candidate=candidate, purpose=to_other, language="ja", evidence=PORTAL)
    consent_withdraw(candidate=candidate, purpose=to_other, evidence=PORTAL)
    consent_grant(candidate=candidate, purpose=to_other, language="en", evidence=PORTAL)
    assert purposes_of(candidate) == [*purposes.FIXED, to_other]

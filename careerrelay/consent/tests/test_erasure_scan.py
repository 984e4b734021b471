"""The erasure test the consent issue asks for: fill every table for a person through the
product's own entry points, erase, then scan every text and JSON column of every table for their
name (kanji and kana), email and phone. Nothing may be found; the figures must still add up."""

from __future__ import annotations

import copy
import io
import json
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from django.test import Client

from careerrelay.api.tests.helpers import call
from careerrelay.candidates.data import CandidateData
from careerrelay.candidates.imports.jobs import import_job_create, import_job_run
from careerrelay.candidates.merging import candidates_merge
from careerrelay.candidates.models import Application, Candidate, Evaluation, ExternalId, ImportJob, RejectionReason
from careerrelay.candidates.services import application_record, candidate_reject, evaluation_add
from careerrelay.candidates.tests.factories import recruiter_of, sample_data
from careerrelay.consent import purposes
from careerrelay.consent.erasure import carry_out_erasures
from careerrelay.consent.models import ConsentEvent, ErasureRequest, SharingBlock
from careerrelay.consent.services import consent_grant, consent_record, sharing_blocks_set
from careerrelay.consent.tests.factories import PORTAL
from careerrelay.consent.tests.scan import PERSON, TERMS, find, scanned_columns
from careerrelay.core import clock, ratelimit
from careerrelay.integrations.deliveries import process_due
from careerrelay.integrations.models import Provider, WebhookDelivery
from careerrelay.integrations.services import endpoint_create
from careerrelay.integrations.tests.helpers import fixture, post_greenhouse
from careerrelay.orgs.actors import Actor, system_actor
from careerrelay.orgs.tests.factories import OrgWorld
from careerrelay.outreach.models import ScheduledMessage, Suppression

pytestmark = pytest.mark.django_db

T0 = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)
GREENHOUSE_ID = 60304594


@pytest.fixture(autouse=True)
def _frozen() -> Iterator[None]:
    with clock.frozen_at(T0):
        yield


def _greenhouse(name: str, **candidate: object) -> bytes:
    body = copy.deepcopy(fixture(f"greenhouse/{name}.json"))
    if name == "delete_candidate":
        body["payload"]["person"]["id"] = GREENHOUSE_ID
    else:
        body["payload"]["application"]["candidate"].update(candidate)
    return json.dumps(body, ensure_ascii=False).encode()


def _greenhouse_person() -> dict[str, object]:
    return {
        "id": GREENHOUSE_ID,
        "first_name": "千尋",
        "last_name": "綾瀬",
        "title": "バックエンドエンジニア",
        "email_addresses": [{"value": PERSON["email"], "type": "personal"}],
        "phone_numbers": [{"value": "090-8765-4321", "type": "mobile"}],
        "addresses": [{"value": "東京都渋谷区1-2-3 綾瀬千尋方", "type": "home"}],
    }


def fill_every_table(client: Client, world: OrgWorld) -> Candidate:
    """The person arrives from Greenhouse, is updated through the API (with an Idempotency-Key),
    applies, is evaluated and rejected with notes naming her, is merged with a duplicate, consents
    in the portal and through a recruiter with written evidence, blocks a company, is imported from
    a CSV file named after her, and a last webhook about her waits unprocessed."""
    recruiter = recruiter_of(world)
    secret = endpoint_create(actor=system_actor(world.org), provider=Provider.GREENHOUSE)[1]
    body = _greenhouse("new_candidate_application", **_greenhouse_person())
    assert post_greenhouse(client, world.org.slug, body, secret=secret).status_code == 200
    process_due(T0)
    person = Candidate.objects.get(org=world.org, email=PERSON["email"])
    api_body = {"family_name_kana": "あやせ", "given_name_kana": "ちひろ", "email": PERSON["email"], "city": "渋谷区"}
    response = call(client, "POST", "/api/v1/candidates", world.admin_key, api_body, idempotency_key="k-1")
    assert response.status_code == 200, response.content
    application = application_record(actor=recruiter, data=CandidateData(email=PERSON["email"]), source="test")
    evaluation_add(
        actor=recruiter,
        application_id=application.pk,
        interviewer="面接官",
        stage="1次",
        scores={"技術": 4},
        comment="綾瀬千尋さんは設計の説明が丁寧。連絡先 chihiro.ayase@example.jp",
    )
    reason = RejectionReason.objects.filter(org=world.org, kind=RejectionReason.Kind.WE_REJECTED).first()
    assert reason is not None
    candidate_reject(
        actor=recruiter,
        application_id=application.pk,
        reason_id=reason.pk,
        evaluation_summary="綾瀬さん：技術力は十分",
        note="チヒロさんへ 090-8765-4321 で電話済み",
        rescout_eligible=True,
    )
    twin = application_record(
        actor=recruiter,
        data=CandidateData(family_name="綾瀬", given_name="千尋", email="c.ayase@old-mail.example.jp"),
        source="test",
    ).candidate
    candidates_merge(actor=recruiter, survivor_id=person.pk, merged_id=twin.pk)
    consent_grant(candidate=person, purpose=purposes.RECONTACT, language="ja", evidence=PORTAL, at=T0)
    consent_record(
        actor=Actor(org=world.org, role="recruiter", user=world.recruiter, ip="192.0.2.10"),
        candidate_id=person.pk,
        purpose=purposes.NEWSLETTER,
        granted=True,
        evidence_note="綾瀬千尋様の署名入り同意書（2026年3月、chihiro.ayase@example.jp から受領）",
    )
    sharing_blocks_set(candidate=person, org_ids=[], names=["綾瀬千尋の前職の会社"])
    csv = "氏名,メールアドレス,電話番号\n綾瀬 千尋,chihiro.ayase@example.jp,090-8765-4321\n"
    job = import_job_create(actor=recruiter, upload=io.BytesIO(csv.encode("utf-8")), file_name="綾瀬千尋_応募.csv")
    assert import_job_run(job).status == ImportJob.Status.SUCCEEDED
    ratelimit.hit(f"portal-link:{PERSON['email']}", limit=3, window_seconds=3600)
    # The rejection above queued the rejection email (outreach); her address once bounced.
    assert ScheduledMessage.objects.filter(candidate=person, to_email=PERSON["email"]).exists()
    Suppression.objects.create(
        org=world.org, email=PERSON["email"], reason="bounce", detail=f"550 5.1.1 <{PERSON['email']}>: unknown"
    )
    delete = _greenhouse("delete_candidate")
    assert post_greenhouse(client, world.org.slug, delete, secret=secret).status_code == 200
    process_due(T0)
    updated = _greenhouse("application_updated", **_greenhouse_person())
    assert post_greenhouse(client, world.org.slug, updated, secret=secret).status_code == 200
    return person


def _figures(world: OrgWorld) -> dict[str, object]:
    return {
        "applications": sorted(
            Application.objects.filter(org=world.org).values_list(
                "id", "status", "stage", "applied_at", "closed_at", "rejection_reason", "rescout_eligible"
            )
        ),
        "evaluations": sorted(Evaluation.objects.filter(org=world.org).values_list("id", "overall", "recommendation")),
        "consents": sorted(ConsentEvent.objects.filter(org=world.org).values_list("id", "purpose", "kind")),
        "candidates": Candidate.objects.filter(org=world.org).count(),
    }


def test_after_erasure_no_table_holds_the_persons_name_email_or_phone(
    client: Client, world: OrgWorld, other_world: OrgWorld
) -> None:
    bystander = application_record(
        actor=recruiter_of(world),
        data=sample_data(family_name="小野寺", given_name="一郎", email="ichiro@example.jp"),
        source="test",
    ).candidate
    person = fill_every_table(client, world)
    # The scan sees the person in many tables before the erasure (so it can see at all).
    before = find(TERMS)
    tables = {hit.split(".")[0] + "." + hit.split(".")[1] for hit in before}
    assert {
        "candidates.candidate",
        "candidates.application",
        "candidates.evaluation",
        "candidates.mergerecord",
        "candidates.importjob",
        "consent.consentevent",
        "consent.sharingblock",
        "accounts.auditevent",
        "api.idempotencyrecord",
        "integrations.webhookdelivery",
        "core.ratecounter",
        "outreach.scheduledmessage",
        "outreach.suppression",
    } <= tables
    assert ExternalId.objects.filter(candidate=person).exists()
    assert ConsentEvent.objects.filter(candidate=person, ip__isnull=False).exists()
    request = ErasureRequest.objects.get(candidate=person)
    assert (request.channel, request.status) == (ErasureRequest.Channel.ATS_WEBHOOK, ErasureRequest.Status.PENDING)
    figures = _figures(world)

    assert carry_out_erasures(T0) == 1

    assert find(TERMS) == []
    person.refresh_from_db()
    request.refresh_from_db()
    assert person.erased_at == T0 and request.status == ErasureRequest.Status.DONE
    assert Candidate.objects.get(email="", family_name="", merged_into=person).erased_at == T0  # the twin
    assert not ExternalId.objects.filter(candidate=person).exists()
    assert not SharingBlock.objects.filter(candidate=person).exists()
    assert not ConsentEvent.objects.filter(candidate=person, ip__isnull=False).exists()
    # The pending webhook that would have brought her back is skipped, not applied later.
    assert not WebhookDelivery.objects.filter(org=world.org, status=WebhookDelivery.Status.PENDING).exists()
    assert process_due(T0) == 0
    # Anonymous figures are unchanged; the bystander and the other org are untouched.
    assert _figures(world) == figures
    bystander.refresh_from_db()
    assert (bystander.family_name, bystander.email, bystander.erased_at) == ("小野寺", "ichiro@example.jp", None)


def test_the_scan_covers_every_installed_model() -> None:
    scanned = {model._meta.label_lower for model, _names in scanned_columns()}
    assert {
        "candidates.candidate",
        "accounts.auditevent",
        "accounts.systememail",
        "integrations.webhookdelivery",
        "consent.consentevent",
        "api.idempotencyrecord",
        "sessions.session",
    } <= scanned

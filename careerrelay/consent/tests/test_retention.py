"""Retention: who is due (without consent: months after the last application ended; with consent:
months after the last contact; never with an open application), the daily run, the settings."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.db.models import Value
from django.test import Client

from careerrelay.accounts.models import AuditEvent
from careerrelay.candidates.data import CandidateData
from careerrelay.candidates.models import Candidate, RejectionReason
from careerrelay.candidates.services import application_record, candidate_reject, candidate_upsert
from careerrelay.candidates.tests.factories import recruiter_of
from careerrelay.consent import hooks, purposes
from careerrelay.consent.erasure import carry_out_erasures
from careerrelay.consent.models import ErasureRequest
from careerrelay.consent.retention import retention_apply, retention_due
from careerrelay.consent.services import consent_grant
from careerrelay.consent.settings import consent_settings_save, for_org
from careerrelay.consent.tests.factories import PORTAL
from careerrelay.core import clock
from careerrelay.core.dates import add_months
from careerrelay.core.errors import DomainValidationError, PermissionDenied
from careerrelay.orgs.actors import Actor
from careerrelay.orgs.tests.factories import OrgWorld
from careerrelay.outreach.dispatch import dispatch_due

pytestmark = pytest.mark.django_db

NOW = datetime(2027, 6, 15, 0, 0, tzinfo=UTC)


def months_ago(months: int) -> datetime:
    return add_months(NOW, -months)


def _admin(world: OrgWorld) -> Actor:
    return Actor(org=world.org, role="admin", user=world.admin, ip="192.0.2.1")


def _settings(world: OrgWorld, **changes: object) -> None:
    values = {**vars(for_org(world.org)), **changes}
    consent_settings_save(actor=_admin(world), **values)  # type: ignore[arg-type]


def person(world: OrgWorld, name: str, *, rejected: int | None = None, applied: int | None = None) -> Candidate:
    """A person entered the pool `applied` months ago (with an application) and, if `rejected`
    is given, was rejected that many months ago."""
    recruiter = recruiter_of(world)
    data = CandidateData(family_name=name, email=f"{name}@example.jp")
    with clock.frozen_at(months_ago(applied if applied is not None else rejected or 0)):
        if applied is None and rejected is None:
            return candidate_upsert(actor=recruiter, data=data, source="test").candidate
        application = application_record(actor=recruiter, data=data, source="test")
    if rejected is not None:
        reason = RejectionReason.objects.filter(org=world.org, kind="we_rejected").first()
        assert reason is not None
        with clock.frozen_at(months_ago(rejected)):
            candidate_reject(actor=recruiter, application_id=application.pk, reason_id=reason.pk)
    return application.candidate


def grant(candidate: Candidate, months: int) -> None:
    consent_grant(
        candidate=candidate, purpose=purposes.RECONTACT, language="ja", evidence=PORTAL, at=months_ago(months)
    )


def due_names(world: OrgWorld) -> set[str]:
    return set(retention_due(org=world.org, at=NOW).values_list("family_name", flat=True))


def test_without_consent_people_are_due_six_months_after_their_last_application_ended(world: OrgWorld) -> None:
    person(world, "seven", applied=8, rejected=7)
    person(world, "five", applied=8, rejected=5)
    person(world, "pool-only", applied=None, rejected=None)  # entered the pool now
    with clock.frozen_at(months_ago(7)):
        candidate_upsert(
            actor=recruiter_of(world), data=CandidateData(family_name="old-pool", email="op@example.jp"), source="t"
        )
    assert due_names(world) == {"seven", "old-pool"}
    _settings(world, retention_months_without_consent=4)
    assert due_names(world) == {"seven", "five", "old-pool"}


def test_an_open_application_is_never_erased(world: OrgWorld) -> None:
    person(world, "open-for-years", applied=40)
    assert due_names(world) == set()


def test_with_consent_the_last_contact_counts_and_24_months(world: OrgWorld) -> None:
    _settings(world, consent_months=60)
    consenting = person(world, "consenting", applied=30, rejected=26)
    grant(consenting, 25)
    renewed = person(world, "renewed", applied=30, rejected=26)
    grant(renewed, 25)
    grant(renewed, 1)  # a later consent event is a contact
    recent = person(world, "recent", applied=10, rejected=8)
    grant(recent, 8)  # consent in force: the 6-month rule does not apply
    assert due_names(world) == {"consenting"}
    due = retention_due(org=world.org, at=NOW).get()
    assert due.consented is True and due.last_contact == months_ago(25)


def test_an_expired_consent_is_no_consent(world: OrgWorld) -> None:
    lapsed = person(world, "lapsed", applied=30, rejected=26)
    grant(lapsed, 25)  # default 24 months: expired a month ago
    assert due_names(world) == {"lapsed"}
    assert retention_due(org=world.org, at=NOW).get().consented is False


def test_a_registered_contact_source_moves_the_last_contact(world: OrgWorld, monkeypatch: pytest.MonkeyPatch) -> None:
    _settings(world, consent_months=60)
    messaged = person(world, "messaged", applied=30, rejected=26)
    grant(messaged, 25)
    assert due_names(world) == {"messaged"}
    monkeypatch.setattr(hooks, "_contact_sources", [lambda: Value(months_ago(2))])
    assert due_names(world) == set()


def test_a_message_sent_is_a_contact(world: OrgWorld, smtp_server: object) -> None:
    _settings(world, consent_months=60, rejection_email_timing="immediate")
    recruiter = recruiter_of(world)
    with clock.frozen_at(months_ago(30)):
        application = application_record(
            actor=recruiter, data=CandidateData(family_name="mailed", email="mailed@example.jp"), source="t"
        )
    grant(application.candidate, 27)
    reason = RejectionReason.objects.filter(org=world.org, kind="we_rejected").first()
    assert reason is not None
    with clock.frozen_at(months_ago(26)):
        candidate_reject(actor=recruiter, application_id=application.pk, reason_id=reason.pk)
    assert due_names(world) == {"mailed"}
    with clock.frozen_at(months_ago(3)):
        assert dispatch_due(months_ago(3)) == 1  # the rejection email goes out (late) through SMTP
    assert due_names(world) == set()


def test_the_daily_run_requests_erasure_through_the_one_path(world: OrgWorld, other_world: OrgWorld) -> None:
    gone = person(world, "gone", applied=9, rejected=8)
    person(other_world, "elsewhere", applied=3, rejected=2)
    with clock.frozen_at(NOW):
        assert retention_apply(NOW) == 1
        assert retention_apply(NOW) == 0  # already requested
    request = ErasureRequest.objects.get()
    assert (request.candidate, request.channel, request.requested_by) == (gone, "retention", "retention")
    carry_out_erasures(NOW)
    gone.refresh_from_db()
    assert gone.erased_at == NOW and gone.family_name == ""
    assert due_names(world) == set()


def test_settings_are_for_admins_checked_and_audited(world: OrgWorld) -> None:
    recruiter = recruiter_of(world)
    with pytest.raises(PermissionDenied):
        consent_settings_save(
            actor=recruiter,
            consent_months=12,
            retention_months_without_consent=6,
            retention_months_with_consent=24,
            rejection_email_timing="immediate",
            rejection_email_for_ats=True,
        )
    with pytest.raises(DomainValidationError) as error:
        _settings(world, retention_months_with_consent=0)
    assert error.value.field == "retention_months_with_consent"
    with pytest.raises(DomainValidationError) as error:
        _settings(world, rejection_email_timing="midnight")
    assert error.value.field == "rejection_email_timing"
    _settings(world, consent_months=12, rejection_email_timing="immediate", rejection_email_for_ats=False)
    world.org.refresh_from_db()
    saved = for_org(world.org)
    assert (saved.consent_months, saved.rejection_email_timing, saved.rejection_email_for_ats) == (
        12,
        "immediate",
        False,
    )
    event = AuditEvent.objects.get(action="consent.settings_saved")
    assert event.details["from"]["consent_months"] == 24 and event.details["to"]["consent_months"] == 12


def test_the_privacy_page_shows_who_is_due_and_saves_the_settings(client: Client, world: OrgWorld) -> None:
    person(world, "zzdue", applied=30, rejected=20)
    client.force_login(world.admin)
    html = client.get("/settings/privacy/").content.decode()
    assert "zzdue" in html and 'name="retention_months_without_consent" value="6"' in html
    form = {
        "consent_months": "18",
        "retention_months_without_consent": "3",
        "retention_months_with_consent": "36",
        "rejection_email_timing": "immediate",
    }
    assert client.post("/settings/privacy/", {**form, "consent_months": "0"}).status_code == 400
    assert client.post("/settings/privacy/", form).status_code == 302
    world.org.refresh_from_db()
    saved = for_org(world.org)
    assert saved.retention_months_with_consent == 36 and saved.rejection_email_for_ats is False
    client.force_login(world.recruiter)
    assert client.get("/settings/privacy/").status_code == 403

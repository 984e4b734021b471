from __future__ import annotations

import uuid
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.test import Client

from careerrelay.accounts.models import AuditEvent, User
from careerrelay.candidates.models import Application, Evaluation
from careerrelay.consent.models import ConsentEvent
from careerrelay.core import clock
from careerrelay.demo.seed import DEMO_PASSWORD, DEMO_RECRUITER, HISTORY_DAYS, HISTORY_START, seed_demo
from careerrelay.orgs.models import ApiKey, Membership, Organization

pytestmark = pytest.mark.django_db


SMALL = 0.03  # 3% of the hiring history: the same shapes, seconds instead of half a minute


class _Rollback(Exception):
    pass


def _fingerprint() -> list[tuple[object, ...]]:
    """Everything the seed decides, without the random ids and secrets."""
    users = User.objects.order_by("email").values_list(
        "email", "family_name", "given_name", "family_name_kana", "given_name_kana", "date_joined"
    )
    orgs = Organization.objects.order_by("slug").values_list(
        "slug", "name", "kind", "placement_licence_number", "settings", "created_at"
    )
    members = Membership.objects.order_by("org__slug", "user__email").values_list(
        "org__slug", "user__email", "role", "accepted_at", "created_at"
    )
    keys = ApiKey.objects.order_by("org__slug", "created_at").values_list(
        "org__slug", "name", "role", "created_at", "revoked_at"
    )
    events = AuditEvent.objects.order_by(
        "at", "org__slug", "action", "object_type", "actor_label", "object_label"
    ).values_list("org__slug", "action", "actor_label", "object_type", "at", "details")
    # Events with equal sort keys come back in storage order, which earlier tests can change on
    # PostgreSQL; sorting by content keeps the comparison about what the seed decided.
    stable_events = sorted(((*event[:-1], _without_ids(event[-1])) for event in events), key=repr)
    return [*map(tuple, users), *map(tuple, orgs), *map(tuple, members), *map(tuple, keys), *stable_events]


def _without_ids(details: dict[str, object]) -> dict[str, object]:
    """Ids are random by design (UUIDv7); everything else the seed writes must repeat."""

    def stable(value: object) -> object:
        try:
            uuid.UUID(str(value))
        except ValueError:
            return value
        return "<id>"

    return {key: stable(value) for key, value in details.items()}


def test_the_demo_network_is_deterministic(db: None) -> None:
    try:
        with transaction.atomic():
            seed_demo(scale=SMALL)
            first = _fingerprint()
            raise _Rollback
    except _Rollback:
        pass
    assert not Organization.objects.exists()
    seed_demo(scale=SMALL)
    assert _fingerprint() == first


def test_the_demo_network_has_the_articles_shape(db: None) -> None:
    seed_demo(scale=SMALL)
    kinds = sorted(Organization.objects.values_list("kind", flat=True))
    assert kinds == ["agency", "employer", "employer", "employer", "employer", "operator"]
    agency = Organization.objects.get(kind="agency")
    assert agency.placement_licence_number == "27-ユ-301234"
    venture = Organization.objects.get(slug="miraitech")
    assert venture.settings["profile"]["annual_applications"] >= 500
    assert venture.settings["profile"]["prefecture"] == "東京都"
    assert "Python" in venture.settings["profile"]["key_skills"]
    recruiter = User.objects.get(email=DEMO_RECRUITER)
    assert recruiter.check_password(DEMO_PASSWORD)
    assert Membership.objects.filter(user=recruiter).count() == 2
    assert not Membership.objects.filter(accepted_at__isnull=True).exists()  # every invitation was accepted
    staff = User.objects.exclude(family_name_kana="")
    assert staff.count() == User.objects.count()
    assert all("\u30a0" <= ch <= "\u30ff" for user in staff for ch in user.family_name_kana)
    events = AuditEvent.objects.order_by("at")
    assert events.first().at >= HISTORY_START  # type: ignore[union-attr]
    assert (events.last().at - events.first().at).days > 540  # type: ignore[union-attr]
    assert ApiKey.objects.filter(revoked_at__isnull=False).count() == 6
    # The worker's first retention run leaves the demo's two years of people in place.
    from careerrelay.consent.retention import retention_due

    assert not retention_due(org=venture, at=clock.now()).exists()
    # Some rejected people answered the rejection email and opted in, from their own page.
    opted_in = ConsentEvent.objects.filter(kind="granted", channel="portal")
    assert opted_in.filter(purpose="relay_share").exists() and opted_in.filter(purpose="recontact").exists()


def test_seed_demo_twice_changes_nothing(db: None) -> None:
    call_command("seed_demo", "--scale", str(SMALL), stdout=StringIO())
    before = _fingerprint()
    out = StringIO()
    call_command("seed_demo", "--scale", str(SMALL), stdout=out)
    assert "already loaded" in out.getvalue()
    assert _fingerprint() == before


def test_the_command_line_creates_an_org_a_user_and_a_working_key(
    client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    call_command("org", "create", "kaisha", "--name", "株式会社カイシャ", "--kind", "employer", stdout=StringIO())
    monkeypatch.setenv("CAREERRELAY_PASSWORD", "a sturdy passphrase")
    call_command("user", "create", "boss@kaisha.jp", "--org", "kaisha", "--role", "admin", stdout=StringIO())
    out = StringIO()
    call_command("apikey", "create", "--org", "kaisha", "--name", "ATS", stdout=out)
    key = out.getvalue().strip()
    response = client.get("/api/v1/members", HTTP_AUTHORIZATION=f"Bearer {key}")
    assert response.status_code == 200
    assert [item["user"]["email"] for item in response.json()["items"]] == ["boss@kaisha.jp"]
    assert User.objects.get(email="boss@kaisha.jp").check_password("a sturdy passphrase")


def test_the_command_line_names_the_bad_argument(db: None) -> None:
    with pytest.raises(CommandError, match="--licence"):
        call_command("org", "create", "agent", "--name", "エージェント", "--kind", "agency")
    with pytest.raises(CommandError, match="No organisation with the slug 'nope'"):
        call_command("apikey", "create", "--org", "nope")
    with pytest.raises(CommandError, match="No organisation"):
        call_command("user", "create", "a@b.jp", "--org", "nope", "--role", "admin", "--no-password")


def test_seeded_history_uses_the_pinned_clock(db: None) -> None:
    seed_demo(scale=SMALL)
    assert not AuditEvent.objects.filter(at__gt=clock.now()).exists()
    assert Organization.objects.filter(created_at__lt=HISTORY_START.replace(year=2025)).count() == 6


def test_the_full_history_has_the_articles_volumes(db: None) -> None:
    """The venture (case A) receives about 500 applications and hires about 20 people a year."""
    report = seed_demo()
    venture = Organization.objects.get(slug="miraitech")
    applications = Application.objects.filter(org=venture)
    years = (HISTORY_DAYS - 30) / 365
    assert 450 <= applications.count() / years <= 560
    assert 12 <= applications.filter(status="hired").count() / years <= 30
    assert applications.filter(is_reapplication=True).exists()
    assert Evaluation.objects.filter(org=venture).exists()
    assert applications.filter(status="rejected", rescout_eligible=True).exists()
    assert report.applications == Application.objects.count()
    # The relay (case B): the manufacturer shared 100 people; 8 were hired by partner companies
    # (the agency and two employers) and it has earned 3 free referral slots — the hires whose
    # guarantee period has passed; the 5 recent ones are pending.
    from careerrelay.relay.models import Placement, SharedProfile
    from careerrelay.relay.selectors import balances

    manufacturer = Organization.objects.get(slug="towa-seiki")
    assert SharedProfile.objects.filter(org=manufacturer, published_at__isnull=False).count() == 100
    placed = Placement.objects.filter(source_org=manufacturer).exclude(status="reversed")
    assert placed.count() == report.hires_through_relay == 8
    assert {p.org.slug for p in placed} == {"jinzai-bridge", "soranote", "hikari-shoji"}
    slots = balances(org=manufacturer)
    assert sum(b.available for b in slots) == 3 and sum(b.pending for b in slots) == 5
    # Case A on the dashboard: re-application rises from about 8% to about 22% once re-scouting starts.
    from datetime import date

    from careerrelay.analytics.aggregate import update_org
    from careerrelay.analytics.dashboard import dashboard

    # Cohorts rejected well before re-scouting began (their 12 months ended before it could
    # reach them) against cohorts rejected after it began and old enough to have answered.
    update_org(venture, clock.now())
    before = dashboard(org=venture, since=date(2024, 12, 1), until=date(2025, 4, 1), split=date(2025, 11, 1)).before
    after = dashboard(org=venture, since=date(2025, 11, 1), until=date(2026, 5, 1), split=date(2025, 11, 1)).after
    assert before is not None and after is not None
    assert 0.04 <= (before.value or 0) <= 0.12, before
    assert 0.16 <= (after.value or 0) <= 0.32, after
    # Case B on the manufacturer's dashboard: 100 shared, 8 hired elsewhere.
    update_org(manufacturer, clock.now())
    funnel = dashboard(org=manufacturer, since=date(2024, 11, 1), until=date(2026, 12, 1)).relay_funnel
    assert (funnel["shared"], funnel["hired"]) == (100, 8)
    assert funnel["shared"] > funnel["viewed"] > funnel["requested"] == 15

"""The dashboard page, its CSV, the API, the command line and the operator's network view."""

from __future__ import annotations

import json
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command

from careerrelay.analytics.aggregate import update_org
from careerrelay.analytics.models import CostEntry
from careerrelay.analytics.network import network_dashboard
from careerrelay.analytics.tests.test_aggregate import _random_history
from careerrelay.api.tests.helpers import call
from careerrelay.candidates.tests.factories import recruiter_of
from careerrelay.core import clock
from careerrelay.core.errors import NotFound
from careerrelay.relay import sharing
from careerrelay.relay.tests.factories import make_relay, rejected_with_consent

pytestmark = pytest.mark.django_db


def test_the_dashboard_shows_the_figures_in_japanese_with_charts(client, world):
    _random_history(world, 4)
    update_org(world.org, clock.now())
    client.force_login(world.admin)
    html = client.get("/analytics/", {"since": "2024-01", "until": "2026-12", "split": "2025-01-01"}).content.decode()
    assert "再応募率" in html and "<svg" in html and 'role="img"' in html
    assert 'data-figure="before"' in html and 'data-figure="after"' in html
    csv = client.get("/analytics/", {"since": "2024-01", "until": "2026-12", "format": "csv"})
    assert csv["Content-Type"].startswith("text/csv") and "reapplication_rate" in csv.content.decode("utf-8-sig")


def test_costs_give_cost_per_hire_and_slots_give_cost_saved(client, world):
    client.force_login(world.admin)
    client.post(
        "/analytics/costs/", {"month": "2026-04", "kind": "agency_fee", "channel": "agency", "amount_yen": "3000000"}
    )
    client.post("/analytics/agency-fee/", {"agency_fee_yen": "900000"})
    assert CostEntry.objects.get(org=world.org).amount_yen == 3_000_000
    body = call(client, "GET", "/api/v1/metrics?since=2026-01&until=2026-12", world.viewer_key).json()
    assert {"channel": "agency", "cost_yen": 3_000_000, "hires": 0, "cost_per_hire_yen": None} in body["cost_per_hire"]
    world.org.refresh_from_db()
    assert world.org.settings["analytics"]["agency_fee_yen"] == 900_000
    client.force_login(world.recruiter)
    refused = client.post(
        "/analytics/costs/", {"month": "2026-05", "kind": "job_ads", "channel": "ads", "amount_yen": "1"}
    )
    assert refused.status_code == 403 and CostEntry.objects.count() == 1


def test_the_command_line_prints_json(world):
    _random_history(world, 5)
    out = StringIO()
    call_command(
        "metrics",
        "--org",
        world.org.slug,
        "--json",
        "--refresh",
        "--since",
        "2024-01",
        "--until",
        "2026-12",
        stdout=out,
    )
    figures = json.loads(out.getvalue())
    assert figures["since"] == "2024-01" and figures["reapplication_rate"]


def test_the_network_view_suppresses_small_cells(world):
    relay = make_relay(world, k=2)
    for n in range(6):
        rejected_with_consent(world, n)
    sharing.share_all_eligible(actor=recruiter_of(world), network_id=relay.network.pk)
    _network, rows, totals = network_dashboard(org=relay.operator.org, network_id=relay.network.pk)
    mine = next(row for row in rows if row.name == world.org.name)
    assert mine.cells["shared"] == 6 and mine.cells["requested"] is None
    assert totals["shared"] == 6 and totals["hired"] is None
    with pytest.raises(NotFound):  # a member is not the operator
        network_dashboard(org=world.org, network_id=relay.network.pk)


def test_the_nightly_job_is_registered():
    from careerrelay.core.worker import registered_jobs

    assert "update_analytics" in {job.name for job in registered_jobs()}
    assert timedelta(hours=24) in {job.every for job in registered_jobs() if job.name == "update_analytics"}


def test_filters_by_job_and_channel_in_the_page_the_api_and_the_command(client, world, other_world):
    from careerrelay.candidates.models import JobRequisition

    _random_history(world, 6)
    update_org(world.org, clock.now())
    job = JobRequisition.objects.filter(org=world.org).first()
    client.force_login(world.admin)
    query = {"since": "2024-01", "until": "2026-12", "job": str(job.pk), "channel": "agency"}
    html = client.get("/analytics/", query).content.decode()
    assert f'<option value="{job.pk}" selected>' in html
    assert '<option value="agency" selected>' in html and 'data-figure="filtered"' in html
    assert f"job={job.pk}&amp;channel=agency&amp;format=csv" in html  # the CSV link keeps the filters
    csv = client.get("/analytics/", {**query, "format": "csv"}).content.decode("utf-8-sig")
    assert "filter,channel,agency" in csv

    body = call(
        client, "GET", f"/api/v1/metrics?since=2024-01&until=2026-12&job={job.pk}&channel=agency", world.viewer_key
    )
    assert body.status_code == 200
    figures = body.json()
    assert figures["filters"]["job"] == str(job.pk) and figures["filters"]["channel"] == "agency"
    assert set(figures["hires_by_channel"]) <= {"agency"}

    theirs = JobRequisition.objects.create(org=other_world.org, title="their job")
    missing = call(client, "GET", f"/api/v1/metrics?job={theirs.pk}", world.viewer_key)
    assert missing.status_code == 404 and missing["Content-Type"] == "application/problem+json"
    assert client.get("/analytics/", {"job": str(theirs.pk)}).status_code == 404
    for bad, parameter in (("job=not-a-uuid", "job"), ("channel=a%20b", "channel")):
        refused = call(client, "GET", f"/api/v1/metrics?{bad}", world.viewer_key)
        assert refused.status_code == 422 and refused["Content-Type"] == "application/problem+json"
        assert refused.json()["errors"][0]["parameter"] == parameter

    out = StringIO()
    call_command(
        "metrics", "--org", world.org.slug, "--json", "--since", "2024-01", "--until", "2026-12",
        "--channel", "agency", "--job", str(job.pk), stdout=out,
    )  # fmt: skip
    assert json.loads(out.getvalue())["hires_by_channel"] == figures["hires_by_channel"]
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="--job"):
        call_command("metrics", "--org", world.org.slug, "--job", str(theirs.pk), stdout=StringIO())


def test_the_openapi_document_describes_the_filters(client):
    operation = client.get("/api/v1/openapi.json").json()["paths"]["/api/v1/metrics"]["get"]
    names = {parameter["name"] for parameter in operation["parameters"]}
    assert {"department", "job", "channel"} <= names and "404" in operation["responses"]

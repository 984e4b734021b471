"""Tenancy probes for candidate imports and the CSV export."""

from __future__ import annotations

from typing import Any

from careerrelay.candidates.imports.models import ImportJob
from careerrelay.candidates.models import Candidate
from careerrelay.orgs.tests.factories import OrgWorld
from tests.tenancy import AppProbes


def _import_of(world: OrgWorld) -> ImportJob:
    """The org's finished import with an error (made on first use, so snapshots stay equal)."""
    return ImportJob.objects.filter(org=world.org, file_name="beta-secret.csv").first() or ImportJob.objects.create(
        org=world.org,
        file_name="beta-secret.csv",
        status=ImportJob.Status.FAILED,
        errors=[{"row": 2, "column": "email", "message": "beta-row-error"}],
    )


def _foreign_ids(other: OrgWorld) -> dict[str, str]:
    return {"import_id": str(_import_of(other).pk)}


def _snapshot(world: OrgWorld) -> dict[str, Any]:
    _import_of(world)
    return {
        "imports": sorted(ImportJob.objects.filter(org=world.org).values_list("id", "status", "errors")),
        "candidates": sorted(Candidate.objects.filter(org=world.org).values_list("id", "email", "updated_at")),
    }


PROBES = AppProbes(
    web_object={
        "web:import_job": ("get", "/imports/{import_id}/", {}),
        "web:import_errors": ("get", "/imports/{import_id}/errors.csv", {}),
    },
    web_collections={"web:imports": "/imports/"},
    api_object={
        "GET /api/v1/imports/{import_id}": None,
        "GET /api/v1/imports/{import_id}/errors.csv": None,
    },
    api_other={
        "POST /api/v1/imports": "creates in the caller's org; test_an_upload_lands_in_the_callers_org_only",
        "GET /api/v1/exports/candidates.csv": "CSV, not JSON; test_the_export_holds_only_the_callers_org",
    },
    foreign_ids=_foreign_ids,
    snapshot=_snapshot,
    secrets=lambda other: ["beta-secret.csv", "beta-row-error"],
)

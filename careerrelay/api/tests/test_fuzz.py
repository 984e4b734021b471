"""A bounded schemathesis run over every API operation against a live server holding data: no
5xx, every error problem+json. `CAREERRELAY_FUZZ_EXAMPLES` raises the bound; the longer run
against `careerrelay serve` is benchmarks/api_fuzz.py."""

from __future__ import annotations

import os

import pytest
from django.test import Client

from careerrelay.api.tests.fuzzing import fuzz
from careerrelay.candidates.tests.factories import apply
from careerrelay.orgs.tests.factories import OrgWorld

EXAMPLES = int(os.environ.get("CAREERRELAY_FUZZ_EXAMPLES", "6"))


@pytest.mark.django_db(transaction=True)
def test_no_operation_answers_5xx_or_an_error_that_is_not_problem_json(
    live_server: object, world: OrgWorld, other_world: OrgWorld, settings: object
) -> None:
    for n in range(3):
        apply(world, phone="", email=f"fuzz{n}@example.jp", family_name_kana=f"ふず{n}")
    apply(other_world, phone="", email="other@example.jp")

    report = fuzz(str(live_server), world.admin_key, examples=EXAMPLES)

    assert report.operations >= 40  # the whole document, not a part of it
    assert report.requests >= report.operations * 2
    assert sum(count for status, count in report.statuses.items() if 400 <= status < 500) > 0  # negative cases ran
    assert not report.findings, "\n".join(
        f"{f.operation}: {f.status} {f.why}\n  {f.request}" for f in report.findings[:60]
    )


@pytest.mark.django_db
@pytest.mark.parametrize("month", ["2026-13", "2026-00", "0000-05"])
def test_a_month_that_does_not_exist_is_a_422_naming_the_parameter(client: Client, world: OrgWorld, month: str) -> None:
    """Found by the fuzzer: `until=8399-65` passed the old YYYY-MM pattern and made date() fail (a 500)."""
    response = client.get(f"/api/v1/metrics?until={month}", HTTP_AUTHORIZATION=f"Bearer {world.admin_key}")

    assert response.status_code == 422
    assert response["Content-Type"].startswith("application/problem+json")
    assert "until" in response.content.decode()

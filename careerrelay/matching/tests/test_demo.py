"""The demo's job pages show matches from its rejected, consenting candidates."""

from __future__ import annotations

import pytest
from django.test import Client

from careerrelay.accounts.models import User
from careerrelay.candidates.models import JobRequisition
from careerrelay.demo.seed import DEMO_RECRUITER, seed_demo
from careerrelay.matching import selectors
from careerrelay.orgs.models import Organization

pytestmark = pytest.mark.django_db


def test_the_demo_venture_has_matches_on_its_job_pages(client: Client) -> None:
    seed_demo(scale=0.1)
    venture = Organization.objects.get(slug="miraitech")
    jobs = JobRequisition.objects.filter(org=venture, status="open").order_by("id")
    with_matches = [job for job in jobs if selectors.job_matches(org=venture, job_id=job.pk)[1]]
    assert with_matches
    client.force_login(User.objects.get(email=DEMO_RECRUITER))
    client.post("/org/switch/", {"org_id": str(venture.pk)})
    html = client.get(f"/jobs/{with_matches[0].pk}/").content.decode()
    match = selectors.job_matches(org=venture, job_id=with_matches[0].pk)[1][0]
    assert match.candidate.display_name in html
    assert match.reason["ja"] in html

"""Writes the candidate makes about the relay from their portal."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext_noop

from careerrelay.candidates.models import Candidate
from careerrelay.relay.models import Introduction, JobFoundReport
from careerrelay.relay.networks import notify


@transaction.atomic
def job_found_report(*, candidate: Candidate) -> JobFoundReport:
    """The person tells the company that shared them that they found a job (re-employment)."""
    through_relay = Introduction.objects.filter(
        profile__candidate=candidate, outcome=Introduction.Outcome.HIRED
    ).exists()
    report = JobFoundReport.objects.create(org=candidate.org, candidate=candidate, through_relay=through_relay)
    notify(candidate.org, gettext_noop("A person in your pool told us they found a new job."))
    return report

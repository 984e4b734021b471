"""Precomputed match features per candidate, the inverted index over them, and stored suggestions."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from careerrelay.candidates.models import Application, Candidate, JobRequisition
from careerrelay.core.models import OrgOwnedModel


class MatchProfile(OrgOwnedModel):
    """A candidate's FeatureRecord, kept fresh by the services that change the candidate
    (`matching.services.profile_refresh`, called through `candidates.hooks.on_candidate_changed`)."""

    candidate = models.OneToOneField(Candidate, on_delete=models.CASCADE, related_name="match_profile")
    skill_ids = models.JSONField(default=list)
    free_tags = models.JSONField(default=list)
    prefecture = models.CharField(max_length=2, blank=True)
    desired_prefectures = models.JSONField(default=list)
    remote_ok = models.BooleanField(default=False)
    years = models.PositiveSmallIntegerField(null=True)
    title_tokens = models.JSONField(default=list)
    role_tokens = models.JSONField(default=list)
    available_from = models.DateField(null=True)
    evaluation_strength = models.FloatField(default=0.0)
    furthest_stage = models.CharField(max_length=20, blank=True)
    last_activity = models.DateTimeField(null=True)
    # In the rediscovery pool: the latest application was rejected or withdrawn, not merged away.
    eligible = models.BooleanField(default=False)


class MatchTerm(OrgOwnedModel):
    """Inverted index: one row per (eligible profile, skill id or free tag, place). A posting list
    is read best first (`prior`, the job-independent part of the score) and only as far as the
    shortlist needs, in the job's prefecture first; see `matching.shortlist`."""

    profile = models.ForeignKey(MatchProfile, on_delete=models.CASCADE, related_name="terms")
    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="+", db_index=False)
    term = models.CharField(max_length=120)
    # The person's prefecture or one they would work in (one row each), "" when neither is known.
    place = models.CharField(max_length=2, blank=True)
    prior = models.SmallIntegerField(default=0)

    class Meta:
        indexes = [
            # Covering: the shortlist reads (candidate, prior) from the index alone.
            models.Index(fields=["org", "term", "place", "-prior", "candidate"], name="matchterm_place"),
            models.Index(fields=["org", "term", "-prior", "candidate"], name="matchterm_prior"),
        ]


class MatchSuggestion(OrgOwnedModel):
    """A past candidate suggested for an open job, with why. Written when a job opens and when a
    rejection says the person fits another department."""

    class Origin(models.TextChoices):
        JOB_OPENED = "job_opened", _("Job opened")
        OTHER_DEPARTMENT = "other_department", _("Fits another department")

    job = models.ForeignKey(JobRequisition, on_delete=models.CASCADE, related_name="match_suggestions")
    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="match_suggestions")
    origin = models.CharField(max_length=20, choices=Origin.choices)
    from_application = models.ForeignKey(Application, null=True, blank=True, on_delete=models.SET_NULL)
    score = models.FloatField()
    explanation = models.JSONField(default=dict)
    reason_ja = models.TextField(blank=True)
    reason_en = models.TextField(blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["job", "candidate"], name="matchsuggestion_job_candidate")]
        ordering = ["-score", "id"]

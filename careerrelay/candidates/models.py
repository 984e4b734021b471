"""The candidate pool: people, the jobs they applied to, how it went, and why they were let go."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from careerrelay.core import clock, prefectures
from careerrelay.core.models import OrgOwnedModel


class Candidate(OrgOwnedModel):
    """A person in the org's pool. Kept after rejection: that is the point of the product."""

    family_name = models.CharField(_("family name"), max_length=100, blank=True)
    given_name = models.CharField(_("given name"), max_length=100, blank=True)
    family_name_kana = models.CharField(_("family name (kana)"), max_length=100, blank=True)
    given_name_kana = models.CharField(_("given name (kana)"), max_length=100, blank=True)
    email = models.EmailField(_("email address"), blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True, help_text="E.164, e.g. +819012345678")
    prefecture = models.CharField(_("prefecture"), max_length=2, blank=True, choices=prefectures.CHOICES)
    city = models.CharField(_("city"), max_length=100, blank=True)
    birth_year = models.PositiveSmallIntegerField(_("birth year"), null=True, blank=True)
    current_title = models.CharField(_("current title"), max_length=200, blank=True)
    current_employer = models.CharField(_("current employer"), max_length=200, blank=True)
    years_experience = models.PositiveSmallIntegerField(_("years of experience"), null=True, blank=True)
    skills = models.JSONField(_("skills"), default=list, blank=True)
    languages = models.JSONField(_("languages"), default=list, blank=True)
    desired_roles = models.JSONField(_("desired roles"), default=list, blank=True)
    desired_locations = models.JSONField(_("desired locations"), default=list, blank=True)
    desired_salary_min = models.PositiveIntegerField(_("desired salary from (yen a year)"), null=True, blank=True)
    desired_salary_max = models.PositiveIntegerField(_("desired salary to (yen a year)"), null=True, blank=True)
    available_from = models.DateField(_("available from"), null=True, blank=True)
    resume_text = models.TextField(_("résumé"), blank=True)
    links = models.JSONField(_("links"), default=list, blank=True)
    source = models.CharField(_("source"), max_length=40, blank=True)
    # The language the person reads mail in ("ja" or "en"); empty means the org's default.
    language = models.CharField(_("language"), max_length=5, blank=True, choices=[("ja", "日本語"), ("en", "English")])
    # Set when the person's data was erased; the row stays, emptied, so counts and history add up.
    erased_at = models.DateTimeField(null=True, blank=True, editable=False)
    # Normalised names (kanji, katakana, romaji), skills, titles and résumé words for search.
    search_text = models.TextField(blank=True, editable=False)
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="merged_from"
    )

    class Meta:
        indexes = [
            models.Index(fields=["org", "email"]),
            models.Index(fields=["org", "phone"]),
            models.Index(fields=["org", "family_name_kana", "given_name_kana", "birth_year"]),
            # The pool filtered by prefecture, newest first: a prefecture's rows are read in id order
            # instead of every row until 50 match (Hokkaido and a rare skill: 66 → 9 ms at 1M).
            models.Index(fields=["org", "prefecture", "id"], name="candidate_org_prefecture_id"),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        name = " ".join(part for part in (self.family_name, self.given_name) if part)
        return name or self.email or str(self.pk)


class ExternalId(OrgOwnedModel):
    """The candidate's id in another system (an ATS, a CSV export) — the key for re-imports."""

    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="external_ids")
    system = models.CharField(max_length=40)
    value = models.CharField(max_length=200)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["org", "system", "value"], name="externalid_org_system_value")]


class JobRequisition(OrgOwnedModel):
    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")
        FILLED = "filled", _("Filled")

    class Remote(models.TextChoices):
        ONSITE = "onsite", _("On site")
        HYBRID = "hybrid", _("Hybrid")
        REMOTE = "remote", _("Remote")

    class EmploymentType(models.TextChoices):
        FULL_TIME = "full_time", _("Full-time (正社員)")
        CONTRACT = "contract", _("Contract (契約社員)")
        PART_TIME = "part_time", _("Part-time")
        TEMPORARY = "temporary", _("Temporary (派遣)")
        INTERNSHIP = "internship", _("Internship")

    title = models.CharField(_("title"), max_length=200)
    department = models.CharField(_("department"), max_length=100, blank=True)
    description = models.TextField(_("description"), blank=True)
    required_skills = models.JSONField(_("required skills"), default=list, blank=True)
    preferred_skills = models.JSONField(_("preferred skills"), default=list, blank=True)
    prefecture = models.CharField(_("prefecture"), max_length=2, blank=True, choices=prefectures.CHOICES)
    remote = models.CharField(_("work style"), max_length=10, choices=Remote.choices, default=Remote.ONSITE)
    employment_type = models.CharField(
        _("employment type"), max_length=12, choices=EmploymentType.choices, default=EmploymentType.FULL_TIME
    )
    salary_min = models.PositiveIntegerField(_("salary from (yen a year)"), null=True, blank=True)
    salary_max = models.PositiveIntegerField(_("salary to (yen a year)"), null=True, blank=True)
    headcount = models.PositiveSmallIntegerField(_("headcount"), default=1)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    opened_at = models.DateTimeField(_("opened"), default=clock.now)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    filled_at = models.DateTimeField(_("filled"), null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.title} ({self.department})" if self.department else self.title


class RejectionReason(OrgOwnedModel):
    class Kind(models.TextChoices):
        WE_REJECTED = "we_rejected", _("We rejected")
        THEY_WITHDREW = "they_withdrew", _("They withdrew")

    code = models.SlugField(max_length=50)
    label_ja = models.CharField(max_length=100)
    label_en = models.CharField(max_length=100)
    kind = models.CharField(max_length=15, choices=Kind.choices, default=Kind.WE_REJECTED)
    is_active = models.BooleanField(default=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["org", "code"], name="rejectionreason_org_code")]
        ordering = ["position", "code"]

    def __str__(self) -> str:
        return self.label_ja

    def label(self, language: str) -> str:
        return self.label_en if language == "en" else self.label_ja


class Tag(OrgOwnedModel):
    code = models.SlugField(max_length=50)
    label_ja = models.CharField(max_length=100)
    label_en = models.CharField(max_length=100)
    is_builtin = models.BooleanField(default=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["org", "code"], name="tag_org_code")]

    def __str__(self) -> str:
        return self.label_ja


class CandidateTag(OrgOwnedModel):
    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="tag_links")
    tag = models.ForeignKey(Tag, on_delete=models.CASCADE, related_name="candidate_links")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["candidate", "tag"], name="candidatetag_candidate_tag")]


class Application(OrgOwnedModel):
    class Status(models.TextChoices):
        ACTIVE = "active", pgettext_lazy("application status", "Active")
        OFFER = "offer", _("Offer")
        HIRED = "hired", _("Hired")
        REJECTED = "rejected", _("Rejected")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="applications")
    job = models.ForeignKey(
        JobRequisition, null=True, blank=True, on_delete=models.SET_NULL, related_name="applications"
    )
    source = models.CharField(_("source"), max_length=40, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE)
    stage = models.CharField(_("stage"), max_length=60, blank=True, default="applied")
    applied_at = models.DateTimeField(_("applied"), default=clock.now)
    offer_date = models.DateField(_("offer date"), null=True, blank=True)
    hire_date = models.DateField(_("hire date"), null=True, blank=True)
    # When a hired person left the company (first-year attrition, docs/metrics.md); empty if unknown.
    left_on = models.DateField(_("leave date"), null=True, blank=True)
    closed_at = models.DateTimeField(_("rejected or withdrawn"), null=True, blank=True)
    rejection_reason = models.ForeignKey(RejectionReason, null=True, blank=True, on_delete=models.PROTECT)
    rejection_note = models.TextField(_("note"), blank=True)
    evaluation_summary = models.TextField(_("evaluation summary"), blank=True)
    rescout_eligible = models.BooleanField(_("re-scout eligible"), default=False)
    is_reapplication = models.BooleanField(default=False)
    external_ref = models.CharField(max_length=100, blank=True, help_text="e.g. greenhouse:123456")

    class Meta:
        indexes = [
            models.Index(fields=["org", "status", "closed_at"]),
            models.Index(fields=["org", "external_ref"]),
            # "Which of these people applied to this job": the match lists leave them out.
            models.Index(fields=["job", "candidate"], name="application_job_candidate"),
        ]

    def __str__(self) -> str:
        return f"{self.candidate} → {self.job or '—'}"


class StageChange(OrgOwnedModel):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="stage_changes")
    stage = models.CharField(max_length=60)
    status = models.CharField(max_length=10, choices=Application.Status.choices)
    at = models.DateTimeField(default=clock.now)
    actor_label = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["at", "id"]


class Evaluation(OrgOwnedModel):
    class Recommendation(models.TextChoices):
        STRONG_YES = "strong_yes", _("Strong yes")
        YES = "yes", _("Yes")
        NO = "no", _("No")
        STRONG_NO = "strong_no", _("Strong no")

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="evaluations")
    interviewer = models.CharField(_("interviewer"), max_length=200)
    stage = models.CharField(_("stage"), max_length=60)
    scores = models.JSONField(_("scores"), default=dict, help_text="criterion → 1–5")
    overall = models.DecimalField(max_digits=3, decimal_places=2, null=True, blank=True)
    recommendation = models.CharField(max_length=10, choices=Recommendation.choices, blank=True)
    comment = models.TextField(_("comment"), blank=True)
    at = models.DateTimeField(default=clock.now)

    class Meta:
        ordering = ["at", "id"]


class MergeRecord(OrgOwnedModel):
    """Two records found to be one person. Reversible until a recruiter confirms it."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Merged, not yet confirmed")
        CONFIRMED = "confirmed", _("Confirmed")
        REVERTED = "reverted", _("Undone")

    survivor = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="merges_kept")
    merged = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="merges_absorbed")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    moved = models.JSONField(default=dict, help_text="ids moved from merged to survivor, to undo")
    survivor_before = models.JSONField(default=dict, help_text="survivor's fields before the merge")
    confirmed_at = models.DateTimeField(null=True, blank=True)


class DuplicateDismissal(OrgOwnedModel):
    """Two records a recruiter said are different people: the pair is not proposed again.
    `first` is the one with the lower id, so a pair is stored once whichever way it was named."""

    first = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="+")
    second = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["org", "first", "second"], name="duplicatedismissal_org_pair")]


from careerrelay.candidates.imports.models import ImportJob  # noqa: E402, F401  (the importer's job table)

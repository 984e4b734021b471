"""Input parsing for the pool pages. Validation only: writes happen in services."""

from __future__ import annotations

import uuid
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from careerrelay.candidates.models import Application, Evaluation, JobRequisition, RejectionReason, Tag
from careerrelay.candidates.pool import PoolFilters
from careerrelay.core.prefectures import PREFECTURES

ANY = [("", _("Any"))]
# "Yes" alone is an interviewer's recommendation (推薦); a filter's answers are はい / いいえ.
YES_NO = [("yes", pgettext_lazy("answer", "Yes")), ("no", pgettext_lazy("answer", "No"))]


def _reason_choices(reasons: list[RejectionReason], language: str) -> list[tuple[str, str]]:
    return [(str(reason.pk), reason.label(language)) for reason in reasons]


class PoolFilterForm(forms.Form):
    q = forms.CharField(label=_("Keywords"), required=False, max_length=200)
    status = forms.ChoiceField(label=_("Status (latest application)"), required=False)
    reason = forms.ChoiceField(label=_("Rejection reason"), required=False)
    tag = forms.ChoiceField(label=_("Tag"), required=False)
    score_min = forms.DecimalField(label=_("Score from"), required=False, min_value=1, max_value=5, decimal_places=2)
    score_max = forms.DecimalField(label=_("Score to"), required=False, min_value=1, max_value=5, decimal_places=2)
    rejected_from = forms.DateField(
        label=_("Rejected from"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    rejected_to = forms.DateField(
        label=_("Rejected to"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    skills = forms.CharField(
        label=_("Skills (all of)"), required=False, max_length=500, help_text=_("Separate with commas.")
    )
    prefecture = forms.ChoiceField(label=_("Prefecture"), required=False)
    rescout = forms.ChoiceField(label=_("Re-scout eligible"), required=False, choices=[*ANY, *YES_NO])
    source = forms.CharField(label=_("Source"), required=False, max_length=40)

    def __init__(
        self, *args: Any, reasons: list[RejectionReason], tags: list[Tag], language: str, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [*ANY, *Application.Status.choices]  # type: ignore[attr-defined]
        self.fields["reason"].choices = [*ANY, *((r.code, r.label(language)) for r in reasons)]  # type: ignore[attr-defined]
        labels = {tag.code: tag.label_en if language == "en" else tag.label_ja for tag in tags}
        self.fields["tag"].choices = [*ANY, *labels.items()]  # type: ignore[attr-defined]
        self.fields["prefecture"].choices = [  # type: ignore[attr-defined]
            *ANY,
            *((p.code, p.en if language == "en" else p.ja) for p in PREFECTURES),
        ]

    def filters(self) -> PoolFilters:
        data = self.cleaned_data
        rescout = {"yes": True, "no": False}.get(data["rescout"])
        skills = [skill.strip() for skill in data["skills"].replace("、", ",").split(",") if skill.strip()]
        return PoolFilters(
            q=data["q"],
            status=data["status"],
            reason=data["reason"],
            tag=data["tag"],
            score_min=data["score_min"],
            score_max=data["score_max"],
            rejected_from=data["rejected_from"],
            rejected_to=data["rejected_to"],
            skills=skills,
            prefecture=data["prefecture"],
            rescout=rescout,
            source=data["source"],
        )


class BulkTagForm(forms.Form):
    tag = forms.ChoiceField(label=_("Tag"))
    action = forms.ChoiceField(label=_("Action"), choices=[("add", _("Add")), ("remove", _("Remove"))])
    candidate_ids = forms.TypedMultipleChoiceField(label=_("Candidates"), coerce=uuid.UUID)

    def __init__(self, *args: Any, tags: list[Tag], language: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["tag"].choices = [  # type: ignore[attr-defined]
            (tag.code, tag.label_en if language == "en" else tag.label_ja) for tag in tags
        ]
        # Any submitted id is acceptable here; the service refuses ids outside the org.
        submitted = self.data.getlist("candidate_ids") if hasattr(self.data, "getlist") else []
        self.fields["candidate_ids"].choices = [(value, value) for value in submitted]  # type: ignore[attr-defined]


class RejectForm(forms.Form):
    reason_id = forms.ChoiceField(label=_("Reason"))
    evaluation_summary = forms.CharField(
        label=_("Evaluation summary"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    rescout_eligible = forms.BooleanField(label=_("Re-scout eligible"), required=False)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    send_rejection_email = forms.BooleanField(label=_("Send the rejection email"), required=False, initial=True)

    def __init__(self, *args: Any, reasons: list[RejectionReason], language: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reason_id"].choices = _reason_choices(reasons, language)  # type: ignore[attr-defined]


class EvaluationForm(forms.Form):
    interviewer = forms.CharField(label=_("Interviewer"), max_length=200)
    stage = forms.CharField(label=_("Stage"), max_length=60, help_text=_("e.g. 1次面接"))
    criterion_1 = forms.CharField(label=_("Criterion 1"), max_length=60, required=False)
    score_1 = forms.IntegerField(label=_("Score 1"), min_value=1, max_value=5, required=False)
    criterion_2 = forms.CharField(label=_("Criterion 2"), max_length=60, required=False)
    score_2 = forms.IntegerField(label=_("Score 2"), min_value=1, max_value=5, required=False)
    criterion_3 = forms.CharField(label=_("Criterion 3"), max_length=60, required=False)
    score_3 = forms.IntegerField(label=_("Score 3"), min_value=1, max_value=5, required=False)
    recommendation = forms.ChoiceField(
        label=_("Recommendation"), required=False, choices=[("", "—"), *Evaluation.Recommendation.choices]
    )
    comment = forms.CharField(label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        scores: dict[str, int] = {}
        for n in (1, 2, 3):
            criterion, score = cleaned.get(f"criterion_{n}"), cleaned.get(f"score_{n}")
            if criterion and score is None:
                self.add_error(f"score_{n}", _("Give a score from 1 to 5."))
            elif score is not None and not criterion:
                self.add_error(f"criterion_{n}", _("Name what this score is for."))
            elif criterion and score is not None:
                scores[criterion] = score
        cleaned["scores"] = scores
        return cleaned


class JobForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    department = forms.CharField(label=_("Department"), max_length=100, required=False)
    prefecture = forms.ChoiceField(label=_("Prefecture"), required=False)
    remote = forms.ChoiceField(label=_("Work style"), choices=JobRequisition.Remote.choices)
    employment_type = forms.ChoiceField(label=_("Employment type"), choices=JobRequisition.EmploymentType.choices)
    required_skills = forms.CharField(
        label=_("Required skills"), required=False, max_length=500, help_text=_("Separate with commas.")
    )
    salary_min = forms.IntegerField(label=_("Salary from (yen a year)"), min_value=0, required=False)
    salary_max = forms.IntegerField(label=_("Salary to (yen a year)"), min_value=0, required=False)
    headcount = forms.IntegerField(label=_("Headcount"), min_value=1, max_value=1000, initial=1)
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args: Any, language: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["prefecture"].choices = [  # type: ignore[attr-defined]
            ("", "—"),
            *((p.code, p.en if language == "en" else p.ja) for p in PREFECTURES),
        ]

    def job_values(self) -> dict[str, Any]:
        values = dict(self.cleaned_data)
        values["required_skills"] = [s.strip() for s in values["required_skills"].replace("、", ",").split(",")]
        return values


class LeaveForm(forms.Form):
    """The day a hired person left; empty clears it."""

    left_on = forms.DateField(label=_("Leave date"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

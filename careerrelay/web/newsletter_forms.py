"""Forms of the newsletter pages: the composer (texts and segment) and the schedule."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from careerrelay.core.clock import JST
from careerrelay.core.prefectures import CHOICES as PREFECTURES
from careerrelay.outreach.newsletter_selectors import Segment
from careerrelay.outreach.newsletters import NewsletterInput

_HELP = _("Placeholders: {candidate_name} {company} {portal_url} {unsubscribe_url}")
_ANY = [("", _("Any"))]


class NewsletterForm(forms.Form):
    subject_ja = forms.CharField(label=_("Subject (Japanese)"), max_length=200)
    body_ja = forms.CharField(label=_("Message (Japanese)"), widget=forms.Textarea(attrs={"rows": 12}), help_text=_HELP)
    subject_en = forms.CharField(label=_("Subject (English)"), max_length=200)
    body_en = forms.CharField(label=_("Message (English)"), widget=forms.Textarea(attrs={"rows": 12}), help_text=_HELP)
    prefecture = forms.ChoiceField(label=_("Prefecture"), required=False)
    skills = forms.CharField(
        label=_("Skills (all of them)"), required=False, help_text=_("Separate with commas or new lines.")
    )
    tag = forms.ChoiceField(label=_("Tag"), required=False)
    reason = forms.ChoiceField(label=_("Rejection reason"), required=False)
    department = forms.ChoiceField(label=_("Department applied to"), required=False)
    language = forms.ChoiceField(
        label=_("Language of the person"), required=False, choices=[*_ANY, ("ja", "日本語"), ("en", "English")]
    )

    def __init__(
        self,
        *args: Any,
        tags: list[tuple[str, str]],
        reasons: list[tuple[str, str]],
        departments: list[str],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["prefecture"].choices = [*_ANY, *PREFECTURES]  # type: ignore[attr-defined]
        self.fields["tag"].choices = [*_ANY, *tags]  # type: ignore[attr-defined]
        self.fields["reason"].choices = [*_ANY, *reasons]  # type: ignore[attr-defined]
        self.fields["department"].choices = [*_ANY, *((d, d) for d in departments)]  # type: ignore[attr-defined]

    @staticmethod
    def initial_from(newsletter: Any) -> dict[str, Any]:
        segment = Segment.from_json(newsletter.segment)
        return {
            "subject_ja": newsletter.subject_ja,
            "body_ja": newsletter.body_ja,
            "subject_en": newsletter.subject_en,
            "body_en": newsletter.body_en,
            **segment.as_json(),
            "skills": ", ".join(segment.skills),
        }

    def segment(self) -> Segment:
        data = getattr(self, "cleaned_data", {})
        skills = [part.strip() for part in data.get("skills", "").replace("\n", ",").replace("、", ",").split(",")]
        return Segment(
            prefecture=data.get("prefecture", ""),
            skills=tuple(skill for skill in skills if skill),
            tag=data.get("tag", ""),
            reason=data.get("reason", ""),
            language=data.get("language", ""),
            department=data.get("department", ""),
        )

    def value(self) -> NewsletterInput:
        data = self.cleaned_data
        return NewsletterInput(
            subject_ja=data["subject_ja"],
            body_ja=data["body_ja"],
            subject_en=data["subject_en"],
            body_en=data["body_en"],
            segment=self.segment(),
        )


class ScheduleForm(forms.Form):
    """Empty: send now. A date and time is read in Japan time and stored in UTC."""

    send_at = forms.DateTimeField(
        label=_("Send at (JST)"),
        required=False,
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=_("Leave empty to send now. Messages go out in the send window of your re-scout settings."),
    )

    def send_at_utc(self) -> datetime | None:
        value: datetime | None = self.cleaned_data.get("send_at")
        if value is None:
            return None
        # The recruiter typed Japan time, whatever zone the form made the value aware in.
        return value.replace(tzinfo=None).replace(tzinfo=JST)

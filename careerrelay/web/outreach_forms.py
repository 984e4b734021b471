from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from careerrelay.consent import purposes


class TemplateForm(forms.Form):
    subject = forms.CharField(label=_("Subject"), max_length=200)
    body = forms.CharField(
        label=_("Message"),
        widget=forms.Textarea(attrs={"rows": 22}),
        help_text=_("Placeholders: {candidate_name} {company} {job_title} {portal_url} {expires_on}"),
    )


class NewReasonTemplateForm(forms.Form):
    reason_id = forms.ChoiceField(label=_("Reason"))
    language = forms.ChoiceField(label=_("Language"), choices=[("ja", "日本語"), ("en", "English")])

    def __init__(self, *args: object, reasons: list[tuple[str, str]], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["reason_id"].choices = reasons  # type: ignore[attr-defined]


class PolicyForm(forms.Form):
    """The notice and one statement per purpose, each in Japanese and English."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        for key in ("notice", *purposes.FIXED, "disclose"):
            for language, name in (("ja", "日本語"), ("en", "English")):
                label = _("Notice") if key == "notice" else purposes.LABELS[key]
                self.fields[f"{key}_{language}"] = forms.CharField(
                    label=f"{label} ({name})", widget=forms.Textarea(attrs={"rows": 5 if key == "notice" else 3})
                )

    @staticmethod
    def initial_from(notice: dict[str, str], statements: dict[str, dict[str, str]]) -> dict[str, str]:
        initial = {f"notice_{language}": text for language, text in notice.items()}
        for key, texts in statements.items():
            initial.update({f"{key}_{language}": text for language, text in texts.items()})
        return initial

    def texts(self) -> tuple[dict[str, str], dict[str, dict[str, str]]]:
        data = self.cleaned_data
        notice = {language: data[f"notice_{language}"] for language in ("ja", "en")}
        statements = {
            key: {language: data[f"{key}_{language}"] for language in ("ja", "en")}
            for key in (*purposes.FIXED, "disclose")
        }
        return notice, statements


class ConsentRecordForm(forms.Form):
    purpose = forms.ChoiceField(label=_("Purpose"), choices=[(p, purposes.LABELS[p]) for p in purposes.FIXED])
    granted = forms.TypedChoiceField(
        label=_("What the person said"),
        choices=[("1", _("Agreed")), ("0", _("Withdrew"))],
        coerce=lambda value: value == "1",
    )
    evidence = forms.CharField(
        label=_("Evidence"),
        required=False,
        max_length=2000,
        help_text=_("Where and how, e.g. 面接時の同意書（2026-11-20、紙）"),
    )

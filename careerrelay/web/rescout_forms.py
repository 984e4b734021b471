from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from careerrelay.outreach.models import RescoutRule
from careerrelay.outreach.rescout_services import RuleInput


class RuleForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    step_months = forms.CharField(
        label=_("Steps (months after the rejection)"), initial="6, 12", help_text=_("Comma-separated, e.g. 6, 12")
    )
    require_flag = forms.BooleanField(label=_("Only people marked re-scout eligible"), required=False, initial=True)
    reason_codes = forms.MultipleChoiceField(
        label=_("Rejection reasons (none ticked: every reason)"), required=False, widget=forms.CheckboxSelectMultiple
    )
    min_score = forms.DecimalField(
        label=_("Minimum evaluation (1–5, empty: any)"), required=False, min_value=1, max_value=5, decimal_places=2
    )
    departments = forms.CharField(
        label=_("Departments (one a line, empty: any)"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    wait_for_availability = forms.BooleanField(
        label=_("Wait until the person's stated availability date"), required=False, initial=True
    )
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)

    def __init__(self, *args: object, reasons: list[tuple[str, str]], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["reason_codes"].choices = reasons  # type: ignore[attr-defined]

    @staticmethod
    def initial_from(rule: RescoutRule) -> dict[str, object]:
        return {
            "name": rule.name,
            "step_months": ", ".join(str(months) for months in rule.step_months),
            "require_flag": rule.require_flag,
            "reason_codes": rule.reason_codes,
            "min_score": rule.min_score,
            "departments": "\n".join(rule.departments),
            "wait_for_availability": rule.wait_for_availability,
            "is_active": rule.is_active,
        }

    def clean_step_months(self) -> list[int]:
        text = self.cleaned_data["step_months"].replace("、", ",").replace("，", ",")
        try:
            return [int(part) for part in text.split(",") if part.strip()]
        except ValueError as exc:
            raise forms.ValidationError(_("Whole numbers of months, separated by commas.")) from exc

    def rule_input(self) -> RuleInput:
        data = self.cleaned_data
        score = data["min_score"]
        return RuleInput(
            name=data["name"],
            step_months=data["step_months"],
            require_flag=data["require_flag"],
            reason_codes=tuple(data["reason_codes"]),
            min_score=Decimal(score) if score is not None else None,
            departments=tuple(line for line in data["departments"].splitlines() if line.strip()),
            wait_for_availability=data["wait_for_availability"],
            is_active=data["is_active"],
        )


class OutreachSettingsForm(forms.Form):
    cap_days = forms.IntegerField(
        label=_("At most one job offer or newsletter per person every (days)"), min_value=0, max_value=365
    )
    window_start_hour = forms.IntegerField(label=_("Send from (JST hour)"), min_value=0, max_value=23)
    window_end_hour = forms.IntegerField(label=_("Send until (JST hour)"), min_value=1, max_value=24)

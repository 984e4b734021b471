from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from careerrelay.consent import purposes


class ChoicesForm(forms.Form):
    """Separate opt-in boxes, none ticked in advance."""

    recontact = forms.BooleanField(required=False)
    newsletter = forms.BooleanField(required=False)
    relay_share = forms.BooleanField(required=False)

    def chosen(self) -> list[str]:
        return [purpose for purpose in purposes.FIXED if self.cleaned_data.get(purpose)]


def _lines(value: str) -> list[str]:
    return [line.strip() for line in value.replace("、", "\n").replace(",", "\n").splitlines() if line.strip()]


class WishesForm(forms.Form):
    desired_roles = forms.CharField(
        label=_("Roles you would like"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One per line, e.g. バックエンドエンジニア"),
    )
    desired_locations = forms.CharField(
        label=_("Where you would like to work"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("One per line, e.g. 東京都, リモート"),
    )
    desired_salary_min = forms.IntegerField(label=_("Desired yearly salary from (yen)"), required=False, min_value=0)
    desired_salary_max = forms.IntegerField(label=_("to (yen)"), required=False, min_value=0)
    available_from = forms.DateField(
        label=_("Available from"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def changes(self) -> dict[str, object]:
        data = self.cleaned_data
        return {
            "desired_roles": _lines(data["desired_roles"]),
            "desired_locations": _lines(data["desired_locations"]),
            "desired_salary_min": data["desired_salary_min"],
            "desired_salary_max": data["desired_salary_max"],
            "available_from": data["available_from"],
        }


class BlocksForm(forms.Form):
    company_names = forms.CharField(
        label=_("Other companies, one per line"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def names(self) -> list[str]:
        return _lines(self.cleaned_data["company_names"])

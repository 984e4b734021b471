"""Admins' privacy pages: erasing one person (with a confirm step), and the org's consent and
retention settings with the list of people the next retention run will erase."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from careerrelay.candidates.selectors import candidate_get
from careerrelay.consent.erasure import candidate_erasure_request
from careerrelay.consent.export import candidate_personal_data
from careerrelay.consent.retention import privacy_overview
from careerrelay.consent.settings import MONTHS_RANGE, consent_settings_save
from careerrelay.core import clock
from careerrelay.core.errors import DomainValidationError
from careerrelay.orgs.models import Role
from careerrelay.web.views import _actor, member_required

TIMING_LABELS = {
    "immediate": gettext_lazy("At once"),
    "next_business_morning": gettext_lazy("The next business morning (09:30 JST)"),
}


class EraseForm(forms.Form):
    confirm = forms.BooleanField(label=gettext_lazy("I understand that this cannot be undone."))


def _months(label: Any) -> forms.IntegerField:
    return forms.IntegerField(label=label, min_value=MONTHS_RANGE.start, max_value=MONTHS_RANGE.stop - 1)


class ConsentSettingsForm(forms.Form):
    consent_months = _months(gettext_lazy("A consent lasts (months)"))
    retention_months_without_consent = _months(
        gettext_lazy("Keep people without consent after their last application (months)")
    )
    retention_months_with_consent = _months(gettext_lazy("Keep people with consent after the last contact (months)"))
    rejection_email_timing = forms.ChoiceField(
        label=gettext_lazy("Send the rejection email"), choices=list(TIMING_LABELS.items())
    )
    rejection_email_for_ats = forms.BooleanField(
        label=gettext_lazy("Also send our rejection email when the ATS reports a rejection"), required=False
    )


@member_required
@require_http_methods(["GET", "POST"])
def candidate_erase_view(request: HttpRequest, candidate_id: str) -> HttpResponse:
    actor = _actor(request)
    actor.require(Role.ADMIN)
    if request.method == "GET":
        candidate = candidate_get(org=actor.org, pk=candidate_id)
        return render(request, "web/candidate_erase.html", {"candidate": candidate, "form": EraseForm()})
    form = EraseForm(request.POST)
    if not form.is_valid():
        candidate = candidate_get(org=actor.org, pk=candidate_id)
        return render(request, "web/candidate_erase.html", {"candidate": candidate, "form": form}, status=400)
    request_row = candidate_erasure_request(actor=actor, candidate_id=candidate_id)
    messages.success(request, _("The erasure was requested; the person's data is erased within a few minutes."))
    return redirect("web:candidate", candidate_id=request_row.candidate_id)


@member_required
@require_http_methods(["GET", "POST"])
def privacy_view(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    actor.require(Role.ADMIN)
    form = ConsentSettingsForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                consent_settings_save(actor=actor, **form.cleaned_data)
            except DomainValidationError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            else:
                messages.success(request, _("The privacy settings were saved."))
                return redirect("web:privacy")
        status = 400
    overview = privacy_overview(org=actor.org, at=clock.now())
    if request.method == "GET":
        form = ConsentSettingsForm(initial=vars(overview.settings))
    return render(request, "web/privacy.html", {"form": form, "overview": overview}, status=status)


@member_required
@require_GET
def candidate_personal_data_view(request: HttpRequest, candidate_id: str) -> HttpResponse:
    data = candidate_personal_data(actor=_actor(request), candidate_id=candidate_id)
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False, "indent": 2})
    response["Content-Disposition"] = f'attachment; filename="personal-data-{candidate_id}.json"'
    return response

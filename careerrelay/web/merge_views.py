"""The duplicates page: probable duplicates, merging them, and undoing or confirming merges."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from careerrelay.candidates import merging
from careerrelay.candidates.models import MergeRecord
from careerrelay.core.errors import Conflict, DomainValidationError
from careerrelay.web.views import _actor, member_required


class MergeForm(forms.Form):
    survivor_id = forms.UUIDField()
    merged_id = forms.UUIDField()


class DismissForm(forms.Form):
    first_id = forms.UUIDField()
    second_id = forms.UUIDField()


@member_required
@require_GET
def duplicates_view(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    context = {
        "pairs": merging.duplicates_list(org=actor.org),
        "pending": merging.merges_list(org=actor.org, status=MergeRecord.Status.PENDING).order_by("-id"),
        "can_write": actor.role != "viewer",
    }
    return render(request, "web/duplicates.html", context)


@member_required
@require_POST
def merge_view(request: HttpRequest) -> HttpResponse:
    form = MergeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose the two records to merge."))
        return redirect("web:duplicates")
    try:
        merge = merging.candidates_merge(actor=_actor(request), **form.cleaned_data)
    except (DomainValidationError, Conflict) as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            _("%(merged)s was merged into %(survivor)s. You can undo this until you confirm it.")
            % {"merged": merge.merged.display_name, "survivor": merge.survivor.display_name},
        )
    return redirect("web:duplicates")


@member_required
@require_POST
def merge_revert_view(request: HttpRequest, merge_id: str) -> HttpResponse:
    try:
        merging.merge_revert(actor=_actor(request), merge_id=merge_id)
        messages.success(request, _("The merge was undone."))
    except Conflict as exc:
        messages.error(request, str(exc))
    return redirect("web:duplicates")


@member_required
@require_POST
def merge_confirm_view(request: HttpRequest, merge_id: str) -> HttpResponse:
    try:
        merging.merge_confirm(actor=_actor(request), merge_id=merge_id)
        messages.success(request, _("The merge was confirmed."))
    except Conflict as exc:
        messages.error(request, str(exc))
    return redirect("web:duplicates")


@member_required
@require_POST
def dismiss_view(request: HttpRequest) -> HttpResponse:
    form = DismissForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose the two records."))
        return redirect("web:duplicates")
    try:
        merging.duplicate_dismiss(actor=_actor(request), **form.cleaned_data)
    except DomainValidationError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("The two records are kept apart and will not be proposed again."))
    return redirect("web:duplicates")

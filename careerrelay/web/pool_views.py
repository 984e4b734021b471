"""The candidate pool's pages: the list with filters and bulk tagging, the candidate page with
its timeline, reject and evaluation forms, and the jobs page."""

from __future__ import annotations

from django import forms as django_forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from careerrelay.candidates import selectors, services
from careerrelay.candidates.application_status import application_set_left_on
from careerrelay.candidates.models import Application, Candidate
from careerrelay.candidates.pool import candidate_profile, pool_summaries
from careerrelay.core import tenancy
from careerrelay.core.errors import Conflict, DomainValidationError
from careerrelay.core.pagination import paginate
from careerrelay.outreach.selectors import contact_record
from careerrelay.relay.selectors import memberships_of
from careerrelay.web import pool_forms
from careerrelay.web.outreach_forms import ConsentRecordForm
from careerrelay.web.views import _actor, _safe_next, member_required

PAGE_SIZE = 50


def _language() -> str:
    return (translation.get_language() or "ja")[:2]


def _report(request: HttpRequest, form: django_forms.Form) -> None:
    """Form errors as messages naming the field, for forms posted from another page."""
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else ""
        for error in errors:
            messages.error(request, f"{label}: {error}" if label else str(error))


@member_required
@require_GET
def candidates_view(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    reasons, tags = list(selectors.reasons_list(org=actor.org)), list(selectors.tags_list(org=actor.org))
    form = pool_forms.PoolFilterForm(request.GET or None, reasons=reasons, tags=tags, language=_language())
    rows: list[Candidate] = []
    next_cursor, status = None, 200
    if not form.is_bound or form.is_valid():
        filters = form.filters() if form.is_bound else None
        try:
            rows, next_cursor = paginate(
                pool_summaries(org=actor.org, filters=filters), cursor=request.GET.get("cursor"), limit=PAGE_SIZE
            )
        except DomainValidationError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
    if form.errors:
        status = 400
    labels = dict(Application.Status.choices)
    for row in rows:
        row.latest_status_label = labels.get(row.latest_status, "—")  # type: ignore[attr-defined]
    query = request.GET.copy()
    query.pop("cursor", None)
    context = {
        "form": form,
        "rows": rows,
        "next_query": f"{query.urlencode()}&cursor={next_cursor}" if next_cursor else "",
        "bulk_form": pool_forms.BulkTagForm(tags=tags, language=_language()),
        "can_write": actor.role != "viewer",
        "language": _language(),
    }
    return render(request, "web/candidates.html", context, status=status)


@member_required
@require_POST
def bulk_tag_view(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    tags = list(selectors.tags_list(org=actor.org))
    form = pool_forms.BulkTagForm(request.POST, tags=tags, language=_language())
    back = _safe_next(request, request.POST.get("next"), reverse("web:candidates"))
    if not form.is_valid():
        _report(request, form)
        return redirect(back)
    changed = services.tags_set(
        actor=actor,
        candidate_ids=form.cleaned_data["candidate_ids"],
        tag_code=form.cleaned_data["tag"],
        present=form.cleaned_data["action"] == "add",
    )
    messages.success(request, _("%(count)s candidate(s) changed.") % {"count": changed})
    return redirect(back)


@member_required
@require_GET
def candidate_view(request: HttpRequest, candidate_id: str) -> HttpResponse:
    actor = _actor(request)
    profile = candidate_profile(org=actor.org, pk=candidate_id)
    language = _language()
    # CROSS-ORG: the org's own network memberships, joined to networks another org (the operator) runs.
    with tenancy.system_scope("the networks this org may share into are run by the operator"):
        networks = [m.network for m in memberships_of(org=actor.org) if m.status == "active"]
    context = {
        "profile": profile,
        "candidate": profile.candidate,
        "language": language,
        "applications": [
            (view, pool_forms.EvaluationForm(auto_id=f"ev-{view.application.pk}-%s")) for view in profile.applications
        ],
        "can_write": actor.role != "viewer",
        "contact": contact_record(org=actor.org, candidate_id=profile.candidate.pk),
        "consent_form": ConsentRecordForm(auto_id="consent-%s"),
        "networks": networks,
    }
    return render(request, "web/candidate.html", context)


@member_required
@require_POST
def reject_view(request: HttpRequest, application_id: str) -> HttpResponse:
    actor = _actor(request)
    application = selectors.application_get(org=actor.org, pk=application_id)
    reasons = list(selectors.reasons_list(org=actor.org))
    form = pool_forms.RejectForm(request.POST, reasons=reasons, language=_language())
    back = redirect("web:candidate", candidate_id=application.candidate_id)
    if not form.is_valid():
        _report(request, form)
        return back
    try:
        services.candidate_reject(actor=actor, application_id=application.pk, **form.cleaned_data)
    except (DomainValidationError, Conflict) as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("The application was closed."))
    return back


@member_required
@require_POST
def left_on_view(request: HttpRequest, application_id: str) -> HttpResponse:
    actor = _actor(request)
    application = selectors.application_get(org=actor.org, pk=application_id)
    form = pool_forms.LeaveForm(request.POST)
    back = redirect("web:candidate", candidate_id=application.candidate_id)
    if not form.is_valid():
        _report(request, form)
        return back
    left_on = form.cleaned_data["left_on"]
    try:
        application_set_left_on(actor=actor, application_id=application.pk, left_on=left_on)
    except (DomainValidationError, Conflict) as exc:
        messages.error(request, f"{form.fields['left_on'].label}: {exc}")
    else:
        messages.success(request, _("Leave date recorded.") if left_on else _("Leave date cleared."))
    return back


@member_required
@require_POST
def evaluation_view(request: HttpRequest, application_id: str) -> HttpResponse:
    actor = _actor(request)
    application = selectors.application_get(org=actor.org, pk=application_id)
    form = pool_forms.EvaluationForm(request.POST)
    back = redirect("web:candidate", candidate_id=application.candidate_id)
    if not form.is_valid():
        _report(request, form)
        return back
    data = form.cleaned_data
    try:
        services.evaluation_add(
            actor=actor,
            application_id=application.pk,
            interviewer=data["interviewer"],
            stage=data["stage"],
            scores=data["scores"],
            recommendation=data["recommendation"],
            comment=data["comment"],
        )
    except DomainValidationError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("The evaluation was added."))
    return back


@member_required
@require_http_methods(["GET", "POST"])
def jobs_view(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    form = pool_forms.JobForm(request.POST or None, language=_language())
    if request.method == "POST" and form.is_valid():
        try:
            job = services.job_create(actor=actor, **form.job_values())
        except DomainValidationError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, _("The job “%(title)s” was created.") % {"title": job.title})
            return redirect("web:job", job_id=job.pk)
    context = {
        "form": form,
        "jobs": selectors.jobs_list(org=actor.org).order_by("-id"),
        "can_write": actor.role != "viewer",
    }
    return render(request, "web/jobs.html", context, status=400 if form.errors else 200)

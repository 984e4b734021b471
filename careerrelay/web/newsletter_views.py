"""Newsletter pages (case C): the list, the composer with its live preview and recipient count,
scheduling (admins) and the status of a newsletter being sent."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from careerrelay.candidates import selectors as pool_selectors
from careerrelay.core import clock
from careerrelay.core.errors import Conflict, DomainValidationError
from careerrelay.orgs.actors import Actor
from careerrelay.outreach import newsletter_selectors as selectors
from careerrelay.outreach.models import Newsletter
from careerrelay.outreach.newsletters import newsletter_cancel, newsletter_preview, newsletter_save, newsletter_schedule
from careerrelay.web.newsletter_forms import NewsletterForm, ScheduleForm
from careerrelay.web.pool_views import _language, _report
from careerrelay.web.views import _actor, member_required


def _form(actor: Actor, data: Any = None, initial: dict[str, Any] | None = None) -> NewsletterForm:
    language = _language()
    departments = sorted({d for d in pool_selectors.jobs_list(org=actor.org).values_list("department", flat=True) if d})
    return NewsletterForm(
        data,
        initial=initial,
        tags=[
            (t.code, t.label_en if language == "en" else t.label_ja) for t in pool_selectors.tags_list(org=actor.org)
        ],
        reasons=[(r.code, r.label(language)) for r in pool_selectors.reasons_list(org=actor.org)],
        departments=departments,
    )


def _previews(actor: Actor, data: Mapping[str, Any]) -> dict[str, str]:
    previews = {}
    for language in ("ja", "en"):
        rendered = newsletter_preview(
            org=actor.org,
            subject=str(data.get(f"subject_{language}", "")),
            body=str(data.get(f"body_{language}", "")),
            language=language,
        )
        previews[f"subject_{language}"], previews[f"body_{language}"] = rendered.subject, rendered.body
    return previews


def _reach(actor: Actor, form: NewsletterForm) -> selectors.Reach | None:
    if not form.is_bound:
        return None
    form.is_valid()  # the segment's fields are read even when the texts are not written yet
    try:
        return selectors.segment_reach(org=actor.org, segment=form.segment(), at=clock.now())
    except DomainValidationError:
        return None


@member_required
@require_GET
def newsletters_view(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    rows = [(n, selectors.newsletter_counts(n)) for n in selectors.newsletters_list(org=actor.org)[:100]]
    return render(request, "web/newsletters.html", {"rows": rows})


def _composer(request: HttpRequest, actor: Actor, newsletter: Newsletter | None) -> HttpResponse:
    initial = NewsletterForm.initial_from(newsletter) if newsletter else None
    form = _form(actor, request.POST or None, initial)
    if request.method == "POST" and form.is_valid():
        try:
            saved = newsletter_save(actor=actor, data=form.value(), newsletter_id=newsletter.pk if newsletter else None)
        except DomainValidationError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        except Conflict as exc:
            messages.error(request, str(exc))
            return redirect("web:newsletters")
        else:
            messages.success(request, _("The newsletter is saved as a draft."))
            return redirect("web:newsletter", newsletter_id=saved.pk)
    data: Mapping[str, Any] = form.data if form.is_bound else (initial or {})
    bound_for_count = form if form.is_bound else _form(actor, initial or {})
    return render(
        request,
        "web/newsletter_compose.html",
        {
            "newsletter": newsletter,
            "form": form,
            "preview": _previews(actor, data),
            "reach": _reach(actor, bound_for_count),
            "schedule_form": ScheduleForm(),
            "is_admin": actor.role == "admin",
        },
        status=400 if form.errors else 200,
    )


@member_required
@require_http_methods(["GET", "POST"])
def newsletter_new_view(request: HttpRequest) -> HttpResponse:
    return _composer(request, _actor(request), None)


@member_required
@require_http_methods(["GET", "POST"])
def newsletter_view(request: HttpRequest, newsletter_id: str) -> HttpResponse:
    """A draft opens in the composer; a scheduled or sent one shows its status."""
    actor = _actor(request)
    newsletter = selectors.newsletter_get(org=actor.org, pk=newsletter_id)
    if newsletter.status == Newsletter.Status.DRAFT:
        return _composer(request, actor, newsletter)
    if request.method == "POST":
        messages.error(request, _("Only a draft can be changed."))
        return redirect("web:newsletter", newsletter_id=newsletter.pk)
    return render(
        request,
        "web/newsletter_status.html",
        {
            "newsletter": newsletter,
            "counts": selectors.newsletter_counts(newsletter),
            "segment": selectors.Segment.from_json(newsletter.segment),
            "is_admin": actor.role == "admin",
        },
    )


@member_required
@require_POST
def newsletter_preview_view(request: HttpRequest) -> JsonResponse:
    """The live preview: the composer's script posts the draft as it is typed; the answer has
    both languages and the number of people the segment reaches now."""
    actor = _actor(request)
    form = _form(actor, request.POST)
    form.is_valid()
    previews = _previews(actor, request.POST)
    reach = _reach(actor, form)
    previews["recipients"] = str(reach.recipients) if reach else "–"
    return JsonResponse(previews)


@member_required
@require_POST
def newsletter_schedule_view(request: HttpRequest, newsletter_id: str) -> HttpResponse:
    actor = _actor(request)
    newsletter = selectors.newsletter_get(org=actor.org, pk=newsletter_id)
    form = ScheduleForm(request.POST)
    if not form.is_valid():
        _report(request, form)
        return redirect("web:newsletter", newsletter_id=newsletter.pk)
    try:
        newsletter_schedule(actor=actor, newsletter_id=newsletter.pk, send_at=form.send_at_utc())
    except (DomainValidationError, Conflict) as exc:
        messages.error(request, str(getattr(exc, "message", exc)))
    else:
        messages.success(request, _("The newsletter is scheduled."))
    return redirect("web:newsletter", newsletter_id=newsletter.pk)


@member_required
@require_POST
def newsletter_cancel_view(request: HttpRequest, newsletter_id: str) -> HttpResponse:
    actor = _actor(request)
    newsletter = selectors.newsletter_get(org=actor.org, pk=newsletter_id)
    try:
        newsletter_cancel(actor=actor, newsletter_id=newsletter.pk)
    except Conflict as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("The newsletter is cancelled. Nothing more goes out."))
    return redirect("web:newsletter", newsletter_id=newsletter.pk)

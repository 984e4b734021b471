"""The job page: the job, how many past candidates fit it, stored suggestions and ranked matches."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import translation
from django.views.decorators.http import require_GET

from careerrelay.matching import selectors
from careerrelay.matching.models import MatchSuggestion
from careerrelay.web.views import _actor, member_required


@member_required
@require_GET
def job_view(request: HttpRequest, job_id: str) -> HttpResponse:
    view = selectors.job_matches_view(org=_actor(request).org, job_id=job_id)
    english = (translation.get_language() or "ja").startswith("en")
    opened = [s for s in view.suggestions if s.origin == MatchSuggestion.Origin.JOB_OPENED]
    context = {
        "job": view.job,
        "fit_count": len(opened),
        "suggestions": [(s, s.reason_en if english else s.reason_ja) for s in view.suggestions],
        "matches": [(m, m.reason["en" if english else "ja"]) for m in view.matches],
    }
    return render(request, "web/job.html", context)

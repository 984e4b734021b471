"""A job's matches: the org's rejected and withdrawn candidates who may be re-contacted, ranked."""

from __future__ import annotations

import uuid
from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema
from pydantic import Field

from careerrelay.api.auth import actor_of
from careerrelay.api.matching_schemas import MatchesOut
from careerrelay.api.schemas import problems
from careerrelay.matching import selectors

router = Router()


class MatchQuery(Schema):
    limit: int = Field(20, ge=1, le=selectors.MAX_LIMIT, description="how many of the best matches")


@router.get(
    "/{job_id}/matches",
    response={200: MatchesOut, **problems(404, 422)},
    summary="Ranked matches for a job from the org's own pool, with reasons",
)
def job_matches(request: HttpRequest, job_id: uuid.UUID, params: Query[MatchQuery]) -> dict[str, Any]:
    view = selectors.job_matches_view(org=actor_of(request).org, job_id=job_id, limit=params.limit)
    return {
        "job_id": view.job.pk,
        "items": [
            {"candidate": m.candidate, "score": m.score, "reason": m.reason, "explanation": m.explanation}
            for m in view.matches
        ],
        "suggestions": [
            {
                "candidate": s.candidate,
                "score": s.score,
                "reason": {"ja": s.reason_ja, "en": s.reason_en},
                "explanation": s.explanation,
                "origin": s.origin,
                "from_job_id": s.from_application.job_id if s.from_application else None,
            }
            for s in view.suggestions
        ],
    }

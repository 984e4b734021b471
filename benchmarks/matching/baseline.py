"""The baseline a Django developer writes first: `icontains` over the candidate's search text.

Every skill of the job and every word of its title is one `icontains` term; candidates are ordered
by how many terms they contain. The search text is the pool's own (candidates.search), which is
already NFKC-normalised, lower-cased and in katakana, and the terms are normalised the same way, so
the baseline gets width and kana for free. It looks at the same consenting people as the ranker.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db.models import Case, IntegerField, Q, Value, When

from careerrelay.candidates.models import Candidate, JobRequisition
from careerrelay.candidates.search import normalize_query
from careerrelay.matching.selectors import recontact_consenting_ids
from careerrelay.orgs.models import Organization


def terms_of(job: JobRequisition) -> list[str]:
    words = [*job.required_skills, *job.preferred_skills, *normalize_query(job.title).split()]
    return list(dict.fromkeys(t for t in (normalize_query(str(w)) for w in words) if t))


def icontains_rank(*, org: Organization, job: JobRequisition, at: datetime, limit: int = 20) -> list[Any]:
    terms = terms_of(job)
    if not terms:
        return []
    anywhere = Q()
    for term in terms:
        anywhere |= Q(search_text__icontains=term)
    hits = sum(
        (
            Case(When(search_text__icontains=t, then=Value(1)), default=Value(0), output_field=IntegerField())
            for t in terms
        ),
        start=Value(0),
    )
    return list(
        Candidate.objects.filter(org=org, pk__in=recontact_consenting_ids(org=org, at=at))
        .filter(anywhere)
        .annotate(hits=hits)
        .order_by("-hits", "-id")
        .values_list("pk", flat=True)[:limit]
    )

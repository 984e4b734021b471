"""Identity resolution: is this incoming person someone the org already knows?

Rules, strongest first: the id in the source system; the normalised email; the E.164 phone;
the full kana name with the birth year. A match on a merged record resolves to the survivor.
Re-application rates depend on this being right, so each rule is tested on its own.
"""

from __future__ import annotations

from careerrelay.candidates.data import CandidateData
from careerrelay.candidates.models import Candidate, ExternalId
from careerrelay.orgs.models import Organization


def _survivor(candidate: Candidate) -> Candidate:
    seen = {candidate.pk}
    while candidate.merged_into_id is not None and candidate.merged_into_id not in seen:
        seen.add(candidate.merged_into_id)
        candidate = Candidate.objects.get(org_id=candidate.org_id, pk=candidate.merged_into_id)
    return candidate


def find_existing(*, org: Organization, data: CandidateData) -> tuple[Candidate | None, str]:
    """The known candidate `data` describes and the rule that matched, or (None, "")."""
    pool = Candidate.objects.filter(org=org)
    if data.external_system and data.external_id:
        link = (
            ExternalId.objects.filter(org=org, system=data.external_system, value=data.external_id)
            .select_related("candidate")
            .first()
        )
        if link is not None:
            return _survivor(link.candidate), "external_id"
    if data.email:
        found = pool.filter(email=data.email).order_by("id").first()
        if found is not None:
            return _survivor(found), "email"
    if data.phone:
        found = pool.filter(phone=data.phone).order_by("id").first()
        if found is not None:
            return _survivor(found), "phone"
    if data.family_name_kana and data.given_name_kana and data.birth_year:
        found = (
            pool.filter(
                family_name_kana=data.family_name_kana,
                given_name_kana=data.given_name_kana,
                birth_year=data.birth_year,
            )
            .order_by("id")
            .first()
        )
        if found is not None:
            return _survivor(found), "kana_name_birth_year"
    return None, ""

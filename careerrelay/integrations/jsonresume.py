"""JSON Resume (jsonresume.org) in and out: validated against the project's own schema
(data/jsonresume.schema.json), converted to and from CandidateData."""

from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _
from jsonschema import Draft4Validator
from jsonschema.exceptions import ValidationError as SchemaError

from careerrelay.candidates.data import CandidateData
from careerrelay.candidates.models import Candidate
from careerrelay.candidates.selectors import candidate_get
from careerrelay.candidates.services import UpsertResult, candidate_upsert
from careerrelay.core import prefectures
from careerrelay.core.errors import DomainValidationError
from careerrelay.core.phone import to_e164
from careerrelay.core.text import normalize
from careerrelay.orgs.actors import Actor
from careerrelay.orgs.models import Organization

SOURCE = "jsonresume"
SCHEMA_PATH = Path(__file__).resolve().parent / "data" / "jsonresume.schema.json"
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff]")
# Where a field of ours lives in a résumé, for error pointers.
POINTERS = {
    "email": "basics/email",
    "phone": "basics/phone",
    "family_name": "basics/name",
    "given_name": "basics/name",
    "prefecture": "basics/location/region",
    "current_title": "basics/label",
    "current_employer": "work/0/name",
}


class JsonResumeInvalid(DomainValidationError):
    """The résumé is refused; `errors` lists (JSON pointer, message) for every problem found."""

    def __init__(self, errors: list[tuple[str, str]]) -> None:
        pointer, message = errors[0]
        super().__init__(message, field=pointer.removeprefix("#/"))
        self.errors = errors


@lru_cache(maxsize=1)
def _validator() -> Draft4Validator:
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    return Draft4Validator(schema, format_checker=Draft4Validator.FORMAT_CHECKER)


def _pointer(parts: list[Any]) -> str:
    return "#" + "".join("/" + str(part).replace("~", "~0").replace("/", "~1") for part in parts)


def _message(error: SchemaError) -> str:
    if error.validator == "type":
        return _("Expected a value of type %(type)s.") % {"type": error.validator_value}
    if error.validator == "format":
        return _("This is not a valid %(format)s.") % {"format": error.validator_value}
    if error.validator == "pattern":
        return _("Use a date in the form YYYY, YYYY-MM or YYYY-MM-DD.")
    if error.validator == "additionalProperties":
        return _("This member is not part of a JSON Resume.")
    return _("This does not match the JSON Resume schema.")


def validate(resume: Any) -> list[tuple[str, str]]:
    """Every schema violation as (JSON pointer, localised message), sorted by pointer."""
    found: list[tuple[str, str]] = []
    for error in _validator().iter_errors(resume):
        path = list(error.absolute_path)
        if error.validator == "additionalProperties" and isinstance(error.instance, dict):
            known = set(error.schema.get("properties", {}))
            for name in sorted(set(error.instance) - known):
                found.append((_pointer([*path, name]), _message(error)))
            continue
        found.append((_pointer(path), _message(error)))
    return sorted(found)


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def _is_cjk(text: str) -> bool:
    return bool(_CJK.search(text))


def split_name(name: str) -> tuple[str, str]:
    """(family, given). Japanese names come family first; others given first, family last."""
    parts = normalize(name).split(" ")
    if not parts[0]:
        return "", ""
    if _is_cjk(name):
        return parts[0], " ".join(parts[1:])
    if len(parts) == 1:
        return "", parts[0]
    return parts[-1], " ".join(parts[:-1])


def join_name(family: str, given: str) -> str:
    ordered = (family, given) if _is_cjk(family + given) else (given, family)
    return " ".join(part for part in ordered if part)


def _current_job(work: list[Any]) -> dict[str, Any]:
    jobs = [job for job in work if isinstance(job, dict)]
    ongoing = [job for job in jobs if not job.get("endDate")]
    return (ongoing or jobs or [{}])[0]


def to_candidate_data(resume: dict[str, Any]) -> CandidateData:
    basics = resume.get("basics") or {}
    location = basics.get("location") or {}
    country = _text(location.get("countryCode")).upper()
    family, given = split_name(_text(basics.get("name")))
    try:
        phone = to_e164(_text(basics.get("phone")), region=country if len(country) == 2 else "JP")
    except ValueError as exc:
        raise JsonResumeInvalid([("#/basics/phone", _("This is not a valid phone number."))]) from exc
    region = _text(location.get("region"))
    prefecture = prefectures.prefecture_from_text(region) if region and country in ("", "JP") else None
    job = _current_job(resume.get("work") or [])
    skills: list[str] = []
    for skill in resume.get("skills") or []:
        skills += [_text(skill.get("name")), *(_text(word) for word in skill.get("keywords") or [])]
    links = [_text(basics.get("url"))] + [_text(profile.get("url")) for profile in basics.get("profiles") or []]
    return CandidateData(
        family_name=family,
        given_name=given,
        email=_text(basics.get("email")),
        phone=phone,
        prefecture=prefecture.code if prefecture else "",
        city=_text(location.get("city")),
        current_title=_text(basics.get("label")) or _text(job.get("position")),
        current_employer=_text(job.get("name")) or _text(job.get("company")),
        skills=[skill for skill in skills if skill],
        languages=[_text(entry.get("language")) for entry in resume.get("languages") or [] if entry.get("language")],
        resume_text=_text(basics.get("summary")),
        links=[link for link in links if link],
    )


def from_candidate(candidate: Candidate) -> dict[str, Any]:
    """The candidate as a JSON Resume; empty values are left out."""
    location: dict[str, str] = {"city": candidate.city}
    if candidate.prefecture:
        location |= {"region": prefectures.BY_CODE[candidate.prefecture].ja, "countryCode": "JP"}
    links = list(candidate.links or [])
    basics: dict[str, Any] = {
        "name": join_name(candidate.family_name, candidate.given_name),
        "label": candidate.current_title,
        "email": candidate.email,
        "phone": candidate.phone,
        "url": links[0] if links else "",
        "summary": candidate.resume_text,
        "location": {key: value for key, value in location.items() if value},
        "profiles": [{"url": link} for link in links[1:]],
    }
    resume: dict[str, Any] = {"basics": {key: value for key, value in basics.items() if value}}
    if candidate.current_employer:
        resume["work"] = [{"name": candidate.current_employer, "position": candidate.current_title}]
    if candidate.skills:
        resume["skills"] = [{"name": skill} for skill in candidate.skills]
    if candidate.languages:
        resume["languages"] = [{"language": language} for language in candidate.languages]
    resume["meta"] = {"version": "v1.0.0"}
    return resume


def jsonresume_import(*, actor: Actor, resume: Any) -> UpsertResult:
    """Validate a résumé and add the person to the pool (or update the one identity resolution finds)."""
    errors = validate(resume)
    if errors:
        raise JsonResumeInvalid(errors)
    data = to_candidate_data(resume)
    try:
        return candidate_upsert(actor=actor, data=data, source=SOURCE)
    except JsonResumeInvalid:
        raise
    except DomainValidationError as exc:
        pointer = "#/" + POINTERS.get(exc.field or "", "basics")
        raise JsonResumeInvalid([(pointer, exc.message)]) from exc


def jsonresume_export(*, org: Organization, candidate_id: Any) -> dict[str, Any]:
    return from_candidate(candidate_get(org=org, pk=candidate_id))

"""Check and normalise a CandidateData before it touches the database.

Each problem raises DomainValidationError naming the field, so a CSV importer can report the
row and column, the API the JSON pointer, and a form the field.
"""

from __future__ import annotations

from dataclasses import replace

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db.models import CharField
from django.utils.translation import gettext as _

from careerrelay.candidates.data import LIST_FIELDS, CandidateData
from careerrelay.candidates.models import Candidate
from careerrelay.core import clock
from careerrelay.core.errors import DomainValidationError
from careerrelay.core.phone import to_e164
from careerrelay.core.prefectures import prefecture_from_text
from careerrelay.core.text import normalize, normalize_email, normalize_kana

# The columns' limits, checked here so that an over-long value is a named field error on every
# entry point (API, JSON Resume, webhooks), not a database error.
_MAX_LENGTHS = {
    field.name: field.max_length
    for field in Candidate._meta.get_fields()
    if isinstance(field, CharField) and field.max_length and field.name in CandidateData.__dataclass_fields__
}


def _clean_list(values: list[str]) -> list[str]:
    seen: dict[str, None] = {}
    for value in values:
        text = normalize(str(value))
        if text:
            seen.setdefault(text, None)
    return list(seen)


def clean_candidate_data(data: CandidateData) -> CandidateData:
    cleaned = replace(
        data,
        family_name=normalize(data.family_name),
        given_name=normalize(data.given_name),
        family_name_kana=normalize_kana(data.family_name_kana),
        given_name_kana=normalize_kana(data.given_name_kana),
        email=normalize_email(data.email) if data.email else "",
        city=normalize(data.city),
        current_title=normalize(data.current_title),
        current_employer=normalize(data.current_employer),
        resume_text=data.resume_text.strip(),
        external_system=normalize(data.external_system).lower(),
        external_id=normalize(data.external_id),
    )
    for name in LIST_FIELDS:
        setattr(cleaned, name, _clean_list(getattr(data, name)))
    cleaned.language = normalize(data.language).lower()[:2]
    if cleaned.language not in ("", "ja", "en"):
        raise DomainValidationError(_("Choose Japanese or English."), field="language")
    if cleaned.email:
        try:
            validate_email(cleaned.email)
        except ValidationError as exc:
            raise DomainValidationError(_("Enter a valid email address."), field="email") from exc
    try:
        cleaned.phone = to_e164(data.phone)
    except ValueError as exc:
        raise DomainValidationError(_("This is not a valid phone number."), field="phone") from exc
    if data.prefecture:
        prefecture = prefecture_from_text(data.prefecture)
        if prefecture is None:
            raise DomainValidationError(_("Unknown prefecture."), field="prefecture")
        cleaned.prefecture = prefecture.code
    this_year = clock.today_jst().year
    if cleaned.birth_year is not None and not 1900 <= cleaned.birth_year <= this_year - 15:
        raise DomainValidationError(_("The birth year is out of range."), field="birth_year")
    if cleaned.years_experience is not None and not 0 <= cleaned.years_experience <= 70:
        raise DomainValidationError(_("Years of experience must be between 0 and 70."), field="years_experience")
    low, high = cleaned.desired_salary_min, cleaned.desired_salary_max
    if low is not None and high is not None and low > high:
        raise DomainValidationError(
            _("The lower end of the desired salary is above the upper end."), field="desired_salary_min"
        )
    for name, limit in _MAX_LENGTHS.items():
        if len(getattr(cleaned, name)) > limit:
            raise DomainValidationError(_("At most %(max)s characters.") % {"max": limit}, field=name)
    if not (cleaned.family_name or cleaned.given_name or cleaned.email or cleaned.family_name_kana):
        raise DomainValidationError(_("A candidate needs at least a name or an email address."), field="family_name")
    return cleaned

"""One CSV row → what the import will write: a CandidateData and, when the row has one, an
application. Every bad value raises DomainValidationError naming the field; the importer turns
the field into the file's column name."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time

from django.db.models import CharField
from django.utils.translation import gettext as _

from careerrelay.candidates.cleaning import clean_candidate_data
from careerrelay.candidates.data import LIST_FIELDS, CandidateData
from careerrelay.candidates.imports.presets import CANDIDATE_FIELDS, Mapping
from careerrelay.candidates.models import Application, Candidate, RejectionReason
from careerrelay.core.clock import JST
from careerrelay.core.errors import DomainValidationError
from careerrelay.core.text import normalize

INT_FIELDS = {"birth_year", "years_experience", "desired_salary_min", "desired_salary_max"}
TRUE = {"1", "true", "yes", "y", "○", "◯", "可", "はい", "有", "✓", "〇"}
FALSE = {"", "0", "false", "no", "n", "×", "不可", "いいえ", "無", "-"}
STATUSES = {
    Application.Status.ACTIVE: {"active", "選考中", "応募", "書類選考", "面接", "in process", "new"},
    Application.Status.OFFER: {"offer", "内定"},
    Application.Status.HIRED: {"hired", "入社", "採用"},
    Application.Status.REJECTED: {"rejected", "不採用", "見送り", "お見送り"},
    Application.Status.WITHDRAWN: {"withdrawn", "辞退", "本人辞退"},
}
_STATUS = {word: status for status, words in STATUSES.items() for word in words}
_DATE = re.compile(r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?")
_US_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})")
_LIST_SPLIT = re.compile(r"\s*[;、,]\s*|\n")


@dataclass
class ApplicationFields:
    ref: str
    job_title: str
    department: str
    applied_at: datetime | None
    status: str
    reason: RejectionReason | None
    rescout_eligible: bool
    evaluation_summary: str
    note: str


@dataclass
class ParsedRow:
    data: CandidateData
    candidate_id: str
    source: str
    application: ApplicationFields | None


def _bad(message: str, field: str) -> DomainValidationError:
    return DomainValidationError(message, field=field)


def parse_int(value: str, field: str) -> int | None:
    text = normalize(value).replace(",", "").removesuffix("年").removesuffix("歳").removesuffix("円").strip()
    if not text:
        return None
    if not text.isdigit():
        raise _bad(_("Enter a whole number."), field)
    return int(text)


def parse_date(value: str, field: str) -> date | None:
    text = normalize(value)
    if not text:
        return None
    found = _DATE.match(text)
    parts = (found.group(1), found.group(2), found.group(3)) if found else None
    if parts is None and (us := _US_DATE.match(text)):
        parts = (us.group(3), us.group(1), us.group(2))
    try:
        if parts is None:
            raise ValueError(text)
        return date(int(parts[0]), int(parts[1]), int(parts[2]))
    except ValueError as exc:
        raise _bad(_("Enter a date such as 2024-04-01 or 2024/4/1."), field) from exc


def parse_bool(value: str, field: str) -> bool:
    text = normalize(value).casefold()
    if text in TRUE:
        return True
    if text in FALSE:
        return False
    raise _bad(_("Enter yes or no (はい/いいえ, 1/0, ○/×)."), field)


def _split_name(value: str) -> tuple[str, str]:
    parts = normalize(value).split(" ", 1)
    return (parts[0], parts[1]) if len(parts) == 2 else (parts[0], "")


def unquote_formula(value: str) -> str:
    """Our export writes '=… for a cell starting with = + - @; read it back as typed."""
    if len(value) > 1 and value[0] == "'" and value[1] in "=+-@\t\r":
        return value[1:]
    return value


class Reasons:
    """The org's rejection reasons by code and by Japanese or English label."""

    def __init__(self, reasons: list[RejectionReason]) -> None:
        self.by_key: dict[str, RejectionReason] = {}
        for reason in reasons:
            for key in (reason.code, reason.label_ja, reason.label_en):
                self.by_key.setdefault(normalize(key).casefold(), reason)

    def find(self, value: str) -> RejectionReason | None:
        text = normalize(value).casefold()
        if not text:
            return None
        try:
            return self.by_key[text]
        except KeyError:
            raise _bad(
                _("Unknown rejection reason: %(value)s. Use a code or label of your organisation's reasons.")
                % {"value": value.strip()},
                "rejection_reason",
            ) from None


# Longest values the columns hold (the model's max_length; refs leave room for a system prefix).
LIMITS = {
    **{f.name: f.max_length for f in Candidate._meta.get_fields() if isinstance(f, CharField) and f.max_length},
    "external_id": 200,
    "source": 40,
    "application_ref": 80,
    "job_title": 200,
    "department": 100,
}


def _check_lengths(values: dict[str, str]) -> None:
    for field, value in values.items():
        limit = LIMITS.get(field)
        if limit is not None and field not in ("phone", "prefecture") and len(normalize(value)) > limit:
            raise _bad(_("At most %(max)s characters.") % {"max": limit}, field)


def parse_row(cells: list[str], mapping: Mapping, reasons: Reasons) -> ParsedRow:
    values: dict[str, str] = {}
    for index, field in mapping.positions.items():
        values[field] = unquote_formula(cells[index]) if index < len(cells) else ""
    _check_lengths(values)
    data = CandidateData()
    if values.get("full_name"):
        data.family_name, data.given_name = _split_name(values["full_name"])
    if values.get("full_name_kana"):
        data.family_name_kana, data.given_name_kana = _split_name(values["full_name_kana"])
    for field in CANDIDATE_FIELDS:
        if field not in values:
            continue
        raw = values[field]
        if field in INT_FIELDS:
            setattr(data, field, parse_int(raw, field))
        elif field == "available_from":
            data.available_from = parse_date(raw, field)
        elif field in LIST_FIELDS:
            setattr(data, field, [part for part in _LIST_SPLIT.split(raw) if part.strip()])
        elif raw:
            setattr(data, field, raw)
    external_id = normalize(values.get("external_id", "") or values.get("candidate_id", ""))
    if external_id:
        data.external_system, data.external_id = mapping.system, external_id
    data = clean_candidate_data(data)
    _check_lengths(
        {name: getattr(data, name) for name in ("family_name", "given_name", "family_name_kana", "given_name_kana")}
    )
    return ParsedRow(
        data=data,
        candidate_id=normalize(values.get("candidate_id", "")),
        source=normalize(values.get("source", "")),
        application=_application(values, reasons),
    )


def _application(values: dict[str, str], reasons: Reasons) -> ApplicationFields | None:
    keys = ("application_ref", "job_title", "applied_at", "status", "rejection_reason")
    if not any(normalize(values.get(key, "")) for key in keys):
        return None
    status_text = normalize(values.get("status", "")).casefold()
    status = _STATUS.get(status_text) if status_text else Application.Status.ACTIVE
    if status is None:
        raise _bad(_("Unknown status: %(value)s.") % {"value": values["status"].strip()}, "status")
    reason = reasons.find(values.get("rejection_reason", ""))
    if reason is None and status == Application.Status.WITHDRAWN:
        reason = reasons.by_key.get("withdrew")
    if reason is not None and status == Application.Status.ACTIVE and not status_text:
        status = Application.Status.REJECTED
    closed = status in (Application.Status.REJECTED, Application.Status.WITHDRAWN)
    if closed and reason is None:
        raise _bad(_("A rejected application needs a rejection reason."), "rejection_reason")
    if not closed:
        reason = None  # an open application keeps no rejection reason
    applied = parse_date(values.get("applied_at", ""), "applied_at")
    return ApplicationFields(
        ref=normalize(values.get("application_ref", "")),
        job_title=normalize(values.get("job_title", "")),
        department=normalize(values.get("department", "")),
        applied_at=datetime.combine(applied, time(9), tzinfo=JST) if applied else None,
        status=status,
        reason=reason,
        rescout_eligible=parse_bool(values.get("rescout_eligible", ""), "rescout_eligible"),
        evaluation_summary=values.get("evaluation_summary", "").strip(),
        note=values.get("note", "").strip(),
    )

"""Header mapping presets: which column of a CSV file fills which field.

Fields are CandidateData's names plus a few of the application's (job_title, applied_at, …) and
two conveniences for files that keep the whole name in one column (full_name, full_name_kana).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from careerrelay.core.errors import DomainValidationError
from careerrelay.core.text import normalize

CANDIDATE_FIELDS = [
    "family_name",
    "given_name",
    "family_name_kana",
    "given_name_kana",
    "email",
    "phone",
    "prefecture",
    "city",
    "birth_year",
    "current_title",
    "current_employer",
    "years_experience",
    "skills",
    "languages",
    "desired_roles",
    "desired_locations",
    "desired_salary_min",
    "desired_salary_max",
    "available_from",
    "resume_text",
    "links",
]
APPLICATION_FIELDS = [
    "source",
    "application_ref",
    "job_title",
    "department",
    "applied_at",
    "status",
    "rejection_reason",
    "rescout_eligible",
    "evaluation_summary",
    "note",
]
# The columns our export writes, in order; the "ours" preset reads them back.
OURS_COLUMNS = ["candidate_id", *CANDIDATE_FIELDS, *APPLICATION_FIELDS]
FIELDS = {*OURS_COLUMNS, "external_id", "full_name", "full_name_kana"}
MAX_COLUMNS = 1000

GREENHOUSE = {
    "Candidate ID": "external_id",
    "First Name": "given_name",
    "Last Name": "family_name",
    "Email": "email",
    "Email Address": "email",
    "Phone": "phone",
    "Phone Number": "phone",
    "Company": "current_employer",
    "Current Company": "current_employer",
    "Title": "current_title",
    "Current Title": "current_title",
    "Job": "job_title",
    "Job Name": "job_title",
    "Department": "department",
    "Applied On": "applied_at",
    "Application Date": "applied_at",
    "Status": "status",
    "Rejection Reason": "rejection_reason",
    "Source": "source",
    "Application ID": "application_ref",
}

JA_ATS = {
    "応募者ID": "external_id",
    "姓": "family_name",
    "名": "given_name",
    "セイ": "family_name_kana",
    "メイ": "given_name_kana",
    "氏名": "full_name",
    "フリガナ": "full_name_kana",
    "メールアドレス": "email",
    "電話番号": "phone",
    "都道府県": "prefecture",
    "市区町村": "city",
    "生年": "birth_year",
    "現職": "current_title",
    "現在の勤務先": "current_employer",
    "経験年数": "years_experience",
    "スキル": "skills",
    "希望職種": "desired_roles",
    "希望勤務地": "desired_locations",
    "応募経路": "source",
    "応募日": "applied_at",
    "応募職種": "job_title",
    "部署": "department",
    "ステータス": "status",
    "不採用理由": "rejection_reason",
    "再スカウト可": "rescout_eligible",
    "評価": "evaluation_summary",
    "備考": "note",
}

PRESETS: dict[str, dict[str, str]] = {
    "ours": {column: column for column in OURS_COLUMNS},
    "greenhouse": GREENHOUSE,
    "ja_ats": JA_ATS,
}
# The system an external id belongs to, per preset (re-imports are keyed by it). Before each
# preset had its own, ja_ats and custom imports shared "csv": identity.SYSTEM_FALLBACKS still
# finds those ids, and application keys stay in the "csv" namespace (REF_SYSTEMS) so that an old
# file imported again updates its applications instead of adding them twice.
SYSTEMS = {"ours": "careerrelay", "greenhouse": "greenhouse", "ja_ats": "ja_ats", "custom": "custom"}
REF_SYSTEMS = {**SYSTEMS, "ja_ats": "csv", "custom": "csv"}


def _key(header: str) -> str:
    return normalize(header).casefold()


@dataclass(frozen=True)
class Mapping:
    preset: str
    # Position in the row → field.
    positions: dict[int, str]
    # Field → the header as written in the file (to name the column in errors).
    columns: dict[str, str]
    width: int

    @property
    def system(self) -> str:
        return SYSTEMS[self.preset]

    @property
    def ref_system(self) -> str:
        return REF_SYSTEMS[self.preset]

    def column_of(self, field: str) -> str:
        if field in self.columns:
            return self.columns[field]
        combined = {"family_name": "full_name", "given_name": "full_name"}
        combined |= {"family_name_kana": "full_name_kana", "given_name_kana": "full_name_kana"}
        return self.columns.get(combined.get(field, ""), field)


def _score(headers: list[str], table: dict[str, str]) -> int:
    known = {_key(name) for name in table}
    return sum(1 for header in headers if _key(header) in known)


def detect_preset(headers: list[str]) -> str:
    scores = {name: _score(headers, table) for name, table in PRESETS.items()}
    best = max(scores, key=lambda name: scores[name])
    if scores[best] < 2:
        raise DomainValidationError(
            _("The columns of this file were not recognised. Choose a preset or give a column mapping."),
            field="preset",
        )
    return best


def build_mapping(headers: list[str], *, preset: str = "", custom: dict[str, str] | None = None) -> Mapping:
    """Match the header row against a preset (detected when not given) or a custom mapping."""
    if len(headers) > MAX_COLUMNS:
        raise DomainValidationError(
            _("The file has %(count)s columns; at most %(max)s are accepted.")
            % {"count": len(headers), "max": MAX_COLUMNS},
            field="file",
        )
    if not any(header.strip() for header in headers):
        raise DomainValidationError(_("The file has no header row."), field="file")
    if custom:
        for target in custom.values():
            if target not in FIELDS:
                raise DomainValidationError(
                    _("Unknown field in the mapping: %(field)s") % {"field": target}, field="mapping"
                )
        preset, table = "custom", custom
    else:
        preset = preset or detect_preset(headers)
        if preset not in PRESETS:
            raise DomainValidationError(_("Unknown preset: %(preset)s") % {"preset": preset}, field="preset")
        table = PRESETS[preset]
    lookup = {_key(name): target for name, target in table.items()}
    positions: dict[int, str] = {}
    columns: dict[str, str] = {}
    for index, header in enumerate(headers):
        found = lookup.get(_key(header))
        if found is None:
            continue
        target = found
        if target in columns:
            raise DomainValidationError(
                _("The column %(column)s appears more than once.") % {"column": header.strip()}, field="file"
            )
        positions[index] = target
        columns[target] = header.strip()
    if not positions:
        raise DomainValidationError(_("None of the columns of this file match the chosen mapping."), field="preset")
    return Mapping(preset=preset, positions=positions, columns=columns, width=len(headers))

"""The baseline for the import benchmark: django-import-export, as a Django developer would first
write it for the same file (the `ja_ats` columns).

One `ModelResource` for `Candidate`: the Japanese headers mapped to the model's fields, rows
matched on the email address (`import_id_fields`) within the org, the org set on every new
record, the multi-value skills cell split on 、. Everything else is the library's default: the
file is read whole into a tablib Dataset, each row is looked up, saved with `save()` and diffed
for the report, in one transaction (`use_transactions=True`). It does less than our importer: no
applications, stage history, rejection reasons, tags, external ids, search text, no phone,
kana or prefecture normalisation (the prefecture column is left out: its names do not fit the
two-character code) and no identity resolution beyond the email.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import tablib
from import_export import fields, resources, widgets

from careerrelay.candidates.models import Candidate
from careerrelay.orgs.models import Organization

COLUMNS = {
    "family_name": "姓",
    "given_name": "名",
    "family_name_kana": "セイ",
    "given_name_kana": "メイ",
    "email": "メールアドレス",
    "phone": "電話番号",
    "city": "市区町村",
    "birth_year": "生年",
    "current_title": "現職",
    "current_employer": "現在の勤務先",
    "years_experience": "経験年数",
    "skills": "スキル",
}


class ListWidget(widgets.Widget):
    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> list[str]:
        return [part.strip() for part in str(value or "").split("、") if part.strip()]


def candidate_resource(org: Organization) -> resources.ModelResource:
    class CandidateResource(resources.ModelResource):
        family_name = fields.Field(attribute="family_name", column_name=COLUMNS["family_name"])
        given_name = fields.Field(attribute="given_name", column_name=COLUMNS["given_name"])
        family_name_kana = fields.Field(attribute="family_name_kana", column_name=COLUMNS["family_name_kana"])
        given_name_kana = fields.Field(attribute="given_name_kana", column_name=COLUMNS["given_name_kana"])
        email = fields.Field(attribute="email", column_name=COLUMNS["email"])
        phone = fields.Field(attribute="phone", column_name=COLUMNS["phone"])
        city = fields.Field(attribute="city", column_name=COLUMNS["city"])
        birth_year = fields.Field(
            attribute="birth_year", column_name=COLUMNS["birth_year"], widget=widgets.IntegerWidget()
        )
        current_title = fields.Field(attribute="current_title", column_name=COLUMNS["current_title"])
        current_employer = fields.Field(attribute="current_employer", column_name=COLUMNS["current_employer"])
        years_experience = fields.Field(
            attribute="years_experience", column_name=COLUMNS["years_experience"], widget=widgets.IntegerWidget()
        )
        skills = fields.Field(attribute="skills", column_name=COLUMNS["skills"], widget=ListWidget())

        class Meta:
            model = Candidate
            fields = tuple(COLUMNS)
            import_id_fields = ("email",)

        def get_queryset(self) -> Any:
            return Candidate.objects.filter(org=org)

        def before_save_instance(self, instance: Candidate, row: Any, **kwargs: Any) -> None:
            instance.org = org
            instance.source = "csv"

    return CandidateResource()


def import_file(org: Organization, path: Path, encoding: str) -> tuple[int, int, int]:
    """Import `path`; returns (rows, created, updated)."""
    dataset = tablib.Dataset().load(path.read_text(encoding=encoding), format="csv")
    result = candidate_resource(org).import_data(dataset, dry_run=False, use_transactions=True, raise_errors=True)
    totals = result.totals
    return len(dataset), totals["new"], totals["update"]

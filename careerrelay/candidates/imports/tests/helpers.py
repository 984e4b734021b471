from __future__ import annotations

import csv
import io
from pathlib import Path

from careerrelay.candidates.imports.importer import ImportReport, import_candidates
from careerrelay.candidates.tests.factories import recruiter_of
from careerrelay.orgs.tests.factories import OrgWorld

JA_HEADER = [
    "応募者ID", "姓", "名", "セイ", "メイ", "メールアドレス", "電話番号", "都道府県", "市区町村", "生年",
    "現職", "現在の勤務先", "経験年数", "スキル", "希望職種", "希望勤務地", "応募日", "応募職種", "部署",
    "ステータス", "不採用理由", "再スカウト可", "評価", "備考",
]  # fmt: skip


def ja_row(number: int, **overrides: str) -> list[str]:
    values = {
        "応募者ID": f"A{number:04d}",
        "姓": "山田",
        "名": f"太郎{number}",
        "セイ": "ヤマダ",
        "メイ": f"タロウ{number}",
        "メールアドレス": f"taro{number}@example.jp",
        "電話番号": f"090-1111-{number:04d}",
        "都道府県": "東京都",
        "市区町村": "渋谷区",
        "生年": "1990",
        "現職": "エンジニア",
        "現在の勤務先": "株式会社サンプル",
        "経験年数": "８",
        "スキル": "Python、AWS",
        "希望職種": "バックエンド",
        "希望勤務地": "東京",
        "応募日": "2024/04/01",
        "応募職種": "バックエンドエンジニア",
        "部署": "開発部",
        "ステータス": "不採用",
        "不採用理由": "スキル・経験の不足",
        "再スカウト可": "○",
        "評価": "Python は強い",
        "備考": "半年後に再連絡",
    }
    values.update(overrides)
    return [values[column] for column in JA_HEADER]


def csv_bytes(rows: list[list[str]], encoding: str = "utf-8", newline: str = "\r\n") -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator=newline).writerows(rows)
    return buffer.getvalue().encode(encoding)


def write(tmp_path: Path, content: bytes, name: str = "candidates.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(content)
    return path


def run(world: OrgWorld, path: Path, **options: object) -> ImportReport:
    return import_candidates(actor=recruiter_of(world), path=path, **options)  # type: ignore[arg-type]

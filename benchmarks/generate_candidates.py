"""Write N realistic Japanese candidate rows (the `ja_ats` preset's columns) as CSV.

    python benchmarks/generate_candidates.py 100000 --encoding cp932 --output /tmp/candidates.csv

Deterministic (seeded), streamed row by row, so 1M rows need no memory.
"""

from __future__ import annotations

import argparse
import csv
import random
from collections.abc import Iterator
from pathlib import Path

HEADER = [
    "応募者ID", "姓", "名", "セイ", "メイ", "メールアドレス", "電話番号", "都道府県", "市区町村", "生年",
    "現職", "現在の勤務先", "経験年数", "スキル", "希望職種", "希望勤務地", "応募日", "応募職種", "部署",
    "ステータス", "不採用理由", "再スカウト可", "評価", "備考",
]  # fmt: skip
# Names are built from syllables so that the pools are large: 24 × 24 family names × 24 × 24 given
# names × 38 birth years ≈ 12.6 million (kana name, birth year) pairs, each row with its own email
# and phone, so identity resolution sees nearly every row as a new person (as in a real ATS export).
FAMILY_PARTS = [("佐", "サ"), ("藤", "トウ"), ("鈴", "スズ"), ("木", "キ"), ("高", "タカ"), ("橋", "ハシ"),
                ("田", "タ"), ("中", "ナカ"), ("伊", "イ"), ("渡", "ワタ"), ("辺", "ナベ"), ("山", "ヤマ"),
                ("本", "モト"), ("村", "ムラ"), ("小", "コ"), ("林", "バヤシ"), ("加", "カ"), ("川", "カワ"),
                ("井", "イ"), ("上", "ウエ"), ("森", "モリ"), ("池", "イケ"), ("石", "イシ"),
                ("原", "ハラ")]  # fmt: skip
GIVEN_PARTS = [("翔", "ショウ"), ("美", "ミ"), ("大", "ダイ"), ("陽", "ヒ"), ("健", "ケン"), ("結", "ユ"),
               ("拓", "タク"), ("咲", "サキ"), ("蓮", "レン"), ("葵", "アオイ"), ("太", "タ"), ("花", "ハナ"),
               ("輔", "スケ"), ("菜", "ナ"), ("也", "ヤ"), ("衣", "イ"), ("一", "イチ"), ("郎", "ロウ"),
               ("真", "マ"), ("子", "コ"), ("優", "ユウ"), ("斗", "ト"), ("奈", "ナ"), ("希", "キ")]  # fmt: skip


def _name(rng: random.Random, parts: list[tuple[str, str]]) -> tuple[str, str]:
    first, second = rng.choice(parts), rng.choice(parts)
    return first[0] + second[0], first[1] + second[1]


PLACES = [("東京都", "渋谷区"), ("大阪府", "大阪市北区"), ("愛知県", "名古屋市中区"), ("福岡県", "福岡市博多区"),
          ("神奈川県", "横浜市西区"), ("北海道", "札幌市中央区")]  # fmt: skip
TITLES = ["バックエンドエンジニア", "フロントエンドエンジニア", "データサイエンティスト", "営業", "人事", "経理"]
EMPLOYERS = ["株式会社サンプル", "合同会社テスト", "株式会社みらい商事", "東都システム株式会社"]
SKILLS = ["Python", "Go", "TypeScript", "AWS", "SQL", "Salesforce", "簿記2級", "TOEIC 800"]
JOBS = [("バックエンドエンジニア", "開発部"), ("営業職", "営業部"), ("人事担当", "人事部"), ("データ分析", "DX推進室")]
REASONS = ["スキル・経験の不足", "タイミングが合わない", "条件の不一致", "ポジション充足", "本人辞退"]


def rows(count: int, seed: int = 7) -> Iterator[list[str]]:
    rng = random.Random(seed)
    for n in range(1, count + 1):
        family, given = _name(rng, FAMILY_PARTS), _name(rng, GIVEN_PARTS)
        prefecture, city = rng.choice(PLACES)
        job, department = rng.choice(JOBS)
        rejected = rng.random() < 0.8
        reason = rng.choice(REASONS) if rejected else ""
        status = ("辞退" if reason == "本人辞退" else "不採用") if rejected else "選考中"
        yield [
            f"B{n:07d}", family[0], given[0], family[1], given[1], f"cand{n}@example.jp",
            f"0{'789'[n % 3]}0-{1000 + n // 30000:04d}-{n // 3 % 10000:04d}", prefecture, city,
            str(rng.randint(1965, 2002)),
            rng.choice(TITLES), rng.choice(EMPLOYERS), str(rng.randint(0, 30)), "、".join(rng.sample(SKILLS, 3)),
            rng.choice(TITLES), prefecture, f"20{rng.randint(22, 25)}/{rng.randint(1, 12)}/{rng.randint(1, 28)}",
            job, department, status, reason, rng.choice(["○", "×"]) if rejected else "", "面接評価: B",
            "一次面接で見送り" if rejected else "",
        ]  # fmt: skip


def write(path: Path, count: int, encoding: str) -> None:
    with path.open("w", encoding=encoding, newline="") as handle:
        writer = csv.writer(handle, lineterminator="\r\n")
        writer.writerow(HEADER)
        writer.writerows(rows(count))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("count", type=int)
    parser.add_argument("--encoding", default="cp932", choices=["cp932", "utf-8", "utf-8-sig"])
    parser.add_argument("--output", type=Path, required=True)
    args = parser.parse_args()
    write(args.output, args.count, args.encoding)
    print(f"{args.count} rows → {args.output} ({args.encoding})")


if __name__ == "__main__":
    main()

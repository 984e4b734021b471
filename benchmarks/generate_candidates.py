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
FAMILY = [("佐藤", "サトウ"), ("鈴木", "スズキ"), ("高橋", "タカハシ"), ("田中", "タナカ"), ("伊藤", "イトウ"),
          ("渡辺", "ワタナベ"), ("山本", "ヤマモト"), ("中村", "ナカムラ"), ("小林", "コバヤシ"),
          ("加藤", "カトウ")]  # fmt: skip
GIVEN = [("翔太", "ショウタ"), ("美咲", "ミサキ"), ("大輔", "ダイスケ"), ("陽菜", "ヒナ"), ("健", "ケン"),
         ("結衣", "ユイ"), ("拓也", "タクヤ"), ("さくら", "サクラ"), ("蓮", "レン"), ("葵", "アオイ")]  # fmt: skip
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
        family, given = rng.choice(FAMILY), rng.choice(GIVEN)
        prefecture, city = rng.choice(PLACES)
        job, department = rng.choice(JOBS)
        rejected = rng.random() < 0.8
        reason = rng.choice(REASONS) if rejected else ""
        status = ("辞退" if reason == "本人辞退" else "不採用") if rejected else "選考中"
        yield [
            f"B{n:07d}", family[0], given[0], family[1], given[1], f"cand{n}@example.jp",
            f"0{rng.choice('89')}0-{1000 + n // 10000:04d}-{n % 10000:04d}", prefecture, city,
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

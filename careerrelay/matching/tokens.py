"""A Japanese-aware tokenizer for titles and roles: Latin words, and character bigrams for CJK.

Japanese has no spaces, so "バックエンドエンジニア" and "エンジニア（バックエンド）" share no word but
many bigrams. Katakana is normalised like skills (hiragana → katakana, no long vowel marks), and
a title's skills ("Python エンジニア") also count as tokens through the taxonomy.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from careerrelay.core.text import to_katakana

_LATIN = re.compile(r"[a-z0-9][a-z0-9+#&]*")
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff々〆]+")
_LONG = str.maketrans("", "", "ー・")

# Words that say nothing about the job: dropped so "マネージャー" alone does not make a match.
STOP = frozenset({"the", "and", "of", "for", "in", "a", "to", "with", "staff", "member", "スタッフ", "担当"})


# English role words and their Japanese, so "Backend Engineer" and "バックエンドエンジニア" meet.
ROLE_WORDS = {
    "engineer": "エンジニア",
    "developer": "エンジニア",
    "programmer": "プログラマ",
    "manager": "マネジャ",
    "designer": "デザイナ",
    "sales": "営業",
    "accountant": "経理",
    "accounting": "経理",
    "marketer": "マーケタ",
    "marketing": "マーケティング",
    "backend": "バックエンド",
    "frontend": "フロントエンド",
    "infrastructure": "インフラ",
    "data": "データ",
    "scientist": "サイエンティスト",
    "analyst": "アナリスト",
    "consultant": "コンサルタント",
    "recruiter": "採用",
    "nurse": "看護師",
    "caregiver": "介護職",
    "driver": "ドライバ",
    "support": "サポト",
    "legal": "法務",
    "quality": "品質",
    "assurance": "保証",
    "control": "管理",
    "production": "生産",
    "logistics": "物流",
    "warehouse": "倉庫",
    "clerk": "事務",
    "hr": "人事",
    "finance": "財務",
    "mobile": "モバイル",
    "product": "プロダクト",
    "customer": "カスタマ",
    "success": "サクセス",
    "security": "セキュリティ",
    "mechanical": "機械",
    "electrical": "電気",
    "design": "設計",
    "inside": "インサイド",
    "field": "フィルド",
    "web": "ウェブ",
    "planning": "企画",
}


@lru_cache(maxsize=20_000)  # titles and roles repeat across a pool; the answer is immutable
def tokens(text: str) -> frozenset[str]:
    """Latin words (lower case) and CJK character bigrams; a single CJK character stands alone."""
    if not text:
        return frozenset()
    clean = to_katakana(unicodedata.normalize("NFKC", text).lower()).translate(_LONG)
    words = [word for word in _LATIN.findall(clean) if word not in STOP]
    found = set(words)
    clean += " " + " ".join(ROLE_WORDS[word] for word in words if word in ROLE_WORDS)
    for run in _CJK.findall(clean):
        if run in STOP:
            continue
        if len(run) == 1:
            found.add(run)
        found.update(run[i : i + 2] for i in range(len(run) - 1))
    return frozenset(found)


def overlap(query: frozenset[str], document: frozenset[str]) -> float:
    """Share of the query's tokens the document has (0–1)."""
    if not query:
        return 0.0
    return len(query & document) / len(query)

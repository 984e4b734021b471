"""nDCG@k and recall@k over graded labels (0–3)."""

from __future__ import annotations

import math
from collections.abc import Sequence


def dcg(grades: Sequence[int]) -> float:
    return sum((2**g - 1) / math.log2(i + 2) for i, g in enumerate(grades))


def ndcg_at(ranked: Sequence[str], labels: dict[str, int], k: int = 10) -> float:
    ideal = dcg(sorted(labels.values(), reverse=True)[:k])
    return dcg([labels.get(item, 0) for item in ranked[:k]]) / ideal if ideal else 0.0


def recall_at(ranked: Sequence[str], labels: dict[str, int], k: int = 20, *, min_grade: int = 2) -> tuple[float, float]:
    """(recall: share of the relevant found in the top k; capped: found / min(relevant, k))."""
    relevant = {item for item, grade in labels.items() if grade >= min_grade}
    if not relevant:
        return 1.0, 1.0
    found = len(relevant & set(ranked[:k]))
    return found / len(relevant), found / min(len(relevant), k)

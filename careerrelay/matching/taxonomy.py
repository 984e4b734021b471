"""The skills taxonomy (data/skills.txt) and the normaliser that maps what people type to its ids.

`resolve("ｋ８ｓ")` → "kubernetes"; `resolve("簿記２級")` → "boki_2"; `resolve("TOEIC 860点")` →
"toeic_800". Text that names no skill resolves to None and is kept as a free tag (`free_tag`).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from careerrelay.core.text import to_katakana

DATA_FILE = Path(__file__).parent / "data" / "skills.txt"
FREE_PREFIX = "~"

# Characters that only separate or decorate: spaces, middle dots, dots, hyphens, slashes, and the
# long vowel mark (サーバー and サーバ are one word; JIS writing drops the final ー).
_DROP = str.maketrans("", "", " \t・·･.-‐‑‒–—―_/／ー〜~'’")
_DECORATION = re.compile(r"[(（\[［【].*?[)）\]］】]|(実務)?経験|[0-9]+(\.[0-9]+)?年(以上)?|スキル|の知識|知識|歴$")
_TOEIC = re.compile(r"toeic(?:l&r|lr)?(?:スコア|score)?([0-9]{3})(?:点)?(?:以上)?$")


@dataclass(frozen=True)
class Skill:
    id: str
    parent: str | None
    en: str
    ja: str
    domain: str
    synonyms: tuple[str, ...]

    def label(self, language: str) -> str:
        return self.en if language == "en" else self.ja


@dataclass(frozen=True)
class Taxonomy:
    skills: dict[str, Skill]
    lookup: dict[str, str]  # normalised key → skill id
    conflicts: tuple[tuple[str, str, str], ...]  # (key, first id, second id): must stay empty
    children: dict[str, tuple[str, ...]]

    def ancestors(self, skill_id: str) -> list[str]:
        found: list[str] = []
        parent = self.skills[skill_id].parent if skill_id in self.skills else None
        while parent and parent not in found:
            found.append(parent)
            parent = self.skills[parent].parent if parent in self.skills else None
        return found

    def descendants(self, skill_id: str) -> list[str]:
        found: list[str] = []
        stack = list(self.children.get(skill_id, ()))
        while stack:
            child = stack.pop()
            if child not in found:
                found.append(child)
                stack.extend(self.children.get(child, ()))
        return found

    def siblings(self, skill_id: str) -> list[str]:
        parent = self.skills[skill_id].parent if skill_id in self.skills else None
        if not parent:
            return []
        return [child for child in self.children.get(parent, ()) if child != skill_id]

    def label(self, skill_id: str, language: str) -> str:
        if skill_id.startswith(FREE_PREFIX):
            return skill_id[len(FREE_PREFIX) :]
        skill = self.skills.get(skill_id)
        return skill.label(language) if skill else skill_id


def key(text: str) -> str:
    """The comparison key: NFKC (width), lower case, katakana, no separators or long vowel marks."""
    return to_katakana(unicodedata.normalize("NFKC", text).lower()).translate(_DROP)


def parse(text: str) -> Taxonomy:
    skills: dict[str, Skill] = {}
    lookup: dict[str, str] = {}
    conflicts: list[tuple[str, str, str]] = []
    domain = ""
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("[") and line.endswith("]"):
            domain = line[1:-1]
            continue
        skill_id, parent, en, ja, synonyms = (part.strip() for part in line.split("|"))
        names = tuple(s.strip() for s in synonyms.split(";") if s.strip() and s.strip() != "-")
        if skill_id in skills:
            conflicts.append((skill_id, skill_id, skill_id))
        skills[skill_id] = Skill(skill_id, None if parent == "-" else parent, en, ja, domain, names)
        for name in {skill_id, en, ja, *names}:
            name_key = key(name)
            if name_key in lookup and lookup[name_key] != skill_id:
                conflicts.append((name_key, lookup[name_key], skill_id))
            lookup.setdefault(name_key, skill_id)
    children: dict[str, list[str]] = {}
    for skill in skills.values():
        if skill.parent:
            children.setdefault(skill.parent, []).append(skill.id)
    return Taxonomy(skills, lookup, tuple(conflicts), {k: tuple(v) for k, v in children.items()})


@lru_cache(maxsize=1)
def taxonomy() -> Taxonomy:
    return parse(DATA_FILE.read_text(encoding="utf-8"))


def _toeic(name_key: str) -> str | None:
    match = _TOEIC.match(name_key)
    if not match:
        return None
    score = int(match.group(1))
    if score < 600:
        return "toeic"
    return f"toeic_{min(score // 100 * 100, 900)}"


def resolve(text: str) -> str | None:
    """The taxonomy id `text` names, or None. Tries the text as typed, then without decorations
    such as "(3年)", "経験", "の知識"."""
    table = taxonomy().lookup
    name_key = key(text)
    if not name_key:
        return None
    found = table.get(name_key) or _toeic(name_key)
    if found:
        return found
    stripped = key(_DECORATION.sub("", unicodedata.normalize("NFKC", text).lower()))
    return (table.get(stripped) or _toeic(stripped)) if stripped else None


def free_tag(text: str) -> str:
    """How an unknown skill is kept: its normalised text, marked as not in the taxonomy."""
    return FREE_PREFIX + " ".join(unicodedata.normalize("NFKC", text).lower().split())


@lru_cache(maxsize=20_000)  # the taxonomy is fixed data, and a pool's skills repeat
def _skill_term(text: str) -> tuple[str | None, str | None]:
    """(taxonomy id, None) for a skill the taxonomy knows, (None, free tag) for another, (None, None) for none."""
    found = resolve(text)
    if found:
        return found, None
    return None, (free_tag(text) if key(text) else None)


def skill_terms(texts: list[str]) -> tuple[list[str], list[str]]:
    """(taxonomy ids, free tags) for a list of typed skills, each once, in the order typed."""
    known: dict[str, None] = {}
    free: dict[str, None] = {}
    for text in texts:
        found, tag = _skill_term(str(text))
        if found:
            known[found] = None
        elif tag:
            free[tag] = None
    return list(known), list(free)

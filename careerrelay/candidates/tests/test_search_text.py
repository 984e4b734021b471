"""build_search_text normalises piece by piece (with the pieces remembered); the result must be
exactly the whole text normalised at once, whatever people type."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from hypothesis import example, given, settings
from hypothesis import strategies as st

from careerrelay.candidates.search import build_search_text, normalize_query, readings


def _all_at_once(candidate: Any) -> str:
    """The definition: every field joined by spaces, then normalised as a query."""
    names = [candidate.family_name, candidate.given_name, candidate.family_name_kana, candidate.given_name_kana]
    name_readings = [reading for name in names if name for reading in readings(name)]
    fields = [
        *names,
        "".join(names[:2]),
        "".join(names[2:]),
        *name_readings,
        candidate.email,
        candidate.current_title,
        candidate.current_employer,
        candidate.city,
        " ".join(map(str, candidate.skills or [])),
        " ".join(map(str, candidate.desired_roles or [])),
        candidate.resume_text,
    ]
    return normalize_query(" ".join(field for field in fields if field))


# Spaces of several kinds, half-width kana with (combining) sound marks, compatibility
# characters that NFKC expands, a final sigma, full-width letters, a dotted capital I.
_TRICKY = "山田やまだヤマダｶﾞｷﾟ゙゚゛゜ \u3000\t\nΣσΑＡＢ１２ﬀ㍻ｨİKa-z.@"
_text = st.text(alphabet=_TRICKY, max_size=12)


@settings(max_examples=300, deadline=None)
@example(  # a half-width kana and its sound mark split between the family and the given name
    names=["ｶ", "ﾞｷ", "ﾊ", "ﾟ"], email="", title="", employer="", city="", skills=[], roles=[], resume=""
)
@given(
    names=st.lists(_text, min_size=4, max_size=4),
    email=_text,
    title=_text,
    employer=_text,
    city=_text,
    skills=st.lists(_text, max_size=3),
    roles=st.lists(_text, max_size=3),
    resume=st.text(alphabet=_TRICKY, max_size=300),
)
def test_piecewise_search_text_equals_the_whole_text_normalised(
    names: list[str],
    email: str,
    title: str,
    employer: str,
    city: str,
    skills: list[str],
    roles: list[str],
    resume: str,
) -> None:
    candidate = SimpleNamespace(
        family_name=names[0],
        given_name=names[1],
        family_name_kana=names[2],
        given_name_kana=names[3],
        email=email,
        current_title=title,
        current_employer=employer,
        city=city,
        skills=skills,
        desired_roles=roles,
        resume_text=resume,
    )
    assert build_search_text(candidate) == _all_at_once(candidate)
    assert build_search_text(candidate) == _all_at_once(candidate)  # again, from the remembered pieces


def test_a_typical_candidate_is_found_by_kanji_kana_and_romaji() -> None:
    candidate = SimpleNamespace(
        family_name="山田",
        given_name="太郎",
        family_name_kana="ヤマダ",
        given_name_kana="タロウ",
        email="Taro@Example.jp",
        current_title="バックエンドエンジニア",
        current_employer="株式会社サンプル",
        city="渋谷区",
        skills=["Python", "ＡＷＳ"],
        desired_roles=[],
        resume_text="",
    )
    text = build_search_text(candidate)
    assert text == _all_at_once(candidate)
    for word in ("山田", "山田太郎", "ヤマダタロウ", "yamada", "taro@example.jp", "aws", "python", "渋谷区"):
        assert word in text.split()

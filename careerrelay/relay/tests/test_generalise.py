"""k-anonymity: every shown combination of quasi-identifiers is shared by at least k shown profiles."""

from __future__ import annotations

from collections import Counter

from hypothesis import given, settings
from hypothesis import strategies as st

from careerrelay.relay.generalise import Facts, generalise
from careerrelay.relay.scrub import HIDDEN, industry_of, scrub

facts = st.builds(
    Facts,
    key=st.uuids(),
    birth_year=st.one_of(st.none(), st.integers(min_value=1955, max_value=2004)),
    prefecture=st.sampled_from(["13", "14", "11", "27", "26", "01", "40", ""]),
    years_experience=st.one_of(st.none(), st.integers(min_value=0, max_value=40)),
    industry=st.sampled_from(["", "IT", "製造", "金融"]),
)


@settings(max_examples=300, deadline=None)
@given(profiles=st.lists(facts, max_size=60, unique_by=lambda f: f.key), k=st.integers(min_value=2, max_value=8))
def test_no_shown_profile_is_in_a_group_smaller_than_k(profiles, k):
    shown = generalise(profiles, k=k, this_year=2026)
    assert set(shown) == {p.key for p in profiles}
    groups = Counter(value for value in shown.values() if value is not None)
    assert all(size >= k for size in groups.values())


def test_the_most_specific_level_that_k_allows_is_chosen():
    same = [Facts(n, 1991, "13", 6, "IT") for n in range(3)]
    lonely = Facts("x", 1960, "01", 30, "金融")
    shown = generalise([*same, lonely], k=3, this_year=2026)
    assert {shown[n].location for n in range(3)} == {"東京都"} and shown[0].level == 0
    assert shown["x"] is None


def test_scrub_removes_contacts_links_and_names():
    text = "高橋一郎さん（ichiro@example.jp, 090-1234-5678, https://example.jp/ichiro）は株式会社ひみつシステム出身"
    cleaned = scrub(text, names=["高橋", "一郎", "株式会社ひみつシステム"])
    for secret in ("高橋", "一郎", "ichiro@", "090", "https", "ひみつ"):
        assert secret not in cleaned
    assert HIDDEN in cleaned and "出身" in cleaned


def test_industry_comes_from_the_kind_of_employer_not_its_name():
    assert industry_of("株式会社ひみつシステム") == "IT"
    assert industry_of("東和精機株式会社") == "製造"
    assert industry_of("株式会社ABC") == ""

"""The skills taxonomy's integrity, and the normaliser that maps typed skills to its ids."""

from __future__ import annotations

import pytest

from careerrelay.matching import taxonomy

DOMAINS = {
    "engineering",
    "data",
    "design",
    "sales",
    "marketing",
    "finance",
    "hr",
    "manufacturing",
    "logistics",
    "customer_support",
    "legal",
    "medical",
    "certifications",
}


def test_the_taxonomy_has_at_least_400_skills_with_unique_ids() -> None:
    lines = [
        line
        for line in taxonomy.DATA_FILE.read_text(encoding="utf-8").splitlines()
        if "|" in line and not line.startswith("#")
    ]
    ids = [line.split("|")[0].strip() for line in lines]
    assert len(ids) >= 400
    assert len(ids) == len(set(ids))
    assert len(taxonomy.taxonomy().skills) == len(ids)


def test_every_parent_exists_and_no_skill_is_its_own_ancestor() -> None:
    tax = taxonomy.taxonomy()
    for skill in tax.skills.values():
        if skill.parent:
            assert skill.parent in tax.skills, skill.id
        assert skill.id not in tax.ancestors(skill.id)


def test_no_synonym_maps_to_two_skills() -> None:
    assert taxonomy.taxonomy().conflicts == ()


def test_a_synonym_claimed_twice_is_reported_as_a_conflict() -> None:
    parsed = taxonomy.parse("[x]\na | - | A | エー | js\nb | - | B | ビー | JS\n")
    assert parsed.conflicts == (("js", "a", "b"),)


def test_each_listed_domain_is_present_with_skills() -> None:
    domains = {skill.domain for skill in taxonomy.taxonomy().skills.values()}
    assert domains >= DOMAINS
    for domain in DOMAINS:
        assert sum(1 for s in taxonomy.taxonomy().skills.values() if s.domain == domain) >= 8, domain


def test_every_skill_has_both_labels() -> None:
    for skill in taxonomy.taxonomy().skills.values():
        assert skill.en and skill.ja, skill.id


@pytest.mark.parametrize(
    ("typed", "skill_id"),
    [
        ("JS", "javascript"),
        ("ｊａｖａｓｃｒｉｐｔ", "javascript"),
        ("k8s", "kubernetes"),
        ("Ｋ８Ｓ", "kubernetes"),
        ("クーバネティス", "kubernetes"),
        ("aws", "aws"),
        ("簿記2級", "boki_2"),
        ("簿記２級", "boki_2"),
        ("日商簿記二級", "boki_2"),
        ("宅建", "takken"),
        ("TOEIC 860点", "toeic_800"),
        ("ＴＯＥＩＣ９５０", "toeic_900"),
        ("法人営業", "b2b_sales"),
        ("ほうじんえいぎょう", None),
        ("サーバーサイド", "backend"),
        ("サーバサイド", "backend"),
        ("ｻｰﾊﾞｰｻｲﾄﾞ", "backend"),
        ("ぱいそん", "python"),
        ("Python（3年）", "python"),
        ("経理経験5年", "accounting"),
        ("Vue.js", "vue"),
        ("ケアマネージャー", "care_manager"),
        ("ケア・マネジャー", "care_manager"),
        ("Kotlin", "kotlin"),
        ("Cobolt Forge", None),
    ],
)
def test_typed_skills_resolve_to_taxonomy_ids(typed: str, skill_id: str | None) -> None:
    assert taxonomy.resolve(typed) == skill_id


def test_unknown_skills_are_kept_as_free_tags() -> None:
    known, free = taxonomy.skill_terms(["Python", "ＭｙＴｏｏｌ  Pro", "python3"])
    assert known == ["python"]
    assert free == ["~mytool pro"]


def test_parents_children_and_siblings_are_walked() -> None:
    tax = taxonomy.taxonomy()
    assert tax.ancestors("django")[:2] == ["python", "programming_language"]
    assert "nextjs" in tax.descendants("javascript")
    assert "vue" in tax.siblings("react")

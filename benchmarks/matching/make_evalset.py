"""Generate the matching evaluation set (deterministic): jobs, people and graded labels.

    python -m benchmarks.matching.make_evalset            # writes benchmarks/matching/evalset.json

People and jobs are drawn from the hidden world (world.py) and written the way people type:
Japanese or English, full-width letters, kana spellings, abbreviations, near-miss titles.
Labels come from rubric.py, which reads the hidden truth only.
"""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

from benchmarks.matching.rubric import grade
from benchmarks.matching.world import OCCUPATIONS, PREFECTURE_NAMES, PREFECTURE_WEIGHTS, SPELLINGS

OUT = Path(__file__).parent / "evalset.json"
PEOPLE_PER_OCCUPATION = 48
JOBS_PER_OCCUPATION = 2
SEED = 20261125
FULL_WIDTH = str.maketrans({chr(c): chr(c + 0xFEE0) for c in range(0x21, 0x7F)})


def _spell(rng: random.Random, concept: str, english: bool) -> str:
    forms = SPELLINGS[concept]
    latin = [f for f in forms if f.isascii()]
    pool = latin if english and latin else forms
    text = rng.choice(pool)
    if not english and text.isascii() and rng.random() < 0.15:
        text = text.translate(FULL_WIDTH)
    return text


def _place(rng: random.Random) -> str:
    codes = list(PREFECTURE_WEIGHTS)
    return rng.choices(codes, weights=[PREFECTURE_WEIGHTS[c] for c in codes])[0]


def _typed_place(rng: random.Random, code: str, english: bool) -> str:
    full, short, latin = PREFECTURE_NAMES[code]
    return latin if english else rng.choice([full, full, short, code.translate(FULL_WIDTH)])


def _title(rng: random.Random, occupation: str, english: bool) -> str:
    _family, ja, en, _core, _optional = OCCUPATIONS[occupation]
    title = rng.choice(en if english else ja)
    if rng.random() < 0.2:
        title = ("Senior " if english else "シニア") + title
    return title


def person(rng: random.Random, index: int, occupation: str) -> dict[str, Any]:
    _family, _ja, _en, core, optional = OCCUPATIONS[occupation]
    english = rng.random() < 0.25
    concepts = rng.sample(core, k=max(1, round(len(core) * rng.uniform(0.5, 1.0))))
    concepts += rng.sample(optional, k=rng.randint(0, min(2, len(optional))))
    if rng.random() < 0.3:  # a skill from another occupation (a side project, a past job)
        other = OCCUPATIONS[rng.choice(list(OCCUPATIONS))]
        concepts.append(rng.choice(other[3]))
    concepts = list(dict.fromkeys(concepts))
    # Career changers: the title says where they come from, the skills where they are going.
    title_occupation = occupation
    if rng.random() < 0.1:
        title_occupation = rng.choice(list(OCCUPATIONS))
    prefecture = _place(rng)
    desired = [_place(rng)] if rng.random() < 0.25 else []
    remote_ok = rng.random() < 0.2
    typed_places = [_typed_place(rng, c, english) for c in desired]
    typed_places += [
        rng.choice(["Remote", "remote"]) if english else rng.choice(["リモート", "在宅", "フルリモート"])
    ] * remote_ok
    return {
        "id": f"p{index:05d}",
        "occupation": occupation,
        "concepts": concepts,
        "prefecture": prefecture,
        "desired_prefectures": desired,
        "remote_ok": remote_ok,
        "years": rng.randint(0, 20),
        "typed": {
            "prefecture": _typed_place(rng, prefecture, english),
            "current_title": _title(rng, title_occupation, english),
            "skills": [_spell(rng, c, english) for c in concepts],
            "desired_roles": [_title(rng, occupation, english)] if rng.random() < 0.5 else [],
            "desired_locations": typed_places,
        },
    }


def job(rng: random.Random, index: int, occupation: str) -> dict[str, Any]:
    _family, _ja, _en, core, optional = OCCUPATIONS[occupation]
    english = rng.random() < 0.2
    required = rng.sample(core, k=min(len(core), rng.randint(2, 3)))
    preferred = rng.sample([c for c in optional if c not in required], k=min(len(optional), rng.randint(0, 2)))
    remote = rng.choices(["onsite", "hybrid", "remote"], weights=[65, 22, 13])[0]
    job_place = _place(rng)
    min_years = rng.choice([None, None, 2, 3, 5])
    description = ""
    if min_years:
        description = f"{min_years}+ years of experience" if english else f"実務経験{min_years}年以上"
    return {
        "id": f"j{index:03d}",
        "occupation": occupation,
        "required_concepts": required,
        "preferred_concepts": preferred,
        "prefecture": job_place,
        "remote": remote,
        "min_years": min_years,
        "typed": {
            "title": _title(rng, occupation, english),
            "prefecture": PREFECTURE_NAMES[job_place][0],
            "required_skills": [_spell(rng, c, english) for c in required],
            "preferred_skills": [_spell(rng, c, english) for c in preferred],
            "description": description,
        },
    }


def build() -> dict[str, Any]:
    rng = random.Random(SEED)
    people = [
        person(rng, n * PEOPLE_PER_OCCUPATION + i, occupation)
        for n, occupation in enumerate(OCCUPATIONS)
        for i in range(PEOPLE_PER_OCCUPATION)
    ]
    jobs = [
        job(rng, n * JOBS_PER_OCCUPATION + i, occupation)
        for n, occupation in enumerate(OCCUPATIONS)
        for i in range(JOBS_PER_OCCUPATION)
    ]
    labels = {j["id"]: {p["id"]: g for p in people if (g := grade(j, p)) > 0} for j in jobs}
    return {"seed": SEED, "jobs": jobs, "people": people, "labels": labels}


def main() -> None:
    data = build()
    OUT.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True) + "\n", encoding="utf-8")
    grades = [g for row in data["labels"].values() for g in row.values()]
    print(
        f"{len(data['jobs'])} jobs, {len(data['people'])} people, labels: "
        + ", ".join(f"{g}: {grades.count(g)}" for g in (3, 2, 1))
    )


if __name__ == "__main__":
    main()

"""The grading rubric of the evaluation set: how relevant a person is to a job, 0–3.

It reads only the hidden truth the generator drew (world.py): the person's real occupation,
the skill concepts they really have, where they live and would work, their years. It never looks
at the typed text and imports nothing from careerrelay.matching, so the ranker (which sees only
the typed text) cannot agree with it by construction.

  3  perfect: same occupation, every required skill, can work there, enough years
  2  strong:  same occupation with at least half the required skills and the place works or is in
              the same region; or a neighbouring occupation (same family) with every required
              skill where the place works
  1  partial: same occupation or family with at least half the required skills but a location
              conflict or too few; or every required skill from another family
  0  not relevant
"""

from __future__ import annotations

from typing import Any

from benchmarks.matching.world import OCCUPATIONS, REGION, closure


def location_fit(job: dict[str, Any], person: dict[str, Any]) -> str:
    """ "ok" (remote job, same prefecture, or wished), "near" (same region) or "far"."""
    if job["remote"] == "remote":
        return "ok"
    if job["prefecture"] in (person["prefecture"], *person["desired_prefectures"]):
        return "ok"
    if (
        job["remote"] == "hybrid"
        and person["remote_ok"]
        and REGION.get(job["prefecture"]) == REGION.get(person["prefecture"])
    ):
        return "ok"
    regions = {REGION.get(person["prefecture"])} | {REGION.get(code) for code in person["desired_prefectures"]}
    return "near" if REGION.get(job["prefecture"]) in regions else "far"


def grade(job: dict[str, Any], person: dict[str, Any]) -> int:
    have = closure(set(person["concepts"]))
    required = job["required_concepts"]
    coverage = sum(1 for concept in required if concept in have) / len(required)
    same_occupation = person["occupation"] == job["occupation"]
    same_family = OCCUPATIONS[person["occupation"]][0] == OCCUPATIONS[job["occupation"]][0]
    place = location_fit(job, person)
    enough_years = job["min_years"] is None or person["years"] >= job["min_years"]
    if same_occupation and coverage == 1 and place == "ok" and enough_years:
        return 3
    if same_occupation and coverage >= 0.5 and place != "far":
        return 2
    if same_family and coverage == 1 and place == "ok":
        return 2
    if (same_occupation or same_family) and coverage >= 0.5:
        return 1
    if coverage == 1:
        return 1
    return 0

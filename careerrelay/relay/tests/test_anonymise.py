from datetime import date

import pytest

from careerrelay.consent.tests.factories import candidate_in
from careerrelay.relay.anonymise import age_band, anonymous_profile, experience_band, region_of


def test_bands_and_regions_generalise():
    assert age_band(1992, 2026) == "30–34"
    assert age_band(None, 2026) == ""
    assert experience_band(0) == "0–2"
    assert experience_band(7) == "5–9"
    assert experience_band(33) == "20+"
    assert region_of("13") == "関東"
    assert region_of("") == ""


@pytest.mark.django_db
def test_the_profile_carries_no_identity(world):
    candidate = candidate_in(
        world, city="渋谷区", current_employer="株式会社ミライテック", available_from=date(2027, 4, 17)
    )
    profile = anonymous_profile(candidate, this_year=2026)
    text = repr(profile)
    for secret in ("佐藤", "美咲", "サトウ", "misaki", "+8190", "渋谷", "ミライテック", "1992"):
        assert secret.lower() not in text.lower()
    assert profile.region == "関東" and profile.age_band == "30–34"
    assert profile.available_from == date(2027, 4, 1)

from datetime import UTC, date, datetime

from careerrelay.core.business_days import is_business_day, next_business_morning
from careerrelay.core.clock import JST


def test_holidays_and_weekends_are_not_business_days():
    assert not is_business_day(date(2027, 1, 1))  # 元日
    assert not is_business_day(date(2026, 11, 23))  # 勤労感謝の日 (Monday)
    assert not is_business_day(date(2026, 11, 28))  # Saturday
    assert not is_business_day(date(2026, 12, 29))  # 年末年始 (Tuesday)
    assert is_business_day(date(2026, 11, 24))


def test_next_business_morning_skips_evenings_weekends_and_holidays():
    friday_evening = datetime(2026, 11, 20, 18, 0, tzinfo=JST)
    assert next_business_morning(friday_evening) == datetime(2026, 11, 24, 9, 30, tzinfo=JST)  # Mon is 勤労感謝の日
    early_tuesday = datetime(2026, 11, 24, 7, 0, tzinfo=JST)
    assert next_business_morning(early_tuesday) == datetime(2026, 11, 24, 9, 30, tzinfo=JST)
    new_years_eve_utc = datetime(2026, 12, 31, 3, 0, tzinfo=UTC)
    assert next_business_morning(new_years_eve_utc) == datetime(2027, 1, 4, 9, 30, tzinfo=JST)

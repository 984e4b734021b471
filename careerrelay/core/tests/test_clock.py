from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

import pytest

from careerrelay.core import clock

PROJECT = Path(__file__).resolve().parents[2]


def test_frozen_at_pins_the_clock_and_restores_it() -> None:
    pinned = datetime(2026, 4, 1, 0, 0, tzinfo=UTC)
    with clock.frozen_at(pinned):
        assert clock.now() == pinned
    assert clock.now() != pinned


def test_frozen_at_refuses_a_naive_datetime() -> None:
    with pytest.raises(ValueError, match="aware"), clock.frozen_at(datetime(2026, 1, 1)):
        pass


def test_an_instant_without_offset_is_read_as_jst() -> None:
    assert clock.parse_instant("2026-04-01T09:00") == datetime(2026, 4, 1, 0, 0, tzinfo=UTC)
    assert clock.parse_instant("2026-04-01T09:00Z") == datetime(2026, 4, 1, 9, 0, tzinfo=UTC)


def test_nothing_but_the_clock_module_reads_the_time() -> None:
    pattern = re.compile(r"timezone\.now\(\)|datetime\.now\(|datetime\.utcnow\(|date\.today\(|time\.time\(\)")
    allowed = {PROJECT / "core" / "clock.py"}
    offenders = [
        f"{path.relative_to(PROJECT)}:{number}"
        for path in PROJECT.rglob("*.py")
        if path not in allowed and "tests" not in path.parts and "migrations" not in path.parts
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if pattern.search(line)
    ]
    assert offenders == []

from __future__ import annotations

import time

from careerrelay.core.ids import new_id


def test_ids_are_uuid7_with_rfc_variant() -> None:
    value = new_id()
    assert value.version == 7
    assert value.variant == "specified in RFC 4122"


def test_ids_sort_by_creation_time_and_do_not_repeat() -> None:
    first = new_id()
    time.sleep(0.002)
    later = [new_id() for _ in range(1000)]
    assert all(first < other for other in later)
    assert len({first, *later}) == 1001

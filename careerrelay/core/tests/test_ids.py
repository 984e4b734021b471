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


def test_ids_take_their_time_from_the_pinned_clock() -> None:
    from datetime import UTC, datetime

    from careerrelay.core import clock

    with clock.frozen_at(datetime(2025, 1, 1, tzinfo=UTC)):
        old = new_id()
    assert old < new_id()
    assert old.int >> 80 == int(datetime(2025, 1, 1, tzinfo=UTC).timestamp() * 1000)


def test_a_sequence_makes_uuid7_ids_of_its_instant_increasing_in_the_order_made() -> None:
    from datetime import UTC, datetime

    from careerrelay.core.ids import IdSequence

    at = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)
    made = IdSequence(at)
    ids = [made() for _ in range(10_000)]
    assert ids == sorted(ids)
    assert len(set(ids)) == 10_000
    assert all(value.version == 7 and value.variant == "specified in RFC 4122" for value in ids)
    assert {value.int >> 80 for value in ids} == {int(at.timestamp() * 1000)}
    assert IdSequence(at)() != ids[0]  # another sequence of the same instant starts elsewhere
    # The 42 random bits are fresh for every id, across the batches they are drawn in.
    assert len({value.int & ((1 << 42) - 1) for value in ids}) > 9_990

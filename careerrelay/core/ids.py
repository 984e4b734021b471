"""Time-ordered, unguessable identifiers (UUID version 7, RFC 9562).

Sorting by id sorts by creation time, which cursor pagination relies on; the 74 random bits
keep ids from being enumerated. The time comes from the one clock, so rows written while the
clock is pinned (the demo's history, a replayed worker tick) sort by that time too.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from datetime import datetime

from careerrelay.core import clock

_RANDOM_BATCH = 256  # ids' worth of random bits fetched at once by IdSequence


def new_id() -> uuid.UUID:
    unix_ms = int(clock.now().timestamp() * 1000)
    rand = int.from_bytes(os.urandom(10), "big")
    value = (unix_ms & ((1 << 48) - 1)) << 80
    value |= 0x7 << 76  # version
    value |= ((rand >> 62) & 0xFFF) << 64  # rand_a, 12 bits
    value |= 0b10 << 62  # variant
    value |= rand & ((1 << 62) - 1)  # rand_b, 62 bits
    return uuid.UUID(int=value)


class IdSequence:
    """Ids for a batch of rows written at one instant (`at`, a reading of the one clock): UUIDv7
    with that millisecond and increasing in the order they are made (RFC 9562's counter method:
    a counter in rand_a and the top of rand_b, started at a random value), so a batch sorts in
    the order it was built, as ids made one by one do. 42 bits of each id stay random."""

    def __init__(self, at: datetime) -> None:
        unix_ms = int(at.timestamp() * 1000)
        self._head = (unix_ms & ((1 << 48) - 1)) << 80 | 0x7 << 76 | 0b10 << 62
        self._counter = int.from_bytes(os.urandom(4), "big") >> 2  # 30 bits: room to count up in 32
        self._random: Iterator[int] = iter(())

    def _refill(self) -> int:
        """Random bits drawn from the system a batch of ids at a time (one system call per id
        was a visible part of a bulk import), 42 bits per id."""
        pool = os.urandom(6 * _RANDOM_BATCH)
        self._random = (int.from_bytes(pool[i : i + 6], "big") >> 6 for i in range(0, len(pool), 6))
        return next(self._random)

    def __call__(self) -> uuid.UUID:
        self._counter += 1
        counter = self._counter
        rand = next(self._random, None)
        if rand is None:
            rand = self._refill()
        return uuid.UUID(int=self._head | (counter >> 20 & 0xFFF) << 64 | (counter & 0xFFFFF) << 42 | rand)

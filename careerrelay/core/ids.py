"""Time-ordered, unguessable identifiers (UUID version 7, RFC 9562).

Sorting by id sorts by creation time, which cursor pagination relies on; the 74 random bits
keep ids from being enumerated. The time comes from the one clock, so rows written while the
clock is pinned (the demo's history, a replayed worker tick) sort by that time too.
"""

from __future__ import annotations

import os
import uuid

from careerrelay.core import clock


def new_id() -> uuid.UUID:
    unix_ms = int(clock.now().timestamp() * 1000)
    rand = int.from_bytes(os.urandom(10), "big")
    value = (unix_ms & ((1 << 48) - 1)) << 80
    value |= 0x7 << 76  # version
    value |= ((rand >> 62) & 0xFFF) << 64  # rand_a, 12 bits
    value |= 0b10 << 62  # variant
    value |= rand & ((1 << 62) - 1)  # rand_b, 62 bits
    return uuid.UUID(int=value)

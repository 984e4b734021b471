"""How much more the database can hold, for work that must be able to record what it did
(the outbox hands mail to SMTP only when it can write down that it did)."""

from __future__ import annotations

import shutil
from pathlib import Path

from django.db import connection


def headroom_bytes() -> int | None:
    """Bytes the SQLite database can still grow by: its free pages, the pages left under
    `PRAGMA max_page_count`, and no more than the filesystem's free space. None on PostgreSQL
    (the server's disk is not ours to measure; a full one fails the write with disk_full)."""
    if connection.vendor != "sqlite":
        return None
    with connection.cursor() as cursor:
        values = {}
        for pragma in ("page_size", "page_count", "max_page_count", "freelist_count"):
            cursor.execute(f"PRAGMA {pragma}")
            values[pragma] = int(cursor.fetchone()[0])
    pages = values["max_page_count"] - values["page_count"] + values["freelist_count"]
    room = pages * values["page_size"]
    name = str(connection.settings_dict["NAME"])
    if Path(name).parent.is_dir() and not name.startswith("file:") and name != ":memory:":
        room = min(room, shutil.disk_usage(Path(name).parent).free)
    return room

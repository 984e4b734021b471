"""config.settings with every connection to the SQLite file capped at CAREERRELAY_TEST_MAX_PAGE_COUNT
pages (`PRAGMA max_page_count` in the connection's init_command): the database cannot grow, so
SQLite answers SQLITE_FULL as on a full disk. For test_full_disk_worker.py's worker processes."""

import os

from config.settings import *  # noqa: F403
from config.settings import DATABASES

_cap = int(os.environ["CAREERRELAY_TEST_MAX_PAGE_COUNT"])
DATABASES["default"]["OPTIONS"]["init_command"] += f" PRAGMA max_page_count={_cap};"

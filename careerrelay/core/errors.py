"""Domain errors that interfaces turn into HTTP answers."""

from __future__ import annotations

import sqlite3

from django.http import Http404


class NotFound(Http404):
    """The object does not exist for this org. Other orgs' objects raise this too: never 403."""


class PermissionDenied(Exception):
    """The actor belongs to the org but their role does not allow the action."""


class Conflict(Exception):
    """The request contradicts the current state (e.g. removing the last admin)."""


class RateLimited(Exception):
    def __init__(self, retry_after: int) -> None:
        super().__init__(f"retry after {retry_after}s")
        self.retry_after = retry_after


class DomainValidationError(Exception):
    """Invalid input for a service; `field` names the place (form field, body member or query parameter)."""

    def __init__(self, message: str, *, field: str | None = None, in_query: bool = False) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        self.in_query = in_query


# PostgreSQL's SQLSTATE for "could not extend file: No space left on device".
POSTGRES_DISK_FULL = "53100"


def is_storage_full(exc: BaseException) -> bool:
    """True for a write refused because the database has no room left: SQLite's SQLITE_FULL
    ("database or disk is full", also what `PRAGMA max_page_count` raises) or PostgreSQL's
    disk_full, however Django wrapped it."""
    seen: BaseException | None = exc
    for _depth in range(10):
        if seen is None:
            return False
        if getattr(seen, "sqlite_errorcode", None) == sqlite3.SQLITE_FULL:
            return True
        if getattr(seen, "sqlstate", None) == POSTGRES_DISK_FULL:
            return True
        seen = seen.__cause__ or seen.__context__
    return False

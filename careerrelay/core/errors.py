"""Domain errors that interfaces turn into HTTP answers."""

from __future__ import annotations

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

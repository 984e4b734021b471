"""Cursor pagination over time-ordered UUID ids: stable under inserts, no page counting."""

from __future__ import annotations

import base64
import binascii
import uuid
from typing import Any, TypeVar

from django.db import models
from django.utils.translation import gettext as _

from careerrelay.core.errors import DomainValidationError

M = TypeVar("M", bound=models.Model)

DEFAULT_LIMIT = 50
MAX_LIMIT = 200


def encode_cursor(last_id: uuid.UUID) -> str:
    return base64.urlsafe_b64encode(last_id.bytes).decode().rstrip("=")


def decode_cursor(cursor: str) -> uuid.UUID:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        return uuid.UUID(bytes=raw)
    except (binascii.Error, ValueError) as exc:
        raise DomainValidationError(_("This cursor is not valid."), field="cursor", in_query=True) from exc


def paginate(queryset: models.QuerySet[M], *, cursor: str | None, limit: int) -> tuple[list[M], str | None]:
    """Newest first. Returns one page and the cursor of the next page (None on the last)."""
    if not 1 <= limit <= MAX_LIMIT:
        raise DomainValidationError(
            _("limit must be between 1 and %(max)s.") % {"max": MAX_LIMIT}, field="limit", in_query=True
        )
    queryset = queryset.order_by("-id")
    if cursor:
        queryset = queryset.filter(id__lt=decode_cursor(cursor))
    rows = list(queryset[: limit + 1])
    next_cursor = encode_cursor(rows[limit - 1].pk) if len(rows) > limit else None
    return rows[:limit], next_cursor


def page(items: list[Any], next_cursor: str | None) -> dict[str, Any]:
    return {"items": items, "next_cursor": next_cursor}

"""Tenant-safe reads shared by every app's selectors."""

from __future__ import annotations

from typing import Any, TypeVar

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import models

from careerrelay.core.errors import NotFound

M = TypeVar("M", bound=models.Model)


def get_for_org(queryset: models.QuerySet[M], *, org: Any, pk: Any) -> M:
    """The object with `pk` if it belongs to `org`; NotFound otherwise, whether or not it exists."""
    try:
        return queryset.get(org=org, pk=pk)
    except (ObjectDoesNotExist, ValidationError, ValueError, TypeError) as exc:
        raise NotFound() from exc

"""Values for hand-written statements (executemany): each model field's own conversion for the
current database (UUIDs as hex on SQLite, datetimes as the backend stores them)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import connection
from django.db.models import Field, Model


def _converter(field: Any) -> Callable[[Any], Any]:
    assert isinstance(field, Field)

    def convert(value: Any) -> Any:
        return field.get_db_prep_value(value, connection, prepared=False)

    return convert


def db_values(model: type[Model], *names: str) -> dict[str, Callable[[Any], Any]]:
    return {name: _converter(model._meta.get_field(name)) for name in names}

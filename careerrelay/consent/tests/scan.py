"""A scan of every text, JSON and binary column of every table Django knows (all installed apps,
including auto-created many-to-many tables), for strings that must not be there. A table added
later is scanned without anyone touching this file."""

from __future__ import annotations

import json
from typing import Any

from django.apps import apps
from django.db import models

# The person the erasure tests erase: a name no test fixture gives anyone else.
PERSON = {
    "family_name": "綾瀬",
    "given_name": "千尋",
    "family_name_kana": "アヤセ",
    "given_name_kana": "チヒロ",
    "email": "chihiro.ayase@example.jp",
    "phone": "+819087654321",
}
# What must not be found: each value, the name in hiragana and as one string, the phone as dialled.
TERMS = [*PERSON.values(), "あやせ", "090-8765-4321", "09087654321", "綾瀬 千尋", "綾瀬千尋"]

TEXT_FIELDS = (models.CharField, models.TextField, models.JSONField, models.BinaryField)


def _as_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bytes | memoryview):
        return bytes(value).decode("utf-8", "replace")
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, default=str)


def _forms(term: str) -> set[str]:
    # As typed, and as JSON with ASCII escapes (how a raw payload or SQLite's JSON may hold it).
    return {term.casefold(), json.dumps(term)[1:-1].casefold()}


def scanned_columns() -> list[tuple[type[models.Model], list[str]]]:
    found = []
    for model in apps.get_models(include_auto_created=True):
        names = [f.attname for f in model._meta.concrete_fields if isinstance(f, TEXT_FIELDS)]
        if names:
            found.append((model, names))
    return found


def find(terms: list[str], *, other_controllers: tuple[Any, ...] = ()) -> list[str]:
    """Every place (app_label.model.column#pk: term) where one of `terms` occurs, ignoring case.
    Rows of `other_controllers` (orgs that received the person's data with their consent and
    hold it as their own) are left out."""
    wanted = {form: term for term in terms for form in _forms(term)}
    hits = []
    for model, names in scanned_columns():
        rows = model._base_manager.all()
        if other_controllers and any(f.name == "org" for f in model._meta.concrete_fields):
            rows = rows.exclude(org__in=other_controllers)
        for row in rows.values_list("pk", *names):
            for name, value in zip(names, row[1:], strict=True):
                text = _as_text(value).casefold()
                hits += [f"{model._meta.label_lower}.{name}#{row[0]}: {wanted[f]}" for f in wanted if f in text]
    return sorted(set(hits))

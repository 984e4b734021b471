"""Pydantic's validation errors in the caller's language.

Pydantic writes English; a recruiter's integration built in Japan should read Japanese. The
common error types get our own wording; anything else keeps pydantic's message.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _


def localized_message(error: dict[str, Any]) -> str:
    kind = error.get("type", "")
    ctx = error.get("ctx") or {}
    if kind == "missing":
        return _("This field is required.")
    if kind == "value_error" and "email" in str(error.get("msg", "")).lower():
        return _("Enter a valid email address.")
    if kind == "literal_error":
        return _("Use one of: %(choices)s.") % {"choices": ctx.get("expected", "")}
    if kind in {"int_parsing", "int_type", "int_from_float"}:
        return _("Enter a whole number.")
    if kind == "greater_than_equal":
        return _("Must be at least %(limit)s.") % {"limit": ctx.get("ge")}
    if kind == "less_than_equal":
        return _("Must be at most %(limit)s.") % {"limit": ctx.get("le")}
    if kind in {"uuid_parsing", "uuid_type"}:
        return _("Enter a valid id (a UUID).")
    if kind == "string_pattern_mismatch":
        return _("The value has the wrong format.")
    if kind in {"string_type", "model_attributes_type", "dict_type", "model_type"}:
        return _("The value has the wrong type.")
    if kind in {"string_too_long", "too_long"}:
        return _("The value is too long.")
    return str(error.get("msg", ""))

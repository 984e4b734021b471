"""Yen amounts as people read them: ¥1,000,000."""

from __future__ import annotations

from django import template

register = template.Library()


@register.filter
def yen(value: int | None) -> str:
    return "—" if value is None else f"¥{int(value):,}"

"""`{% fragment "web/pool_rows.html" %}`: a Jinja2 fragment (web/jinja.py) inside a Django page,
rendered with the page's context."""

from __future__ import annotations

from typing import Any, cast

from django import template
from django.template import engines
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


@register.simple_tag(takes_context=True)
def fragment(context: template.Context, name: str) -> SafeString:
    values = cast(dict[str, Any], context.flatten())
    rendered = engines["jinja2"].get_template(name).render(values, context.get("request"))
    return mark_safe(rendered)  # noqa: S308 (Jinja2 escaped it: the environment autoescapes)

"""Jinja2 fragments (web/jinja.py) inside a Django page: `{% fragment "web/pool_rows.html" %}`
renders one with the page's context; `{% form_field field %}` renders a form field (its label,
widget, help and errors: web/jinja2/web/field.html) with the field alone."""

from __future__ import annotations

from typing import Any, cast

from django import template
from django.forms import BoundField
from django.template import engines
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


def _render(name: str, values: dict[str, Any], request: Any = None) -> SafeString:
    rendered = engines["jinja2"].get_template(name).render(values, request)
    return mark_safe(rendered)  # noqa: S308 (Jinja2 escaped it: the environment autoescapes)


@register.simple_tag(takes_context=True)
def fragment(context: template.Context, name: str) -> SafeString:
    return _render(name, cast(dict[str, Any], context.flatten()), context.get("request"))


@register.simple_tag
def form_field(field: BoundField) -> SafeString:
    return _render("web/field.html", {"field": field})

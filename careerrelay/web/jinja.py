"""The Jinja2 environment for the pages' hot fragments (settings.TEMPLATES, the "jinja2" engine).

A page stays a Django template; the part repeated for every row of a long list is a Jinja2
template included with `{% fragment "web/….html" %}` (templatetags/fragments.py). Through
Django's engine a 50-row pool page spent about 60% of its CPU resolving the rows' variables
(benchmarks/README.md, Load); Jinja2 compiles a template to Python. The helpers below are the
Django tags and filters the fragments use, so they render exactly what the Django templates did.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from uuid import UUID

from django.template import defaultfilters
from django.urls import reverse
from django.utils import timezone, translation
from jinja2 import Environment

from careerrelay.web.templatetags.pool_labels import prefecture_name_in

_SENTINEL = UUID(int=0)


def url_by_id(name: str) -> Callable[[object], str]:
    """`url(name, id)` for many ids: the route reversed once, the id put in its place per row
    (a list's rows link to one route 50 times; reversing it each time was a tenth of a row)."""
    pattern = reverse(name, args=[_SENTINEL])
    return lambda pk: pattern.replace(str(_SENTINEL), str(pk))


def day(value: Any) -> str:
    """`date:"Y-m-d"` in the reader's time zone, without the general formatter (a fifth of a row)."""
    return timezone.localtime(value).date().isoformat()


def environment(**options: Any) -> Environment:
    options.pop("autoescape", None)  # always on: the fragments show what people typed
    env = Environment(extensions=["jinja2.ext.i18n"], autoescape=True, **options)
    env.install_gettext_callables(translation.gettext, translation.ngettext, newstyle=True)  # type: ignore[attr-defined]
    env.globals["url_by_id"] = url_by_id
    env.filters["day"] = day
    env.filters["floatformat"] = defaultfilters.floatformat
    env.filters["prefecture_name"] = prefecture_name_in
    return env

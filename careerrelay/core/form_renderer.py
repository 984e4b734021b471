"""The form renderer (settings.FORM_RENDERER): Django's Jinja2 renderer, with selects written here.

Every widget renders through a template. Through Django's own engine, a select of the 47
prefectures was one include per option, and the pool page's filter form cost 60% of the page's
CPU; through Jinja2 it is much cheaper, but the options of a few selects were still a fifth of a
page (benchmarks/README.md, Load). A select is the one widget with many parts, so its markup,
the same as the templates', is written here; every other widget keeps its template.
"""

from __future__ import annotations

from typing import Any

from django.forms.renderers import Jinja2
from django.forms.widgets import Select
from django.utils.html import escape


def _attrs(attrs: dict[str, Any]) -> str:
    """As the widgets' attrs.html, in the same order (Django's `flatatt` moves the boolean
    attributes to the end): False leaves the attribute out, True writes its name alone."""
    parts = []
    for name, value in attrs.items():
        if value is True:
            parts.append(f" {name}")
        elif value is not False:
            parts.append(f' {name}="{escape(value)}"')
    return "".join(parts)


def render_select(widget: dict[str, Any]) -> str:
    """The markup of django/forms/widgets/select.html and select_option.html for a widget's context."""
    parts = [f'<select name="{escape(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, options, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{escape(group_name)}">')
        for option in options:
            value, label = escape(option["value"]), escape(option["label"])
            parts.append(f'\n  <option value="{value}"{_attrs(option["attrs"])}>{label}</option>')
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return "".join(parts)


class FormRenderer(Jinja2):
    def render(self, template_name: str, context: dict[str, Any], request: Any = None) -> str:
        if template_name == Select.template_name:
            return render_select(context["widget"])
        return str(super().render(template_name, context, request))

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
    """As the widgets' attrs.html: False leaves the attribute out, True writes its name alone."""
    written = (f" {name}" if value is True else f' {name}="{escape(value)}"' for name, value in attrs.items())
    return "".join(part for part, value in zip(written, attrs.values(), strict=True) if value is not False)


def render_select(widget: dict[str, Any]) -> str:
    """The markup of django/forms/widgets/select.html and select_option.html for a widget's context."""
    parts = [f'<select name="{escape(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, options, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{escape(group_name)}">')
        parts.extend(
            f'\n  <option value="{escape(option["value"])}"{_attrs(option["attrs"])}>{escape(option["label"])}</option>'
            for option in options
        )
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return "".join(parts)


class FormRenderer(Jinja2):
    def render(self, template_name: str, context: dict[str, Any], request: Any = None) -> str:
        if template_name == Select.template_name:
            return render_select(context["widget"])
        return str(super().render(template_name, context, request))

"""Selects written in Python give the markup Django's Jinja2 widget templates give."""

from __future__ import annotations

import re

from django import forms
from django.forms.renderers import Jinja2
from django.utils.translation import gettext_lazy, override

from careerrelay.core.form_renderer import FormRenderer


class _Everything(forms.Form):
    plain = forms.ChoiceField(choices=[("", "Any"), ("13", "東京都"), ("27", "大阪府")])
    tricky = forms.ChoiceField(
        choices=[("a&b", 'R&D "<labs>"'), (1, gettext_lazy("Yes"))],
        widget=forms.Select(attrs={"class": "x", "data-note": "1 < 2", "disabled": True, "hidden": False}),
    )
    grouped = forms.ChoiceField(choices=[("関東", [("13", "東京都"), ("14", "神奈川県")]), ("", "None"), ("x", "X")])
    many = forms.MultipleChoiceField(choices=[("py", "Python"), ("go", "Go"), ("rs", "Rust")], required=False)
    yes_no = forms.NullBooleanField()
    note = forms.CharField()  # not a select: still the template's


def _squeezed(html: str) -> str:
    """Whitespace between tags aside, and a quote written as &#34; (Jinja2) or &quot; (Django)."""
    return re.sub(r">\s+<", "><", html).strip().replace("&#34;", "&quot;").replace("&#39;", "&#x27;")


def test_every_select_renders_as_the_jinja2_templates_do() -> None:
    data = {"plain": "27", "tricky": "a&b", "grouped": "14", "many": ["py", "rs"], "yes_no": "true", "note": "<b>"}
    for bound in (False, True):
        for language in ("ja", "en"):
            with override(language):
                ours = _Everything(data if bound else None, renderer=FormRenderer())
                django = _Everything(data if bound else None, renderer=Jinja2())
                for name in ours.fields:
                    assert _squeezed(str(ours[name])) == _squeezed(str(django[name])), (name, bound, language)


def test_a_selected_option_and_an_escaped_label_are_written() -> None:
    html = str(_Everything({"plain": "27", "tricky": "a&b"}, renderer=FormRenderer())["tricky"])
    assert '<option value="a&amp;b" selected>R&amp;D &quot;&lt;labs&gt;&quot;</option>' in html
    assert 'data-note="1 &lt; 2"' in html and " disabled" in html and "hidden" not in html

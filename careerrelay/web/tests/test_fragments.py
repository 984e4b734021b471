"""The Jinja2 fragments inside Django pages (web/jinja.py, templatetags/fragments.py)."""

from __future__ import annotations

from django import forms
from django.template import engines

from careerrelay.web.templatetags.fragments import form_field


class _Form(forms.Form):
    name = forms.CharField(label="Name <required>", help_text="As on the résumé & CV", max_length=3)
    prefecture = forms.ChoiceField(label="Prefecture", choices=[("13", "東京都"), ("27", "大阪府")])


def test_a_field_shows_its_label_widget_help_and_errors_escaped() -> None:
    form = _Form({"name": "<script>", "prefecture": "27"})
    assert not form.is_valid()
    html = form_field(form["name"])
    assert html.startswith('<div class="field invalid">')
    assert '<label for="id_name">Name &lt;required&gt;</label>' in html
    assert '<input type="text" name="name" value="&lt;script&gt;"' in html and "<script>" not in html
    assert '<small class="help">As on the résumé &amp; CV</small>' in html
    assert '<p class="error" role="alert">' in html and "3" in html  # "at most 3 characters"
    valid = form_field(form["prefecture"])
    assert valid.startswith('<div class="field">') and '<option value="27" selected>大阪府</option>' in valid


def test_a_django_page_renders_the_field_tag_as_the_include_did() -> None:
    """The tag inside a Django template gives the field's markup unescaped once (not as text)."""
    page = engines["django"].from_string("{% load fragments %}<form>{% form_field form.prefecture %}</form>")
    html = page.render({"form": _Form()})
    assert html.startswith('<form><div class="field">') and "&lt;div" not in html
    assert '<select name="prefecture" id="id_prefecture">' in html

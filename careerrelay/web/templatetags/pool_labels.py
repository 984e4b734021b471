"""Display helpers for the pool pages: the codes stored in the database, in the reader's words."""

from __future__ import annotations

import phonenumbers
from django import template
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from careerrelay.core import prefectures

register = template.Library()

SOURCE_LABELS = {
    "ats": _("ATS"),
    "referral": _("Referral"),
    "agency": _("Agency"),
    "own_site": _("Careers site"),
    "csv": _("CSV import"),
    "greenhouse": "Greenhouse",
    "lever": "Lever",
    "jsonresume": "JSON Resume",
    "api": "API",
    "manual": _("Entered by hand"),
    "rescout": _("Re-scout"),
    "relay": _("Career Relay"),
    "unknown": _("Not recorded"),
}
STAGE_LABELS = {"applied": pgettext_lazy("stage", "Applied")}


@register.filter
def source_label(code: str) -> str:
    return str(SOURCE_LABELS.get(code, code))


@register.filter
def stage_label(code: str) -> str:
    return str(STAGE_LABELS.get(code, code))


@register.filter
def prefecture_name(code: str) -> str:
    """A prefecture code in the reader's language (東京都 / Tokyo). Also cheaper than the model's
    `get_prefecture_display`, which rebuilds the 47 choices for every row of a list."""
    return prefecture_name_in(code, get_language() or "")


def prefecture_name_in(code: str, language: str) -> str:
    """`prefecture_name` with the language given (a list's rows look it up once, web/jinja.py)."""
    return prefectures.label(code, language) or code


@register.filter
def phone_display(e164: str) -> str:
    """+819012345678 → 090-1234-5678 for Japanese numbers, international format otherwise."""
    if not e164:
        return ""
    try:
        number = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return e164
    style = (
        phonenumbers.PhoneNumberFormat.NATIONAL
        if number.country_code == 81
        else phonenumbers.PhoneNumberFormat.INTERNATIONAL
    )
    return phonenumbers.format_number(number, style)

"""An explanation rendered as one line for people, in Japanese and in English.

"一致: Python、AWS / 不足: Kubernetes / 東京都 ✓ / 昨年 最終面接まで" ·
"matched: Python, AWS; missing: Kubernetes; Tokyo ✓; final round last year".
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from careerrelay.matching import taxonomy
from careerrelay.matching.ranking import prefecture_label

REGIONS_EN = {
    "北海道": "Hokkaido",
    "東北": "Tohoku",
    "関東": "Kanto",
    "中部": "Chubu",
    "近畿": "Kinki",
    "中国": "Chugoku",
    "四国": "Shikoku",
    "九州・沖縄": "Kyushu and Okinawa",
}


def _stage(name: str) -> str:
    if name == "final":
        return _("final round")
    if name == "second":
        return _("second round")
    if name == "first":
        return _("first interview")
    return ""


def _when(last_activity: str | None, now: datetime) -> str:
    if not last_activity:
        return ""
    years = now.year - datetime.fromisoformat(last_activity).year
    if years <= 0:
        return _("this year")
    if years == 1:
        return _("last year")
    return ngettext("%(count)d year ago", "%(count)d years ago", years) % {"count": years}


def _parts(explanation: dict[str, Any], language: str, now: datetime) -> list[str]:
    tax = taxonomy.taxonomy()
    comma = "、" if language == "ja" else ", "
    out: list[str] = []
    if explanation["matched"]:
        names = comma.join(tax.label(s, language) for s in explanation["matched"])
        out.append(_("matched: %(skills)s") % {"skills": names})
    for item in explanation["partial"]:
        out.append(
            _("%(skill)s partly, through %(via)s")
            % {"skill": tax.label(item["skill"], language), "via": tax.label(item["via"], language)}
        )
    if explanation["missing"]:
        names = comma.join(tax.label(s, language) for s in explanation["missing"])
        out.append(_("missing: %(skills)s") % {"skills": names})
    place = explanation["location"]
    pref = prefecture_label(explanation.get("prefecture", ""), language)
    if place == "remote":
        out.append(_("remote ✓"))
    elif place == "prefecture":
        out.append(_("%(place)s ✓") % {"place": pref})
    elif place == "region":
        region = explanation.get("region", "")
        out.append(
            _("same region (%(region)s)") % {"region": REGIONS_EN.get(region, region) if language == "en" else region}
        )
    elif place == "remote_wish":
        out.append(_("wishes to work remotely"))
    elif place == "far" and pref:
        out.append(_("far from %(place)s") % {"place": pref})
    if explanation.get("years") is not None:
        out.append(
            ngettext("%(count)d year of experience", "%(count)d years of experience", explanation["years"])
            % {"count": explanation["years"]}
        )
    stage = _stage(explanation.get("stage", ""))
    if stage:
        when = _when(explanation.get("last_activity"), now)
        out.append(_("%(stage)s %(when)s") % {"stage": stage, "when": when} if when else stage)
    return out


def render_both(explanation: dict[str, Any], *, now: datetime) -> dict[str, str]:
    return render_many([explanation], now=now)[0]


def render_many(explanations: list[dict[str, Any]], *, now: datetime) -> list[dict[str, str]]:
    """Each explanation's line in both languages (switching the language once per language, not
    once per line: a match list renders forty lines)."""
    lines: list[dict[str, str]] = [{} for _explanation in explanations]
    for language in ("ja", "en"):
        with translation.override(language):
            separator = " / " if language == "ja" else "; "
            for line, explanation in zip(lines, explanations, strict=True):
                line[language] = separator.join(_parts(explanation, language, now))
    return lines

"""Admin pages for re-scouting: the rules with their 90-day forecast, the send window and
frequency cap, responses and clicks, and the suppression list."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from careerrelay.candidates import selectors as pool_selectors
from careerrelay.core.errors import DomainValidationError
from careerrelay.outreach import rescout_selectors as selectors
from careerrelay.outreach import settings as outreach_settings
from careerrelay.outreach.rescout_services import outreach_settings_save, rule_save
from careerrelay.web.pool_views import _language, _report
from careerrelay.web.rescout_forms import OutreachSettingsForm, RuleForm
from careerrelay.web.views import _actor, member_required


def _reasons(request: HttpRequest) -> list[tuple[str, str]]:
    return [(r.code, r.label(_language())) for r in pool_selectors.reasons_list(org=_actor(request).org)]


@member_required
@require_GET
def rescout_view(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    values = outreach_settings.for_org(actor.org)
    return render(
        request,
        "web/rescout.html",
        {
            "rules": selectors.rules_list(org=actor.org),
            "forecast": selectors.forecast(org=actor.org),
            "forecast_days": selectors.FORECAST_DAYS,
            "responses": selectors.responses_list(org=actor.org)[:20],
            "clicks": selectors.click_counts(org=actor.org),
            "settings_form": OutreachSettingsForm(initial=outreach_settings.as_json(values)),
            "is_admin": actor.role == "admin",
        },
    )


@member_required
@require_POST
def outreach_settings_view(request: HttpRequest) -> HttpResponse:
    form = OutreachSettingsForm(request.POST)
    if not form.is_valid():
        _report(request, form)
        return redirect("web:rescout")
    try:
        outreach_settings_save(actor=_actor(request), **form.cleaned_data)
    except DomainValidationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Saved."))
    return redirect("web:rescout")


@member_required
@require_http_methods(["GET", "POST"])
def rescout_rule_view(request: HttpRequest, rule_id: str | None = None) -> HttpResponse:
    actor = _actor(request)
    rule = selectors.rule_get(org=actor.org, pk=rule_id) if rule_id else None
    initial = RuleForm.initial_from(rule) if rule else None
    form = RuleForm(request.POST or None, initial=initial, reasons=_reasons(request))
    if request.method == "POST" and form.is_valid():
        try:
            saved = rule_save(actor=actor, data=form.rule_input(), rule_id=rule.pk if rule else None)
        except DomainValidationError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, _("The rule is saved and its schedule re-planned."))
            return redirect("web:rescout_rule", rule_id=saved.pk)
    return render(
        request,
        "web/rescout_rule.html",
        {"rule": rule, "form": form, "is_admin": actor.role == "admin"},
        status=400 if form.errors else 200,
    )


@member_required
@require_GET
def suppressions_view(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    return render(request, "web/suppressions.html", {"rows": selectors.suppressions_list(org=actor.org)[:500]})

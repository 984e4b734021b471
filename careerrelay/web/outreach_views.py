"""Admin pages for what the org says to candidates (message templates with a live preview, the
privacy policy texts), the outbox, and recording consent given outside the portal."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from careerrelay.candidates import selectors as pool_selectors
from careerrelay.consent.policy import current_policy
from careerrelay.consent.services import consent_record, policy_save
from careerrelay.core.errors import DomainValidationError
from careerrelay.core.pagination import paginate
from careerrelay.outreach import selectors
from careerrelay.outreach.models import MessageKind, ScheduledMessage
from careerrelay.outreach.services import template_preview, template_save
from careerrelay.web import outreach_forms
from careerrelay.web.pool_views import _language, _report
from careerrelay.web.views import _actor, member_required


@member_required
@require_GET
def templates_view(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    reasons = [(str(r.pk), r.label(_language())) for r in pool_selectors.reasons_list(org=actor.org)]
    return render(
        request,
        "web/message_templates.html",
        {
            "templates": selectors.templates_list(org=actor.org),
            "new_form": outreach_forms.NewReasonTemplateForm(reasons=reasons),
            "is_admin": actor.role == "admin",
            "language": _language(),
        },
    )


@member_required
@require_POST
def template_new_view(request: HttpRequest) -> HttpResponse:
    """A rejection template of its own for one reason, starting from the default's text."""
    actor = _actor(request)
    reasons = [(str(r.pk), r.label(_language())) for r in pool_selectors.reasons_list(org=actor.org)]
    form = outreach_forms.NewReasonTemplateForm(request.POST, reasons=reasons)
    if not form.is_valid():
        _report(request, form)
        return redirect("web:message_templates")
    language = form.cleaned_data["language"]
    base = selectors.templates_list(org=actor.org).get(kind=MessageKind.REJECTION, reason=None, language=language)
    try:
        template = template_save(
            actor=actor,
            kind=MessageKind.REJECTION,
            language=language,
            reason_id=form.cleaned_data["reason_id"],
            subject=base.subject,
            body=base.body,
        )
    except DomainValidationError as exc:
        messages.error(request, exc.message)
        return redirect("web:message_templates")
    return redirect("web:message_template", template_id=template.pk)


@member_required
@require_http_methods(["GET", "POST"])
def template_view(request: HttpRequest, template_id: str) -> HttpResponse:
    actor = _actor(request)
    template = selectors.template_get(org=actor.org, pk=template_id)
    form = outreach_forms.TemplateForm(
        request.POST or None, initial={"subject": template.subject, "body": template.body}
    )
    if request.method == "POST" and form.is_valid():
        try:
            template_save(
                actor=actor,
                kind=template.kind,
                language=template.language,
                reason_id=template.reason_id,
                subject=form.cleaned_data["subject"],
                body=form.cleaned_data["body"],
            )
        except DomainValidationError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, _("The template is saved. Messages queued from now on use it."))
            return redirect("web:message_template", template_id=template.pk)
    subject = form.data.get("subject", template.subject) if form.is_bound else template.subject
    body = form.data.get("body", template.body) if form.is_bound else template.body
    preview = template_preview(org=actor.org, subject=subject, body=body, language=template.language)
    return render(
        request,
        "web/message_template.html",
        {"template": template, "form": form, "preview": preview, "is_admin": actor.role == "admin"},
        status=400 if form.errors else 200,
    )


@member_required
@require_POST
def template_preview_view(request: HttpRequest, template_id: str) -> JsonResponse:
    """The live preview: the page's script posts the draft as it is typed."""
    actor = _actor(request)
    template = selectors.template_get(org=actor.org, pk=template_id)
    preview = template_preview(
        org=actor.org,
        subject=request.POST.get("subject", ""),
        body=request.POST.get("body", ""),
        language=template.language,
    )
    return JsonResponse({"subject": preview.subject, "body": preview.body})


@member_required
@require_http_methods(["GET", "POST"])
def privacy_policy_view(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    policy = current_policy(org=actor.org)
    initial = outreach_forms.PolicyForm.initial_from(policy.notice, policy.statements)
    form = outreach_forms.PolicyForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        notice, statements = form.texts()
        try:
            saved = policy_save(actor=actor, notice=notice, statements=statements)
        except DomainValidationError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, _("Saved as version %(number)s.") % {"number": saved.number})
            return redirect("web:privacy_policy")
    return render(
        request,
        "web/privacy_policy.html",
        {"form": form, "policy": policy, "is_admin": actor.role == "admin"},
        status=400 if form.errors else 200,
    )


@member_required
@require_GET
def outbox_view(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    status = request.GET.get("status", "")
    if status not in ScheduledMessage.Status.values:
        status = ""
    rows, next_cursor = paginate(
        selectors.messages_list(org=actor.org, status=status), cursor=request.GET.get("cursor"), limit=50
    )
    counts = selectors.outbox_counts(org=actor.org)
    return render(
        request,
        "web/outbox.html",
        {
            "rows": rows,
            "next_cursor": next_cursor,
            "status": status,
            "statuses": [(value, label, counts.get(value, 0)) for value, label in ScheduledMessage.Status.choices],
            "counts": counts,
        },
    )


@member_required
@require_POST
def consent_record_view(request: HttpRequest, candidate_id: str) -> HttpResponse:
    actor = _actor(request)
    record = selectors.contact_record(org=actor.org, candidate_id=candidate_id)
    form = outreach_forms.ConsentRecordForm(request.POST)
    if form.is_valid():
        try:
            consent_record(
                actor=actor,
                candidate_id=record.candidate.pk,
                purpose=form.cleaned_data["purpose"],
                granted=form.cleaned_data["granted"],
                evidence_note=form.cleaned_data["evidence"],
                language=_language(),
            )
        except DomainValidationError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Recorded in the consent log."))
    else:
        _report(request, form)
    return redirect("web:candidate", candidate_id=record.candidate.pk)

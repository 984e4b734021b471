"""The candidate's own pages: what is held, what may be shared, and every choice in one click."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from careerrelay.candidates.editing import candidate_self_update
from careerrelay.candidates.models import Candidate
from careerrelay.consent import purposes
from careerrelay.consent.erasure import erasure_request
from careerrelay.consent.export import personal_data_export
from careerrelay.consent.gate import consent_states
from careerrelay.consent.models import ConsentEvent, ErasureRequest
from careerrelay.consent.policy import current_policy, notice_text, statement_text
from careerrelay.consent.selectors import consent_history, sharing_block_names
from careerrelay.consent.services import consent_withdraw, consent_withdraw_all, consents_choose, sharing_blocks_set
from careerrelay.core import clock, tenancy
from careerrelay.core.errors import Conflict, DomainValidationError
from careerrelay.outreach.services import portal_link_queue
from careerrelay.portal.access import evidence_of, language_for, page, person_required
from careerrelay.portal.forms import BlocksForm, ChoicesForm, WishesForm
from careerrelay.relay.anonymise import anonymous_profile
from careerrelay.relay.introductions import introduction_answer, pending_for, pending_requests
from careerrelay.relay.selectors import companies_in_networks_of
from careerrelay.relay.services import job_found_report


def _back(request: HttpRequest, token: str, name: str = "portal:home") -> HttpResponse:
    lang = request.POST.get("lang") or request.GET.get("lang") or ""
    url = reverse(name, kwargs={"token": token})
    return redirect(f"{url}?lang={lang}" if lang in ("ja", "en") else url)


@person_required()
@tenancy.cross_org("the person's introduction requests come from other orgs in their networks")  # CROSS-ORG
def home_view(request: HttpRequest, token: str, candidate: Candidate) -> HttpResponse:
    language = language_for(request, candidate)
    now = clock.now()
    policy = current_policy(org=candidate.org)
    states = {state.purpose: state for state in consent_states(candidate, list(purposes.FIXED), at=now)}
    choices = [
        {
            "purpose": purpose,
            "label": purposes.LABELS[purpose],
            "statement": statement_text(policy, purpose, language),
            "state": states[purpose],
        }
        for purpose in purposes.FIXED
    ]
    return page(
        request,
        "portal/home.html",
        candidate,
        {
            "token": token,
            "notice": notice_text(policy, language),
            "choices": choices,
            "any_in_force": any(state.in_force for state in states.values()),
            "profile": anonymous_profile(candidate, this_year=clock.today_jst().year),
            "companies": companies_in_networks_of(org=candidate.org),
            "requests": pending_requests(candidate),
        },
    )


@require_POST
@person_required()
def choices_view(request: HttpRequest, token: str, candidate: Candidate) -> HttpResponse:
    form = ChoicesForm(request.POST)
    form.is_valid()
    granted = consents_choose(
        candidate=candidate,
        chosen=form.chosen(),
        language=language_for(request, candidate),
        evidence=evidence_of(request),
    )
    if granted:
        messages.success(request, _("Thank you. Your choices are saved."))
    else:
        messages.info(request, _("Nothing was ticked, so nothing changed."))
    return _back(request, token)


@require_POST
@person_required()
def withdraw_view(request: HttpRequest, token: str, candidate: Candidate) -> HttpResponse:
    purpose = request.POST.get("purpose", "")
    if purpose == "all":
        consent_withdraw_all(candidate=candidate, evidence=evidence_of(request))
    elif purposes.is_valid(purpose):
        consent_withdraw(candidate=candidate, purpose=purpose, evidence=evidence_of(request))
    messages.success(request, _("Withdrawn. It took effect at once."))
    return _back(request, token)


@require_http_methods(["GET", "POST"])
@person_required()
def wishes_view(request: HttpRequest, token: str, candidate: Candidate) -> HttpResponse:
    initial = {
        "desired_roles": "\n".join(candidate.desired_roles),
        "desired_locations": "\n".join(candidate.desired_locations),
        "desired_salary_min": candidate.desired_salary_min,
        "desired_salary_max": candidate.desired_salary_max,
        "available_from": candidate.available_from,
    }
    form = WishesForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            candidate_self_update(candidate=candidate, changes=form.changes())
        except DomainValidationError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, _("Your wishes are saved."))
            return _back(request, token)
    return page(request, "portal/wishes.html", candidate, {"token": token, "form": form})


@require_http_methods(["GET", "POST"])
@person_required()
@tenancy.cross_org("the companies of the person's networks are other orgs")  # CROSS-ORG
def blocks_view(request: HttpRequest, token: str, candidate: Candidate) -> HttpResponse:
    form = BlocksForm(request.POST or None, initial={"company_names": "\n".join(sharing_block_names(candidate))})
    if request.method == "POST" and form.is_valid():
        sharing_blocks_set(candidate=candidate, org_ids=[], names=form.names())
        messages.success(request, _("Saved. Your profile will never be shown to these companies."))
        return _back(request, token)
    return page(request, "portal/blocks.html", candidate, {"token": token, "form": form})


@person_required()
def history_view(request: HttpRequest, token: str, candidate: Candidate) -> HttpResponse:
    return page(request, "portal/history.html", candidate, {"token": token, "events": consent_history(candidate)})


@csrf_exempt  # RFC 8058: the mail client POSTs without a form of ours; the signed link is the key
@require_http_methods(["GET", "POST"])
@person_required(allow_expired=True)
def unsubscribe_view(request: HttpRequest, token: str, candidate: Candidate) -> HttpResponse:
    """From a newsletter (`?only=newsletter`) it stops newsletters only; from any other mail it
    stops job offers and news alike."""
    newsletter_only = request.GET.get("only") == "newsletter"
    context = {"token": token, "newsletter_only": newsletter_only}
    if request.method == "POST":
        evidence = evidence_of(request, ConsentEvent.Channel.EMAIL_LINK)
        stopped = (purposes.NEWSLETTER,) if newsletter_only else (purposes.RECONTACT, purposes.NEWSLETTER)
        for purpose in stopped:
            consent_withdraw(candidate=candidate, purpose=purpose, evidence=evidence)
        return page(request, "portal/unsubscribed.html", candidate, context)
    return page(request, "portal/unsubscribe.html", candidate, context)


@require_POST
@person_required(allow_expired=True)
def renew_view(request: HttpRequest, token: str, candidate: Candidate) -> HttpResponse:
    portal_link_queue(candidate=candidate)
    return page(request, "portal/renew_sent.html", candidate, {})


@require_http_methods(["GET", "POST"])
@person_required()
@tenancy.cross_org("an introduction request belongs to the requesting org")  # CROSS-ORG
def introduction_view(request: HttpRequest, token: str, candidate: Candidate, introduction_id: str) -> HttpResponse:
    """A company asks to meet the person: yes discloses their name and contact to it, no reveals nothing."""
    introduction = pending_for(candidate, introduction_id)
    if request.method == "POST":
        answer = request.POST.get("answer")
        if answer in ("yes", "no"):
            try:
                introduction = introduction_answer(
                    candidate=candidate,
                    introduction_id=introduction.pk,
                    approve=answer == "yes",
                    evidence=evidence_of(request),
                )
            except Conflict as exc:
                messages.error(request, str(exc))
            else:
                messages.success(
                    request,
                    _("Thank you. We passed on your name and contact details.")
                    if answer == "yes"
                    else _("Declined. The company learns nothing about you."),
                )
            return _back(request, token)
    return page(request, "portal/introduction.html", candidate, {"token": token, "introduction": introduction})


@require_POST
@person_required()
@tenancy.cross_org("a found job closes introductions and placements of other orgs")  # CROSS-ORG
def job_found_view(request: HttpRequest, token: str, candidate: Candidate) -> HttpResponse:
    job_found_report(candidate=candidate)
    messages.success(request, _("Congratulations on your new job, and thank you for telling us."))
    return _back(request, token)


@require_GET
@person_required()
def data_view(request: HttpRequest, token: str, candidate: Candidate) -> HttpResponse:
    """Everything the company holds about the person, as JSON (GDPR Art. 15 and 20, APPI Art. 33)."""
    response = JsonResponse(personal_data_export(candidate), json_dumps_params={"ensure_ascii": False, "indent": 2})
    response["Content-Disposition"] = 'attachment; filename="my-data.json"'
    response["Cache-Control"] = "private, no-store"
    return response


@require_http_methods(["GET", "POST"])
@person_required()
def erase_view(request: HttpRequest, token: str, candidate: Candidate) -> HttpResponse:
    if request.method == "POST":
        erasure_request(candidate=candidate, channel=ErasureRequest.Channel.PORTAL, requested_by="candidate")
        return page(request, "portal/erase_requested.html", candidate, {})
    return page(request, "portal/erase.html", candidate, {"token": token})

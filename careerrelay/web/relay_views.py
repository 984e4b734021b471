"""Recruiter and operator pages for the Career Relay network."""

from __future__ import annotations

import csv
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.dateparse import parse_date
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from careerrelay.candidates import selectors as pool_selectors
from careerrelay.candidates.imports.export import neutralise
from careerrelay.candidates.models import JobRequisition
from careerrelay.core import clock, tenancy
from careerrelay.core.errors import Conflict, DomainValidationError
from careerrelay.core.pagination import paginate
from careerrelay.relay import credits, introductions, networks, selectors, sharing, viewing
from careerrelay.relay.matches import network_matches
from careerrelay.relay.models import Introduction, NetworkMember
from careerrelay.web.views import _actor, member_required

ERRORS = (DomainValidationError, Conflict)

# CROSS-ORG: every relay page and operation reads across orgs by design (partners' profiles, networks run
# by another org, introductions between orgs); the relay selectors still take org= and check it.
RELAY_REASON = "the relay is shared between orgs"


def _fail(request: HttpRequest, exc: Exception) -> None:
    messages.error(request, getattr(exc, "message", None) or str(exc))


@member_required
@require_GET
@tenancy.cross_org(RELAY_REASON)
def relay_view(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    memberships = list(selectors.memberships_of(org=actor.org))
    active = [m for m in memberships if m.status == NetworkMember.Status.ACTIVE]
    return render(
        request,
        "web/relay.html",
        {
            "run": [
                (network, list(selectors.network_members(org=actor.org, network_id=network.pk)))
                for network in selectors.networks_run_by(org=actor.org)
            ],
            "invitations": [m for m in memberships if m.status == NetworkMember.Status.INVITED],
            "joined": [(m, sharing.shareable(org=actor.org, network=m.network).count()) for m in active],
            "notifications": selectors.notifications_of(org=actor.org)[:20],
            "is_operator": actor.org.kind == "operator",
            "is_admin": actor.role == "admin",
        },
    )


@member_required
@require_POST
@tenancy.cross_org(RELAY_REASON)
def network_create_view(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    try:
        networks.network_create(
            actor=actor,
            name=request.POST.get("name", ""),
            k=int(request.POST.get("k") or 5),
            japan_mode=request.POST.get("japan_mode") == "on",
        )
    except ValueError:
        messages.error(request, _("k must be between 2 and 50."))
    except ERRORS as exc:
        _fail(request, exc)
    return redirect("web:relay")


def _act(request: HttpRequest, action: Callable[[], object], success: str, back: str) -> HttpResponse:
    """Run one service call for a posted form; its refusal becomes a message on the page."""
    try:
        action()
    except ERRORS as exc:
        _fail(request, exc)
    else:
        if success:
            messages.success(request, success)
    return redirect(back)


@member_required
@require_POST
@tenancy.cross_org(RELAY_REASON)
def network_invite_view(request: HttpRequest, network_id: str) -> HttpResponse:
    return _act(
        request,
        lambda: networks.member_invite(
            actor=_actor(request),
            network_id=network_id,
            org_slug=request.POST.get("org_slug", ""),
            first_look=request.POST.get("first_look") == "on",
        ),
        "",
        "web:relay",
    )


@member_required
@require_POST
@tenancy.cross_org(RELAY_REASON)
def network_join_view(request: HttpRequest, network_id: str) -> HttpResponse:
    return _act(
        request,
        lambda: networks.member_accept(actor=_actor(request), network_id=network_id),
        _("You joined the network."),
        "web:relay",
    )


@member_required
@require_POST
@tenancy.cross_org(RELAY_REASON)
def share_all_view(request: HttpRequest, network_id: str) -> HttpResponse:
    shared: list[int] = []
    response = _act(
        request,
        lambda: shared.append(sharing.share_all_eligible(actor=_actor(request), network_id=network_id)),
        "",
        "web:relay",
    )
    if shared:
        messages.success(request, _("%(count)s people shared.") % {"count": shared[0]})
    return response


def _filters(request: HttpRequest) -> selectors.ProfileFilters:
    return selectors.ProfileFilters(
        skills=[s for s in request.GET.get("skills", "").replace("、", ",").split(",") if s.strip()],
        location=request.GET.get("location", "").strip(),
        age=request.GET.get("age", "").strip(),
        experience=request.GET.get("experience", "").strip(),
        desired_role=request.GET.get("desired_role", "").strip(),
        available_by=parse_date(request.GET.get("available_by", "") or "") if request.GET.get("available_by") else None,
    )


@member_required
@require_GET
@tenancy.cross_org(RELAY_REASON)
def profiles_view(request: HttpRequest, network_id: str) -> HttpResponse:
    actor = _actor(request)
    network = selectors.active_network_of(org=actor.org, network_id=network_id)
    jobs = pool_selectors.jobs_list(org=actor.org, status=JobRequisition.Status.OPEN)
    context: dict[str, Any] = {"network": network, "jobs": jobs, "query": request.GET, "reasons": {}}
    if request.GET.get("job"):
        ranked = network_matches(org=actor.org, network_id=network.pk, job_id=request.GET["job"])
        language = "en" if (get_language() or "ja").startswith("en") else "ja"
        context["rows"] = [match.profile for match in ranked]
        context["reasons"] = {match.profile.pk: match.reason[language] for match in ranked}
    else:
        context["rows"], context["next_cursor"] = paginate(
            selectors.partner_profiles(org=actor.org, network_id=network.pk, filters=_filters(request)),
            cursor=request.GET.get("cursor"),
            limit=30,
        )
    return render(request, "web/relay_profiles.html", context)


@member_required
@require_GET
@tenancy.cross_org(RELAY_REASON)
def profile_view(request: HttpRequest, profile_id: str) -> HttpResponse:
    """One shared profile as partners see it (opening it counts as the funnel's "viewed" step)."""
    actor = _actor(request)
    profile = viewing.profile_open(actor=actor, profile_id=profile_id)
    jobs = pool_selectors.jobs_list(org=actor.org, status=JobRequisition.Status.OPEN)
    return render(request, "web/relay_profile.html", {"profile": profile, "jobs": jobs})


@member_required
@require_POST
@tenancy.cross_org(RELAY_REASON)
def request_view(request: HttpRequest, profile_id: str) -> HttpResponse:
    return _act(
        request,
        lambda: introductions.introduction_request(
            actor=_actor(request),
            profile_id=profile_id,
            job_id=request.POST.get("job_id"),
            client_company=request.POST.get("client_company", ""),
            message=request.POST.get("message", ""),
        ),
        _("Asked. The person decides; you will be told their answer."),
        "web:relay_introductions",
    )


@member_required
@require_http_methods(["GET", "POST"])
@tenancy.cross_org(RELAY_REASON)
def share_view(request: HttpRequest, candidate_id: str, network_id: str) -> HttpResponse:
    actor = _actor(request)
    if request.method == "POST":
        try:
            profile = sharing.share_candidate(actor=actor, candidate_id=candidate_id, network_id=network_id)
        except ERRORS as exc:
            _fail(request, exc)
        else:
            messages.success(
                request,
                _("Published to the network.") if profile.status == "published" else profile.held_reason,
            )
        return redirect("web:candidate", candidate_id=candidate_id)
    try:
        preview = sharing.share_preview(actor=actor, candidate_id=candidate_id, network_id=network_id)
    except ERRORS as exc:
        _fail(request, exc)
        return redirect("web:candidate", candidate_id=candidate_id)
    return render(request, "web/relay_share.html", {"preview": preview, "candidate_id": candidate_id})


@member_required
@require_GET
@tenancy.cross_org(RELAY_REASON)
def introductions_view(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    return render(
        request,
        "web/relay_introductions.html",
        {
            "sent": selectors.introductions_sent(org=actor.org).order_by("-requested_at")[:100],
            "received": selectors.introductions_received(org=actor.org).order_by("-requested_at")[:100],
            "outcomes": [(v, label) for v, label in Introduction.Outcome.choices if v],
        },
    )


@member_required
@require_POST
@tenancy.cross_org(RELAY_REASON)
def outcome_view(request: HttpRequest, introduction_id: str) -> HttpResponse:
    return _act(
        request,
        lambda: introductions.introduction_outcome(
            actor=_actor(request), introduction_id=introduction_id, outcome=request.POST.get("outcome", "")
        ),
        _("Outcome recorded."),
        "web:relay_introductions",
    )


@member_required
@require_http_methods(["GET", "POST"])
@tenancy.cross_org(RELAY_REASON)
def credits_view(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    if request.method == "POST":
        return _act(
            request,
            lambda: credits.credit_redeem(
                actor=actor,
                network_id=request.POST.get("network_id"),
                issuer_id=request.POST.get("issuer_id") or None,
                note=request.POST.get("note", ""),
            ),
            _("One free referral slot used."),
            "web:relay_credits",
        )
    return render(
        request,
        "web/relay_credits.html",
        {"balances": selectors.balances(org=actor.org), "entries": selectors.ledger_of(org=actor.org)[:200]},
    )


@member_required
@require_http_methods(["GET", "POST"])
@tenancy.cross_org(RELAY_REASON)
def network_credits_view(request: HttpRequest, network_id: str) -> HttpResponse:
    """The operator's view of a network's free referral slots, and corrections with a reason."""
    actor = _actor(request)
    if request.method == "POST":
        return _act(
            request,
            lambda: credits.credit_adjust(
                actor=actor,
                network_id=network_id,
                holder_id=request.POST.get("holder_id"),
                amount=_whole_number(request.POST.get("amount", ""), field="amount"),
                reason=request.POST.get("reason", ""),
            ),
            _("The balance was adjusted."),
            request.path,
        )
    network, balances = selectors.network_balances(org=actor.org, network_id=network_id)
    context = {"network": network, "balances": balances, "is_admin": actor.role == "admin"}
    return render(request, "web/relay_network_credits.html", context)


def _whole_number(text: str, *, field: str) -> int:
    try:
        return int(text.strip())
    except ValueError:
        raise DomainValidationError(_("Enter a whole number, e.g. 1 or -1."), field=field) from None


def _period(request: HttpRequest) -> tuple[date, date]:
    today = clock.today_jst().date()
    since = parse_date(request.GET.get("since", "") or "") or today - timedelta(days=365)
    until = parse_date(request.GET.get("until", "") or "") or today
    return since, until


@member_required
@require_GET
@tenancy.cross_org(RELAY_REASON)
def records_view(request: HttpRequest) -> HttpResponse:
    """The APPI report: what this org gave to other companies and what it received, per period."""
    actor = _actor(request)
    actor.require("admin")
    since, until = _period(request)
    provided = selectors.provision_records(org=actor.org, since=since, until=until)
    received = selectors.receipt_records(org=actor.org, since=since, until=until)
    if request.GET.get("format") == "csv":
        return _records_csv(provided, received, since, until)
    context: dict[str, Any] = {"provided": provided, "received": received, "since": since, "until": until}
    return render(request, "web/relay_records.html", context)


def _records_csv(provided: Any, received: Any, since: date, until: date) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="appi-records-{since}-{until}.csv"'
    response.write("\ufeff")  # Excel reads UTF-8 with a BOM
    writer = csv.writer(response)
    rows: list[list[str]] = [["記録", "日時", "本人", "相手先", "項目", "取得の経緯・同意"]]
    rows += [
        [
            "提供",
            r.provided_at.isoformat(),
            r.person_name,
            r.recipient_name,
            " ".join(r.items),
            f"同意 {r.consent_event_id}" if r.consent_event_id else "",
        ]
        for r in provided
    ]
    rows += [
        ["受領", r.received_at.isoformat(), r.person_name, r.provider_name, " ".join(r.items), r.how_obtained]
        for r in received
    ]
    writer.writerows([[neutralise(cell) for cell in row] for row in rows])
    return response

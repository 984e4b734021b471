"""The one-click links of a re-scout message: /p/m/<signed message id>/interested|profile|stop/.

A link names its message (and so its person); a GET only counts the click and shows a button,
because mail scanners open links too. The POST does what the button says."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from careerrelay.consent.models import ConsentEvent
from careerrelay.consent.tokens import portal_token
from careerrelay.core import ratelimit, tenancy
from careerrelay.core.http import client_ip
from careerrelay.outreach.links import message_for_token
from careerrelay.outreach.models import LinkClick, ScheduledMessage
from careerrelay.outreach.rescout_content import OrgContent, fitting_jobs
from careerrelay.outreach.responses import link_click_record, rescout_interest, rescout_stop
from careerrelay.portal.access import REQUESTS_PER_WINDOW, WINDOW_SECONDS, evidence_of, page

MessageView = Callable[..., HttpResponse]


def message_required(view: MessageView) -> MessageView:
    """Resolve the link to its message or answer 404 (tampered, unknown, erased alike)."""

    @wraps(view)
    def wrapper(request: HttpRequest, token: str) -> HttpResponse:
        decision = ratelimit.hit(
            f"portal:ip:{client_ip(request)}", limit=REQUESTS_PER_WINDOW, window_seconds=WINDOW_SECONDS
        )
        if not decision.allowed:
            response = page(request, "portal/slow_down.html", None, {}, status=429)
            response.headers["Retry-After"] = str(decision.retry_after)
            return response
        # CROSS-ORG: the signed link names the message, and so the org; nothing else is read first.
        with tenancy.system_scope("a re-scout link is resolved before its org is known"):
            message = message_for_token(token)
        if message is not None:
            tenancy.use_org(message.org_id)
        if message is None:
            return page(request, "portal/invalid.html", None, {}, status=404)
        return view(request, token, message)

    return wrapper


@require_http_methods(["GET", "POST"])
@message_required
def interested_view(request: HttpRequest, token: str, message: ScheduledMessage) -> HttpResponse:
    candidate = message.candidate
    if request.method == "POST":
        response = rescout_interest(message=message, job_id=request.POST.get("job") or None)
        return page(request, "portal/rescout_thanks.html", candidate, {"response": response})
    link_click_record(message=message, action=LinkClick.Action.INTERESTED)
    jobs = fitting_jobs(candidate, message.application, OrgContent.load(message.org).jobs)
    return page(request, "portal/rescout_interested.html", candidate, {"token": token, "jobs": jobs})


@require_GET
@message_required
def profile_view(request: HttpRequest, token: str, message: ScheduledMessage) -> HttpResponse:
    link_click_record(message=message, action=LinkClick.Action.PROFILE)
    return redirect(reverse("portal:wishes", kwargs={"token": portal_token(message.candidate)}))


@require_http_methods(["GET", "POST"])
@message_required
def stop_view(request: HttpRequest, token: str, message: ScheduledMessage) -> HttpResponse:
    if request.method == "POST":
        rescout_stop(message=message, evidence=evidence_of(request, ConsentEvent.Channel.EMAIL_LINK))
        return page(request, "portal/rescout_stopped.html", message.candidate, {})
    link_click_record(message=message, action=LinkClick.Action.STOP)
    return page(request, "portal/rescout_stop.html", message.candidate, {"token": token})

"""Who is on the other side of a portal link, in which language, and how often they may knock."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import translation

from careerrelay.candidates.models import Candidate
from careerrelay.consent.models import ConsentEvent
from careerrelay.consent.services import Evidence
from careerrelay.consent.tokens import check_token
from careerrelay.core import ratelimit, tenancy
from careerrelay.core.http import client_ip

LANGUAGES = ("ja", "en")
# Per client address, across every portal page: generous for a person, tight for a scanner.
REQUESTS_PER_WINDOW = 120
WINDOW_SECONDS = 600

PortalView = Callable[..., HttpResponse]


def language_for(request: HttpRequest, candidate: Candidate | None) -> str:
    asked = request.POST.get("lang") or request.GET.get("lang")
    if asked in LANGUAGES:
        return str(asked)
    if candidate is not None:
        return candidate.language or candidate.org.default_language or "ja"
    return "ja"


def evidence_of(request: HttpRequest, channel: str = ConsentEvent.Channel.PORTAL) -> Evidence:
    return Evidence(
        channel=channel,
        ip=client_ip(request),
        user_agent=request.META.get("HTTP_USER_AGENT", "")[:400],
        actor_label="candidate",
    )


def page(
    request: HttpRequest, template: str, candidate: Candidate | None, context: dict[str, Any], status: int = 200
) -> HttpResponse:
    language = language_for(request, candidate)
    with translation.override(language):
        response = render(request, template, {"candidate": candidate, "lang": language, **context}, status=status)
    response.headers["Content-Language"] = language
    # Personal pages: never cached, never sent to another site as a referrer (same-origin keeps the
    # Origin header that CSRF checks need), never indexed.
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["Referrer-Policy"] = "same-origin"
    response.headers["X-Robots-Tag"] = "noindex"
    return response


def person_required(*, allow_expired: bool = False) -> Callable[[PortalView], PortalView]:
    """Resolve the token to its person or answer for it: 429 when rate-limited, 404 for a link
    that names nobody (tampered, unknown, erased — indistinguishable), and for an expired link
    the page that offers a fresh one."""

    def decorate(view: PortalView) -> PortalView:
        @wraps(view)
        def wrapper(request: HttpRequest, token: str, **kwargs: Any) -> HttpResponse:
            decision = ratelimit.hit(
                f"portal:ip:{client_ip(request)}", limit=REQUESTS_PER_WINDOW, window_seconds=WINDOW_SECONDS
            )
            if not decision.allowed:
                response = page(request, "portal/slow_down.html", None, {}, status=429)
                response.headers["Retry-After"] = str(decision.retry_after)
                return response
            # CROSS-ORG: the signed token names the person, and so the org; nothing else is read first.
            with tenancy.system_scope("a portal link is resolved before its org is known"):
                check = check_token(token)
            if check.candidate is not None:
                tenancy.use_org(check.candidate.org_id)
            if check.candidate is None:
                return page(request, "portal/invalid.html", None, {}, status=404)
            if check.expired and not allow_expired:
                return page(request, "portal/expired.html", check.candidate, {"renew_token": token}, status=403)
            return view(request, token, check.candidate, **kwargs)

        return wrapper

    return decorate

"""Language and current-org resolution for the recruiter pages."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import translation
from django.utils.cache import patch_vary_headers

from careerrelay.accounts.models import User
from careerrelay.core import tenancy
from careerrelay.core.errors import PermissionDenied
from careerrelay.core.http import client_ip
from careerrelay.orgs.actors import Actor
from careerrelay.orgs.selectors import user_memberships

SUPPORTED = {code for code, _name in settings.LANGUAGES}
SESSION_ORG_KEY = "current_org_id"


def preferred_language(request: HttpRequest) -> str:
    """Japanese first: a signed-in user's saved choice, then the language cookie, then ja.

    The browser's Accept-Language is honoured only for the API, whose clients set it on
    purpose; a recruiter's English-language browser should not hide the Japanese product.
    """
    if request.path.startswith("/api/"):
        return translation.get_language_from_request(request)
    user = getattr(request, "user", None)
    if isinstance(user, User) and user.is_authenticated and user.language in SUPPORTED:
        return user.language
    cookie = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    if cookie in SUPPORTED:
        return str(cookie)
    return settings.LANGUAGE_CODE


class PreferredLanguageMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        language = preferred_language(request)
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        patch_vary_headers(response, ("Accept-Language", "Cookie"))
        return response


class CurrentOrgMiddleware:
    """Sets request.org, request.membership and request.actor for a signed-in member."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.org = request.membership = request.actor = None  # type: ignore[attr-defined]
        user = getattr(request, "user", None)
        if isinstance(user, User) and user.is_authenticated:
            org_id = request.session.get(SESSION_ORG_KEY)
            # CROSS-ORG: the signed-in user's own memberships, before the org is known.
            with tenancy.system_scope("the user's memberships decide the current org"):
                mine = user_memberships(user)
            request.user_memberships = mine  # type: ignore[attr-defined]  # the org switcher reuses them
            membership = (mine.in_org(org_id) if org_id else None) or next(iter(mine.accepted), None)
            if membership is not None:
                if getattr(request, "api_key", None) is None:  # an API request runs as its key's org
                    tenancy.use_org(membership.org_id)
                if org_id != str(membership.org_id):  # only write the session when it changes
                    request.session[SESSION_ORG_KEY] = str(membership.org_id)
                request.membership = membership  # type: ignore[attr-defined]
                request.org = membership.org  # type: ignore[attr-defined]
                request.actor = Actor(  # type: ignore[attr-defined]
                    org=membership.org, role=membership.role, user=user, ip=client_ip(request)
                )
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, PermissionDenied):
            return render(request, "403.html", {"reason": str(exception)}, status=403)
        return None

"""Recruiter pages: each view parses input, calls one service or selector, renders."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout, update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from careerrelay.accounts import services as account_services
from careerrelay.accounts.models import User
from careerrelay.core import clock, tenancy
from careerrelay.core.errors import Conflict, DomainValidationError, RateLimited
from careerrelay.core.http import client_ip
from careerrelay.core.pagination import paginate
from careerrelay.orgs import selectors, services
from careerrelay.orgs.actors import Actor
from careerrelay.web import forms
from careerrelay.web.middleware import SESSION_ORG_KEY

View = Callable[..., HttpResponse]


def member_required(view: View) -> View:
    """Signed in and a member of some org; otherwise the login page or the no-org page."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect(f"{reverse('web:login')}?next={request.get_full_path()}")
        if getattr(request, "actor", None) is None:
            return render(request, "web/no_org.html", status=403)
        return view(request, *args, **kwargs)

    return wrapper


def _actor(request: HttpRequest) -> Actor:
    actor: Actor = request.actor  # type: ignore[attr-defined]
    return actor


def _safe_next(request: HttpRequest, candidate: str | None, default: str) -> str:
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return default


@require_http_methods(["GET", "POST"])
def login_view(request: HttpRequest) -> HttpResponse:
    next_url = _safe_next(request, request.POST.get("next") or request.GET.get("next"), reverse("web:home"))
    form = forms.LoginForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            user = account_services.login_authenticate(
                request=request,
                email=form.cleaned_data["email"],
                password=form.cleaned_data["password"],
                ip=client_ip(request),
            )
        except RateLimited as exc:
            minutes = max(1, -(-exc.retry_after // 60))
            form.add_error(
                None,
                _("Too many failed sign-in attempts. Try again in %(minutes)s minute(s) or reset your password.")
                % {"minutes": minutes},
            )
            status = 429
        except account_services.InvalidCredentials:
            form.add_error(None, _("The email address or password is not correct."))
            status = 400
        else:
            login(request, user)
            return HttpResponseRedirect(next_url)
    elif request.method == "POST":
        status = 400
    return render(request, "web/login.html", {"form": form, "next": next_url}, status=status)


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    logout(request)
    return redirect("web:login")


@require_http_methods(["GET", "POST"])
def password_reset_request_view(request: HttpRequest) -> HttpResponse:
    form = forms.PasswordResetRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            account_services.password_reset_request(email=form.cleaned_data["email"], ip=client_ip(request))
        except RateLimited:
            form.add_error(None, _("Too many reset requests from your network. Try again later."))
            return render(request, "web/password_reset.html", {"form": form}, status=429)
        return render(request, "web/password_reset_sent.html")
    return render(request, "web/password_reset.html", {"form": form}, status=400 if form.errors else 200)


RESET_SESSION_KEY = "password_reset_token"


@require_GET
def password_reset_link_view(request: HttpRequest, uidb64: str, token: str) -> HttpResponse:
    """Check the emailed link, then move the token into the session: the page that asks for the
    new password has no token in its address, so it cannot leak through Referer or history."""
    if account_services.user_for_reset_link(uidb64=uidb64, token=token) is None:
        return render(request, "web/password_reset_confirm.html", {"validlink": False}, status=400)
    request.session[RESET_SESSION_KEY] = token
    return redirect("web:password_reset_set", uidb64=uidb64)


@require_http_methods(["GET", "POST"])
def password_reset_set_view(request: HttpRequest, uidb64: str) -> HttpResponse:
    token = request.session.get(RESET_SESSION_KEY, "")
    user = account_services.user_for_reset_link(uidb64=uidb64, token=token)
    if user is None:
        return render(request, "web/password_reset_confirm.html", {"validlink": False}, status=400)
    form = forms.NewPasswordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            account_services.password_reset_complete(
                user=user, new_password=form.cleaned_data["new_password"], ip=client_ip(request)
            )
        except DomainValidationError as exc:
            form.add_error("new_password", exc.message)
        else:
            del request.session[RESET_SESSION_KEY]
            return redirect("web:password_reset_complete")
    context = {"validlink": True, "form": form}
    return render(request, "web/password_reset_confirm.html", context, status=400 if form.errors else 200)


def password_reset_complete_view(request: HttpRequest) -> HttpResponse:
    return render(request, "web/password_reset_complete.html")


@require_POST
def set_language_view(request: HttpRequest) -> HttpResponse:
    form = forms.LanguageForm(request.POST)
    target = _safe_next(request, request.POST.get("next"), reverse("web:home"))
    response = HttpResponseRedirect(target)
    if form.is_valid():
        language = form.cleaned_data["language"]
        if isinstance(request.user, User) and request.user.is_authenticated:
            account_services.user_set_language(user=request.user, language=language)
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            language,
            max_age=365 * 24 * 60 * 60,
            samesite="Lax",
            secure=settings.LANGUAGE_COOKIE_SECURE,
            httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        )
    return response


@member_required
@require_POST
# CROSS-ORG: the user's own membership in the org they switch to, not the current one.
@tenancy.cross_org("the membership switched to is in another org than the current one")
def switch_org_view(request: HttpRequest) -> HttpResponse:
    form = forms.SwitchOrgForm(request.POST)
    if not form.is_valid():
        return redirect("web:home")
    membership = selectors.membership_for_switch(user=request.user, org_id=str(form.cleaned_data["org_id"]))  # type: ignore[arg-type]
    request.session[SESSION_ORG_KEY] = str(membership.org_id)
    messages.success(request, _("Switched to %(org)s.") % {"org": membership.org.name})
    return redirect("web:home")


@member_required
def home_view(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    since = clock.now() - timedelta(days=30)
    # Admins see the org's audit log; others see only their own actions (the log holds IPs).
    own_only = None if actor.role == "admin" else actor.user
    context = {
        "figures": selectors.home_figures(org=actor.org, since=since),
        "recent_events": selectors.audit_events_list(org=actor.org, actor=own_only)[:10],
    }
    return render(request, "web/home.html", context)


@member_required
@require_http_methods(["GET", "POST"])
def members_view(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    form = forms.MemberAddForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            membership = services.membership_add(
                actor=actor, email=form.cleaned_data["email"], role=form.cleaned_data["role"]
            )
        except DomainValidationError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        except Conflict as exc:
            form.add_error("email", str(exc))
        else:
            messages.success(request, _("%(email)s was added.") % {"email": membership.user.email})
            return redirect("web:members")
    context = {
        "form": form,
        "members": selectors.members_list(org=actor.org),
        "role_choices": forms.MemberRoleForm.base_fields["role"].choices,  # type: ignore[attr-defined]
    }
    return render(request, "web/members.html", context, status=400 if form.errors else 200)


@member_required
@require_POST
def member_role_view(request: HttpRequest, member_id: str) -> HttpResponse:
    actor = _actor(request)
    selectors.member_get(org=actor.org, pk=member_id)
    form = forms.MemberRoleForm(request.POST)
    if form.is_valid():
        try:
            services.membership_change_role(actor=actor, membership_id=member_id, role=form.cleaned_data["role"])
            messages.success(request, _("The role was changed."))
        except Conflict as exc:
            messages.error(request, str(exc))
    return redirect("web:members")


@member_required
@require_POST
def member_remove_view(request: HttpRequest, member_id: str) -> HttpResponse:
    try:
        services.membership_remove(actor=_actor(request), membership_id=member_id)
        messages.success(request, _("The member was removed."))
    except Conflict as exc:
        messages.error(request, str(exc))
    return redirect("web:members")


@member_required
@require_http_methods(["GET", "POST"])
def apikeys_view(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    form = forms.ApiKeyCreateForm(request.POST or None)
    new_key = None
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            _key, new_key = services.apikey_create(
                actor=actor, name=form.cleaned_data["name"], role=form.cleaned_data["role"]
            )
            form = forms.ApiKeyCreateForm()
            status = 201
        except DomainValidationError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
    if form.errors:
        status = 400
    context = {"form": form, "new_key": new_key, "keys": selectors.apikeys_list(org=actor.org)}
    response = render(request, "web/apikeys.html", context, status=status)
    if new_key:
        response["Cache-Control"] = "no-store"
    return response


@member_required
@require_POST
def apikey_revoke_view(request: HttpRequest, key_id: str) -> HttpResponse:
    key = services.apikey_revoke(actor=_actor(request), key_id=key_id)
    messages.success(request, _("The key “%(name)s” was revoked.") % {"name": key.name})
    return redirect("web:apikeys")


@member_required
def audit_view(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    actor.require("admin")
    try:
        events, next_cursor = paginate(
            selectors.audit_events_list(org=actor.org), cursor=request.GET.get("cursor"), limit=50
        )
    except DomainValidationError:
        return redirect("web:audit")
    return render(request, "web/audit.html", {"events": events, "next_cursor": next_cursor})


@login_required
@require_http_methods(["GET", "POST"])
def account_view(request: HttpRequest) -> HttpResponse:
    """The signed-in person's own profile, language and password; not tied to an org."""
    user: User = request.user  # type: ignore[assignment]
    ip = client_ip(request)
    profile_form = forms.ProfileForm(
        request.POST if request.POST.get("form") == "profile" else None,
        initial={
            "family_name": user.family_name,
            "given_name": user.given_name,
            "family_name_kana": user.family_name_kana,
            "given_name_kana": user.given_name_kana,
            "language": user.language,
        },
    )
    password_form = forms.PasswordChangeForm(request.POST if request.POST.get("form") == "password" else None)
    if profile_form.is_bound and profile_form.is_valid():
        account_services.user_update_profile(user=user, ip=ip, **profile_form.cleaned_data)
        translation.activate(user.language)
        messages.success(request, _("Your profile was saved."))
        return redirect("web:account")
    if password_form.is_bound and password_form.is_valid():
        try:
            account_services.user_change_password(
                user=user,
                current_password=password_form.cleaned_data["current_password"],
                new_password=password_form.cleaned_data["new_password"],
                ip=ip,
            )
        except DomainValidationError as exc:
            password_form.add_error(exc.field if exc.field in password_form.fields else None, exc.message)
        else:
            update_session_auth_hash(request, user)
            messages.success(request, _("Your password was changed."))
            return redirect("web:account")
    status = 400 if profile_form.errors or password_form.errors else 200
    context = {"profile_form": profile_form, "password_form": password_form}
    return render(request, "web/account.html", context, status=status)


@login_required
@require_POST
# CROSS-ORG: the user's own invitation, a membership of another org than the current one.
@tenancy.cross_org("an invitation is a membership of another org than the current one")
def invitation_accept_view(request: HttpRequest, membership_id: str) -> HttpResponse:
    membership = services.invitation_accept(
        user=request.user,  # type: ignore[arg-type]
        membership_id=membership_id,
        ip=client_ip(request),
    )
    request.session[SESSION_ORG_KEY] = str(membership.org_id)
    messages.success(request, _("Welcome to %(org)s.") % {"org": membership.org.name})
    return redirect("web:home")


@login_required
@require_POST
# CROSS-ORG: the user's own invitation, a membership of another org than the current one.
@tenancy.cross_org("an invitation is a membership of another org than the current one")
def invitation_decline_view(request: HttpRequest, membership_id: str) -> HttpResponse:
    services.invitation_decline(
        user=request.user,  # type: ignore[arg-type]
        membership_id=membership_id,
        ip=client_ip(request),
    )
    messages.success(request, _("The invitation was declined."))
    return redirect("web:home")

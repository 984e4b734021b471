"""Writes for users: creation, sign-in with throttling, password resets, preferences."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import authenticate, password_validation
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from careerrelay.accounts import audit, emails
from careerrelay.accounts.models import User
from careerrelay.core import ratelimit
from careerrelay.core.errors import DomainValidationError, RateLimited
from careerrelay.core.text import normalize, normalize_email


class InvalidCredentials(Exception):
    pass


@transaction.atomic
def user_create(
    *,
    email: str,
    password: str | None = None,
    family_name: str = "",
    given_name: str = "",
    family_name_kana: str = "",
    given_name_kana: str = "",
    language: str = User.Language.JA,
) -> User:
    email = normalize_email(email)
    if User.objects.filter(email=email).exists():
        raise DomainValidationError(_("A user with this email address already exists."), field="email")
    user = User.objects.create_user(
        email,
        password,
        family_name=normalize(family_name),
        given_name=normalize(given_name),
        family_name_kana=normalize(family_name_kana),
        given_name_kana=normalize(given_name_kana),
        language=language,
    )
    audit.record(action="user.created", target=user)
    return user


def _failure_keys(email: str, ip: str | None) -> tuple[str, str]:
    return f"login-fail:{normalize_email(email)}:{ip}", f"login-fail-ip:{ip}"


def login_authenticate(*, request: HttpRequest, email: str, password: str, ip: str | None) -> User:
    """Check the password, refusing early while this address or IP is throttled.

    Failures are counted per (address, IP) and per IP in fixed windows; a lock lasts until the
    window ends. The same answer is given for unknown addresses and wrong passwords.
    """
    window = settings.CAREERRELAY_LOGIN_LOCK_SECONDS
    pair_key, ip_key = _failure_keys(email, ip)
    for key, limit in (
        (pair_key, settings.CAREERRELAY_LOGIN_MAX_FAILURES),
        (ip_key, settings.CAREERRELAY_LOGIN_MAX_FAILURES_PER_IP),
    ):
        state = ratelimit.peek(key, limit=limit, window_seconds=window)
        if not state.allowed:
            audit.record(action="login.throttled", actor_label=normalize_email(email), ip=ip)
            raise RateLimited(state.retry_after)
    user = authenticate(request, username=normalize_email(email), password=password)
    if not isinstance(user, User):
        ratelimit.hit(pair_key, limit=settings.CAREERRELAY_LOGIN_MAX_FAILURES, window_seconds=window)
        ratelimit.hit(ip_key, limit=settings.CAREERRELAY_LOGIN_MAX_FAILURES_PER_IP, window_seconds=window)
        audit.record(action="login.failed", actor_label=normalize_email(email), ip=ip)
        raise InvalidCredentials()
    ratelimit.reset(pair_key)
    audit.record(action="login.succeeded", actor=user, ip=ip)
    return user


def public_url(path: str) -> str:
    """An absolute link for mail: CAREERRELAY_PUBLIC_URL plus a path."""
    return settings.CAREERRELAY_PUBLIC_URL.rstrip("/") + path


def password_reset_link(user: User) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    return public_url(reverse("web:password_reset_confirm", kwargs={"uidb64": uid, "token": token}))


@transaction.atomic
def password_reset_request(*, email: str, ip: str | None) -> None:
    """Queue a reset mail if the address belongs to an active user; silent otherwise."""
    decision = ratelimit.hit(f"password-reset:{ip}", limit=10, window_seconds=3600)
    if not decision.allowed:
        raise RateLimited(decision.retry_after)
    user = User.objects.filter(email=normalize_email(email), is_active=True).first()
    if user is None or not user.has_usable_password():
        return
    queue_account_link_email(user=user, template="accounts/email/password_reset", link=password_reset_link(user))
    audit.record(action="password_reset.requested", actor=user, ip=ip)


def queue_account_link_email(*, user: User, template: str, link: str, context: dict[str, object] | None = None) -> None:
    """Queue a mail carrying a one-time link, written in the recipient's own language."""
    with translation.override(user.language):
        ctx = {"user": user, "link": link, **(context or {})}
        subject = " ".join(render_to_string(f"{template}_subject.txt", ctx).split())
        body = render_to_string(f"{template}_body.txt", ctx)
    emails.queue(to=user.email, subject=subject, body=body)


@transaction.atomic
def user_set_language(*, user: User, language: str) -> None:
    if language not in User.Language.values:
        raise DomainValidationError(_("Unsupported language."), field="language")
    User.objects.filter(pk=user.pk).update(language=language)
    user.language = language


@transaction.atomic
def user_update_profile(
    *,
    user: User,
    family_name: str,
    given_name: str,
    family_name_kana: str,
    given_name_kana: str,
    language: str,
    ip: str | None = None,
) -> User:
    if language not in User.Language.values:
        raise DomainValidationError(_("Unsupported language."), field="language")
    user.family_name = normalize(family_name)
    user.given_name = normalize(given_name)
    user.family_name_kana = normalize(family_name_kana)
    user.given_name_kana = normalize(given_name_kana)
    user.language = language
    user.save(update_fields=["family_name", "given_name", "family_name_kana", "given_name_kana", "language"])
    audit.record(action="user.profile_updated", actor=user, target=user, ip=ip)
    return user


@transaction.atomic
def user_change_password(*, user: User, current_password: str, new_password: str, ip: str | None = None) -> None:
    if not user.check_password(current_password):
        raise DomainValidationError(_("Your current password is not correct."), field="current_password")
    try:
        password_validation.validate_password(new_password, user)
    except ValidationError as exc:
        raise DomainValidationError(" ".join(exc.messages), field="new_password") from exc
    user.set_password(new_password)
    user.save(update_fields=["password"])
    audit.record(action="user.password_changed", actor=user, target=user, ip=ip)

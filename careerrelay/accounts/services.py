"""Writes for users: creation, sign-in with throttling, password resets, preferences."""

from __future__ import annotations

from datetime import datetime, timedelta

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
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode
from django.utils.translation import gettext as _

from careerrelay.accounts import audit, emails
from careerrelay.accounts.models import PasswordResetRequest, User
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


def _throttle_buckets(email: str, ip: str | None) -> list[tuple[str, int]]:
    address = normalize_email(email)
    return [
        (f"login-fail:{address}:{ip}", settings.CAREERRELAY_LOGIN_MAX_FAILURES),
        (f"login-fail-address:{address}", settings.CAREERRELAY_LOGIN_MAX_FAILURES_PER_ADDRESS),
        (f"login-fail-ip:{ip}", settings.CAREERRELAY_LOGIN_MAX_FAILURES_PER_IP),
    ]


def login_authenticate(*, request: HttpRequest, email: str, password: str, ip: str | None) -> User:
    """Check the password, refusing while this address, this IP, or the pair is throttled.

    Each attempt is counted before the password is checked, so parallel guesses cannot all slip
    past a check-then-count race; a successful sign-in gives its count back. Buckets: the
    (address, IP) pair, the address from anywhere (a slow distributed guess), the IP against any
    address (spraying). Locks last until the fixed window ends. Unknown addresses and wrong
    passwords get the same answer.
    """
    window = settings.CAREERRELAY_LOGIN_LOCK_SECONDS
    buckets = _throttle_buckets(email, ip)
    counted: list[str] = []
    for key, limit in buckets:
        decision = ratelimit.hit(key, limit=limit, window_seconds=window)
        counted.append(key)
        if not decision.allowed:
            audit.record(action="login.throttled", actor_label=normalize_email(email), ip=ip)
            raise RateLimited(decision.retry_after)
    user = authenticate(request, username=normalize_email(email), password=password)
    if not isinstance(user, User):
        audit.record(action="login.failed", actor_label=normalize_email(email), ip=ip)
        raise InvalidCredentials()
    pair_key, address_key, ip_key = (key for key, _limit in buckets)
    ratelimit.reset(pair_key)
    ratelimit.reset(address_key)
    ratelimit.release(ip_key, window_seconds=window)
    audit.record(action="login.succeeded", actor=user, ip=ip)
    return user


def clear_login_throttle(email: str) -> None:
    """After a password reset the owner has proved who they are: lift their address's locks."""
    address = normalize_email(email)
    ratelimit.reset_prefix(f"login-fail:{address}:")
    ratelimit.reset(f"login-fail-address:{address}")


def public_url(path: str) -> str:
    """An absolute link for mail: CAREERRELAY_PUBLIC_URL plus a path."""
    return settings.CAREERRELAY_PUBLIC_URL.rstrip("/") + path


def password_reset_link(user: User) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    return public_url(reverse("web:password_reset_confirm", kwargs={"uidb64": uid, "token": token}))


@transaction.atomic
def password_reset_request(*, email: str, ip: str | None) -> None:
    """Record a reset request; the worker mails the link if the address has an account.

    The request does the same work whatever the address (two counters and one row), so neither
    the answer nor its timing tells whether an account exists. Past three requests an hour for
    one address, further ones are dropped quietly: the owner already has a link.
    """
    decision = ratelimit.hit(f"password-reset:{ip}", limit=10, window_seconds=3600)
    if not decision.allowed:
        raise RateLimited(decision.retry_after)
    address = normalize_email(email)
    if not ratelimit.hit(f"password-reset-address:{address}", limit=3, window_seconds=3600).allowed:
        return
    PasswordResetRequest.objects.create(email=address, ip_address=ip)


def process_password_reset_requests(at: datetime) -> int:
    """Worker job: turn pending reset requests into mails for active accounts."""
    mailed = 0
    for request in PasswordResetRequest.objects.filter(processed_at__isnull=True).order_by("requested_at")[:200]:
        with transaction.atomic():
            # Conditional update: a second worker that picked the same row skips it.
            if not PasswordResetRequest.objects.filter(pk=request.pk, processed_at__isnull=True).update(
                processed_at=at
            ):
                continue
            user = User.objects.filter(email=request.email, is_active=True).first()
            if user is None:
                continue
            queue_account_link_email(
                user=user, template="accounts/email/password_reset", link=password_reset_link(user)
            )
            audit.record(action="password_reset.requested", actor=user, ip=request.ip_address)
            mailed += 1
    PasswordResetRequest.objects.filter(processed_at__lt=at - timedelta(days=7)).delete()
    return mailed


def user_for_reset_link(*, uidb64: str, token: str) -> User | None:
    """The account a reset link is for, if the link is still valid (unused, under 24 hours)."""
    try:
        user = User.objects.get(pk=urlsafe_base64_decode(uidb64).decode(), is_active=True)
    except (User.DoesNotExist, ValueError, TypeError, OverflowError, ValidationError, UnicodeDecodeError):
        return None
    return user if default_token_generator.check_token(user, token) else None


def _store_new_password(user: User, new_password: str) -> None:
    """Check the password against the validators (errors name `new_password`), then set it."""
    try:
        password_validation.validate_password(new_password, user)
    except ValidationError as exc:
        raise DomainValidationError(" ".join(exc.messages), field="new_password") from exc
    user.set_password(new_password)
    user.save(update_fields=["password"])


@transaction.atomic
def password_reset_complete(*, user: User, new_password: str, ip: str | None) -> None:
    """Set the password chosen through a reset or invitation link; the link is then spent."""
    _store_new_password(user, new_password)
    clear_login_throttle(user.email)
    audit.record(action="password_reset.completed", actor=user, target=user, ip=ip)


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
    _store_new_password(user, new_password)
    audit.record(action="user.password_changed", actor=user, target=user, ip=ip)

"""Writes for orgs, memberships and API keys. Each checks the actor's role and is audited."""

from __future__ import annotations

import re
import secrets
import uuid
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from careerrelay.accounts import audit
from careerrelay.accounts.models import User
from careerrelay.accounts.selectors import user_by_email
from careerrelay.accounts.services import password_reset_link, public_url, queue_account_link_email, user_create
from careerrelay.core import clock
from careerrelay.core.errors import Conflict, DomainValidationError
from careerrelay.core.text import normalize, normalize_email
from careerrelay.orgs import hooks
from careerrelay.orgs.actors import Actor
from careerrelay.orgs.models import ApiKey, Membership, Organization, Role
from careerrelay.orgs.selectors import apikey_get, apikey_hash, invitation_of, member_get

# 有料職業紹介事業許可番号: two-digit prefecture code, ユ, six digits (e.g. 13-ユ-300000).
LICENCE_PATTERN = re.compile(r"^\d{2}-ユ-\d{6}$")
SLUG_PATTERN = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,58}[a-z0-9])?$")
LAST_USED_RESOLUTION = timedelta(minutes=1)


_HYPHEN_LIKE = str.maketrans(dict.fromkeys("‐‑‒–—―−ーｰ", "-"))


def normalize_licence_number(raw: str) -> str:
    """Full-width digits and the dashes people type (including ー) become 13-ユ-300000."""
    return normalize(raw).replace(" ", "").translate(_HYPHEN_LIKE)


@transaction.atomic
def org_create(
    *,
    slug: str,
    name: str,
    kind: str,
    name_en: str = "",
    placement_licence_number: str = "",
    default_language: str = "ja",
    actor_label: str = "system",
) -> Organization:
    slug = slug.strip().lower()
    if not SLUG_PATTERN.match(slug):
        raise DomainValidationError(_("Use 1–60 lowercase letters, digits and hyphens for the slug."), field="slug")
    if kind not in Organization.Kind.values:
        raise DomainValidationError(_("Unknown organisation kind."), field="kind")
    licence = normalize_licence_number(placement_licence_number) if placement_licence_number else ""
    if licence and not LICENCE_PATTERN.match(licence):
        raise DomainValidationError(
            _("A paid-placement licence number looks like 13-ユ-300000."), field="placement_licence_number"
        )
    if kind == Organization.Kind.AGENCY and not licence:
        raise DomainValidationError(
            _("A recruitment agency needs its paid-placement licence number (有料職業紹介事業許可番号)."),
            field="placement_licence_number",
        )
    if kind == Organization.Kind.EMPLOYER and licence:
        raise DomainValidationError(
            _("Only agencies and network operators hold a paid-placement licence."),
            field="placement_licence_number",
        )
    if Organization.objects.filter(slug=slug).exists():
        raise DomainValidationError(_("This slug is already taken."), field="slug")
    org = Organization.objects.create(
        slug=slug,
        name=normalize(name),
        name_en=normalize(name_en),
        kind=kind,
        placement_licence_number=licence,
        default_language=default_language,
    )
    audit.record(action="org.created", org=org, actor_label=actor_label, target=org)
    hooks.run_org_initializers(org)
    return org


@transaction.atomic
def org_update_settings(*, org: Organization, changes: dict[str, object], actor_label: str = "system") -> Organization:
    """Merge `changes` into the org's settings (a JSON object), audited with the keys changed."""
    org.settings = {**org.settings, **changes}
    org.save(update_fields=["settings"])
    audit.record(
        action="org.settings_changed", org=org, actor_label=actor_label, target=org, details={"keys": sorted(changes)}
    )
    return org


@transaction.atomic
def membership_add(*, actor: Actor, email: str, role: str) -> Membership:
    """Invite a person to the actor's org by email.

    The membership stays pending until the person accepts, so an admin cannot pull someone
    into an org, nor read the name they gave another org, by knowing their address. A new
    address gets an account and a link to choose a password; a known one a link to sign in.
    """
    actor.require(Role.ADMIN)
    if role not in Role.values:
        raise DomainValidationError(_("Unknown role."), field="role")
    email = normalize_email(email)
    user = user_by_email(email)
    new_account = user is None
    if user is None:
        user = user_create(email=email, language=actor.org.default_language)
    if Membership.objects.filter(org=actor.org, user=user).exists():
        raise Conflict(_("This person is already a member."))
    membership = Membership.objects.create(org=actor.org, user=user, role=role)
    queue_account_link_email(
        user=user,
        template="accounts/email/invitation",
        link=password_reset_link(user) if new_account else public_url(reverse("web:home")),
        context={"org_name": actor.org.name, "inviter": actor.label, "new_account": new_account},
    )
    actor.audit("member.invited", target=membership, details={"role": role})
    return membership


@transaction.atomic
def invitation_accept(*, user: User, membership_id: uuid.UUID | str, ip: str | None = None) -> Membership:
    membership = invitation_of(user=user, membership_id=membership_id)
    membership.accepted_at = clock.now()
    membership.save(update_fields=["accepted_at"])
    audit.record(action="member.joined", org=membership.org, actor=user, target=membership, ip=ip)
    return membership


@transaction.atomic
def invitation_decline(*, user: User, membership_id: uuid.UUID | str, ip: str | None = None) -> None:
    membership = invitation_of(user=user, membership_id=membership_id)
    audit.record(action="member.declined", org=membership.org, actor=user, target=membership, ip=ip)
    membership.delete()


@transaction.atomic
def membership_add_existing_user(*, org: Organization, user: User, role: str, actor_label: str = "cli") -> Membership:
    """An operator's direct grant (command line, demo seed): accepted at once, no invitation."""
    try:
        with transaction.atomic():
            membership = Membership.objects.create(org=org, user=user, role=role, accepted_at=clock.now())
    except IntegrityError as exc:
        raise DomainValidationError(_("This person is already a member."), field="email") from exc
    audit.record(action="member.added", org=org, actor_label=actor_label, target=membership, details={"role": role})
    return membership


def _ensure_an_admin_remains(org: Organization, leaving: Membership) -> None:
    if leaving.role != Role.ADMIN:
        return
    admins = Membership.objects.for_org(org).filter(role=Role.ADMIN, accepted_at__isnull=False)
    if not admins.exclude(pk=leaving.pk).exists():
        raise Conflict(_("An organisation needs at least one admin."))


@transaction.atomic
def membership_change_role(*, actor: Actor, membership_id: object, role: str) -> Membership:
    actor.require(Role.ADMIN)
    membership = member_get(org=actor.org, pk=membership_id)
    if role not in Role.values:
        raise DomainValidationError(_("Unknown role."), field="role")
    if role != Role.ADMIN:
        _ensure_an_admin_remains(actor.org, membership)
    previous = membership.role
    membership.role = role
    membership.updated_at = clock.now()
    membership.save(update_fields=["role", "updated_at"])
    actor.audit("member.role_changed", target=membership, details={"from": previous, "to": role})
    return membership


@transaction.atomic
def membership_remove(*, actor: Actor, membership_id: object) -> None:
    actor.require(Role.ADMIN)
    membership = member_get(org=actor.org, pk=membership_id)
    _ensure_an_admin_remains(actor.org, membership)
    actor.audit("member.removed", target=membership, details={"email": membership.user.email})
    membership.delete()


@transaction.atomic
def apikey_create(*, actor: Actor, name: str, role: str = Role.RECRUITER) -> tuple[ApiKey, str]:
    """Create a key and return it with its plaintext, which is never stored nor shown again."""
    actor.require(Role.ADMIN)
    name = normalize(name)
    if not name:
        raise DomainValidationError(_("Give the key a name, e.g. the system that will use it."), field="name")
    if role not in Role.values:
        raise DomainValidationError(_("Unknown role."), field="role")
    prefix = secrets.token_hex(6)
    secret = secrets.token_urlsafe(24)
    key = ApiKey.objects.create(
        org=actor.org,
        name=name,
        role=role,
        prefix=prefix,
        secret_hash=apikey_hash(secret),
        created_by=actor.user,
    )
    actor.audit("apikey.created", target=key, details={"role": role})
    return key, f"cr_{prefix}_{secret}"


@transaction.atomic
def apikey_revoke(*, actor: Actor, key_id: object) -> ApiKey:
    actor.require(Role.ADMIN)
    key = apikey_get(org=actor.org, pk=key_id)
    if key.revoked_at is None:
        key.revoked_at = clock.now()
        key.save(update_fields=["revoked_at"])
        actor.audit("apikey.revoked", target=key)
    return key


def apikey_touch(key: ApiKey) -> None:
    """Record use, at most once a minute per key so that reads do not become writes."""
    at = clock.now()
    if key.last_used_at is None or at - key.last_used_at >= LAST_USED_RESOLUTION:
        ApiKey.objects.filter(pk=key.pk).update(last_used_at=at)
        key.last_used_at = at

from __future__ import annotations

from typing import Any, ClassVar

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from careerrelay.core import clock
from careerrelay.core.ids import new_id
from careerrelay.core.text import normalize_email


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **fields: Any) -> User:
        user = self.model(email=normalize_email(email), **fields)
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **fields: Any) -> User:
        fields.setdefault("is_staff", True)
        fields.setdefault("is_superuser", True)
        return self.create_user(email, password, **fields)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who signs in. Belongs to orgs through orgs.Membership."""

    class Language(models.TextChoices):
        JA = "ja", _("Japanese")
        EN = "en", _("English")

    id = models.UUIDField(primary_key=True, default=new_id, editable=False)
    email = models.EmailField(_("email address"), unique=True)
    family_name = models.CharField(_("family name"), max_length=100, blank=True)
    given_name = models.CharField(_("given name"), max_length=100, blank=True)
    family_name_kana = models.CharField(_("family name (kana)"), max_length=100, blank=True)
    given_name_kana = models.CharField(_("given name (kana)"), max_length=100, blank=True)
    language = models.CharField(_("language"), max_length=5, choices=Language.choices, default=Language.JA)
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False)
    date_joined = models.DateTimeField(default=clock.now)

    objects: ClassVar[UserManager] = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        """Japanese order (family name first) with a space, as people write it in forms."""
        name = " ".join(part for part in (self.family_name, self.given_name) if part)
        return name or self.email


AUDIT_ACTION_LABELS = {
    "org.created": _("Organisation created"),
    "org.settings_changed": _("Organisation settings changed"),
    "user.created": _("Account created"),
    "user.profile_updated": _("Profile updated"),
    "user.password_changed": pgettext_lazy("audit action", "Password changed"),
    "member.added": _("Member added"),
    "member.invited": _("Member invited"),
    "member.joined": _("Invitation accepted"),
    "member.declined": _("Invitation declined"),
    "member.role_changed": _("Role changed"),
    "member.removed": _("Member removed"),
    "apikey.created": _("API key created"),
    "apikey.revoked": _("API key revoked"),
    "login.succeeded": _("Logged in"),
    "login.failed": _("Failed login"),
    "login.throttled": _("Login blocked after repeated failures"),
    "password_reset.requested": _("Password reset requested"),
    "password_reset.completed": _("Password set through an emailed link"),
}


class AuditEvent(models.Model):
    """Who did what, to which object, in which org, from where. Written by services only."""

    id = models.UUIDField(primary_key=True, default=new_id, editable=False)
    org = models.ForeignKey("orgs.Organization", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    actor = models.ForeignKey("accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    actor_label = models.CharField(max_length=200, blank=True, help_text="e.g. 'api key: CI import' or 'system'")
    action = models.CharField(max_length=100)
    object_type = models.CharField(max_length=100, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    object_label = models.CharField(max_length=200, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    details = models.JSONField(default=dict, blank=True)
    at = models.DateTimeField(default=clock.now, db_index=True)

    class Meta:
        indexes = [models.Index(fields=["org", "-at"])]
        ordering = ["-at"]

    @property
    def action_label(self) -> str:
        """The action in the reader's language; later apps add their own labels to the map."""
        return str(AUDIT_ACTION_LABELS.get(self.action, self.action))


class SystemEmail(models.Model):
    """Account mail (password resets, invitations) waits here until the worker sends it."""

    class Status(models.TextChoices):
        PENDING = "pending"
        SENT = "sent"
        FAILED = "failed"

    id = models.UUIDField(primary_key=True, default=new_id, editable=False)
    to = models.EmailField()
    subject = models.CharField(max_length=300)
    body = models.TextField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=clock.now)
    last_error = models.TextField(blank=True, default="")
    message_id = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=clock.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["status", "next_attempt_at"])]


class PasswordResetRequest(models.Model):
    """A reset asked for on the login page, waiting for the worker to look up the address."""

    email = models.EmailField()
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    requested_at = models.DateTimeField(default=clock.now)
    processed_at = models.DateTimeField(null=True, blank=True, db_index=True)

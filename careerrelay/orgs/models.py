from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from careerrelay.core import clock
from careerrelay.core.ids import new_id
from careerrelay.core.models import OrgOwnedModel


class Organization(models.Model):
    """A tenant: an employer, a recruitment agency or a network operator."""

    class Kind(models.TextChoices):
        EMPLOYER = "employer", _("Employer")
        AGENCY = "agency", _("Recruitment agency")
        OPERATOR = "operator", _("Network operator")

    id = models.UUIDField(primary_key=True, default=new_id, editable=False)
    slug = models.SlugField(max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("name in English"), max_length=200, blank=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    # 有料職業紹介事業許可番号, e.g. 13-ユ-300000: required for agencies, optional for operators.
    placement_licence_number = models.CharField(_("paid-placement licence number"), max_length=20, blank=True)
    default_language = models.CharField(max_length=5, default="ja")
    timezone = models.CharField(max_length=50, default="Asia/Tokyo")
    settings = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=clock.now)

    class Meta:
        verbose_name = _("organisation")

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    ADMIN = "admin", _("Admin")
    RECRUITER = "recruiter", _("Recruiter")
    VIEWER = "viewer", _("Viewer")


class Membership(OrgOwnedModel):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.RECRUITER)
    # An admin's invitation waits for the person to accept it; until then the org sees only the
    # address, and the person does not act in the org.
    accepted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["org", "user"], name="membership_org_user")]

    @property
    def is_pending(self) -> bool:
        return self.accepted_at is None

    def __str__(self) -> str:
        return str(self.user)  # the role lives in the audit details, in no particular language


class ApiKey(OrgOwnedModel):
    """An org's credential for the REST API. Only a SHA-256 of the secret is stored."""

    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(max_length=16, unique=True)
    secret_hash = models.CharField(max_length=64)
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.RECRUITER)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None

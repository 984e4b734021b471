"""The Career Relay network: who is in it, what is shared, who asked to meet whom, who was
hired, what was provided to whom (APPI Art. 29/30), and the credits that flow back."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from careerrelay.core import clock
from careerrelay.core.models import OrgOwnedModel


class Network(OrgOwnedModel):
    """Run by an operator org (`org`). The agreement's terms live on the network."""

    name = models.CharField(_("name"), max_length=200)
    # Quasi-identifiers are generalised until at least k published profiles share them.
    k = models.PositiveSmallIntegerField(_("k (minimum group size)"), default=5)
    # Japan mode: identified people are introduced only through members or an operator holding a
    # paid-placement licence (職業安定法), whose number is shown with every introduction.
    japan_mode = models.BooleanField(_("Japan mode"), default=True)
    # For this many days after publishing, only first-look members see a profile.
    first_look_days = models.PositiveSmallIntegerField(_("first-look window (days)"), default=0)
    credits_per_hire = models.PositiveSmallIntegerField(_("free referral slots per hire"), default=1)
    guarantee_days = models.PositiveSmallIntegerField(_("guarantee period (days)"), default=90)
    credit_expiry_months = models.PositiveSmallIntegerField(_("credits expire after (months)"), default=12)
    # Days a candidate has to answer an introduction request.
    request_expiry_days = models.PositiveSmallIntegerField(default=14)

    def __str__(self) -> str:
        return self.name


class NetworkMember(OrgOwnedModel):
    """An org (`org`) in a network: invited by the operator, a member once it accepts."""

    class Status(models.TextChoices):
        INVITED = "invited", _("Invited")
        ACTIVE = "active", _("Member")
        LEFT = "left", _("Left")

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="members")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.INVITED)
    first_look = models.BooleanField(default=False)
    invited_at = models.DateTimeField(default=clock.now)
    joined_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["network", "org"], name="networkmember_network_org")]


class SharedProfile(OrgOwnedModel):
    """What partners may see of one person shared by `org` (the source) to a network. The
    candidate link stays on the source's side: partner-facing reads never follow it."""

    class Status(models.TextChoices):
        PUBLISHED = "published", _("Published")
        HELD = "held", _("Held back")
        UNPUBLISHED = "unpublished", _("Unpublished")

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="profiles")
    candidate = models.ForeignKey(
        "candidates.Candidate", null=True, blank=True, on_delete=models.SET_NULL, related_name="shared_profiles"
    )
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.HELD)
    held_reason = models.CharField(max_length=200, blank=True)
    # The most specific facts, from which the shown (generalised) ones are derived.
    birth_year = models.PositiveSmallIntegerField(null=True, blank=True)
    prefecture = models.CharField(max_length=2, blank=True)
    years_experience = models.PositiveSmallIntegerField(null=True, blank=True)
    industry = models.CharField(max_length=40, blank=True)
    # What partners see: quasi-identifiers at the level k allows.
    shown_age = models.CharField(max_length=20, blank=True)
    shown_location = models.CharField(max_length=20, blank=True)
    shown_experience = models.CharField(max_length=20, blank=True)
    shown_industry = models.CharField(max_length=40, blank=True)
    generalisation_level = models.PositiveSmallIntegerField(default=0)
    skills = models.JSONField(default=list)
    desired_roles = models.JSONField(default=list)
    desired_locations = models.JSONField(default=list)
    available_from = models.DateField(null=True, blank=True)
    summary = models.TextField(blank=True, help_text="evaluation summary, scrubbed")
    last_title = models.CharField(max_length=200, blank=True, help_text="scrubbed")
    published_at = models.DateTimeField(null=True, blank=True)
    unpublished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["network", "candidate"],
                condition=models.Q(candidate__isnull=False),
                name="sharedprofile_network_candidate",
            )
        ]
        indexes = [models.Index(fields=["network", "status"])]


class SharedProfileTerm(OrgOwnedModel):
    """The network's inverted index: one row per published profile, skill id or free tag, and
    place, owned by the org that shared the profile. Built only from what partners are shown (the
    generalised fields), kept by relay's sharing services in the same transaction as the profile
    (`relay.postings`), read best first (`prior`) by `matching.shortlist`."""

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="+", db_index=False)
    profile = models.ForeignKey(SharedProfile, on_delete=models.CASCADE, related_name="terms")
    term = models.CharField(max_length=120)
    # A shown prefecture (code) or a wished one, one row each; the shown region's name when only
    # the region is shown; "" when neither is known.
    place = models.CharField(max_length=10, blank=True)
    prior = models.SmallIntegerField(default=0)

    class Meta:
        indexes = [
            # Covering: the shortlist reads (profile, prior) and leaves out the viewer's own org
            # from the index alone.
            models.Index(fields=["network", "term", "place", "-prior", "profile", "org"], name="sharedterm_place"),
            models.Index(fields=["network", "term", "-prior", "profile", "org"], name="sharedterm_prior"),
        ]


class ProfileView(OrgOwnedModel):
    """A partner company first opened a shared profile (the relay funnel's "viewed" step). One row
    per (profile, viewing company), owned by the company that shared the profile; nothing about
    the viewer beyond its company is kept."""

    profile = models.ForeignKey(SharedProfile, on_delete=models.CASCADE, related_name="views")
    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="+")
    viewer_org = models.ForeignKey("orgs.Organization", on_delete=models.CASCADE, related_name="+")
    first_viewed_at = models.DateTimeField(default=clock.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["profile", "viewer_org"], name="profileview_once_per_org")]


class Introduction(OrgOwnedModel):
    """A member (`org`) asks to meet the person behind a profile for one of its jobs."""

    class Status(models.TextChoices):
        REQUESTED = "requested", _("Waiting for the person")
        APPROVED = "approved", _("Approved")
        DECLINED = "declined", _("Declined")
        EXPIRED = "expired", _("Expired")

    class Outcome(models.TextChoices):
        NONE = "", _("No news yet")
        INTERVIEW = "interview", _("Interviewing")
        OFFER = "offer", _("Offer")
        HIRED = "hired", _("Hired")
        NOT_HIRED = "not_hired", _("Not hired")

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="introductions")
    profile = models.ForeignKey(SharedProfile, on_delete=models.CASCADE, related_name="introductions")
    source_org = models.ForeignKey("orgs.Organization", on_delete=models.CASCADE, related_name="+")
    job = models.ForeignKey("candidates.JobRequisition", on_delete=models.CASCADE, related_name="+")
    # An agency may ask on behalf of a named client company.
    client_company = models.CharField(max_length=200, blank=True)
    message = models.TextField(blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.REQUESTED)
    outcome = models.CharField(max_length=10, choices=Outcome.choices, blank=True, default="")
    requested_at = models.DateTimeField(default=clock.now)
    expires_at = models.DateTimeField()
    decided_at = models.DateTimeField(null=True, blank=True)
    # The person in the requester's own pool, once they said yes.
    recipient_candidate = models.ForeignKey(
        "candidates.Candidate", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recipient_application = models.ForeignKey(
        "candidates.Application", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["profile", "org", "job"],
                condition=models.Q(status="requested"),
                name="introduction_one_open_request",
            )
        ]


class ProvisionRecord(OrgOwnedModel):
    """APPI Art. 29: the source (`org`) gave a person's data to another company. Kept at least
    three years, even after the person is erased (then with the minimum)."""

    introduction = models.ForeignKey(Introduction, null=True, on_delete=models.SET_NULL, related_name="+")
    recipient = models.ForeignKey("orgs.Organization", on_delete=models.PROTECT, related_name="+")
    recipient_name = models.CharField(max_length=200)
    person_name = models.CharField(max_length=200)
    candidate = models.ForeignKey("candidates.Candidate", null=True, on_delete=models.SET_NULL, related_name="+")
    items = models.JSONField(default=list)
    consent_event = models.ForeignKey("consent.ConsentEvent", null=True, on_delete=models.SET_NULL, related_name="+")
    provided_at = models.DateTimeField(default=clock.now)
    keep_until = models.DateTimeField()


class ReceiptRecord(OrgOwnedModel):
    """APPI Art. 30: the recipient (`org`) records from whom and how the data was obtained."""

    introduction = models.ForeignKey(Introduction, null=True, on_delete=models.SET_NULL, related_name="+")
    provider = models.ForeignKey("orgs.Organization", on_delete=models.PROTECT, related_name="+")
    provider_name = models.CharField(max_length=200)
    how_obtained = models.TextField()
    person_name = models.CharField(max_length=200)
    candidate = models.ForeignKey("candidates.Candidate", null=True, on_delete=models.SET_NULL, related_name="+")
    items = models.JSONField(default=list)
    received_at = models.DateTimeField(default=clock.now)
    keep_until = models.DateTimeField()


class Placement(OrgOwnedModel):
    """A hire through an introduction (`org` = the hiring member). One per introduction."""

    class Status(models.TextChoices):
        IN_GUARANTEE = "in_guarantee", _("In the guarantee period")
        FINAL = "final", _("Final")
        REVERSED = "reversed", _("Reversed")

    introduction = models.OneToOneField(Introduction, on_delete=models.CASCADE, related_name="placement")
    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="+")
    source_org = models.ForeignKey("orgs.Organization", on_delete=models.CASCADE, related_name="+")
    hired_on = models.DateField()
    guarantee_until = models.DateTimeField()
    status = models.CharField(max_length=14, choices=Status.choices, default=Status.IN_GUARANTEE)


class LedgerEntry(models.Model):
    """Credits as double-entry, append-only rows: every transaction is two legs that sum to zero.

    Accounts are (network, holder org or None for the network's issuance account, issuer org or
    None for network-wide slots, bucket). A credit is `pending` during the guarantee period and
    `available` after it. The business key (e.g. "earn:<placement>") is unique per leg, so a
    replayed or concurrent report books once.
    """

    class Bucket(models.TextChoices):
        ISSUANCE = "issuance", _("Issued by the network")
        PENDING = "pending", _("Pending (guarantee period)")
        AVAILABLE = "available", _("Available")

    class Kind(models.TextChoices):
        EARNED = "earned", _("Earned")
        FINALISED = "finalised", _("Final")
        REVERSED = "reversed", _("Reversed")
        REDEEMED = "redeemed", _("Redeemed")
        EXPIRED = "expired", _("Expired")
        ADJUSTED = "adjusted", _("Adjusted by the operator")

    id = models.BigAutoField(primary_key=True)
    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="ledger")
    holder = models.ForeignKey("orgs.Organization", null=True, on_delete=models.CASCADE, related_name="+")
    issuer = models.ForeignKey("orgs.Organization", null=True, on_delete=models.CASCADE, related_name="+")
    bucket = models.CharField(max_length=10, choices=Bucket.choices)
    amount = models.IntegerField()
    kind = models.CharField(max_length=10, choices=Kind.choices)
    business_key = models.CharField(max_length=120)
    leg = models.PositiveSmallIntegerField()
    placement = models.ForeignKey(Placement, null=True, on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(max_length=300, blank=True)
    at = models.DateTimeField(default=clock.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["business_key", "leg"], name="ledgerentry_key_leg")]
        indexes = [models.Index(fields=["network", "holder", "bucket"])]


class JobFoundReport(OrgOwnedModel):
    """The person told us from the portal that they found a job (re-employment, case D)."""

    candidate = models.ForeignKey("candidates.Candidate", null=True, on_delete=models.SET_NULL, related_name="+")
    through_relay = models.BooleanField(default=False)
    reported_at = models.DateTimeField(default=clock.now)


class Notification(OrgOwnedModel):
    """An in-app notice for an org's people (requests, decisions, hires, credits)."""

    text = models.CharField(max_length=300)
    link = models.CharField(max_length=300, blank=True)
    read_at = models.DateTimeField(null=True, blank=True)

"""Reads of the network. Partner-facing reads cross orgs by design and are marked CROSS-ORG:
they read only SharedProfile's shown fields, never the candidate behind a profile."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet, Sum

from careerrelay.consent.models import SharingBlock
from careerrelay.core import clock
from careerrelay.core.errors import NotFound
from careerrelay.core.selectors import get_for_org
from careerrelay.orgs.models import Organization
from careerrelay.relay.models import (
    Introduction,
    LedgerEntry,
    Network,
    NetworkMember,
    Notification,
    ProvisionRecord,
    ReceiptRecord,
    SharedProfile,
)

# The fields a partner may read of a profile; nothing else is ever selected for them.
PARTNER_FIELDS = (
    "id",
    "org_id",
    "network_id",
    "status",
    "shown_age",
    "shown_location",
    "shown_experience",
    "shown_industry",
    "skills",
    "desired_roles",
    "desired_locations",
    "available_from",
    "summary",
    "last_title",
    "published_at",
)


def membership_of(*, org: Organization, network: Network) -> NetworkMember | None:
    return NetworkMember.objects.filter(network=network, org=org, status=NetworkMember.Status.ACTIVE).first()


def active_network_of(*, org: Organization, network_id: Any, for_update: bool = False) -> Network:
    """A network the org runs or is an active member of; NotFound otherwise."""
    networks = Network.objects.select_for_update() if for_update else Network.objects.all()
    try:
        network = networks.get(pk=network_id)
    except (Network.DoesNotExist, ValueError, TypeError) as exc:
        raise NotFound() from exc
    if network.org_id != org.pk and membership_of(org=org, network=network) is None:
        raise NotFound()
    return network


def networks_run_by(*, org: Organization) -> QuerySet[Network]:
    return Network.objects.filter(org=org).order_by("name")


def memberships_of(*, org: Organization) -> QuerySet[NetworkMember]:
    return (
        NetworkMember.objects.filter(org=org)
        .exclude(status=NetworkMember.Status.LEFT)
        .select_related("network", "network__org")
    )


def network_members(*, org: Organization, network_id: Any) -> QuerySet[NetworkMember]:
    network = get_for_org(Network.objects.all(), org=org, pk=network_id)
    return NetworkMember.objects.filter(network=network).select_related("org")


def member_companies(*, network: Network) -> list[Organization]:
    """The companies a person's profile may be shown to (for the portal's plain statement)."""
    ids = NetworkMember.objects.filter(network=network, status=NetworkMember.Status.ACTIVE).values("org_id")
    return list(Organization.objects.filter(pk__in=ids).order_by("name"))


@dataclass(frozen=True)
class ProfileFilters:
    skills: list[str]
    location: str = ""
    age: str = ""
    experience: str = ""
    desired_role: str = ""
    available_by: date | None = None


def _blocked_for(viewer: Organization) -> QuerySet[SharingBlock]:
    names = [name for name in (viewer.name, viewer.name_en) if name]
    return SharingBlock.objects.filter(candidate=OuterRef("candidate")).filter(
        Q(blocked_org=viewer) | Q(company_name__in=names)
    )


def partner_profiles(
    *, org: Organization, network_id: Any, filters: ProfileFilters | None = None
) -> QuerySet[SharedProfile]:
    """CROSS-ORG: the network's published profiles another member may see — not blocked by the
    person, past the first-look window unless the viewer has first look."""
    network = active_network_of(org=org, network_id=network_id)
    member = membership_of(org=org, network=network)
    profiles = SharedProfile.objects.filter(network=network, status=SharedProfile.Status.PUBLISHED).exclude(
        Exists(_blocked_for(org))
    )
    if network.first_look_days and not (member and member.first_look):
        profiles = profiles.filter(published_at__lte=clock.now() - timedelta(days=network.first_look_days))
    if filters is not None:
        for skill in filters.skills:
            profiles = profiles.filter(skills__icontains=skill)
        if filters.location:
            profiles = profiles.filter(shown_location=filters.location)
        if filters.age:
            profiles = profiles.filter(shown_age=filters.age)
        if filters.experience:
            profiles = profiles.filter(shown_experience=filters.experience)
        if filters.desired_role:
            profiles = profiles.filter(desired_roles__icontains=filters.desired_role)
        if filters.available_by:
            profiles = profiles.filter(Q(available_from__isnull=True) | Q(available_from__lte=filters.available_by))
    return profiles.only(*PARTNER_FIELDS).select_related("org").order_by("-published_at", "-id")


def partner_profile(*, org: Organization, profile_id: Any) -> SharedProfile:
    """CROSS-ORG: one profile the org may see (NotFound for any other)."""
    try:
        network_id = SharedProfile.objects.values_list("network_id", flat=True).get(pk=profile_id)
    except (SharedProfile.DoesNotExist, ValueError, TypeError) as exc:
        raise NotFound() from exc
    found = partner_profiles(org=org, network_id=network_id).filter(pk=profile_id).first()
    if found is None:
        raise NotFound()
    return found


def own_profiles(*, org: Organization) -> QuerySet[SharedProfile]:
    return SharedProfile.objects.filter(org=org).select_related("network", "candidate").order_by("-updated_at")


def introductions_sent(*, org: Organization) -> QuerySet[Introduction]:
    return Introduction.objects.filter(org=org).select_related("profile", "job", "network", "recipient_candidate")


def introductions_received(*, org: Organization) -> QuerySet[Introduction]:
    """Requests about people this org shared (the requester is named; the person is the org's own)."""
    return Introduction.objects.filter(source_org=org).select_related("org", "job", "profile__candidate")


def introduction_of_requester(*, org: Organization, pk: Any) -> Introduction:
    return get_for_org(Introduction.objects.select_related("network", "profile"), org=org, pk=pk)


@dataclass(frozen=True)
class Balance:
    network: Network
    issuer: Organization | None
    pending: int
    available: int


def balances(*, org: Organization) -> list[Balance]:
    rows = (
        LedgerEntry.objects.filter(holder=org)
        .values("network", "issuer", "bucket")
        .annotate(total=Sum("amount"))
        .order_by("network", "issuer")
    )
    grouped: dict[tuple[Any, Any], dict[str, int]] = {}
    for row in rows:
        grouped.setdefault((row["network"], row["issuer"]), {})[row["bucket"]] = row["total"] or 0
    networks = Network.objects.in_bulk([key[0] for key in grouped])
    issuers = Organization.objects.in_bulk([key[1] for key in grouped if key[1]])
    return [
        Balance(
            network=networks[network_id],
            issuer=issuers.get(issuer_id) if issuer_id else None,
            pending=totals.get(LedgerEntry.Bucket.PENDING, 0),
            available=totals.get(LedgerEntry.Bucket.AVAILABLE, 0),
        )
        for (network_id, issuer_id), totals in grouped.items()
    ]


def ledger_of(*, org: Organization) -> QuerySet[LedgerEntry]:
    return LedgerEntry.objects.filter(holder=org).select_related("network", "issuer").order_by("-at", "-id")


def companies_in_networks_of(*, org: Organization) -> list[Organization]:
    """Every other company a profile shared by `org` could be shown to, and the operators."""
    networks = NetworkMember.objects.filter(org=org, status=NetworkMember.Status.ACTIVE).values("network_id")
    member_ids = NetworkMember.objects.filter(network_id__in=networks, status=NetworkMember.Status.ACTIVE).values(
        "org_id"
    )
    return list(Organization.objects.filter(pk__in=member_ids).exclude(pk=org.pk).order_by("name"))


def notifications_of(*, org: Organization) -> QuerySet[Notification]:
    return Notification.objects.filter(org=org).order_by("-created_at")


def provision_records(*, org: Organization, since: date, until: date) -> QuerySet[ProvisionRecord]:
    """APPI Art. 29 records this org keeps (what it gave to whom), for a period (JST dates)."""
    return ProvisionRecord.objects.filter(org=org, provided_at__date__gte=since, provided_at__date__lte=until).order_by(
        "provided_at"
    )


def receipt_records(*, org: Organization, since: date, until: date) -> QuerySet[ReceiptRecord]:
    """APPI Art. 30 records this org keeps (what it received from whom), for a period."""
    return ReceiptRecord.objects.filter(org=org, received_at__date__gte=since, received_at__date__lte=until).order_by(
        "received_at"
    )


@dataclass(frozen=True)
class MemberBalance:
    holder: Organization
    earned: int
    pending: int
    available: int
    used: int


def network_balances(*, org: Organization, network_id: Any) -> tuple[Network, list[MemberBalance]]:
    """For the operator running the network: every member's slots, earned, pending, available and
    used. Companies and counts only; nothing about the people behind them."""
    network = Network.objects.filter(pk=network_id, org=org).first()
    if network is None:
        raise NotFound()
    sums: dict[Any, dict[str, int]] = {}
    rows = (
        LedgerEntry.objects.filter(network=network, holder__isnull=False)
        .values("holder", "bucket", "kind")
        .annotate(total=Sum("amount"))
    )
    for row in rows:
        holder = sums.setdefault(row["holder"], {"earned": 0, "pending": 0, "available": 0, "used": 0})
        total = row["total"] or 0
        if row["bucket"] in ("pending", "available"):
            holder[row["bucket"]] += total
        if row["kind"] == LedgerEntry.Kind.EARNED and total > 0:
            holder["earned"] += total
        if row["kind"] == LedgerEntry.Kind.REDEEMED:
            holder["used"] -= total
    members = NetworkMember.objects.filter(network=network).select_related("org").order_by("org__name")
    holders = {member.org_id: member.org for member in members}
    holders.update(Organization.objects.in_bulk([pk for pk in sums if pk not in holders]))
    empty = {"earned": 0, "pending": 0, "available": 0, "used": 0}
    return network, [
        MemberBalance(
            holder=company,
            earned=sums.get(pk, empty)["earned"],
            pending=sums.get(pk, empty)["pending"],
            available=sums.get(pk, empty)["available"],
            used=sums.get(pk, empty)["used"],
        )
        for pk, company in holders.items()
    ]

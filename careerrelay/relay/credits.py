"""The credits ledger: double-entry, append-only. Every transaction is legs that sum to zero,
booked under a business key unique per leg, so a replayed or concurrent report books once."""

from __future__ import annotations

import hashlib
import uuid
from datetime import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from careerrelay.core import clock
from careerrelay.core.dates import add_months
from careerrelay.core.errors import Conflict, DomainValidationError, NotFound
from careerrelay.orgs.actors import Actor
from careerrelay.orgs.models import Organization, Role
from careerrelay.relay.models import LedgerEntry, Network, NetworkMember, Placement
from careerrelay.relay.selectors import active_network_of

Bucket = LedgerEntry.Bucket
Kind = LedgerEntry.Kind
Leg = tuple[Organization | None, str, int]  # holder (None: the network's issuance account), bucket, amount


KEY_LENGTH = LedgerEntry._meta.get_field("business_key").max_length or 120


def _book(
    network: Network,
    key: str,
    kind: str,
    legs: list[Leg],
    *,
    issuer: Organization | None,
    placement: Placement | None = None,
    reason: str = "",
    at: datetime | None = None,
) -> bool:
    """Book a transaction once; False if its key was booked before."""
    assert sum(amount for _holder, _bucket, amount in legs) == 0, "a transaction must balance"
    if len(key) > KEY_LENGTH:  # e.g. an expiry of agency-scoped slots: three ids and a date
        key = f"{key.split(':', 1)[0]}:{hashlib.sha256(key.encode()).hexdigest()}"
    try:
        with transaction.atomic():
            LedgerEntry.objects.bulk_create(
                [
                    LedgerEntry(
                        network=network,
                        holder=holder,
                        issuer=issuer,
                        bucket=bucket,
                        amount=amount,
                        kind=kind,
                        business_key=key,
                        leg=index,
                        placement=placement,
                        reason=reason,
                        at=at or clock.now(),
                    )
                    for index, (holder, bucket, amount) in enumerate(legs)
                ]
            )
    except IntegrityError:
        return False
    return True


def _issuer_of(placement: Placement) -> Organization | None:
    """Slots are agency-specific when an agency placed the person, network-wide otherwise."""
    hirer = placement.org
    return hirer if hirer.kind == Organization.Kind.AGENCY else None


def credit_earn(placement: Placement) -> bool:
    count = placement.network.credits_per_hire
    return _book(
        placement.network,
        f"earn:{placement.pk}",
        Kind.EARNED,
        [(None, Bucket.ISSUANCE, -count), (placement.source_org, Bucket.PENDING, count)],
        issuer=_issuer_of(placement),
        placement=placement,
    )


def credit_reverse(placement: Placement) -> bool:
    """A hire undone inside the guarantee period takes its pending credit back."""
    if placement.status != Placement.Status.IN_GUARANTEE or placement.guarantee_until <= clock.now():
        return False
    count = placement.network.credits_per_hire
    booked = _book(
        placement.network,
        f"reverse:{placement.pk}",
        Kind.REVERSED,
        [(placement.source_org, Bucket.PENDING, -count), (None, Bucket.ISSUANCE, count)],
        issuer=_issuer_of(placement),
        placement=placement,
    )
    Placement.objects.filter(pk=placement.pk).update(status=Placement.Status.REVERSED)
    return booked


def credits_finalise(at: datetime) -> int:
    """Placements past their guarantee period: the pending credit becomes available."""
    finalised = 0
    due = Placement.objects.filter(status=Placement.Status.IN_GUARANTEE, guarantee_until__lte=at).select_related(
        "network", "source_org", "org"
    )
    for placement in due:
        count = placement.network.credits_per_hire
        with transaction.atomic():
            _book(
                placement.network,
                f"final:{placement.pk}",
                Kind.FINALISED,
                [(placement.source_org, Bucket.PENDING, -count), (placement.source_org, Bucket.AVAILABLE, count)],
                issuer=_issuer_of(placement),
                placement=placement,
                at=placement.guarantee_until,
            )
            Placement.objects.filter(pk=placement.pk).update(status=Placement.Status.FINAL)
        finalised += 1
    return finalised


def available(network: Network, holder: Organization, issuer: Organization | None) -> int:
    total = LedgerEntry.objects.filter(
        network=network, holder=holder, issuer=issuer, bucket=Bucket.AVAILABLE
    ).aggregate(total=Sum("amount"))["total"]
    return int(total or 0)


def _lock_account(network: Network, holder: Organization) -> None:
    """Serialise spending from one holder's account (balances must never go negative)."""
    if not NetworkMember.objects.select_for_update().filter(network=network, org=holder).exists():
        raise NotFound()


@transaction.atomic
def credit_redeem(*, actor: Actor, network_id: Any, issuer_id: Any = None, note: str = "") -> LedgerEntry:
    """Use one free referral slot: a hire made through `issuer` (an agency), or network-wide."""
    actor.require(Role.RECRUITER)
    network = active_network_of(org=actor.org, network_id=network_id)
    issuer = Organization.objects.filter(pk=issuer_id).first() if issuer_id else None
    _lock_account(network, actor.org)
    if available(network, actor.org, issuer) < 1:
        raise Conflict(_("No free referral slot is available for this."))
    key = f"redeem:{uuid.uuid4()}"
    _book(
        network,
        key,
        Kind.REDEEMED,
        [(actor.org, Bucket.AVAILABLE, -1), (None, Bucket.ISSUANCE, 1)],
        issuer=issuer,
        reason=note[:300],
    )
    actor.audit("relay.credit_redeemed", target=network, details={"issuer": str(issuer.pk) if issuer else ""})
    return LedgerEntry.objects.get(business_key=key, leg=0)


@transaction.atomic
def credit_adjust(*, actor: Actor, network_id: Any, holder_id: Any, amount: int, reason: str) -> None:
    """The operator corrects a balance, with a reason; never below zero."""
    actor.require(Role.ADMIN)
    network = Network.objects.filter(pk=network_id, org=actor.org).first()
    if network is None:
        raise NotFound()
    if not reason.strip():
        raise DomainValidationError(_("Say why the balance is adjusted."), field="reason")
    if amount == 0:
        raise DomainValidationError(_("Adjust by at least one."), field="amount")
    holder = Organization.objects.filter(pk=holder_id).first()
    if holder is None:
        raise DomainValidationError(_("Unknown company."), field="holder_id")
    _lock_account(network, holder)
    if available(network, holder, None) + amount < 0:
        raise Conflict(_("A balance cannot go below zero."))
    _book(
        network,
        f"adjust:{uuid.uuid4()}",
        Kind.ADJUSTED,
        [(holder, Bucket.AVAILABLE, amount), (None, Bucket.ISSUANCE, -amount)],
        issuer=None,
        reason=reason.strip()[:300],
    )
    actor.audit("relay.credit_adjusted", target=network, details={"holder": holder.slug, "amount": amount})


def credits_expire(at: datetime) -> int:
    """Available slots not used within the network's expiry period lapse, oldest first: for each
    account, what was made available before the cut-off minus everything already spent."""
    expired = 0
    accounts = (
        LedgerEntry.objects.filter(bucket=Bucket.AVAILABLE, holder__isnull=False)
        .values_list("network", "holder", "issuer")
        .distinct()
    )
    for network_id, holder_id, issuer_id in accounts:
        network = Network.objects.get(pk=network_id)
        cutoff = add_months(at, -network.credit_expiry_months)
        entries = LedgerEntry.objects.filter(
            network_id=network_id, holder_id=holder_id, issuer_id=issuer_id, bucket=Bucket.AVAILABLE
        )
        old_gains = entries.filter(amount__gt=0, at__lte=cutoff).aggregate(t=Sum("amount"))["t"] or 0
        spent = -(entries.filter(amount__lt=0).aggregate(t=Sum("amount"))["t"] or 0)
        due = old_gains - spent
        if due <= 0:
            continue
        holder = Organization.objects.get(pk=holder_id)
        issuer = Organization.objects.filter(pk=issuer_id).first() if issuer_id else None
        if _book(
            network,
            f"expire:{network_id}:{holder_id}:{issuer_id}:{cutoff.date()}",
            Kind.EXPIRED,
            [(holder, Bucket.AVAILABLE, -due), (None, Bucket.ISSUANCE, due)],
            issuer=issuer,
        ):
            expired += due
    return expired

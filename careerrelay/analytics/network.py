"""The operator's view of a network: aggregates only, every cell about fewer than 5 people
suppressed, no person's data."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from careerrelay.core.selectors import get_for_org
from careerrelay.orgs.models import Organization
from careerrelay.relay.models import Introduction, Network, NetworkMember, Placement, ProfileView, SharedProfile

SUPPRESS_BELOW = 5
STEPS = ("shared", "viewed", "requested", "approved", "hired")


def suppressed(count: int) -> int | None:
    """None stands for "fewer than 5": small cells could point at individuals."""
    return count if count >= SUPPRESS_BELOW else None


@dataclass(frozen=True)
class MemberRow:
    name: str
    cells: dict[str, int | None]


def network_dashboard(*, org: Organization, network_id: Any) -> tuple[Network, list[MemberRow], dict[str, int | None]]:
    network = get_for_org(Network.objects.all(), org=org, pk=network_id)
    counts: dict[str, Counter[Any]] = {
        "shared": Counter(
            SharedProfile.objects.filter(network=network, published_at__isnull=False).values_list("org_id", flat=True)
        ),
        "viewed": Counter(ProfileView.objects.filter(network=network).values_list("org_id", flat=True)),
        "requested": Counter(Introduction.objects.filter(network=network).values_list("source_org_id", flat=True)),
        "approved": Counter(
            Introduction.objects.filter(network=network, status=Introduction.Status.APPROVED).values_list(
                "source_org_id", flat=True
            )
        ),
        "hired": Counter(
            Placement.objects.filter(network=network)
            .exclude(status=Placement.Status.REVERSED)
            .values_list("source_org_id", flat=True)
        ),
    }
    members = NetworkMember.objects.filter(network=network, status=NetworkMember.Status.ACTIVE).select_related("org")
    rows = [
        MemberRow(name=member.org.name, cells={step: suppressed(counts[step][member.org_id]) for step in STEPS})
        for member in members.order_by("org__name")
    ]
    totals = {step: suppressed(sum(counts[step].values())) for step in STEPS}
    return network, rows, totals

"""What relay adds to the person's data download (registered with `consent.hooks.on_export`):
the records of each provision of their data to another company (APPI Art. 33(5) makes these
disclosable to the person) and their anonymous profiles in networks."""

from __future__ import annotations

from typing import Any

from careerrelay.candidates.models import Candidate
from careerrelay.relay.models import ProvisionRecord


def provisions_export(records: list[Candidate]) -> tuple[str, Any]:
    provisions = ProvisionRecord.objects.filter(candidate__in=records).order_by("provided_at", "id")
    return "provisions_to_other_companies", [
        {"recipient": p.recipient_name, "items": p.items, "provided_at": p.provided_at} for p in provisions
    ]

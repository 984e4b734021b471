"""What other apps attach to consent changes, registered in their AppConfig.ready().

- `on_withdrawn(fn)`: called inside the withdrawal's transaction (also on expiry), so pending
  messages for that purpose are cancelled and shared profiles unpublished at once.
- `on_erasure(fn)`: called by the erasure job, inside its transaction, so each app empties the
  person's data in the tables it owns. It runs before the candidate row is emptied, so the
  hook can still read the person's name, email and phone (`consent.scrub.person_terms`).
  A future provision record (relay) keeps its legal minimum here instead of being emptied.
- `on_contact_source(fn)`: adds a "last contact" source for retention (see below).
- `on_export(fn)`: adds a section to the person's data download (`consent.export`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from careerrelay.candidates.models import Candidate


@dataclass(frozen=True)
class Withdrawal:
    candidate: Candidate
    purpose: str
    at: datetime


WithdrawalHook = Callable[[Withdrawal], None]
ErasureHook = Callable[["Candidate"], None]
_withdrawn: list[WithdrawalHook] = []
_erasure: list[ErasureHook] = []


def on_withdrawn(hook: WithdrawalHook) -> None:
    if hook not in _withdrawn:
        _withdrawn.append(hook)


def run_withdrawn(withdrawal: Withdrawal) -> None:
    for hook in _withdrawn:
        hook(withdrawal)


def on_erasure(hook: ErasureHook) -> None:
    if hook not in _erasure:
        _erasure.append(hook)


def run_erasure(candidate: Candidate) -> None:
    for hook in _erasure:
        hook(candidate)


# A contact source gives, for the candidate `OuterRef("pk")`, the latest instant the org was in
# touch with them (an expression such as a Subquery). Retention's "last contact" is the latest of
# the built-in sources (applications, consent events) and every registered one; outreach
# registers the last message sent.
ContactSource = Callable[[], Any]
_contact_sources: list[ContactSource] = []


def on_contact_source(source: ContactSource) -> None:
    if source not in _contact_sources:
        _contact_sources.append(source)


def contact_sources() -> list[ContactSource]:
    return list(_contact_sources)


# An export section gives, for a person's records (the merge survivor first, then the records
# merged into it), a name and the data another app holds about them (outreach: their messages),
# added to `consent.export.personal_data_export`.
ExportSection = Callable[[list["Candidate"]], tuple[str, Any]]
_export_sections: list[ExportSection] = []


def on_export(section: ExportSection) -> None:
    if section not in _export_sections:
        _export_sections.append(section)


def export_sections() -> list[ExportSection]:
    return list(_export_sections)

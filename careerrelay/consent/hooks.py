"""What other apps attach to consent changes, registered in their AppConfig.ready().

- `on_withdrawn(fn)`: called inside the withdrawal's transaction (also on expiry), so pending
  messages for that purpose are cancelled and shared profiles unpublished at once.
- `on_erasure(fn)`: called by the erasure job, inside its transaction, so each app empties the
  person's data in the tables it owns.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

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

"""What other apps attach to the rejection: the rejection email (consent), the re-scout
schedule (outreach), rediscovery (matching). Registered in their AppConfig.ready(), called by
`candidate_reject` inside its transaction, in registration order."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from careerrelay.candidates.models import Application
    from careerrelay.orgs.actors import Actor


@dataclass(frozen=True)
class Rejection:
    application: Application
    actor: Actor
    send_rejection_email: bool


RejectionHook = Callable[[Rejection], None]
_after_reject: list[RejectionHook] = []


def on_rejected(hook: RejectionHook) -> None:
    if hook not in _after_reject:
        _after_reject.append(hook)


def run_after_reject(rejection: Rejection) -> None:
    for hook in _after_reject:
        hook(rejection)

"""What other apps attach to the pool's services: after a rejection (the rejection email, the
re-scout schedule, rediscovery), after candidates change, after a job opens. Registered in their
AppConfig.ready(), called by the services inside their transaction, in registration order."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from careerrelay.candidates.models import Application, Candidate, JobRequisition
    from careerrelay.orgs.actors import Actor


@dataclass(frozen=True)
class Rejection:
    application: Application
    actor: Actor
    send_rejection_email: bool
    audited: bool = True


RejectionHook = Callable[[Rejection], None]
RejectionsHook = Callable[[list[Rejection]], None]
_after_reject: list[tuple[RejectionHook, RejectionsHook | None]] = []


def on_rejected(hook: RejectionHook, *, many: RejectionsHook | None = None) -> None:
    """`many`, when given, handles a whole batch at once (the CSV import rejects thousands of
    applications per chunk); otherwise `hook` is called once per rejection."""
    if all(hook != known for known, _many in _after_reject):
        _after_reject.append((hook, many))


def run_after_reject(rejection: Rejection) -> None:
    run_after_rejects([rejection])


def run_after_rejects(rejections: list[Rejection]) -> None:
    if not rejections:
        return
    for hook, many in _after_reject:
        if many is not None:
            many(rejections)
        else:
            for rejection in rejections:
                hook(rejection)


# After a service changed what is known about candidates (fields, applications, evaluations,
# merges), with the ids of the candidates concerned; inside the service's transaction. Matching
# keeps its precomputed features fresh this way.
CandidatesChangedHook = Callable[[list[object]], None]


@dataclass(frozen=True)
class KnownCandidates:
    """What a batch writer (the CSV import) already holds in memory about some of the candidates
    it reports changed, so that a hook need not read them back: the candidate, every one of its
    applications and the stage of every one of its stage changes. Only for candidates the batch
    holds in full (those it created); the others are read as usual."""

    candidates: Mapping[Any, Candidate]
    applications: Mapping[Any, list[Application]]
    stages: Mapping[Any, list[str]]


KnownChangedHook = Callable[[list[object], KnownCandidates], None]
_after_change: list[tuple[CandidatesChangedHook, KnownChangedHook | None]] = []


def on_candidate_changed(hook: CandidatesChangedHook, *, known: KnownChangedHook | None = None) -> None:
    """`known`, when given, is called instead of `hook` by a caller that passes `KnownCandidates`."""
    if all(hook != registered for registered, _known in _after_change):
        _after_change.append((hook, known))


def run_candidate_changed(*candidate_ids: object, known: KnownCandidates | None = None) -> None:
    for hook, with_known in _after_change:
        if known is not None and with_known is not None:
            with_known(list(candidate_ids), known)
        else:
            hook(list(candidate_ids))


@dataclass(frozen=True)
class JobOpened:
    job: JobRequisition
    actor: Actor
    audited: bool = True


JobOpenedHook = Callable[[JobOpened], None]
_after_open: list[JobOpenedHook] = []


def on_job_opened(hook: JobOpenedHook) -> None:
    """Called by `job_create` inside its transaction (matching computes the job's suggestions)."""
    if hook not in _after_open:
        _after_open.append(hook)


def run_job_opened(opened: JobOpened) -> None:
    for hook in _after_open:
        hook(opened)

"""Explicit extension points for apps above `orgs`.

An app registers a callable in its `AppConfig.ready()`; `org_create` calls each one inside its
transaction, so a new org is never without the defaults those apps need (rejection reasons,
built-in tags, policy texts…). Registration is explicit and listed here, unlike a signal.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from careerrelay.orgs.models import Organization

OrgInitializer = Callable[["Organization"], None]
_initializers: list[OrgInitializer] = []


def on_org_created(initializer: OrgInitializer) -> None:
    if initializer not in _initializers:
        _initializers.append(initializer)


def run_org_initializers(org: Organization) -> None:
    for initializer in _initializers:
        initializer(org)

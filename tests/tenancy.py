"""How each app declares the tenancy probes for its routes and API operations.

Every app with org-scoped endpoints has `careerrelay/<app>/tests/tenancy.py` defining
`PROBES = AppProbes(...)`. tests/test_tenancy_probe.py gathers them all and fails when a URL
route or API operation is declared by none.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from careerrelay.orgs.tests.factories import OrgWorld


@dataclass(frozen=True)
class AppProbes:
    # Web routes addressing an object by id: name → (method, URL template with {placeholders}, form data).
    web_object: dict[str, tuple[str, str, dict[str, str]]] = field(default_factory=dict)
    # Org-scoped pages that list things: name → URL. Another org's names, emails and ids must not appear.
    web_collections: dict[str, str] = field(default_factory=dict)
    # Routes with no org data, or probed by a dedicated test in the app: name → why.
    web_other: dict[str, str] = field(default_factory=dict)
    # API operations addressing an object by id: "METHOD /api/v1/path/{placeholder}" → JSON body or None.
    api_object: dict[str, dict[str, Any] | None] = field(default_factory=dict)
    # API list operations ("GET /api/v1/…"): another org's ids must not appear in the answer.
    api_collections: set[str] = field(default_factory=set)
    # API operations probed by a dedicated test in the app: operation → why.
    api_other: dict[str, str] = field(default_factory=dict)
    # Placeholder → the id of one of the other org's objects.
    foreign_ids: Callable[[OrgWorld], dict[str, str]] = lambda other: {}
    # What of an org a foreign request could change; compared before and after each probe.
    snapshot: Callable[[OrgWorld], dict[str, Any]] = lambda world: {}
    # Strings of the other org that must not appear in lists (names, emails).
    secrets: Callable[[OrgWorld], list[str]] = lambda other: []

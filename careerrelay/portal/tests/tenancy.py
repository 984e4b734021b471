"""Tenancy probes for the candidate portal: no org session at all; each link is signed for one
person, so the probe is that a link reaches its own person and nobody else."""

from __future__ import annotations

from tests.tenancy import AppProbes

_WHY = "signed for one person; test_a_link_reaches_its_own_person_only and test_a_tampered_link_opens_nothing"

PROBES = AppProbes(
    web_other={
        name: _WHY
        for name in (
            "portal:home",
            "portal:choices",
            "portal:withdraw",
            "portal:wishes",
            "portal:blocks",
            "portal:history",
            "portal:unsubscribe",
            "portal:renew",
            "portal:introduction",
            "portal:job_found",
            "portal:data",
            "portal:erase",
        )
    }
    | {
        name: "signed for one message; test_rescout_links.py: a tampered link opens nothing, a link acts on its own"
        for name in ("portal:rescout_interested", "portal:rescout_profile", "portal:rescout_stop")
    },
)

from __future__ import annotations

import pytest

from careerrelay.integrations.models import Provider
from careerrelay.integrations.services import endpoint_create
from careerrelay.orgs.actors import system_actor
from careerrelay.orgs.tests.factories import OrgWorld


@pytest.fixture
def gh_secret(world: OrgWorld) -> str:
    return endpoint_create(actor=system_actor(world.org), provider=Provider.GREENHOUSE)[1]


@pytest.fixture
def other_gh_secret(other_world: OrgWorld) -> str:
    return endpoint_create(actor=system_actor(other_world.org), provider=Provider.GREENHOUSE)[1]


@pytest.fixture
def lever_secret(world: OrgWorld) -> str:
    token = "lever-signature-token-0123456789"
    endpoint_create(actor=system_actor(world.org), provider=Provider.LEVER, secret=token)
    return token

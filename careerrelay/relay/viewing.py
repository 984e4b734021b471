"""A partner opens a shared profile: what it may see, and a record of the first time each company
did (the relay funnel's "viewed" step, docs/metrics.md)."""

from __future__ import annotations

from django.db import IntegrityError, transaction

from careerrelay.core import clock
from careerrelay.orgs.actors import Actor
from careerrelay.relay.models import ProfileView, SharedProfile
from careerrelay.relay.selectors import partner_profile


def profile_open(*, actor: Actor, profile_id: object) -> SharedProfile:
    """CROSS-ORG: the profile's shown fields (NotFound if the actor's org may not see it). The first
    look by a company other than the one that shared the profile is recorded once; later looks,
    replays and concurrent first looks change nothing."""
    profile = partner_profile(org=actor.org, profile_id=profile_id)
    if profile.org_id == actor.org.pk or ProfileView.objects.filter(profile=profile, viewer_org=actor.org).exists():
        return profile
    try:
        with transaction.atomic():
            view = ProfileView.objects.create(
                org_id=profile.org_id,
                profile=profile,
                network_id=profile.network_id,
                viewer_org=actor.org,
                first_viewed_at=clock.now(),
            )
            actor.audit("relay.profile_viewed", target=view)
    except IntegrityError:  # another request of the same company recorded it first
        pass
    return profile

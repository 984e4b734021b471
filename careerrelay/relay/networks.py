"""Running a network: the operator creates it and invites companies; they join by accepting."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext, gettext_noop, override
from django.utils.translation import gettext as _

from careerrelay.accounts import emails
from careerrelay.accounts.services import public_url
from careerrelay.core import clock
from careerrelay.core.errors import Conflict, DomainValidationError, NotFound
from careerrelay.core.selectors import get_for_org
from careerrelay.core.text import normalize
from careerrelay.orgs.actors import Actor
from careerrelay.orgs.models import Membership, Organization, Role
from careerrelay.relay.models import Network, NetworkMember, Notification, SharedProfile
from careerrelay.relay.sharing import take_down


def notify(to: Organization, message: str, link: str = "", **params: str) -> None:
    """An in-app notice, written in the receiving org's language (`message` is a msgid marked
    with gettext_noop, `params` fill its %(name)s places)."""
    with override(to.default_language or "ja"):
        text = gettext(message) % params if params else gettext(message)
        subject = gettext("[Career Relay] %(text)s") % {"text": text}
        body = text + ("\n\n" + public_url(link) if link else "") + "\n"
    Notification.objects.create(org=to, text=text[:300], link=link)
    # The org's admins hear of it by email too (account mail: it is about their company's work).
    admins = Membership.objects.filter(org=to, role=Role.ADMIN, accepted_at__isnull=False).select_related("user")
    for membership in admins:
        emails.queue(to=membership.user.email, subject=subject[:300], body=body)


@transaction.atomic
def network_create(
    *,
    actor: Actor,
    name: str,
    k: int = 5,
    japan_mode: bool = True,
    first_look_days: int = 0,
    credits_per_hire: int = 1,
    guarantee_days: int = 90,
    credit_expiry_months: int = 12,
) -> Network:
    actor.require(Role.ADMIN)
    if actor.org.kind != Organization.Kind.OPERATOR:
        raise DomainValidationError(_("Only a network operator can run a network."), field="name")
    name = normalize(name)
    if not name:
        raise DomainValidationError(_("Give the network a name."), field="name")
    if not 2 <= k <= 50:
        raise DomainValidationError(_("k must be between 2 and 50."), field="k")
    if japan_mode and not actor.org.placement_licence_number:
        raise DomainValidationError(
            _("In Japan mode the operator needs a paid-placement licence number (有料職業紹介事業許可番号)."),
            field="japan_mode",
        )
    network = Network.objects.create(
        org=actor.org,
        name=name,
        k=k,
        japan_mode=japan_mode,
        first_look_days=first_look_days,
        credits_per_hire=credits_per_hire,
        guarantee_days=guarantee_days,
        credit_expiry_months=credit_expiry_months,
    )
    actor.audit("relay.network_created", target=network, details={"k": k, "japan_mode": japan_mode})
    return network


@transaction.atomic
def member_invite(*, actor: Actor, network_id: Any, org_slug: str, first_look: bool = False) -> NetworkMember:
    actor.require(Role.ADMIN)
    network = get_for_org(Network.objects.all(), org=actor.org, pk=network_id)
    invited = Organization.objects.filter(slug=normalize(org_slug).lower()).first()
    if invited is None or invited.kind == Organization.Kind.OPERATOR:
        raise DomainValidationError(_("No employer or agency with this slug."), field="org_slug")
    member, created = NetworkMember.objects.get_or_create(
        network=network, org=invited, defaults={"first_look": first_look, "invited_at": clock.now()}
    )
    if not created and member.status == NetworkMember.Status.LEFT:
        member.status, member.invited_at, member.joined_at = NetworkMember.Status.INVITED, clock.now(), None
        member.save(update_fields=["status", "invited_at", "joined_at"])
    notify(
        invited,
        gettext_noop("%(operator)s invites you to the network %(network)s."),
        "/relay/",
        operator=actor.org.name,
        network=network.name,
    )
    actor.audit("relay.member_invited", target=network, details={"org": invited.slug})
    return member


def _invitation(actor: Actor, network_id: Any) -> NetworkMember:
    member = NetworkMember.objects.select_for_update().filter(network_id=network_id, org=actor.org).first()
    if member is None:
        raise NotFound()
    return member


@transaction.atomic
def member_accept(*, actor: Actor, network_id: Any) -> NetworkMember:
    actor.require(Role.ADMIN)
    member = _invitation(actor, network_id)
    if member.status != NetworkMember.Status.INVITED:
        raise Conflict(_("There is no open invitation to this network."))
    member.status, member.joined_at = NetworkMember.Status.ACTIVE, clock.now()
    member.save(update_fields=["status", "joined_at"])
    notify(
        member.network.org, gettext_noop("%(org)s joined %(network)s."), org=actor.org.name, network=member.network.name
    )
    actor.audit("relay.member_joined", target=member.network)
    return member


@transaction.atomic
def member_leave(*, actor: Actor, network_id: Any) -> NetworkMember:
    actor.require(Role.ADMIN)
    member = _invitation(actor, network_id)
    member.status = NetworkMember.Status.LEFT
    member.save(update_fields=["status"])
    take_down(SharedProfile.objects.filter(network_id=network_id, org=actor.org).exclude(status="unpublished"))
    actor.audit("relay.member_left", target=member.network)
    return member

from __future__ import annotations

import pytest

from careerrelay.accounts.models import AuditEvent, SystemEmail, User
from careerrelay.core.errors import Conflict, DomainValidationError, NotFound, PermissionDenied
from careerrelay.orgs import services
from careerrelay.orgs.actors import Actor
from careerrelay.orgs.models import ApiKey, Membership, Organization, Role
from careerrelay.orgs.selectors import apikey_lookup, memberships_of_user
from careerrelay.orgs.tests.factories import OrgWorld

pytestmark = pytest.mark.django_db


def _actor(world: OrgWorld, user: User, role: str = Role.ADMIN) -> Actor:
    return Actor(org=world.org, role=role, user=user, ip="192.0.2.1")


def test_an_agency_needs_a_licence_number_and_it_is_normalised(db: None) -> None:
    with pytest.raises(DomainValidationError) as missing:
        services.org_create(slug="agent", name="株式会社エージェント", kind="agency")
    assert missing.value.field == "placement_licence_number"
    agency = services.org_create(
        slug="agent", name="株式会社エージェント", kind="agency", placement_licence_number="１３－ユ－３０００００"
    )
    assert agency.placement_licence_number == "13-ユ-300000"
    assert AuditEvent.objects.filter(org=agency, action="org.created").exists()


@pytest.mark.parametrize("licence", ["13-300000", "1-ユ-300000", "13-ユ-30000", "abc"])
def test_a_malformed_licence_number_is_refused(db: None, licence: str) -> None:
    with pytest.raises(DomainValidationError, match="13-ユ-300000"):
        services.org_create(slug="agent", name="エージェント", kind="agency", placement_licence_number=licence)


def test_an_employer_cannot_claim_a_licence_and_slugs_are_checked(db: None) -> None:
    with pytest.raises(DomainValidationError):
        services.org_create(slug="emp", name="採用企業", kind="employer", placement_licence_number="13-ユ-300000")
    with pytest.raises(DomainValidationError) as bad_slug:
        services.org_create(slug="Not A Slug", name="x", kind="employer")
    assert bad_slug.value.field == "slug"
    services.org_create(slug="emp", name="採用企業", kind="employer")
    with pytest.raises(DomainValidationError, match="すでに使われています"):
        services.org_create(slug="emp", name="別の会社", kind="employer")
    assert Organization.objects.filter(slug="emp").count() == 1


def test_adding_a_new_address_creates_an_account_and_queues_an_invitation(world: OrgWorld) -> None:
    membership = services.membership_add(actor=_actor(world, world.admin), email="Newcomer@Example.JP", role="viewer")
    assert membership.user.email == "newcomer@example.jp"
    assert membership.is_pending
    assert not membership.user.has_usable_password()
    invitation = SystemEmail.objects.get(to="newcomer@example.jp")
    assert world.org.name in invitation.subject
    assert "/password-reset/" in invitation.body
    event = AuditEvent.objects.get(action="member.invited", org=world.org, object_id=str(membership.pk))
    assert event.details == {"role": "viewer"}
    assert event.ip_address == "192.0.2.1"


def test_a_known_person_joins_only_by_accepting(world: OrgWorld, other_world: OrgWorld) -> None:
    outsider = other_world.admin
    membership = services.membership_add(actor=_actor(world, world.admin), email=outsider.email, role="recruiter")
    assert membership.is_pending
    assert world.org not in [m.org for m in memberships_of_user(outsider)]
    mail = SystemEmail.objects.get(to=outsider.email)
    assert "/password-reset/" not in mail.body  # their password is theirs; they sign in and accept
    services.invitation_accept(user=outsider, membership_id=membership.pk)
    assert world.org in [m.org for m in memberships_of_user(outsider)]
    assert AuditEvent.objects.filter(action="member.joined", org=world.org, actor=outsider).exists()


def test_only_the_invited_person_can_answer_an_invitation(world: OrgWorld, other_world: OrgWorld) -> None:
    membership = services.membership_add(actor=_actor(world, world.admin), email=other_world.viewer.email, role="admin")
    with pytest.raises(NotFound):
        services.invitation_accept(user=world.recruiter, membership_id=membership.pk)
    with pytest.raises(NotFound):
        services.invitation_decline(user=other_world.admin, membership_id=membership.pk)
    membership.refresh_from_db()
    assert membership.is_pending
    services.invitation_decline(user=other_world.viewer, membership_id=membership.pk)
    assert not Membership.objects.filter(pk=membership.pk).exists()
    with pytest.raises(NotFound):  # an accepted membership is no invitation
        services.invitation_accept(user=world.recruiter, membership_id=world.membership(world.recruiter).pk)


def test_a_pending_admin_does_not_count_as_the_remaining_admin(world: OrgWorld) -> None:
    admin = _actor(world, world.admin)
    services.membership_add(actor=admin, email="future-admin@example.jp", role="admin")
    with pytest.raises(Conflict):
        services.membership_remove(actor=admin, membership_id=world.membership(world.admin).pk)


def test_only_admins_manage_members_and_keys(world: OrgWorld) -> None:
    recruiter = _actor(world, world.recruiter, Role.RECRUITER)
    with pytest.raises(PermissionDenied):
        services.membership_add(actor=recruiter, email="x@example.jp", role="viewer")
    with pytest.raises(PermissionDenied):
        services.apikey_create(actor=recruiter, name="k")
    assert not User.objects.filter(email="x@example.jp").exists()


def test_the_last_admin_can_be_neither_demoted_nor_removed(world: OrgWorld) -> None:
    admin = _actor(world, world.admin)
    own = world.membership(world.admin)
    with pytest.raises(Conflict):
        services.membership_change_role(actor=admin, membership_id=own.pk, role="viewer")
    with pytest.raises(Conflict):
        services.membership_remove(actor=admin, membership_id=own.pk)
    services.membership_change_role(actor=admin, membership_id=world.membership(world.recruiter).pk, role="admin")
    services.membership_remove(actor=admin, membership_id=own.pk)
    assert not Membership.objects.filter(pk=own.pk).exists()


def test_another_orgs_member_is_not_found(world: OrgWorld, other_world: OrgWorld) -> None:
    foreign = other_world.membership(other_world.recruiter)
    with pytest.raises(NotFound):
        services.membership_change_role(actor=_actor(world, world.admin), membership_id=foreign.pk, role="admin")
    foreign.refresh_from_db()
    assert foreign.role == "recruiter"


def test_api_keys_are_stored_hashed_shown_once_and_revocable(world: OrgWorld) -> None:
    key, plaintext = services.apikey_create(actor=_actor(world, world.admin), name="ATS", role="recruiter")
    secret = plaintext.split("_", 2)[2]
    assert secret not in key.secret_hash
    assert not ApiKey.objects.filter(secret_hash__contains=secret).exists()
    assert apikey_lookup(plaintext) == key
    assert apikey_lookup(plaintext[:-1] + ("A" if plaintext[-1] != "A" else "B")) is None
    services.apikey_revoke(actor=_actor(world, world.admin), key_id=key.pk)
    assert apikey_lookup(plaintext) is None
    assert AuditEvent.objects.filter(action="apikey.revoked", object_id=str(key.pk)).count() == 1

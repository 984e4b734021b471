from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import factory
from factory.django import DjangoModelFactory

from careerrelay.accounts.models import User
from careerrelay.core import clock
from careerrelay.orgs import hooks
from careerrelay.orgs.actors import system_actor
from careerrelay.orgs.models import Membership, Organization, Role
from careerrelay.orgs.services import apikey_create

TEST_PASSWORD = "correct horse battery staple"
FAMILY_NAMES = [
    ("山田", "ヤマダ"),
    ("佐藤", "サトウ"),
    ("鈴木", "スズキ"),
    ("高橋", "タカハシ"),
    ("田中", "タナカ"),
    ("伊藤", "イトウ"),
    ("渡辺", "ワタナベ"),
    ("中村", "ナカムラ"),
]
GIVEN_NAMES = [
    ("花子", "ハナコ"),
    ("太郎", "タロウ"),
    ("美咲", "ミサキ"),
    ("健", "ケン"),
    ("陽菜", "ヒナ"),
    ("翔", "ショウ"),
    ("結衣", "ユイ"),
]


class OrganizationFactory(DjangoModelFactory[Organization]):
    class Meta:
        model = Organization
        django_get_or_create = ("slug",)
        skip_postgeneration_save = True

    slug = factory.Sequence(lambda n: f"org-{n}")
    name = factory.Sequence(lambda n: f"株式会社テスト{n}")
    kind = Organization.Kind.EMPLOYER

    @factory.post_generation
    def defaults(obj: Organization, create: bool, extracted: object, **kwargs: Any) -> None:  # noqa: N805
        """What org_create gives every org (reasons, built-in tags…), as the apps registered it."""
        if create:
            hooks.run_org_initializers(obj)


class UserFactory(DjangoModelFactory[User]):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.jp")
    # 8 family × 7 given names: 56 distinct people before a name repeats.
    family_name = factory.Sequence(lambda n: FAMILY_NAMES[n % len(FAMILY_NAMES)][0])
    family_name_kana = factory.Sequence(lambda n: FAMILY_NAMES[n % len(FAMILY_NAMES)][1])
    given_name = factory.Sequence(lambda n: GIVEN_NAMES[n % len(GIVEN_NAMES)][0])
    given_name_kana = factory.Sequence(lambda n: GIVEN_NAMES[n % len(GIVEN_NAMES)][1])

    @factory.post_generation
    def password(obj: User, create: bool, extracted: str | None, **kwargs: Any) -> None:  # noqa: N805
        obj.set_password(extracted or TEST_PASSWORD)
        if create:
            obj.save(update_fields=["password"])


class MembershipFactory(DjangoModelFactory[Membership]):
    class Meta:
        model = Membership

    org = factory.SubFactory(OrganizationFactory)
    user = factory.SubFactory(UserFactory)
    role = Role.RECRUITER
    accepted_at = factory.LazyFunction(clock.now)


@dataclass
class OrgWorld:
    org: Organization
    admin: User
    recruiter: User
    viewer: User
    admin_key: str
    recruiter_key: str
    viewer_key: str

    def membership(self, user: User) -> Membership:
        return Membership.objects.get(org=self.org, user=user)


def make_org_world(slug: str, **org_fields: object) -> OrgWorld:
    org = OrganizationFactory(slug=slug, name=f"{slug} 株式会社", **org_fields)
    members = {
        role: MembershipFactory(org=org, role=role, user=UserFactory(email=f"{role}@{slug}.example.jp")).user
        for role in Role.values
    }
    keys = {role: apikey_create(actor=system_actor(org), name=f"{role} key", role=role)[1] for role in Role.values}
    return OrgWorld(
        org=org,
        admin=members[Role.ADMIN],
        recruiter=members[Role.RECRUITER],
        viewer=members[Role.VIEWER],
        admin_key=keys[Role.ADMIN],
        recruiter_key=keys[Role.RECRUITER],
        viewer_key=keys[Role.VIEWER],
    )

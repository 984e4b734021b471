import uuid

from django.db import connection
from django.test.utils import CaptureQueriesContext

from careerrelay.orgs.models import Membership, Organization
from careerrelay.orgs.tests.factories import OrgWorld


def test_any_of_finds_what_in_finds(world: OrgWorld, other_world: OrgWorld) -> None:
    orgs = Organization.objects.all()
    ids = [world.org.pk, other_world.org.pk, uuid.uuid4(), None]
    assert set(orgs.filter(pk__any_of=ids)) == set(orgs.filter(pk__in=ids)) == {world.org, other_world.org}
    assert list(orgs.filter(slug__any_of=[world.org.slug, "nobody"])) == [world.org]
    assert list(orgs.filter(pk__any_of=[])) == []
    assert list(orgs.exclude(pk__any_of=[world.org.pk]).filter(pk__any_of=ids)) == [other_world.org]
    # UUIDs as they are (no per-value preparation), and ids written as text (Django's preparation).
    assert set(orgs.filter(pk__any_of=ids[:3])) == set(orgs.filter(pk__any_of=[str(pk) for pk in ids[:3]]))
    assert set(orgs.filter(pk__any_of=ids[:3])) == {world.org, other_world.org}


def test_a_long_list_is_one_short_statement_on_postgresql(world: OrgWorld) -> None:
    ids = [world.org.pk, *(uuid.uuid4() for _ in range(999))]
    with CaptureQueriesContext(connection) as queries:
        assert list(Organization.objects.filter(pk__any_of=ids)) == [world.org]
    sql = queries.captured_queries[-1]["sql"]
    if connection.vendor == "postgresql":
        assert "= ANY(" in sql
        assert "::uuid[]" in sql  # the UUIDs as one array literal, not a thousand dumped values
    else:
        assert " IN (" in sql


def test_any_of_on_a_foreign_key_takes_ids_or_objects(world: OrgWorld, other_world: OrgWorld) -> None:
    mine = set(Membership.objects.filter(org=world.org))
    assert mine
    assert set(Membership.objects.filter(org_id__any_of=[world.org.pk, uuid.uuid4()])) == mine
    assert set(Membership.objects.filter(org__any_of=[world.org])) == mine

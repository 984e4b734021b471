"""Row-level security, the second tenancy layer (PostgreSQL only: SQLite has no such feature, and
the SQLite run keeps the first layer's cross-org probes, tests/test_tenancy_probe.py).

The test database's owner is a superuser and bypasses the policies, as it should (it runs the
migrations); these tests connect as the app role, which does not.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from io import StringIO
from typing import Any

import psycopg
import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test import Client
from django.test.signals import template_rendered

from careerrelay.accounts.models import AuditEvent
from careerrelay.candidates.models import Candidate
from careerrelay.core import tenancy
from careerrelay.core.models import OrgOwnedModel
from careerrelay.core.tenancy_rls import ORGLESS_INSERT_POLICY, POLICY, grant_app_role, install_policies, tenant_tables
from careerrelay.orgs.tests.factories import OrgWorld

pytestmark = pytest.mark.skipif(
    "postgresql" not in settings.DATABASES["default"]["ENGINE"],
    reason="row-level security is a PostgreSQL feature; on SQLite the app-layer probes are the proof",
)

APP_ROLE = "careerrelay_test_app"


def app_dsn() -> dict[str, Any]:
    params = connection.settings_dict
    return {
        "dbname": params["NAME"],
        "host": params["HOST"] or "127.0.0.1",
        "port": params["PORT"] or 5432,
        "user": APP_ROLE,
    }


@pytest.fixture
def app_role(transactional_db: None) -> str:
    grant_app_role(APP_ROLE)
    return APP_ROLE


@pytest.fixture
def as_app(app_role: str) -> Iterator[psycopg.Connection[Any]]:
    with psycopg.connect(**app_dsn(), autocommit=True) as conn:
        yield conn


def scope(conn: psycopg.Connection[Any], *, org: object = "", system: bool = False) -> None:
    conn.execute(
        "SELECT set_config('careerrelay.org', %s, false), set_config('careerrelay.scope', %s, false)",
        [str(org), tenancy.SYSTEM if system else ""],
    )


def candidates_of(world: OrgWorld, n: int) -> list[Candidate]:
    return [
        Candidate.objects.create(org=world.org, family_name=f"{world.org.slug}{i}", email=f"p{i}@{world.org.slug}.jp")
        for i in range(n)
    ]


def orgs_in(conn: psycopg.Connection[Any], table: str) -> set[uuid.UUID]:
    return {row[0] for row in conn.execute(f'SELECT DISTINCT org_id FROM "{table}"').fetchall()}  # noqa: S608


def test_every_table_with_an_org_column_has_rls_and_the_policy(db: None) -> None:
    with connection.cursor() as cursor:
        # From the database itself, so a table the models do not describe is caught too.
        cursor.execute(
            "SELECT table_name FROM information_schema.columns"
            " WHERE column_name = 'org_id' AND table_schema = current_schema()"
        )
        with_org_column = {row[0] for row in cursor.fetchall()}
        cursor.execute(
            "SELECT relname, relrowsecurity, relforcerowsecurity FROM pg_class"
            " WHERE relkind = 'r' AND relnamespace = current_schema()::regnamespace"
        )
        security = {name: (enabled, forced) for name, enabled, forced in cursor.fetchall()}
        cursor.execute("SELECT tablename, policyname FROM pg_policies WHERE schemaname = current_schema()")
        policies: dict[str, set[str]] = {}
        for table, policy in cursor.fetchall():
            policies.setdefault(table, set()).add(policy)
    org_owned = {m._meta.db_table for m in apps.get_models() if issubclass(m, OrgOwnedModel)}
    assert org_owned <= with_org_column
    assert AuditEvent._meta.db_table in with_org_column  # not OrgOwnedModel, but an org column all the same
    assert {t.table for t in tenant_tables()} == with_org_column
    for table in with_org_column:
        assert security[table] == (True, False), table  # enabled, not forced: the owner bypasses
        assert POLICY in policies.get(table, set()), table
    assert ORGLESS_INSERT_POLICY in policies[AuditEvent._meta.db_table]


def test_installing_the_policies_again_changes_nothing(db: None) -> None:
    first = install_policies()
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_policies WHERE schemaname = current_schema()")
        before = cursor.fetchone()
        assert install_policies() == first
        cursor.execute("SELECT count(*) FROM pg_policies WHERE schemaname = current_schema()")
        assert cursor.fetchone() == before


def test_an_unscoped_query_as_the_app_role_returns_only_the_set_orgs_rows(
    world: OrgWorld, other_world: OrgWorld, as_app: psycopg.Connection[Any]
) -> None:
    mine, theirs = candidates_of(world, 3), candidates_of(other_world, 2)
    scope(as_app, org=world.org.pk)
    rows = as_app.execute("SELECT id, org_id FROM candidates_candidate").fetchall()  # deliberately no WHERE
    assert {row[0] for row in rows} == {c.pk for c in mine}
    assert not {row[0] for row in rows} & {c.pk for c in theirs}
    for table in ("orgs_membership", "orgs_apikey", "candidates_rejectionreason", "accounts_auditevent"):
        assert orgs_in(as_app, table) == {world.org.pk}, table


def test_with_no_org_set_every_tenant_table_is_empty(
    world: OrgWorld, other_world: OrgWorld, as_app: psycopg.Connection[Any]
) -> None:
    candidates_of(world, 1)
    scope(as_app)  # what a freshly opened web connection has
    for tenant in tenant_tables():
        count = as_app.execute(f'SELECT count(*) FROM "{tenant.table}"').fetchone()  # noqa: S608
        assert count == (0,), tenant.table
    fresh_rows = 0
    with psycopg.connect(**app_dsn(), autocommit=True) as fresh:  # no setting at all
        fresh_rows = fresh.execute("SELECT count(*) FROM candidates_candidate").fetchone()[0]  # type: ignore[index]
    assert fresh_rows == 0


def test_the_app_role_cannot_write_another_orgs_rows(
    world: OrgWorld, other_world: OrgWorld, as_app: psycopg.Connection[Any]
) -> None:
    (mine,) = candidates_of(world, 1)
    (theirs,) = candidates_of(other_world, 1)
    scope(as_app, org=world.org.pk)
    with pytest.raises(psycopg.errors.InsufficientPrivilege, match="row-level security"):
        as_app.execute(
            "INSERT INTO candidates_tag (id, org_id, code, label_ja, label_en, is_builtin, created_at, updated_at)"
            " VALUES (%s, %s, 'x', 'x', 'x', false, now(), now())",
            [uuid.uuid4(), other_world.org.pk],
        )
    updated = as_app.execute("UPDATE candidates_candidate SET family_name = 'changed' WHERE id = %s", [theirs.pk])
    assert updated.rowcount == 0  # invisible, so untouched
    theirs.refresh_from_db()
    assert theirs.family_name != "changed"
    with pytest.raises(psycopg.errors.InsufficientPrivilege, match="row-level security"):
        as_app.execute("UPDATE candidates_candidate SET org_id = %s WHERE id = %s", [other_world.org.pk, mine.pk])
    deleted = as_app.execute("DELETE FROM candidates_candidate WHERE id = %s", [theirs.pk])
    assert deleted.rowcount == 0
    assert Candidate.objects.filter(pk=theirs.pk).exists()


def test_an_orgless_audit_row_can_be_written_but_is_read_only_in_the_system_scope(
    world: OrgWorld, as_app: psycopg.Connection[Any]
) -> None:
    scope(as_app, org=world.org.pk)
    event_id = uuid.uuid4()
    as_app.execute(
        "INSERT INTO accounts_auditevent (id, action, actor_label, object_type, object_id, object_label, details, at)"
        " VALUES (%s, 'login.failed', '', '', '', '', '{}', now())",
        [event_id],
    )
    assert as_app.execute("SELECT count(*) FROM accounts_auditevent WHERE id = %s", [event_id]).fetchone() == (0,)
    scope(as_app, system=True)
    assert as_app.execute("SELECT count(*) FROM accounts_auditevent WHERE id = %s", [event_id]).fetchone() == (1,)


def test_the_system_scope_sees_every_org(
    world: OrgWorld, other_world: OrgWorld, as_app: psycopg.Connection[Any]
) -> None:
    candidates_of(world, 2)
    candidates_of(other_world, 2)
    scope(as_app, system=True)
    assert orgs_in(as_app, "candidates_candidate") == {world.org.pk, other_world.org.pk}


def test_system_scope_restores_the_previous_org_afterwards(world: OrgWorld) -> None:
    def current() -> tuple[str, str]:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT coalesce(current_setting('careerrelay.org', true), ''),"
                " coalesce(current_setting('careerrelay.scope', true), '')"
            )
            return cursor.fetchone()  # type: ignore[return-value]

    tenancy.use_org(world.org.pk)
    with tenancy.system_scope("test"):
        assert current() == ("", "system")
    assert current() == (str(world.org.pk), "")
    with pytest.raises(RuntimeError), tenancy.system_scope("test"):
        raise RuntimeError("inside")
    assert current() == (str(world.org.pk), "")
    tenancy.clear()
    assert current() == ("", "")


def test_a_request_leaves_no_org_on_its_connection(world: OrgWorld) -> None:
    client = Client()
    client.force_login(world.recruiter)
    during: list[str] = []

    def at_render(sender: object, **kwargs: object) -> None:
        during.append(current_org_setting())

    template_rendered.connect(at_render)
    try:
        response = client.get("/candidates/")
    finally:
        template_rendered.disconnect(at_render)
    assert response.status_code == 200
    assert during and set(during) == {str(world.org.pk)}  # set while the page was drawn
    assert current_org_setting() == ""  # and gone once the request ended: a reused connection is clean


def current_org_setting() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT coalesce(current_setting('careerrelay.org', true), '')")
        return str(cursor.fetchone()[0])  # type: ignore[index]


def test_db_app_role_makes_a_role_that_owns_nothing_and_cannot_bypass_rls(app_role: str) -> None:
    out = StringIO()
    call_command("db_app_role", app_role, stdout=out)  # a second run is harmless
    assert app_role in out.getvalue()
    with connection.cursor() as cursor:
        cursor.execute("SELECT rolsuper, rolbypassrls, rolcanlogin FROM pg_roles WHERE rolname = %s", [app_role])
        assert cursor.fetchone() == (False, False, True)
        cursor.execute("SELECT count(*) FROM pg_tables WHERE tableowner = %s", [app_role])
        assert cursor.fetchone() == (0,)
        cursor.execute(
            "SELECT has_table_privilege(%s, 'candidates_candidate', 'SELECT, INSERT, UPDATE, DELETE')", [app_role]
        )
        assert cursor.fetchone() == (True,)
        cursor.execute("SELECT has_table_privilege(%s, 'candidates_candidate', 'TRUNCATE')", [app_role])
        assert cursor.fetchone() == (False,)
    with pytest.raises(CommandError, match=r"owner|所有者"):
        call_command("db_app_role", connection.settings_dict["USER"])


def test_the_policy_reads_the_settings_once_a_statement_not_once_a_row(as_app: psycopg.Connection[Any]) -> None:
    """The plan reads each setting in an InitPlan (once per statement); a per-row
    current_setting() made the match lists three times slower at 1M candidates (benchmarks/README.md)."""
    scope(as_app, org=uuid.uuid4())
    plan = "\n".join(row[0] for row in as_app.execute("EXPLAIN SELECT id FROM candidates_candidate").fetchall())
    assert "InitPlan" in plan
    row_filters = [line for line in plan.splitlines() if "Filter:" in line]
    assert row_filters and not any("current_setting" in line for line in row_filters), plan

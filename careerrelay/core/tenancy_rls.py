"""Row-level security on every tenant table (PostgreSQL): the second layer of tenancy.

After every `migrate`, every table with an `org_id` column (found from the models, so a new tenant
table is covered without anyone listing it) gets RLS enabled and one policy, recreated each time:
a row is visible and writable only when its org is the connection's `careerrelay.org`, or when
the connection is in the system scope (see core/tenancy.py). A table whose `org_id` may be NULL
(the audit log: logins, password resets) also takes orgless rows from INSERT, but shows them only
in the system scope.

Not FORCE ROW LEVEL SECURITY: the owner (who runs migrations, and the test suite's superuser)
bypasses the policies; the app at run time connects as a role that does not own the tables.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.db import connections
from django.utils.translation import gettext as _

from careerrelay.core.tenancy import ORG_SETTING, SCOPE_SETTING, SYSTEM

POLICY = "careerrelay_tenant"
ORGLESS_INSERT_POLICY = "careerrelay_orgless_insert"
ORG_COLUMN = "org_id"

# Each setting read in a scalar subquery: PostgreSQL then reads it once per statement (an
# InitPlan) instead of calling current_setting() for every row it looks at. Called per row, the
# policy made a job's match list three times slower in the database at 1,000,000 candidates
# (20,000 postings read; benchmarks/README.md, Load).
CONDITION = (
    f"(SELECT current_setting('{SCOPE_SETTING}', true)) = '{SYSTEM}'"
    f" OR {ORG_COLUMN} = (SELECT nullif(current_setting('{ORG_SETTING}', true), '')::uuid)"
)


@dataclass(frozen=True)
class TenantTable:
    table: str
    nullable: bool


def tenant_tables() -> list[TenantTable]:
    """Every concrete, managed model's table with an `org_id` column."""
    found: dict[str, TenantTable] = {}
    for model in apps.get_models(include_auto_created=True):
        meta = model._meta
        if meta.abstract or meta.proxy or not meta.managed:
            continue
        for field in meta.concrete_fields:
            if field.column == ORG_COLUMN:
                found[meta.db_table] = TenantTable(table=meta.db_table, nullable=bool(field.null))
    return sorted(found.values(), key=lambda t: t.table)


def install_policies(using: str = "default") -> list[str]:
    """Enable RLS and (re)create the policies; returns the tables covered. Idempotent."""
    connection = connections[using]
    if connection.vendor != "postgresql":
        return []
    quote = connection.ops.quote_name
    existing = set(connection.introspection.table_names())
    covered = []
    with connection.cursor() as cursor:
        for tenant in tenant_tables():
            if tenant.table not in existing:
                continue
            table = quote(tenant.table)
            cursor.execute(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
            cursor.execute(f"DROP POLICY IF EXISTS {POLICY} ON {table}")
            cursor.execute(f"CREATE POLICY {POLICY} ON {table} USING ({CONDITION}) WITH CHECK ({CONDITION})")
            cursor.execute(f"DROP POLICY IF EXISTS {ORGLESS_INSERT_POLICY} ON {table}")
            if tenant.nullable:
                cursor.execute(
                    f"CREATE POLICY {ORGLESS_INSERT_POLICY} ON {table} FOR INSERT WITH CHECK ({ORG_COLUMN} IS NULL)"
                )
            covered.append(tenant.table)
    return covered


def on_post_migrate(sender: Any, using: str = "default", **kwargs: Any) -> None:
    # post_migrate is sent once per app; the policies cover all apps, so install them once, for
    # the last app with models (by then every table exists). A flush (transactional tests) sends it too.
    with_models = [config for config in apps.get_app_configs() if config.models_module is not None]
    if sender is not None and with_models and sender.label != with_models[-1].label:
        return
    install_policies(using)


def grant_app_role(name: str, *, password: str | None = None, using: str = "default") -> None:
    """Create the app's login role if it is missing (no superuser, no BYPASSRLS, owns nothing) and
    grant it row access to every table and sequence of the schema, now and for tables that later
    migrations create. Run as the owner of the tables."""
    if not name.replace("_", "").isalnum() or not name[:1].isalpha():
        raise ValueError(_("A role name is letters, digits and underscores, starting with a letter."))
    connection = connections[using]
    role = connection.ops.quote_name(name)
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_user, current_database(), current_schema()")
        owner, database, schema = cursor.fetchone()
        if owner == name:
            raise ValueError(_("The app role must not be the owner that runs the migrations."))
        cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [name])
        if cursor.fetchone() is None:
            cursor.execute(f"CREATE ROLE {role} LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE")
        else:
            cursor.execute(f"ALTER ROLE {role} LOGIN NOSUPERUSER NOBYPASSRLS")
        if password is not None:
            cursor.execute(f"ALTER ROLE {role} PASSWORD %s", [password])
        quoted_schema, quoted_owner = connection.ops.quote_name(schema), connection.ops.quote_name(owner)
        cursor.execute(f"GRANT CONNECT ON DATABASE {connection.ops.quote_name(database)} TO {role}")
        cursor.execute(f"GRANT USAGE ON SCHEMA {quoted_schema} TO {role}")
        cursor.execute(f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {quoted_schema} TO {role}")
        cursor.execute(f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {quoted_schema} TO {role}")
        cursor.execute(
            f"ALTER DEFAULT PRIVILEGES FOR ROLE {quoted_owner} IN SCHEMA {quoted_schema}"
            f" GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {role}"
        )
        cursor.execute(
            f"ALTER DEFAULT PRIVILEGES FOR ROLE {quoted_owner} IN SCHEMA {quoted_schema}"
            f" GRANT USAGE, SELECT ON SEQUENCES TO {role}"
        )

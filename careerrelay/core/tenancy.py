"""The database side of tenancy: which org a PostgreSQL connection may see (row-level security).

Every table with an `org_id` column has a policy (core/tenancy_rls.py) that shows a row only when
its org is the connection's `careerrelay.org` setting, or when `careerrelay.scope` is `system`.
The app at run time connects as a role that does not own the tables, so the policy applies to it;
the owner (migrations, the test suite's superuser) bypasses it.

Django runs in autocommit, so a `SET LOCAL` would last one statement. The org is therefore a
session setting (`set_config(…, false)`) that lives exactly as long as one request:
`TenantScopeMiddleware` clears it when the request ends, and the middlewares that learn the org
(`CurrentOrgMiddleware`, `ApiMiddleware`, the portal's token check, the webhook service) set it.
A connection that was just opened has no org and sees nothing.

`system_scope(reason)` is the one explicit way to read across orgs (login before an org is known,
the relay's partner views, the worker, management commands). Keep each use small and commented
`CROSS-ORG: why`.

On SQLite all of this is a no-op: the first layer (selectors taking `org=`) is the only one there.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import wraps
from typing import Any
from uuid import UUID

from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse

ORG_SETTING = "careerrelay.org"
SCOPE_SETTING = "careerrelay.scope"
SYSTEM = "system"

# The scope a connection gets when it is opened: "" (nothing) for the web server, "system" for
# the worker and management commands (set once by the `careerrelay` entry point).
_process_scope = ""


def _enabled() -> bool:
    return connection.vendor == "postgresql"


def _apply(org: str, scope: str) -> tuple[str, str]:
    """Set both settings for the session; return what they were before (one round trip: the CTE
    is read before the new values are written)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "WITH prev AS MATERIALIZED (SELECT coalesce(current_setting(%s, true), '') AS org,"
            " coalesce(current_setting(%s, true), '') AS scope)"
            " SELECT prev.org, prev.scope, set_config(%s, %s, false), set_config(%s, %s, false) FROM prev",
            [ORG_SETTING, SCOPE_SETTING, ORG_SETTING, org, SCOPE_SETTING, scope],
        )
        row = cursor.fetchone()
    return (str(row[0]), str(row[1])) if row else ("", "")


def _restore(previous: tuple[str, str]) -> None:
    try:
        _apply(*previous)
    except DatabaseError:
        # Only possible inside a transaction that already failed: its rollback restores the
        # settings to what they were before it, so the original error is the one to report.
        if not connection.in_atomic_block:
            raise


def use_org(org_id: UUID | str | None) -> None:
    """From now until the request ends (or `clear()`), this connection sees only this org."""
    if _enabled():
        _apply(str(org_id) if org_id else "", "")


def clear() -> None:
    """Back to the process's default scope: nothing for the web server."""
    if _enabled():
        _apply("", _process_scope)


@contextmanager
def system_scope(reason: str) -> Iterator[None]:
    """CROSS-ORG: see every org's rows inside the block; the previous scope is restored after.

    `reason` says why (it documents the call site; keep the block as small as the read)."""
    if not _enabled():
        yield
        return
    previous = _apply("", SYSTEM)
    try:
        yield
    finally:
        _restore(previous)


@contextmanager
def org_scope(org_id: UUID | str) -> Iterator[None]:
    """Only this org's rows inside the block (e.g. a webhook once its org is known)."""
    if not _enabled():
        yield
        return
    previous = _apply(str(org_id), "")
    try:
        yield
    finally:
        _restore(previous)


def run_as_system_process() -> None:
    """The worker and management commands read across orgs by nature: every connection this
    process opens starts in the system scope. Not for `serve`."""
    global _process_scope
    _process_scope = SYSTEM
    if connection.connection is not None and _enabled():
        clear()


WEB_COMMANDS = frozenset({"serve", "runserver"})


def scope_for_command(command: str | None) -> None:
    """Called by the `careerrelay` entry point and manage.py: every command but the web server
    runs in the system scope (the worker's jobs and the operator's commands span orgs)."""
    if command not in WEB_COMMANDS:
        run_as_system_process()


def on_connection_created(sender: Any, connection: Any, **kwargs: Any) -> None:
    """A new connection starts with no org; in a system process, in the system scope."""
    if connection.vendor == "postgresql" and _process_scope:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT set_config(%s, '', false), set_config(%s, %s, false)",
                [ORG_SETTING, SCOPE_SETTING, _process_scope],
            )


class TenantScopeMiddleware:
    """Outermost: whatever a request set on its connection is cleared when it ends, so a reused
    connection never carries the previous request's org."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            return self.get_response(request)
        finally:
            if connection.connection is not None and _enabled():
                try:
                    clear()
                except DatabaseError:
                    connection.close()  # a broken connection is not reused with a stale org


def cross_org(reason: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """CROSS-ORG: run the decorated view, route or hook in `system_scope(reason)`. For code whose
    reads span orgs by design (the relay); its own selectors still take `org=` and check it."""

    def decorate(function: Callable[..., Any]) -> Callable[..., Any]:
        @wraps(function)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            with system_scope(reason):
                return function(*args, **kwargs)

        return wrapper

    return decorate

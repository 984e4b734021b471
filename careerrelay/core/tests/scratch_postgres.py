"""PostgreSQL databases of a drill's own (created, copied, dropped) on the server the drills use
(CAREERRELAY_DRILL_POSTGRES, by default the local one): the fault drills run real processes
against a database outside the test transaction."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator

SERVER = os.environ.get("CAREERRELAY_DRILL_POSTGRES", "postgres://postgres@127.0.0.1:5432/postgres")


def admin(sql: str) -> None:
    import psycopg

    with psycopg.connect(SERVER, autocommit=True) as connection:
        connection.execute(sql)


def url_of(name: str) -> str:
    return SERVER.rsplit("/", 1)[0] + "/" + name


def create(name: str, *, template: str | None = None) -> str:
    """A new database (empty, or a copy of `template`); one of the same name is dropped first."""
    drop(name)
    admin(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else ""))
    return url_of(name)


def drop(name: str) -> None:
    admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextlib.contextmanager
def postgres_database(name: str) -> Iterator[str]:
    """A database of the drill's own, created empty and dropped afterwards."""
    try:
        yield create(name)
    finally:
        drop(name)

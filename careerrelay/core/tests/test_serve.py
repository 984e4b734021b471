from __future__ import annotations

import pytest
from django.db import connection

from careerrelay.core.management.commands.serve import default_workers, serial_queries


def test_the_web_server_asks_postgresql_for_plans_without_parallel_workers() -> None:
    database = {"ENGINE": "django.db.backends.postgresql", "OPTIONS": {"options": "-c jit=off"}}
    serial_queries(database)
    serial_queries(database)  # once only, however often it is asked
    assert database["OPTIONS"] == {"options": "-c jit=off -c max_parallel_workers_per_gather=0"}


def test_sqlite_connections_are_left_as_they_are() -> None:
    database = {"ENGINE": "django.db.backends.sqlite3", "OPTIONS": {"timeout": 20}}
    serial_queries(database)
    assert database == {"ENGINE": "django.db.backends.sqlite3", "OPTIONS": {"timeout": 20}}


@pytest.mark.skipif(connection.vendor != "postgresql", reason="a PostgreSQL setting")
@pytest.mark.django_db
def test_a_connection_opened_with_those_options_runs_without_parallel_workers() -> None:
    web = connection.copy()
    serial_queries(web.settings_dict)
    try:
        with web.cursor() as cursor:
            cursor.execute("SHOW max_parallel_workers_per_gather")
            assert cursor.fetchone() == ("0",)
            cursor.execute("SHOW jit")
            assert cursor.fetchone() == ("off",)
    finally:
        web.close()
    with connection.cursor() as cursor:
        cursor.execute("SHOW max_parallel_workers_per_gather")
        assert cursor.fetchone() != ("0",)  # the other processes keep the server's default


@pytest.mark.parametrize(("cpus", "workers"), [(None, 2), (1, 2), (2, 4), (3, 6), (64, 8)])
def test_the_server_runs_two_processes_a_cpu_within_bounds(
    monkeypatch: pytest.MonkeyPatch, cpus: int | None, workers: int
) -> None:
    monkeypatch.setattr("os.cpu_count", lambda: cpus)
    assert default_workers() == workers


@pytest.mark.skipif(connection.vendor != "postgresql", reason="a PostgreSQL setting")
@pytest.mark.django_db
def test_every_postgresql_connection_prices_random_reads_as_on_ssd() -> None:
    # At the server's default (4, for spinning disks) the pool's newest-first scan of one
    # prefecture lost to reading all of it out of order and sorting (730 against 3 ms, config/settings.py).
    with connection.cursor() as cursor:
        cursor.execute("SHOW random_page_cost")
        assert cursor.fetchone() == ("1.1",)
        cursor.execute("SHOW jit")
        assert cursor.fetchone() == ("off",)

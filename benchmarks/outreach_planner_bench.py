"""The re-scout planner tick: its cost must follow the number of due schedule rows, not the pool.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_outreach python benchmarks/outreach_planner_bench.py \
        --pool 1000000 --pool 100000 --due 10000

For each pool size: empties the bench database's pool tables, writes N rejected applications
(people, applications and their two schedule rows per the default rule, +6 and +12 months) with
SQL, of which `--due` have their first step due now and re-contact consent, then times one
`compose_rescout_messages` tick (which queues one message per due row).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

_DEFAULTS = {
    "character varying": "''",
    "text": "''",
    "jsonb": "'[]'::jsonb",
    "boolean": "false",
    "smallint": "0",
    "integer": "0",
    "timestamp with time zone": "now()",
}


def _fill(cursor: object, table: str, count: int, values: dict[str, str]) -> None:
    """INSERT `count` rows from generate_series (g = 1…count); columns not given get a neutral
    value of their type."""
    cursor.execute(  # type: ignore[attr-defined]
        "SELECT column_name, data_type FROM information_schema.columns WHERE table_name = %s AND is_nullable = 'NO'",
        [table],
    )
    columns = dict(values)
    for name, data_type in cursor.fetchall():  # type: ignore[attr-defined]
        if name not in columns:
            columns[name] = _DEFAULTS[data_type]
    names = ", ".join(columns)
    exprs = ", ".join(columns.values())
    sql = f"INSERT INTO {table} ({names}) SELECT {exprs} FROM generate_series(1, {count}) AS g"  # noqa: S608
    cursor.execute(sql)  # type: ignore[attr-defined]


def _build(org_id: str, rule_id: str, pool: int, due: int, at: str) -> None:
    from django.db import connection, transaction

    uid = "md5('{}' || g)::uuid"
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE candidates_candidate, outreach_scheduledmessage, outreach_rescoutschedule, "
            "consent_consentevent, candidates_application CASCADE"
        )
        org = f"'{org_id}'::uuid"
        # Rejected 6 months and a day before the tick for the due ones, less than 6 months before it for
        # the rest (relative to the tick's instant, not the wall clock: the bench runs on any date).
        tick = f"'{at}'::timestamptz"
        due_closed = f"{tick} - interval '6 months 1 day'"
        closed = f"CASE WHEN g <= {due} THEN {due_closed} ELSE {tick} - (g % 170) * interval '1 day' END"
        _fill(
            cursor,
            "candidates_candidate",
            pool,
            {"id": uid.format("c"), "org_id": org, "family_name": "'試験'", "email": "'p' || g || '@bench.example.jp'"},
        )
        _fill(
            cursor,
            "candidates_application",
            pool,
            {
                "id": uid.format("a"),
                "org_id": org,
                "candidate_id": uid.format("c"),
                "status": "'rejected'",
                "applied_at": f"{closed} - interval '30 days'",
                "closed_at": closed,
                "rescout_eligible": "true",
            },
        )
        for step, months in ((1, 6), (2, 12)):
            _fill(
                cursor,
                "outreach_rescoutschedule",
                pool,
                {
                    "id": uid.format(f"s{step}"),
                    "org_id": org,
                    "rule_id": f"'{rule_id}'::uuid",
                    "candidate_id": uid.format("c"),
                    "application_id": uid.format("a"),
                    "step": str(step),
                    "due_at": f"{closed} + interval '{months} months'",
                    "state": "'pending'",
                },
            )
        _fill(
            cursor,
            "consent_consentevent",
            due,
            {
                "id": uid.format("e"),
                "org_id": org,
                "candidate_id": uid.format("c"),
                "purpose": "'recontact'",
                "kind": "'granted'",
                "language": "'ja'",
                "channel": "'portal'",
                "occurred_at": f"{tick} - interval '200 days'",
                "expires_at": f"{tick} + interval '2 years'",
            },
        )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def _postgres_cpu() -> float:
    """CPU seconds used so far by every PostgreSQL process on this host, and by the backends that
    have exited (their parent's cutime/cstime): the tick uses a connection per thread, each with
    a backend of its own. On a quiet machine that is the tick's server side; with the process's
    own CPU time, a figure the machine's load barely moves, unlike the wall time."""
    from benchmarks.load.cpu import cpu_seconds

    postgres = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            if "(postgres)" in stat.read_text():
                postgres.append(int(stat.parent.name))
        except OSError:
            continue
    return cpu_seconds(postgres, exited_children=True)


def _reset() -> None:
    """Undo a previous tick on the pool already built (its messages and schedule states)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE outreach_rescoutschedule SET state = 'pending', skip_reason = '', message_id = NULL"
            " WHERE state <> 'pending'"
        )
        cursor.execute("DELETE FROM outreach_scheduledmessage")
        cursor.execute("VACUUM ANALYZE outreach_scheduledmessage")
        cursor.execute("VACUUM ANALYZE outreach_rescoutschedule")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--pool", type=int, action="append", required=True)
    parser.add_argument("--due", type=int, default=10_000)
    parser.add_argument("--reuse", action="store_true", help="keep the pool already built (one --pool only)")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from careerrelay.candidates.defaults import install_defaults
    from careerrelay.core import clock
    from careerrelay.orgs.models import Organization
    from careerrelay.outreach.defaults import install_default_templates
    from careerrelay.outreach.models import RescoutRule, ScheduledMessage
    from careerrelay.outreach.planner import compose_rescout_messages

    org, _created = Organization.objects.get_or_create(
        slug="bench-planner", defaults={"name": "ベンチ株式会社", "kind": "employer"}
    )
    install_defaults(org)
    install_default_templates(org)
    rule = RescoutRule.objects.filter(org=org).first()
    assert rule is not None
    # Business hours JST on a weekday, so the queued messages are due at once.
    at = clock.parse_instant("2026-11-25T11:00:00+09:00")
    from django.urls import reverse

    from careerrelay.core.business_days import is_business_day

    # A running worker has its URLconf and the holiday calendar loaded already.
    reverse("portal:home", kwargs={"token": "warm-up"})
    is_business_day(at.date())
    results = []
    for pool in args.pool:
        started = time.perf_counter()
        if args.reuse:
            _reset()
        else:
            with clock.frozen_at(at):
                _build(str(org.pk), str(rule.pk), pool, args.due, at.isoformat())
        built = time.perf_counter() - started
        server_before, started, cpu_before = _postgres_cpu(), time.perf_counter(), time.process_time()
        with clock.frozen_at(at):
            queued = compose_rescout_messages(at)
        tick, cpu = time.perf_counter() - started, time.process_time() - cpu_before
        server = f"{_postgres_cpu() - server_before:.2f} s"
        assert queued == ScheduledMessage.objects.filter(org=org).count() == args.due, queued
        results.append((pool, tick))
        print(
            f"pool {pool:,} rejected applications, {args.due:,} due: tick {tick:.2f} s"
            f" (CPU: this process {cpu:.2f} s, PostgreSQL {server}; data: {built:.0f} s)"
        )
    if len(results) > 1:
        print(f"ratio largest/smallest pool: {results[0][1] / results[-1][1]:.2f}")


if __name__ == "__main__":
    main()

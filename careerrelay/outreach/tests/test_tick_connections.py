"""On PostgreSQL the worker's tick composes on two connections side by side; it must queue
exactly what composing one chunk after another queues, with the worker's pinned clock."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta

import pytest
from django.db import connection

from careerrelay.accounts.models import AuditEvent
from careerrelay.core import clock
from careerrelay.core.clock import JST
from careerrelay.outreach import planner
from careerrelay.outreach.models import MessageKind, RescoutSchedule, ScheduledMessage
from careerrelay.outreach.tests.rescout_helpers import rejected

REJECTED_AT = datetime(2026, 1, 14, 10, 0, tzinfo=JST)
TICK = datetime(2026, 7, 15, 11, 0, tzinfo=JST)  # step 1 (+6 months) is due, step 2 is not

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="the threaded tick is PostgreSQL's")


@pytest.mark.django_db(transaction=True)
def test_two_connections_queue_each_due_step_exactly_once(world, monkeypatch) -> None:
    people = [rejected(world, REJECTED_AT + timedelta(minutes=n)).candidate_id for n in range(9)]
    silent = rejected(world, REJECTED_AT, consent=False).candidate_id
    threads: set[str] = set()
    compose_chunks = planner._compose_chunks

    def recording(at: datetime, chunk: int, tick: object) -> int:
        threads.add(threading.current_thread().name)
        return compose_chunks(at, chunk, tick)

    monkeypatch.setattr(planner, "_compose_chunks", recording)
    with clock.frozen_at(TICK):
        queued = planner.compose_rescout_messages(TICK, chunk=2)

    assert queued == 9
    assert len(threads) == planner.TICK_CONNECTIONS and not any(name == "MainThread" for name in threads)
    messages = ScheduledMessage.objects.filter(org=world.org)
    assert sorted(messages.values_list("candidate_id", flat=True)) == sorted(people)
    assert messages.values("idempotency_key").distinct().count() == 9
    steps = RescoutSchedule.objects.filter(org=world.org, step=1)
    assert set(steps.values_list("candidate_id", "state")) == {
        *((person, RescoutSchedule.State.QUEUED) for person in people),
        (silent, RescoutSchedule.State.SKIPPED),
    }
    # The threads kept the worker's pinned clock (its --now): the audit says when it ran.
    audits = AuditEvent.objects.filter(org=world.org, action="rescout.queued")
    assert audits.exists() and set(audits.values_list("at", flat=True)) == {TICK}
    # A second tick finds nothing left to do, on its own connection: an idle worker opens none.
    threads.clear()
    with clock.frozen_at(TICK):
        assert planner.compose_rescout_messages(TICK, chunk=2) == 0
    assert threads == set()


@pytest.mark.django_db
def test_a_long_message_body_is_stored_lz4_compressed_where_the_server_has_lz4(world) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 'lz4' = ANY(enumvals) FROM pg_settings WHERE name = 'default_toast_compression'")
        has_lz4 = cursor.fetchone()[0]
    person = rejected(world, REJECTED_AT).candidate
    message = ScheduledMessage.objects.create(
        org=world.org,
        candidate=person,
        kind=MessageKind.RESCOUT_FIRST,
        idempotency_key="lz4-check",
        due_at=TICK,
        to_email=person.email,
        language="ja",
        subject="ご無沙汰しております",
        body="新しい求人のご案内です。\n" * 400,
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_column_compression(body) FROM outreach_scheduledmessage WHERE id = %s", [message.pk])
        assert cursor.fetchone()[0] == ("lz4" if has_lz4 else "pglz")
    message.refresh_from_db()
    assert message.body == "新しい求人のご案内です。\n" * 400

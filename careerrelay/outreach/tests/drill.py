"""Crash drills for the outbox, shared by the test suite and benchmarks/: a database of its own
(an SQLite file or a PostgreSQL database), real `careerrelay worker` processes, a real SMTP sink
(aiosmtpd) in a thread, and `kill -9` at random points while they send.

`python -m careerrelay.outreach.tests.drill seed N` and `… summary` run inside that database's
environment (DATABASE_URL), so the drill never touches the test suite's own database."""

from __future__ import annotations

import contextlib
import json
import os
import random
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller

ROOT = Path(__file__).resolve().parents[3]
CAREERRELAY = str(Path(sys.executable).parent / "careerrelay")


class Sink:
    """Counts every recipient it is asked to deliver to (an SMTP server that keeps nothing else)."""

    def __init__(self) -> None:
        self.received: Counter[str] = Counter()
        self._lock = threading.Lock()

    async def handle_DATA(self, server: object, session: object, envelope: Any) -> str:  # noqa: N802
        with self._lock:
            for recipient in envelope.rcpt_tos:
                self.received[recipient] += 1
        return "250 OK"

    def total(self) -> int:
        with self._lock:
            return sum(self.received.values())


@dataclass
class Drill:
    database_url: str
    port: int = 0
    sink: Sink = field(default_factory=Sink)
    controller: Controller | None = None

    def env(self) -> dict[str, str]:
        return {
            **os.environ,
            "DATABASE_URL": self.database_url,
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "EMAIL_URL": f"smtp://127.0.0.1:{self.port}",
            "CAREERRELAY_DB_CONN_MAX_AGE": "0",
        }

    def start_sink(self) -> None:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = int(probe.getsockname()[1])
        self.controller = Controller(self.sink, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop_sink(self) -> None:
        if self.controller is not None:
            self.controller.stop()

    def run(self, *args: str) -> str:
        done = subprocess.run(args, env=self.env(), cwd=ROOT, capture_output=True, text=True, timeout=600)
        if done.returncode != 0:
            raise RuntimeError(f"{args} failed: {done.stderr[-3000:]}")
        return done.stdout

    def migrate(self) -> None:
        self.run(CAREERRELAY, "migrate", "--no-input", "-v0")

    def seed(self, count: int) -> None:
        self.run(sys.executable, "-m", "careerrelay.outreach.tests.drill", "seed", str(count))

    def summary(self) -> dict[str, int]:
        return dict(json.loads(self.run(sys.executable, "-m", "careerrelay.outreach.tests.drill", "summary")))

    def sent_recipients(self) -> list[str]:
        return list(json.loads(self.run(sys.executable, "-m", "careerrelay.outreach.tests.drill", "sent")))

    def worker(self) -> subprocess.Popen[bytes]:
        return subprocess.Popen(
            [CAREERRELAY, "worker", "--tick", "0"],
            env=self.env(),
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )

    def kill_while_sending(self, rounds: int, *, seed: int = 7) -> int:
        """Start a worker, wait until it has sent something, kill -9 it at a random moment; repeat.
        Returns how many workers were killed while the sink was still receiving."""
        rng = random.Random(seed)
        killed = 0
        for _round in range(rounds):
            before = self.sink.total()
            process = self.worker()
            deadline = time.monotonic() + 60
            while self.sink.total() == before and process.poll() is None and time.monotonic() < deadline:
                time.sleep(0.005)
            time.sleep(rng.uniform(0, 0.15))
            if process.poll() is None:
                process.send_signal(signal.SIGKILL)
                killed += 1
            process.wait()
        return killed

    def finish(self) -> None:
        """After the lease: what a killed worker left `sending` becomes uncertain, what it had
        only claimed is sent by a last worker tick."""
        from datetime import UTC, datetime

        later = (datetime.now(UTC) + timedelta(minutes=11)).isoformat()
        self.run(CAREERRELAY, "worker", "--once", "--now", later)


def drill_database_name(tag: str) -> str:
    """Named after the database DATABASE_URL names (a PostgreSQL URL), so two checkouts' suites on
    one server do not drop each other's drill databases."""
    url = os.environ.get("DATABASE_URL", "")
    prefix = url.rsplit("/", 1)[-1].split("?")[0] if url.startswith("postgres") else "wt_outreach"
    return f"{prefix}_drill_{tag}_{os.getpid()}"


@contextlib.contextmanager
def running_drill(database_url: str) -> Iterator[Drill]:
    """A drill on `database_url`, migrated, with its SMTP sink listening until the block ends."""
    drill = Drill(database_url=database_url)
    drill.start_sink()
    try:
        drill.migrate()
        yield drill
    finally:
        drill.stop_sink()


def seed_messages(count: int) -> None:
    from careerrelay.candidates.models import Candidate
    from careerrelay.core import clock
    from careerrelay.orgs.models import Organization
    from careerrelay.outreach.models import MessageKind, ScheduledMessage

    now = clock.now()
    org, _created = Organization.objects.get_or_create(
        slug="drill", defaults={"name": "ドリル株式会社", "kind": "employer"}
    )
    start = ScheduledMessage.objects.filter(org=org).count()
    people = [
        Candidate(org=org, family_name="試験", given_name=f"{n}", email=f"p{n}@drill.example.jp")
        for n in range(start, start + count)
    ]
    Candidate.objects.bulk_create(people, batch_size=1000)
    ScheduledMessage.objects.bulk_create(
        [
            ScheduledMessage(
                org=org,
                candidate=person,
                kind=MessageKind.REJECTION,
                idempotency_key=f"drill:{person.email}",
                due_at=now - timedelta(seconds=1),
                to_email=person.email,
                language="ja",
                subject="選考結果のご連絡",
                body="本文です。\n" * 20,
            )
            for person in people
        ],
        batch_size=1000,
    )


CAP_DRILL_AT = "2026-11-25T11:00:00+09:00"  # a Wednesday inside the default send window


def seed_capped_pairs(people: int, batch: int = 200) -> None:
    """Two capped messages (re-scout steps 1 and 2) per person, ordered so that a person's two
    messages fall into two consecutive claimed batches (the dispatcher's `batch`): workers running
    side by side claim them at the same moment."""
    from careerrelay.candidates.models import Candidate
    from careerrelay.core import clock
    from careerrelay.orgs.models import Organization
    from careerrelay.outreach.models import MessageKind, ScheduledMessage

    at = clock.parse_instant(CAP_DRILL_AT)
    org, _created = Organization.objects.get_or_create(
        slug="drill-cap", defaults={"name": "ドリル株式会社", "kind": "employer"}
    )
    persons = Candidate.objects.bulk_create(
        [
            Candidate(org=org, family_name="試験", given_name=f"{n}", email=f"c{n}@drill.example.jp")
            for n in range(people)
        ]
    )
    messages = []
    for n, person in enumerate(persons):
        block, offset = divmod(n, batch)
        for step, kind in ((0, MessageKind.RESCOUT_FIRST), (1, MessageKind.RESCOUT_LATER)):
            position = (2 * block + step) * batch + offset
            messages.append(
                ScheduledMessage(
                    org=org,
                    candidate=person,
                    kind=kind,
                    idempotency_key=f"drill-cap:{person.email}:{step}",
                    due_at=at - timedelta(hours=1) + timedelta(milliseconds=position),
                    to_email=person.email,
                    language="ja",
                    subject="再スカウトのご案内",
                    body="本文です。\n" * 20,
                )
            )
    ScheduledMessage.objects.bulk_create(messages, batch_size=1000)


def main(argv: list[str]) -> None:
    import django

    django.setup()
    from django.db.models import Count

    from careerrelay.outreach.models import ScheduledMessage

    if argv[0] == "seed":
        seed_messages(int(argv[1]))
    elif argv[0] == "seed-capped":
        seed_capped_pairs(int(argv[1]))
    elif argv[0] == "summary":
        rows = ScheduledMessage.objects.values("status").annotate(n=Count("id"))
        print(json.dumps({row["status"]: row["n"] for row in rows}))
    elif argv[0] == "sent":
        print(json.dumps(list(ScheduledMessage.objects.filter(status="sent").values_list("to_email", flat=True))))


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    main(sys.argv[1:])

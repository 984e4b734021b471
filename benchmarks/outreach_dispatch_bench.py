"""Dispatch throughput: our outbox (one worker) against django-post-office's `send_queued_mail`, on the
same database and the same local SMTP sink (aiosmtpd in another process), in one run, both sending
the same mails (same people, sender, Subject, body, List-Unsubscribe and List-Unsubscribe-Post).

    pip install -e '.[dev,bench]'
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_outreach python benchmarks/outreach_dispatch_bench.py 5000
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.load.cpu import cpu_seconds  # noqa: E402 - needs the path above


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _sink(port: int) -> subprocess.Popen[bytes]:
    """aiosmtpd's own Sink handler: accepts every message and keeps nothing."""
    process = subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
        [sys.executable, "-m", "aiosmtpd", "-n", "-l", f"127.0.0.1:{port}", "-c", "aiosmtpd.handlers.Sink"]
    )
    for _attempt in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return process
        except OSError:
            time.sleep(0.1)
    raise RuntimeError("the SMTP sink did not start")


def _vacuum(*tables: str) -> None:
    """Each tool starts on a table without the dead rows of earlier runs (every send rewrites its
    row, and runs follow each other faster than autovacuum): PostgreSQL only."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"VACUUM ANALYZE {table}")


def _sink_capacity(port: int, count: int, connections: int) -> float:
    """The sink's own ceiling: a bare smtplib loop (no database, no rendering), `connections`
    sessions side by side, messages of the same size as the benchmark's."""
    import smtplib
    from concurrent.futures import ThreadPoolExecutor
    from email.message import EmailMessage

    mail = EmailMessage()
    mail["From"], mail["To"] = "noreply@careerrelay.localhost", "p@drill.example.jp"
    mail["Subject"] = "選考結果のご連絡"
    mail.set_content("本文です。\n" * 20)
    raw = mail.as_bytes()

    def share(n: int) -> None:
        with smtplib.SMTP("127.0.0.1", port) as smtp:
            for _ in range(n):
                smtp.sendmail("noreply@careerrelay.localhost", ["p@drill.example.jp"], raw)

    started = time.perf_counter()
    with ThreadPoolExecutor(connections) as pool:
        list(pool.map(share, [count // connections] * connections))
    return (count // connections * connections) / (time.perf_counter() - started)


def _same_mails(count: int) -> list[dict[str, object]]:
    """The mails our dispatcher just sent, queued in django-post-office: the same people, Subject,
    body and sender (the org's name in Japanese), and the same List-Unsubscribe (a signed link per
    person) and List-Unsubscribe-Post headers, so both tools hand the sink the same message. The
    links are signed here, before the timing; ours are signed while sending, inside it."""
    from email.utils import parseaddr

    from django.conf import settings
    from django.urls import reverse

    from careerrelay.accounts.services import public_url
    from careerrelay.consent.policy import org_display_name
    from careerrelay.consent.tokens import portal_token
    from careerrelay.outreach.models import ScheduledMessage

    sender = parseaddr(settings.DEFAULT_FROM_EMAIL)[1]
    sent = ScheduledMessage.objects.filter(org__slug="drill").select_related("candidate", "org")
    mails = []
    for message in sent.order_by("to_email")[:count]:
        unsubscribe = public_url(reverse("portal:unsubscribe", kwargs={"token": portal_token(message.candidate)}))
        mails.append(
            {
                "recipients": [message.to_email],
                "sender": f"{org_display_name(message.org, message.language)} <{sender}>",
                "subject": message.subject,
                "message": message.body,
                "headers": {
                    "List-Unsubscribe": f"<{unsubscribe}>",
                    "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
                },
            }
        )
    assert len(mails) == count
    return mails


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("count", type=int)
    args = parser.parse_args()
    port = _free_port()
    os.environ["EMAIL_URL"] = f"smtp://127.0.0.1:{port}"
    os.environ["DJANGO_SETTINGS_MODULE"] = "benchmarks.outreach_settings"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from django.db import connection
    from django.urls import reverse
    from post_office import mail
    from post_office.models import Email

    from careerrelay.core import clock
    from careerrelay.orgs.models import Organization
    from careerrelay.outreach.dispatch import dispatch_due
    from careerrelay.outreach.models import ScheduledMessage
    from careerrelay.outreach.tests.drill import seed_messages

    sink = _sink(port)
    try:
        capacity = {n: _sink_capacity(port, min(args.count, 2000), n) for n in (1, 4)}
        Organization.objects.filter(slug="drill").delete()
        Email.objects.all().delete()
        seed_messages(args.count)
        _vacuum("outreach_scheduledmessage", "candidates_candidate")
        reverse("portal:home", kwargs={"token": "warm-up"})  # load the URLconf before timing
        started, cpu, sink_cpu = time.perf_counter(), time.process_time(), cpu_seconds([sink.pid])
        sent = 0
        while True:
            done = dispatch_due(clock.now())
            sent += done
            if not done:
                break
        ours = time.perf_counter() - started
        our_cpu = (time.process_time() - cpu, cpu_seconds([sink.pid]) - sink_cpu)
        assert ScheduledMessage.objects.filter(status="sent").count() == args.count == sent

        mail.send_many(_same_mails(args.count))
        _vacuum("post_office_email")
        started, cpu, sink_cpu = time.perf_counter(), time.process_time(), cpu_seconds([sink.pid])
        call_command("send_queued_mail", processes=1)  # batch after batch until the queue is empty
        theirs = time.perf_counter() - started
        their_cpu = (time.process_time() - cpu, cpu_seconds([sink.pid]) - sink_cpu)
        assert Email.objects.filter(status=0).count() == args.count  # 0: sent
    finally:
        sink.terminate()
        sink.wait()
    print(f"database: {connection.vendor}, messages: {args.count}")
    print(f"sink alone (smtplib loop): {capacity[1]:.0f} messages/s on 1 connection, {capacity[4]:.0f} on 4")
    for name, seconds, (client, server) in (
        ("careerrelay dispatch_due (1 worker)", ours, our_cpu),
        ("django-post-office send_queued_mail (1 process)", theirs, their_cpu),
    ):
        print(
            f"{name}: {seconds:.2f} s, {args.count / seconds:.0f} messages/s; CPU a message: "
            f"{client / args.count * 1e3:.2f} ms in the sender, {server / args.count * 1e3:.2f} ms in the sink"
        )
    print(f"ratio: {theirs / ours:.2f}x")


if __name__ == "__main__":
    main()

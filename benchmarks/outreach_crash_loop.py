"""The outbox crash drill, longer than the test suite's: real `careerrelay worker` processes killed
with SIGKILL at random moments while they send, then a check that nothing vanished and nothing was
delivered twice.

    python benchmarks/outreach_crash_loop.py --messages 10000 --kills 200                 # SQLite file
    python benchmarks/outreach_crash_loop.py --messages 10000 --kills 200 --postgres      # own PG database
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--messages", type=int, default=10_000)
    parser.add_argument("--kills", type=int, default=200)
    parser.add_argument("--postgres", action="store_true")
    args = parser.parse_args()
    from careerrelay.core.tests.scratch_postgres import postgres_database
    from careerrelay.outreach.dispatch import AT_RISK
    from careerrelay.outreach.tests.drill import Drill, drill_database_name

    def run(url: str) -> None:
        drill = Drill(database_url=url)
        drill.start_sink()
        try:
            drill.migrate()
            drill.seed(args.messages)
            killed = drill.kill_while_sending(args.kills)
            drill.finish()
            summary = drill.summary()
            received = drill.sink.received
            sent = drill.sent_recipients()
            print(f"killed {killed} workers; statuses {summary}")
            uncertain = summary.get("uncertain", 0)
            print(f"uncertain: {uncertain} ({uncertain / max(killed, 1):.1f} per kill; bound {AT_RISK} per kill)")
            print(f"delivered {sum(received.values())}, most copies of one message: {max(received.values())}")
            assert sum(summary.values()) == args.messages, "a message vanished"
            assert set(summary) <= {"sent", "retrying", "uncertain"}, summary
            assert max(received.values()) == 1, "a message was delivered twice"
            assert all(received[address] == 1 for address in sent)
            assert summary.get("uncertain", 0) <= killed * AT_RISK
            print("ok: at most once, none lost")
        finally:
            drill.stop_sink()

    if args.postgres:
        with postgres_database(drill_database_name("loop")) as url:
            run(url)
    else:
        run(f"sqlite:///{Path(tempfile.mkdtemp(prefix='careerrelay-drill-')) / 'drill.sqlite3'}")


if __name__ == "__main__":
    main()

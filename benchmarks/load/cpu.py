"""CPU used during a load run: the server's process tree and the whole machine.

    python -m benchmarks.load.cpu snapshot SERVE_PID > /tmp/before.json
    ... the run ...
    python -m benchmarks.load.cpu since /tmp/before.json

Reads /proc (Linux): each process's utime + stime and /proc/stat's busy and idle jiffies. The
server's tree is gunicorn's master and its workers; PostgreSQL, the load generator and other
people's work show up only in the machine's share.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path
from typing import Any

TICK = os.sysconf("SC_CLK_TCK")


def _tree(pid: int) -> list[int]:
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        children = Path(f"/proc/{current}/task/{current}/children")
        if children.exists():
            todo.extend(int(child) for child in children.read_text().split())
    return found


def cpu_seconds(pids: list[int], *, exited_children: bool = False) -> float:
    """User + system CPU seconds the processes have used so far; with `exited_children`, also
    what their children used before they exited and were waited for (cutime + cstime)."""
    last = 15 if exited_children else 13
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except FileNotFoundError:
            continue
        total += sum(int(value) for value in fields[11:last])  # utime, stime[, cutime, cstime]
    return total / TICK


def _machine() -> tuple[int, int]:
    values = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    idle = values[3] + values[4]
    return sum(values) - idle, idle


def snapshot(server: int) -> dict[str, Any]:
    busy, idle = _machine()
    return {
        "at": time.monotonic(),
        "server_pid": server,
        "server": cpu_seconds(_tree(server)),
        "busy": busy,
        "idle": idle,
        "loadavg": Path("/proc/loadavg").read_text().split()[:3],
    }


def main() -> None:
    if sys.argv[1] == "snapshot":
        print(json.dumps(snapshot(int(sys.argv[2]))))
        return
    before = json.loads(Path(sys.argv[2]).read_text())
    after = snapshot(before["server_pid"])
    wall = after["at"] - before["at"]
    busy = after["busy"] - before["busy"]
    idle = after["idle"] - before["idle"]
    print(f"wall {wall:.0f} s, load average before {before['loadavg']} after {after['loadavg']}")
    print(f"server (gunicorn tree): {(after['server'] - before['server']) / wall:.2f} cores")
    print(f"whole machine busy: {100 * busy / (busy + idle):.0f}% of {os.cpu_count()} cores")


if __name__ == "__main__":
    main()

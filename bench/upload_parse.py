"""The server's share of parsing an upload: in its own thread, or through a worker process (figures, never pass/fail).

The CPU time the calling process spends is the time it holds the interpreter
lock, during which every other session of the server waits. Parsing in the
server's thread (as the Data page did) costs all of the parse; through
``casemap.parse_worker`` the server only unpickles the result.

    python bench/upload_parse.py [--rows 300000] [--runs 3]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from casemap import importer, parse_worker  # noqa: E402
from tests.test_hardening import generated_suspects  # noqa: E402


def measure(parse, runs: int) -> tuple[float, float]:
    """Median (CPU seconds of this process, wall seconds) of ``runs`` calls."""
    cpu, wall = [], []
    for _ in range(runs):
        started_cpu, started = time.process_time(), time.perf_counter()
        parse()
        cpu.append(time.process_time() - started_cpu)
        wall.append(time.perf_counter() - started)
    return statistics.median(cpu), statistics.median(wall)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=300_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    data = generated_suspects(args.rows)
    importer.import_file(generated_suspects(200), "warm.csv")
    print(f"upload: {args.rows:,} suspects, {len(data) / 2**20:.1f} MB")
    for label, parse in (
        ("in the server's thread", lambda: importer.import_file(data, "upload.csv")),
        ("through a worker process", lambda: parse_worker.parse_upload(data, "upload.csv", lambda: None)),
    ):
        cpu, wall = measure(parse, args.runs)
        print(f"{label:<26} CPU of the server {cpu:6.2f} s   wall {wall:6.2f} s")


if __name__ == "__main__":
    main()

"""Time to build the six briefing slides (queries and figures), at demo scale and on the large generated case.

Each run builds every slide from a fresh query runner (nothing cached, as on a
fresh server after an import) on the case's snapshot, the app's read path;
a second figure shows the slides rebuilt with the queries answered from
memory, as a rerun of the page finds them in the cache. Prints the median
of ``--runs`` runs; never pass/fail.

    python bench/brief.py [--suspects 100000] [--payments 1000000] [--runs 3] [--skip-large]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.large_case import generate  # noqa: E402
from bench.query_scale import page_runner  # noqa: E402
from casemap import briefing  # noqa: E402
from casemap.demo import generate_demo  # noqa: E402
from casemap.filters import FilterState  # noqa: E402
from casemap.query import CaseQuery  # noqa: E402
from casemap.store import Store  # noqa: E402
from casemap.store.snapshot import Snapshots  # noqa: E402
from geo import layers  # noqa: E402


def timed(build, runs: int) -> list[float]:
    """Seconds each of ``runs`` calls of ``build`` took."""
    times = []
    for _ in range(runs):
        began = time.perf_counter()
        build()
        times.append(time.perf_counter() - began)
    return times


def report(label: str, times: list[float]) -> None:
    print(f"{label:34s} {statistics.median(times):7.2f} s  ({min(times):.2f}, {max(times):.2f})", flush=True)


def bench_case(store: Store, snapshots: Snapshots, case: str, places, runs: int) -> None:
    """Print the slide-building times of ``case`` for each language and a province filter."""
    version = store.data_version(case)
    engine = snapshots.engine(case, version)
    for label, state, lang in (("all, en", FilterState(case=case), "en"),
                               ("all, zh", FilterState(case=case), "zh"),
                               ("Hunan, en", FilterState(case=case, provinces=("430000",)), "en")):
        cold = timed(lambda: briefing.build_slides(CaseQuery.of(page_runner(engine), state, version), places,
                                                   lang, "screen"), runs)
        warm_runner = page_runner(engine)
        briefing.build_slides(CaseQuery.of(warm_runner, state, version), places, lang, "screen")
        warm = timed(lambda: briefing.build_slides(CaseQuery.of(warm_runner, state, version), places,
                                                   lang, "screen"), runs)
        report(f"{case} {label}: six slides, cold", cold)
        report(f"{case} {label}: six slides, cached", warm)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--suspects", type=int, default=100_000)
    parser.add_argument("--payments", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--skip-large", action="store_true", help="time the demo case only")
    args = parser.parse_args()
    places = layers.load_places()
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(f"sqlite:///{Path(tmp) / 'bench.sqlite'}")
        store.ensure()
        snapshots = Snapshots(store.engine, Path(tmp) / "snapshots")
        demo = generate_demo()
        store.save("demo-bench", demo.suspects, demo.payments, milestones=demo.milestones)
        print(f"median (min, max) of {args.runs} runs")
        bench_case(store, snapshots, "demo-bench", places, args.runs)
        if not args.skip_large:
            case = generate(args.suspects, args.payments)
            store.save("large", case.suspects, case.payments)
            print(f"large case: {args.suspects:,} suspects, {args.payments:,} payments")
            bench_case(store, snapshots, "large", places, args.runs)
        store.close()


if __name__ == "__main__":
    main()

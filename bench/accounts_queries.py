"""Time the accounts figures at demo scale: accounts rented, traced overseas, and per place for the map.

Stores the demo case in a temporary SQLite store and times, on its snapshot
(the app's read path) and on the store, the median of ``--runs`` cold runs
of each query under a few filter states, beside the headline for scale.
Prints figures; never pass/fail.

    python bench/accounts_queries.py [--runs 5]
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

from casemap.filters import FilterState  # noqa: E402
from casemap.query import CaseQuery, direct_runner  # noqa: E402
from casemap.store import Store  # noqa: E402
from casemap.store.snapshot import Snapshots  # noqa: E402

QUERIES = {
    "headline": lambda q: q.headline(),
    "accounts_rented": lambda q: q.accounts_rented(),
    "places_with_accounts": lambda q: (q.places_with_accounts("province"), q.places_with_accounts("city")),
}
FILTERS = {
    "no filter": {},
    "one province": {"provinces": ("440000",)},
    "one role": {"roles": ("mobile_port",)},
    "network of Zhou": {"network": "S001"},
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(f"sqlite:///{Path(tmp) / 'demo.sqlite'}")
        store.ensure()
        version = store.data_version("demo")
        engines = {"snapshot": Snapshots(store.engine, Path(tmp) / "snap").engine("demo", version), "store": store.engine}
        print(f"{'reads':9s} {'query':22s} {'filter':16s} median ms (min, max) of {args.runs} cold runs")
        for reads, engine in engines.items():
            for name, query in QUERIES.items():
                for label, filters in FILTERS.items():
                    times = []
                    for _ in range(args.runs):
                        began = time.perf_counter()
                        query(CaseQuery.of(direct_runner(engine), FilterState(case="demo", **filters), version))
                        times.append((time.perf_counter() - began) * 1000)
                    print(f"{reads:9s} {name:22s} {label:16s} {statistics.median(times):8.1f}  "
                          f"({min(times):.1f}, {max(times):.1f})", flush=True)
        store.close()


if __name__ == "__main__":
    main()

"""What a user's scope and a viewer's masking cost: each page's queries as local mode, a scoped analyst, a scoped viewer.

Generates a deterministic case (bench/large_case.py), stores it in a
temporary SQLite file, builds its snapshot, and times each page's queries
(bench/query_scale.py's PAGES) with nothing cached, for three accesses:
everything (local mode), an analyst scoped to Hunan and a viewer scoped to
Hunan (masked results, pseudonyms resolved). Prints the median of
``--runs`` runs; never pass/fail.

    python bench/access_scale.py [--suspects 20000] [--payments 200000] [--runs 3]
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

from bench import query_scale  # noqa: E402
from bench.large_case import generate  # noqa: E402
from casemap.access import ANALYST, LOCAL, VIEWER, Access, Scope, pseudonym  # noqa: E402
from casemap.filters import FilterState  # noqa: E402
from casemap.query import CaseQuery, direct_runner  # noqa: E402
from casemap.store import Store  # noqa: E402
from casemap.store.snapshot import Snapshots  # noqa: E402

CASE = query_scale.CASE
HUNAN = Scope.of(["430000"])
ACCESSES = {
    "local": LOCAL,
    "analyst/Hunan": Access("analyst@bench", ANALYST, HUNAN),
    "viewer/Hunan": Access("viewer@bench", VIEWER, HUNAN),
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--suspects", type=int, default=20_000)
    parser.add_argument("--payments", type=int, default=200_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(f"sqlite:///{Path(tmp) / 'bench.sqlite'}")
        store.ensure()
        case = generate(args.suspects, args.payments)
        store.save(CASE, case.suspects, case.payments)
        version = store.data_version(CASE)
        engine = Snapshots(store.engine, Path(tmp) / "snapshots").engine(CASE, version)
        # The busiest payer within the scope, so every access has the same person to show.
        scoped = CaseQuery.of(direct_runner(engine), FilterState(case=CASE), version, HUNAN)
        person = scoped.top_parties("payer", 1).index[0]
        print(f"{args.suspects:,} suspects, {args.payments:,} payments; snapshot reads; person {person}")
        print(f"{'page':10s} " + " ".join(f"{name:>15s}" for name in ACCESSES) + f"   median s of {args.runs} cold runs")
        for page, queries in query_scale.PAGES.items():
            cells = []
            for access in ACCESSES.values():
                query_scale.PERSON = pseudonym(CASE, person) if access.masked else person
                times = []
                for _ in range(args.runs):
                    began = time.perf_counter()
                    queries(CaseQuery.of(query_scale.page_runner(engine), FilterState(case=CASE), version, access))
                    times.append(time.perf_counter() - began)
                cells.append(f"{statistics.median(times):15.3f}")
            print(f"{page:10s} " + " ".join(cells), flush=True)
        store.close()


if __name__ == "__main__":
    main()

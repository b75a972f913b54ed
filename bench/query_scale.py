"""Server time of each page's queries on a large generated case, on SQLite or PostgreSQL.

Generates a deterministic case (bench/large_case.py), stores it, then runs
the queries each page makes through the query layer, as a fresh server does
after an import (nothing cached), for a few filter states: on the case's
snapshot (the app's read path; its build time is printed too) and on the
store itself. Prints the median of ``--runs`` runs per page and filter;
never pass/fail.

    python bench/query_scale.py [--suspects 100000] [--payments 1000000] [--database URL] [--runs 3]
                                [--reads snapshot store] [--pages map accounts]
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.large_case import generate  # noqa: E402
from casemap.filters import FilterState  # noqa: E402
from casemap.query import CaseQuery, accounts, direct_runner  # noqa: E402
from casemap.store import Store  # noqa: E402
from casemap.store.snapshot import Snapshots  # noqa: E402

CASE = "bench"
PAGES = {
    "overview": lambda q: (q.headline(), q.by_province(), q.by_city(), q.arrests_over_time(q.natural_freq())),
    "map": lambda q: (q.headline(), q.places_with_accounts("province"), q.places_with_accounts("city")),
    "timeline": lambda q: (q.headline(), q.activity("MS"), q.spread(), q.milestones()),
    "flows": lambda q: (q.headline(), q.by_channel(), q.by_purpose(), q.role_flows(), q.province_flows(),
                        q.top_parties("payer"), q.top_parties("payee", 10, "number_vendor")),
    "network": lambda q: (q.headline(), q.link_graph(), q.leads()),
    "suspects": lambda q: (q.headline(), q.suspect_count(), q.suspect_page()),
    # The person view of the payer who paid the most (see busiest_payer), the case's largest.
    # What the accounts add to a page: the Overview's card and summary, the map's metric.
    "accounts": lambda q: (q.accounts_rented(), q.run(accounts.rented_groups, q.key)),
    "person": lambda q: (q.headline(), q.suspect(PERSON), q.counterparts(PERSON), q.counterpart_places(PERSON),
                         q.person_payments(PERSON, "MS")),
}
FILTERS = {
    "no filter": FilterState(case=CASE),
    "one province": FilterState(case=CASE, provinces=("430000",)),
    "one role": FilterState(case=CASE, roles=("mobile_port",)),
    "one channel": FilterState(case=CASE, channels=("alipay",)),
    "one quarter": FilterState(case=CASE, date_from=dt.date(2024, 1, 1), date_to=dt.date(2024, 3, 31)),
}
PERSON = ""  # set once the case is stored: the payer who paid the most


def busiest_payer(engine, version: int) -> str:
    """The id of the payer who paid the most in the whole case."""
    return CaseQuery.of(direct_runner(engine), FilterState(case=CASE), version).top_parties("payer", 1).index[0]


def page_runner(engine):
    """Like the app's cache within one page load: a query asked twice runs once."""
    done = {}
    run = direct_runner(engine)

    def memo(function, key, *args):
        if (function, key, args) not in done:
            done[function, key, args] = run(function, key, *args)
        return done[function, key, args]

    return memo


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--suspects", type=int, default=100_000)
    parser.add_argument("--payments", type=int, default=1_000_000)
    parser.add_argument("--database", help="SQLAlchemy URL of an empty database (default: a temporary SQLite file)")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--reads", nargs="+", choices=["snapshot", "store"], default=["snapshot", "store"],
                        help="which read paths to time (default: both)")
    parser.add_argument("--pages", nargs="+", choices=list(PAGES), default=list(PAGES),
                        help="which pages to time (default: all)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(args.database or f"sqlite:///{Path(tmp) / 'bench.sqlite'}")
        store.ensure()
        started = time.perf_counter()
        case = generate(args.suspects, args.payments)
        store.save(CASE, case.suspects, case.payments, accounts=case.accounts, links=case.links)
        print(f"{store!r}: {args.suspects:,} suspects, {args.payments:,} payments, {len(case.accounts):,} accounts, "
              f"{len(case.links):,} links stored in "
              f"{time.perf_counter() - started:.1f} s (generation included)")
        version = store.data_version(CASE)
        global PERSON
        PERSON = busiest_payer(store.engine, version)
        FILTERS["one network"] = FilterState(case=CASE, network=PERSON)
        for reads in args.reads:
            if reads == "snapshot":
                began = time.perf_counter()
                snapshots = Snapshots(store.engine, Path(tmp) / "snapshots")
                size = snapshots.build(CASE, version).stat().st_size
                print(f"snapshot built in {time.perf_counter() - began:.1f} s, {size / 2**20:.0f} MB")
                engine = snapshots.engine(CASE, version)
            else:
                engine = store.engine
            print(f"reads: {reads}\n{'page':10s} {'filter':14s} median s  (min, max) of {args.runs} cold runs")
            for page, queries in ((name, PAGES[name]) for name in args.pages):
                for label, state in FILTERS.items():
                    times = []
                    for _ in range(args.runs):
                        began = time.perf_counter()
                        queries(CaseQuery.of(page_runner(engine), state, version))
                        times.append(time.perf_counter() - began)
                    print(f"{page:10s} {label:14s} {statistics.median(times):7.2f}  "
                          f"({min(times):.2f}, {max(times):.2f})", flush=True)
        store.close()


if __name__ == "__main__":
    main()

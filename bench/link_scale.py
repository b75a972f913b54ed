"""Server time of the link-analysis page's queries on a large case with accounts, on its snapshot and the store.

Generates the large bench case (bench/large_case.py) and, when it has no
accounts, gives it two per suspect (a phone and an Alipay account, each held
and controlled by the suspect; every renter's phone rented to an overseas
wallet and paid via a payer's Alipay account), stores it, and times the
link page's queries cold for a few filter states: the link graph (payment
graph, accounts, links, centrality) and the leads; then the pure steps the
page runs on the result (communities, shortest path, shared accounts, the
chart). Prints medians of ``--runs`` runs; never pass/fail.

    python bench/link_scale.py [--suspects 100000] [--payments 1000000] [--runs 3] [--reads snapshot store]
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.large_case import generate  # noqa: E402
from casemap import link_chart, linkgraph  # noqa: E402
from casemap.filters import FilterState  # noqa: E402
from casemap.query import CaseQuery, direct_runner  # noqa: E402
from casemap.schema import validate_accounts, validate_links  # noqa: E402
from casemap.store import Store  # noqa: E402
from casemap.store.snapshot import Snapshots  # noqa: E402

CASE = "bench"
FILTERS = {
    "no filter": FilterState(case=CASE),
    "one province": FilterState(case=CASE, provinces=("430000",)),
    "one role": FilterState(case=CASE, roles=("mobile_port",)),
    "one quarter": FilterState(case=CASE, date_from=dt.date(2024, 1, 1), date_to=dt.date(2024, 3, 31)),
}
WALLETS = 40


def two_accounts_each(suspects: pd.DataFrame, seed: int = 11) -> tuple[pd.DataFrame, pd.DataFrame]:
    """A phone and an Alipay account per suspect, with the links of the demo's story."""
    rng = np.random.default_rng(seed)
    ids = suspects["suspect_id"].to_numpy(dtype=object)
    n = len(ids)
    phones = np.array([f"PH{i:07d}" for i in range(n)], dtype=object)
    alipays = np.array([f"AL{i:07d}" for i in range(n)], dtype=object)
    wallets = np.array([f"W{i:03d}" for i in range(WALLETS)], dtype=object)
    numbers = 13_000_000_000 + rng.choice(900_000_000, size=2 * n, replace=False)
    accounts = pd.DataFrame({
        "account_id": np.concatenate([phones, alipays, wallets]),
        "kind": ["phone"] * n + ["alipay"] * n + ["usdt_wallet"] * WALLETS,
        "number": [str(x) for x in numbers] + ["T" + f"{i:033d}".replace("0", "A") for i in range(WALLETS)],
        "holder_id": np.concatenate([ids, ids, [f"OVERSEAS-{i % 40 + 1:03d}" for i in range(WALLETS)]]),
        "lead": np.where(rng.random(2 * n + WALLETS) < 0.01, "two_card_lead", None),
        "first_seen": pd.Timestamp("2023-08-08"),
    })
    renters = np.flatnonzero(suspects["role"].isin(("mobile_port", "pc_end")).to_numpy())
    payers = np.flatnonzero(suspects["role"].eq("payer").to_numpy())
    frm = [*ids, *ids, *phones[renters], *phones[renters]]
    to = [*phones, *alipays, *wallets[rng.integers(WALLETS, size=len(renters))],
          *alipays[payers[rng.integers(len(payers), size=len(renters))]]]
    relation = ["controls"] * (2 * n) + ["rented_to"] * len(renters) + ["paid_via"] * len(renters)
    links = pd.DataFrame({"link_id": [f"{a}>{r}>{b}" for a, r, b in zip(frm, relation, to)], "from_id": frm,
                          "to_id": to, "relation": relation, "source": "investigation"})
    return validate_accounts(accounts), validate_links(links.drop_duplicates("link_id"))


def page_steps(q: CaseQuery) -> dict[str, float]:
    """The page's work on one filter state: queries, then the pure steps on their result."""
    times = {}
    began = time.perf_counter()
    found = q.link_graph()
    q.leads()
    times["queries"] = time.perf_counter() - began
    graph = found.graph
    began = time.perf_counter()
    linkgraph.communities(graph)
    people = [n for n, d in graph.nodes(data=True) if d["kind"] == "suspect"]
    if len(people) > 1:
        linkgraph.shortest_path(graph, people[0], people[-1])
    linkgraph.shared_accounts(graph)
    times["analysis"] = time.perf_counter() - began
    began = time.perf_counter()
    link_chart.build_link_chart(graph, {}, lang="en", ranks=found.ranks)  # the whole graph, as the page draws it
    times["chart"] = time.perf_counter() - began
    times["nodes"] = graph.number_of_nodes()
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--suspects", type=int, default=100_000)
    parser.add_argument("--payments", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--reads", nargs="+", choices=["snapshot", "store"], default=["snapshot", "store"])
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(f"sqlite:///{Path(tmp) / 'bench.sqlite'}")
        store.ensure()
        started = time.perf_counter()
        case = generate(args.suspects, args.payments)
        accounts, links = (case.accounts, case.links) if len(case.accounts) else two_accounts_each(case.suspects)
        store.save(CASE, case.suspects, case.payments, accounts=accounts, links=links)
        print(f"{args.suspects:,} suspects, {args.payments:,} payments, {len(accounts):,} accounts, "
              f"{len(links):,} links stored in {time.perf_counter() - started:.1f} s")
        version = store.data_version(CASE)
        for reads in args.reads:
            if reads == "snapshot":
                snapshots = Snapshots(store.engine, Path(tmp) / "snapshots")
                snapshots.build(CASE, version)
                engine = snapshots.engine(CASE, version)
            else:
                engine = store.engine
            print(f"reads: {reads}\n{'filter':14s} {'nodes':>5s}  median s of {args.runs} cold runs: "
                  "queries, analysis, chart")
            for label, state in FILTERS.items():
                runs = [page_steps(CaseQuery.of(direct_runner(engine), state, version)) for _ in range(args.runs)]
                medians = {k: statistics.median(r[k] for r in runs) for k in ("queries", "analysis", "chart")}
                print(f"{label:14s} {runs[0]['nodes']:5d}  {medians['queries']:6.2f} {medians['analysis']:6.2f} "
                      f"{medians['chart']:6.2f}", flush=True)
        store.close()


if __name__ == "__main__":
    main()

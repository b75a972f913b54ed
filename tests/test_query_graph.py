"""The payment graph from the store: the same graph as the plain pandas construction, within its node budget."""

from __future__ import annotations

import datetime as dt

import networkx as nx
import numpy as np
import pandas as pd
import pytest
from sqlalchemy import text

from casemap.query import graph as graph_query
from casemap import network
from casemap.demo import DEMO_CASE, generate_demo
from casemap.filters import FilterState
from casemap.query import CaseQuery, direct_runner
from casemap.query.graph import payment_graph, person_graph
from casemap.query.where import EVERYWHERE, Key, Scope
from casemap.schema import validate_payments, validate_suspects
from casemap.store import Store
from tests import reference, tiny_case

# -- the reference: the graph built from whole frames in pandas, as the page did before the query layer -----


def _person(row, in_filter: bool) -> dict:
    return {
        "kind": "suspect", "in_filter": in_filter, "name": row.name if isinstance(row.name, str) else "",
        "role": row.role, "status": row.status, "province": row.province_adcode,
        "city": row.city_adcode if isinstance(row.city_adcode, str) else None,
        "amount_yuan": 0.0 if pd.isna(row.amount_yuan) else float(row.amount_yuan), "members": 1,
    }


def _add_link(graph: nx.Graph, a: str, b: str, amount: float, count: int) -> None:
    if a == b:
        return
    if graph.has_edge(a, b):
        graph[a][b]["amount_yuan"] += amount
        graph[a][b]["payments"] += count
    else:
        graph.add_edge(a, b, amount_yuan=amount, payments=count)


def reference_graph(shown: pd.DataFrame, paid: pd.DataFrame, everyone: pd.DataFrame, *,
                    vendors_by_city: bool = False) -> nx.Graph:
    """The suspects ``shown``, the counterparts of the payments ``paid`` among ``everyone``, and the rest external."""
    graph = nx.Graph()
    for row in shown.itertuples(index=False):
        graph.add_node(row.suspect_id, **_person(row, True))
    parties = set(paid["payer_id"]) | set(paid["payee_id"])
    for row in everyone[everyone["suspect_id"].isin(parties - set(graph))].itertuples(index=False):
        graph.add_node(row.suspect_id, **_person(row, False))
    for party in sorted(parties - set(graph)):
        graph.add_node(party, kind="external", in_filter=False, name=party, role=None, status=None, province=None,
                       city=None, amount_yuan=0.0, members=1)
    for (payer, payee), amounts in paid.groupby(["payer_id", "payee_id"])["amount_yuan"]:
        _add_link(graph, payer, payee, float(amounts.sum()), len(amounts))
    return _vendors_by_city(graph) if vendors_by_city else graph


def _vendors_by_city(graph: nx.Graph) -> nx.Graph:
    merged, node_of = nx.Graph(), {}
    for node, data in graph.nodes(data=True):
        if data["kind"] == "suspect" and data["role"] == "number_vendor" and data["city"]:
            group = node_of[node] = f"vendors@{data['city']}"
            if group not in merged:
                merged.add_node(group, kind="group", in_filter=False, name="", role="number_vendor", status=None,
                                province=data["province"], city=data["city"], amount_yuan=0.0, members=0)
            attrs = merged.nodes[group]
            attrs["members"] += 1
            attrs["amount_yuan"] += data["amount_yuan"]
            attrs["in_filter"] = attrs["in_filter"] or data["in_filter"]
        else:
            node_of[node] = node
            merged.add_node(node, **data)
    for a, b, data in graph.edges(data=True):
        _add_link(merged, node_of[a], node_of[b], data["amount_yuan"], data["payments"])
    return merged


def assert_same_graph(found: nx.Graph, expected: nx.Graph) -> None:
    assert sorted(found.nodes) == sorted(expected.nodes)
    for node, data in expected.nodes(data=True):
        got = dict(found.nodes[node])
        assert got.pop("amount_yuan") == pytest.approx(data["amount_yuan"]), node
        assert got == {k: v for k, v in data.items() if k != "amount_yuan"}, node
    assert sorted(map(sorted, found.edges)) == sorted(map(sorted, expected.edges))
    for a, b, data in expected.edges(data=True):
        assert found[a][b]["payments"] == data["payments"]
        assert found[a][b]["amount_yuan"] == pytest.approx(data["amount_yuan"])


# -- stores --------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module", params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgresql)])
def demo_store(request, tmp_path_factory):
    """One store per backend for the whole module: the demo case (seeded) and the tiny hand-made case."""
    if request.param == "sqlite":
        url, drop = f"sqlite:///{tmp_path_factory.mktemp('graph') / 'store.sqlite'}", None
    else:
        server = request.getfixturevalue("postgres_server")
        name = server.create_database()
        url, drop = server.url(name), lambda: server.drop_database(name)
    store = Store(url)
    store.ensure()
    store.save("tiny", tiny_case.suspects(), tiny_case.payments())
    yield analysed(store)
    store.close()
    if drop:
        drop()


@pytest.fixture(scope="module")
def demo():
    return generate_demo()


def key_of(store: Store, state: FilterState, scope: Scope = EVERYWHERE) -> Key:
    return Key.of(state, store.data_version(state.case), scope)


DEMO_STATES = {
    "all": FilterState(),
    "guangdong": FilterState(provinces=("440000",)),
    "chenzhou": FilterState(provinces=("430000",), cities=("431000",)),
    "vendors": FilterState(roles=("number_vendor",)),
    "arrested": FilterState(statuses=("arrested",)),
    "alipay-bank": FilterState(channels=("alipay", "bank")),
    "arrested-before-august": FilterState(date_from=dt.date(2023, 9, 1), date_to=dt.date(2024, 7, 31)),
    "no-arrest-in-the-dates": FilterState(date_from=dt.date(2024, 1, 1), date_to=dt.date(2024, 6, 30)),
    "from-10k": FilterState(min_amount=10_000),
    "payers-ports-to-5m": FilterState(roles=("payer", "mobile_port"), max_amount=5_000_000),
}


@pytest.mark.parametrize("state", DEMO_STATES.values(), ids=DEMO_STATES)
def test_the_graph_is_the_pandas_graph_of_the_same_filters(demo_store, demo, state):
    shown = reference.apply(state, demo.suspects, demo.payments)
    assert len(shown.suspects) <= network.AGGREGATE_ABOVE
    found = payment_graph(demo_store.engine, key_of(demo_store, state))
    assert (found.level, found.suspects) == ("people", len(shown.suspects))
    assert_same_graph(found.graph, reference_graph(shown.suspects, shown.payments, demo.suspects))


@pytest.mark.parametrize("state", [DEMO_STATES[n] for n in ("all", "guangdong", "chenzhou", "alipay-bank")],
                         ids=["all", "guangdong", "chenzhou", "alipay-bank"])
def test_vendors_grouped_by_city_are_the_pandas_groups(demo_store, demo, state):
    shown = reference.apply(state, demo.suspects, demo.payments)
    found = payment_graph(demo_store.engine, key_of(demo_store, state), finest="vendors")
    assert found.level == "vendors"
    expected = reference_graph(shown.suspects, shown.payments, demo.suspects, vendors_by_city=True)
    assert_same_graph(found.graph, expected)


def test_tiny_case_nodes_and_links(demo_store):
    graph = payment_graph(demo_store.engine, key_of(demo_store, FilterState(case="tiny"))).graph
    assert set(graph.nodes) == {"P1", "P2", "V1", "V2", "V3", "OVERSEAS-1"}
    assert graph.nodes["OVERSEAS-1"]["kind"] == "external"
    assert graph["P1"]["V1"] == {"amount_yuan": 1_100.0, "payments": 2}  # 1000 paid, 100 paid back
    assert graph.number_of_edges() == 5
    assert sum(d["amount_yuan"] for _, _, d in graph.edges(data=True)) == tiny_case.payments()["amount_yuan"].sum()


def test_a_counterpart_outside_the_scope_is_not_in_the_graph(demo_store):
    hunan = Scope(frozenset({"430000"}))
    graph = payment_graph(demo_store.engine, key_of(demo_store, FilterState(case="tiny"), hunan)).graph
    # Shenzhen and Beijing are outside the scope: their vendors and the payments to them do not show.
    assert "V2" not in graph and "V3" not in graph
    assert graph.nodes["V1"]["in_filter"] and graph.nodes["V1"]["kind"] == "suspect"
    assert graph.nodes["OVERSEAS-1"]["kind"] == "external"  # no suspect of the case: no province to hide


@pytest.mark.parametrize("state", [FilterState(), FilterState(provinces=("440000",)), FilterState(channels=("alipay",))],
                         ids=["all", "guangdong", "alipay"])
def test_a_persons_graph_is_their_ego_network(demo_store, demo, state):
    shown = reference.apply(state, demo.suspects, demo.payments)
    whole = reference_graph(shown.suspects, shown.payments, demo.suspects)
    busiest = sorted(whole.nodes, key=lambda n: (-whole.degree(n), n))
    for person in [*busiest[:3], busiest[len(busiest) // 2]]:
        found = person_graph(demo_store.engine, key_of(demo_store, state), person)
        assert found.level == "people"
        assert_same_graph(found.graph, nx.ego_graph(whole, person, radius=1))


def test_a_person_with_no_payment_shown_is_alone(demo_store, demo):
    paid = set(demo.payments["payer_id"]) | set(demo.payments["payee_id"])
    loner = next(s for s in demo.suspects["suspect_id"] if s not in paid)
    found = person_graph(demo_store.engine, key_of(demo_store, FilterState()), loner)
    assert list(found.graph.nodes) == [loner] and found.graph.nodes[loner]["in_filter"]


def test_case_query_asks_the_same_graphs(demo_store):
    data = CaseQuery.of(direct_runner(demo_store.engine), FilterState(), demo_store.data_version(DEMO_CASE))
    everyone = data.graph()
    hub = everyone.ranks.index[0]
    assert set(data.ego_graph(hub).graph) == set(nx.ego_graph(everyone.graph, hub))
    grouped = payment_graph(demo_store.engine, data.key, finest="vendors")
    assert grouped.level == "vendors"


def many_vendors(count: int):
    """One payer in Chenzhou paying ``count - 1`` vendors spread over three cities."""
    cities = ["430100", "440300", "110100"]
    vendors = [f"V{i:03d}" for i in range(count - 1)]
    suspects = validate_suspects(pd.DataFrame({
        "suspect_id": ["P1", *vendors],
        "role": ["payer", *["number_vendor"] * len(vendors)],
        "status": ["arrested", *["at_large"] * len(vendors)],
        "province_adcode": ["430000", *[cities[i % 3][:2] + "0000" for i in range(len(vendors))]],
        "city_adcode": ["431000", *[cities[i % 3] for i in range(len(vendors))]],
        "amount_yuan": [1000.0] * count,
    }))
    payments = validate_payments(pd.DataFrame({
        "txn_id": [f"T{i}" for i in range(len(vendors))],
        "time": pd.to_datetime(["2024-01-01"] * len(vendors)),
        "payer_id": ["P1"] * len(vendors),
        "payee_id": vendors,
        "channel": ["alipay"] * len(vendors),
        "amount_yuan": [10.0] * len(vendors),
    }))
    return suspects, payments


def test_vendors_are_grouped_by_city_above_the_threshold(demo_store):
    suspects, payments = many_vendors(network.AGGREGATE_ABOVE + 1)
    demo_store.save("above", suspects, payments)
    found = payment_graph(demo_store.engine, key_of(demo_store, FilterState(case="above")))
    graph = found.graph
    assert (found.level, found.finest) == ("vendors", "vendors")
    assert sorted(graph.nodes) == sorted(["P1", "vendors@430100", "vendors@440300", "vendors@110100"])
    assert sum(graph.nodes[n]["members"] for n in graph.nodes if n.startswith("vendors@")) == network.AGGREGATE_ABOVE
    assert sum(d["amount_yuan"] for _, _, d in graph.edges(data=True)) == payments["amount_yuan"].sum()
    assert sum(d["payments"] for _, _, d in graph.edges(data=True)) == len(payments)


def test_at_the_threshold_everyone_is_still_drawn(demo_store):
    demo_store.save("at", *many_vendors(network.AGGREGATE_ABOVE))
    found = payment_graph(demo_store.engine, key_of(demo_store, FilterState(case="at")))
    assert found.level == "people" and found.graph.number_of_nodes() == network.AGGREGATE_ABOVE


# -- a generated case of a few thousand suspects ------------------------------------------------------------

CITIES = ["431000", "430100", "440300", "440100", "450100", "360100", "350200", "420100", "510100", "110100",
          "310100", "330100", "320100", "370200", "410100", "530100", "520100", "500100", "120100", "210100"]


def generated_case(suspects: int = 3_000, payments: int = 12_000, seed: int = 7):
    """Payers, mobile ports and organisers paying number vendors all over, plus a few overseas accounts.

    One payer (the first that is no vendor) makes a sixth of the payments: a hub.
    """
    rng = np.random.default_rng(seed)
    roles = rng.choice(["number_vendor", "payer", "mobile_port", "pc_end", "organizer", "other"], suspects,
                       p=[0.6, 0.12, 0.12, 0.08, 0.03, 0.05])
    cities = rng.choice(CITIES, suspects)
    ids = np.array([f"G{i:05d}" for i in range(suspects)])
    frame = validate_suspects(pd.DataFrame({
        "suspect_id": ids,
        "name": [f"某{i}" for i in range(suspects)],
        "role": roles,
        "status": rng.choice(["arrested", "at_large", "under_investigation"], suspects),
        "province_adcode": [c[:2] + "0000" for c in cities],
        "city_adcode": [c if i % 10 else None for i, c in enumerate(cities)],  # every tenth city unknown
        "amount_yuan": np.where(rng.random(suspects) < 0.1, np.nan, rng.integers(1_000, 500_000, suspects)),
    }))
    vendors, others = ids[roles == "number_vendor"], ids[roles != "number_vendor"]
    overseas = np.array([f"USDT-{i:03d}" for i in range(200)])
    payers = np.concatenate([others, overseas[:5]])
    paid = validate_payments(pd.DataFrame({
        "txn_id": [f"T{i:06d}" for i in range(payments)],
        "time": pd.Timestamp("2023-06-01") + pd.to_timedelta(rng.integers(0, 400, payments), unit="D"),
        "payer_id": np.where(rng.random(payments) < 1 / 6, others[0], rng.choice(payers, payments)),
        "payee_id": np.where(rng.random(payments) < 0.05, rng.choice(overseas, payments),
                             rng.choice(vendors, payments)),
        "channel": rng.choice(["alipay", "wechat_pay", "bank", "usdt"], payments),
        "amount_yuan": rng.integers(50, 20_000, payments).astype(float),
    }))
    return frame, paid


@pytest.fixture(scope="module")
def generated():
    return generated_case()


def analysed(store: Store) -> Store:
    """The store with fresh planner statistics after a bulk write.

    Without them PostgreSQL guesses one row per table and joins the payments
    to the suspects in nested loops: seconds instead of milliseconds here.
    """
    if store.engine.dialect.name == "postgresql":
        with store.engine.begin() as conn:
            conn.execute(text("ANALYZE suspects"))
            conn.execute(text("ANALYZE payments"))
    return store


@pytest.fixture
def generated_store(store_url, generated):
    store = Store(store_url)
    store.save("large", *generated)
    yield analysed(store)
    store.close()


def node_of_party(suspects: pd.DataFrame, kept: set[str], level: str):
    """Where a party lands when grouped by role and place (pandas, for the check)."""
    rows = suspects.set_index("suspect_id")

    def node(party: str) -> str:
        if party in kept:
            return party
        if party not in rows.index:
            return network.OVERSEAS_GROUP
        row = rows.loc[party]
        city = row["city_adcode"] if isinstance(row["city_adcode"], str) else None
        place = (city or row["province_adcode"]) if level == "city" else row["province_adcode"]
        return f"{row['role']}@{place}"

    return node


@pytest.mark.parametrize("budget, level", [(10_000, "vendors"), (1_000, "city"), (200, "province")])
def test_a_large_graph_is_grouped_until_it_fits(generated_store, generated, budget, level):
    suspects, payments = generated
    found = payment_graph(generated_store.engine, key_of(generated_store, FilterState(case="large")), budget=budget)
    graph = found.graph
    assert (found.level, found.suspects) == (level, len(suspects))
    assert graph.number_of_nodes() <= budget
    parties = set(suspects["suspect_id"]) | set(payments["payer_id"]) | set(payments["payee_id"])
    assert sum(d["members"] for _, d in graph.nodes(data=True)) == len(parties)
    if level == "vendors":
        expected = reference_graph(suspects, payments, suspects, vendors_by_city=True)
        assert found.links == expected.number_of_edges() > network.EDGE_BUDGET
        heaviest = sorted(expected.edges(data=True), key=lambda e: (-e[2]["amount_yuan"], *sorted(e[:2])))
        expected.remove_edges_from(heaviest[network.EDGE_BUDGET:])  # only the largest links are drawn
        assert_same_graph(graph, expected)
        return
    kept = {n for n, d in graph.nodes(data=True) if d["kind"] != "group"}
    between = payments[payments["payer_id"] != payments["payee_id"]]
    moved = pd.concat([between[["payer_id", "amount_yuan"]].set_axis(["party", "amount"], axis=1),
                       between[["payee_id", "amount_yuan"]].set_axis(["party", "amount"], axis=1)])
    top = moved.groupby("party", as_index=False)["amount"].sum().sort_values(["amount", "party"],
                                                                               ascending=[False, True])
    assert kept == set(top["party"][:network.TOP_PARTIES])
    node = node_of_party(suspects, kept, level)
    pairs = payments.assign(a=payments["payer_id"].map(node), b=payments["payee_id"].map(node))
    pairs = pairs[pairs["a"] != pairs["b"]]
    ends = np.sort(pairs[["a", "b"]].to_numpy(dtype=str), axis=1)
    links = pairs.assign(a=ends[:, 0], b=ends[:, 1]).groupby(["a", "b"])["amount_yuan"].agg(["sum", "size"])
    links = links.reset_index().sort_values(["sum", "a", "b"], ascending=[False, True, True])
    assert found.links == len(links)
    drawn = links.head(network.EDGE_BUDGET)
    assert graph.number_of_edges() == len(drawn)
    for a, b, amount, count in drawn.itertuples(index=False):
        assert (graph[a][b]["amount_yuan"], graph[a][b]["payments"]) == (amount, count)
    vendors_in_changsha = (suspects["role"] == "number_vendor") & (suspects["city_adcode"] == "430100")
    group = graph.nodes["number_vendor@430100" if level == "city" else "number_vendor@430000"]
    assert group["kind"] == "group" and group["role"] == "number_vendor" and group["status"] is None
    if level == "city":
        assert group["members"] == (vendors_in_changsha & ~suspects["suspect_id"].isin(kept)).sum()
        assert group["city"] == "430100"
    else:
        assert group["city"] is None and group["province"] == "430000"
    assert graph.nodes[network.OVERSEAS_GROUP]["role"] is None


def test_the_default_budget_holds_a_large_case(generated_store):
    found = payment_graph(generated_store.engine, key_of(generated_store, FilterState(case="large")))
    assert found.aggregated and found.graph.number_of_nodes() <= network.NODE_BUDGET
    assert found.graph.number_of_edges() <= network.EDGE_BUDGET


def test_a_filtered_large_case_keeps_its_filter_marks(generated_store, generated):
    suspects, payments = generated
    state = FilterState(case="large", provinces=("430000",), roles=("payer",))
    shown = reference.apply(state, suspects, payments)
    found = payment_graph(generated_store.engine, key_of(generated_store, state), budget=10_000)
    assert found.level == "people"  # few payers in Hunan: drawn one by one
    assert_same_graph(found.graph, reference_graph(shown.suspects, shown.payments, suspects))


def test_a_busy_persons_graph_is_grouped_around_them(generated_store, generated):
    _, payments = generated
    key = key_of(generated_store, FilterState(case="large"))
    busiest = payments["payer_id"].value_counts().index[0]
    counterparts = set(payments.loc[payments["payer_id"] == busiest, "payee_id"])
    found = person_graph(generated_store.engine, key, busiest, budget=100)
    assert found.aggregated and found.graph.number_of_nodes() <= 100 < len(counterparts)
    assert found.graph.nodes[busiest]["kind"] != "group" and found.graph.nodes[busiest]["members"] == 1
    ungrouped = person_graph(generated_store.engine, key, busiest, budget=10_000)
    assert set(ungrouped.graph.nodes) == counterparts | {busiest} | set(
        payments.loc[payments["payee_id"] == busiest, "payer_id"])


def test_sampled_betweenness_is_the_same_every_time(generated_store):
    key = key_of(generated_store, FilterState(case="large"))
    first = payment_graph(generated_store.engine, key, budget=10_000)
    second = payment_graph(generated_store.engine, key, budget=10_000)
    assert first.graph.number_of_nodes() > graph_query.EXACT_BETWEENNESS_UP_TO
    assert first.sampled == graph_query.BETWEENNESS_SAMPLES
    pd.testing.assert_frame_equal(first.ranks, second.ranks)
    shuffled = nx.Graph()
    shuffled.add_nodes_from(sorted(first.graph.nodes(data=True), reverse=True))
    shuffled.add_edges_from(reversed(list(first.graph.edges(data=True))))
    pd.testing.assert_frame_equal(network.centrality(shuffled).sort_index(), first.ranks.sort_index())

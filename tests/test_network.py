"""The link chart: nodes and edges from the filtered case, vendors grouped above the threshold, a fixed layout."""

import networkx as nx
import numpy as np
import pandas as pd
import pytest

from casemap import filters, network, style, vocab
from casemap.demo import generate_demo
from casemap.schema import validate_payments, validate_suspects
from tests import tiny_case

DEMO = generate_demo()


def tiny_graph(**kwargs):
    return network.build_graph(tiny_case.suspects(), tiny_case.payments(), **kwargs)


def test_nodes_are_the_suspects_and_the_parties_outside_the_list():
    graph = tiny_graph()
    assert set(graph.nodes) == {"P1", "P2", "V1", "V2", "V3", "OVERSEAS-1"}
    assert graph.nodes["OVERSEAS-1"]["kind"] == "external"
    assert graph.nodes["V2"]["role"] == "number_vendor"


def test_edges_sum_the_payments_of_a_pair_in_both_directions():
    graph = tiny_graph()
    assert graph["P1"]["V1"] == {"amount_yuan": 1_100.0, "payments": 2}  # 1000 paid, 100 paid back
    assert graph["P2"]["V2"]["amount_yuan"] == 300.0
    assert graph.number_of_edges() == 5
    total = sum(data["amount_yuan"] for _, _, data in graph.edges(data=True))
    assert total == tiny_case.payments()["amount_yuan"].sum()


@pytest.mark.parametrize("state", [
    filters.FilterState(),
    filters.FilterState(provinces=("440000",)),
    filters.FilterState(roles=("number_vendor",)),
    filters.FilterState(statuses=("arrested",)),
])
def test_the_filtered_suspects_are_the_nodes_in_the_filter(state):
    shown = filters.apply(state, DEMO.suspects, DEMO.payments)
    assert len(shown.suspects) <= network.AGGREGATE_ABOVE
    graph = network.build_graph(shown.suspects, shown.payments, DEMO.suspects)
    in_filter = [n for n, d in graph.nodes(data=True) if d["in_filter"]]
    assert sorted(in_filter) == sorted(shown.suspects["suspect_id"])
    parties = set(shown.payments["payer_id"]) | set(shown.payments["payee_id"])
    assert set(graph.nodes) == set(shown.suspects["suspect_id"]) | parties


def test_the_whole_demo_is_drawn_person_by_person():
    graph = network.build_graph(DEMO.suspects, DEMO.payments)
    suspects = [n for n, d in graph.nodes(data=True) if d["kind"] == "suspect"]
    assert len(suspects) == len(DEMO.suspects)
    assert not any(d["kind"] == "group" for _, d in graph.nodes(data=True))


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


def test_vendors_are_grouped_by_city_above_the_threshold():
    suspects, payments = many_vendors(network.AGGREGATE_ABOVE + 1)
    graph = network.build_graph(suspects, payments)
    assert sorted(graph.nodes) == sorted(["P1", "vendors@430100", "vendors@440300", "vendors@110100"])
    members = sum(graph.nodes[n]["members"] for n in graph.nodes if n.startswith("vendors@"))
    assert members == network.AGGREGATE_ABOVE
    assert sum(d["amount_yuan"] for _, _, d in graph.edges(data=True)) == payments["amount_yuan"].sum()
    assert sum(d["payments"] for _, _, d in graph.edges(data=True)) == len(payments)


def test_at_the_threshold_everyone_is_still_drawn():
    suspects, payments = many_vendors(network.AGGREGATE_ABOVE)
    graph = network.build_graph(suspects, payments)
    assert graph.number_of_nodes() == network.AGGREGATE_ABOVE


def test_grouping_can_be_asked_for():
    graph = tiny_graph(aggregate=True)
    assert {"vendors@430100", "vendors@440300", "vendors@110100", "P1", "P2", "OVERSEAS-1"} == set(graph.nodes)
    group = graph.nodes["vendors@430100"]
    assert network.node_label("vendors@430100", group, names(graph), "en") == "Vendors in 长沙 Changsha (1)"
    assert network.node_label("vendors@430100", group, names(graph, "zh"), "zh") == "长沙号商（1人）"


def test_layout_is_the_same_every_time():
    first = network.layout(network.build_graph(DEMO.suspects, DEMO.payments))
    second = network.layout(network.build_graph(DEMO.suspects, DEMO.payments))
    assert first == second


def test_people_with_no_payment_are_set_apart_below_the_network():
    graph = network.build_graph(DEMO.suspects, DEMO.payments)
    positions = network.layout(graph)
    isolated = [n for n in graph.nodes if graph.degree(n) == 0]
    main = max(nx.connected_components(graph), key=len)
    assert isolated and len(main) > 100
    lowest_of_main = min(positions[n][1] for n in main)
    assert all(positions[n][1] < lowest_of_main for n in isolated)
    assert len(set(positions.values())) == graph.number_of_nodes()  # no two nodes on one spot


def test_the_payers_the_vendors_hang_from_do_not_hide_each_other():
    graph = network.build_graph(DEMO.suspects, DEMO.payments)
    positions = network.layout(graph)
    main = max(nx.connected_components(graph), key=len)
    payers = [np.array(positions[n]) for n in main if graph.nodes[n]["role"] == "payer"]
    width = np.ptp([positions[n][0] for n in main])
    assert len(payers) == 3
    gaps = [np.linalg.norm(a - b) for i, a in enumerate(payers) for b in payers[i + 1:]]
    assert min(gaps) > 0.15 * width


def test_the_brokers_and_the_big_movers_are_named():
    graph = network.build_graph(DEMO.suspects, DEMO.payments)
    named = network.labelled_nodes(graph)
    xia = DEMO.suspects.loc[DEMO.suspects["name"] == "夏某", "suspect_id"].item()
    organizer = DEMO.suspects.loc[DEMO.suspects["role"] == "organizer", "suspect_id"].item()
    assert {xia, organizer} <= named
    assert len(named) <= 2 * network.LABELLED_NODES
    assert not any(graph.nodes[n]["kind"] == "external" for n in named)


def test_betweenness_puts_the_broker_first():
    ranks = network.centrality(tiny_graph())
    assert ranks.index[0] == "P1"  # every path between the others runs through Xia
    assert ranks.loc["P1", "degree"] == 4
    assert ranks.loc["P1", "amount_moved_yuan"] == 1_100 + 2_000 + 500 + 50_000


def test_ego_network_is_the_person_and_their_counterparts():
    ego = network.ego(tiny_graph(), "V2")
    assert set(ego.nodes) == {"V2", "P1", "P2"}


def names(graph, lang="en"):
    return network.place_names(graph, tiny_case.PLACES, lang)


def test_place_names_cover_every_node_place_once():
    graph = tiny_graph()
    assert names(graph) == {"430000": "湖南 Hunan", "431000": "郴州 Chenzhou", "430100": "长沙 Changsha",
                            "440000": "广东 Guangdong", "440300": "深圳 Shenzhen", "110000": "北京 Beijing",
                            "110100": "北京 Beijing"}


def node_traces(fig):
    return [t for t in fig.data if t.type == "scatter" and t.mode == "markers+text"]


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("theme", style.THEMES)
def test_nodes_are_coloured_by_role_and_shaped_by_status(lang, theme):
    graph = tiny_graph()
    fig = network.build_network(graph, names(graph, lang), lang=lang, theme=theme)
    traces = {t.name: t for t in node_traces(fig)}
    vendor = traces[vocab.label(vocab.ROLES, "number_vendor", lang)]
    assert vendor.marker.color == style.category_color("role", "number_vendor", theme)
    assert dict(zip(vendor.ids, vendor.marker.symbol)) == {
        "V1": network.STATUS_SYMBOLS["at_large"],
        "V2": network.STATUS_SYMBOLS["under_investigation"],
        "V3": network.STATUS_SYMBOLS["arrested"],
    }
    drawn = [i for t in node_traces(fig) for i in t.ids]
    assert sorted(drawn) == sorted(graph.nodes)
    legend = {t.name for t in fig.data if t.showlegend is not False and t.name}
    canonical = set(vocab.values(vocab.ROLES)) | set(vocab.values(vocab.STATUSES))
    assert not legend & canonical
    assert {vocab.label(vocab.STATUSES, s, lang) for s in network.STATUS_SYMBOLS} <= legend


def test_edge_width_follows_the_amount():
    fig = network.build_network(tiny_graph(), names(tiny_graph()), lang="en")
    edges = [t for t in fig.data if t.name == "edges"]
    widest = max(edges, key=lambda t: t.line.width)
    positions = network.layout(tiny_graph())
    overseas = positions["OVERSEAS-1"]
    assert any(np.allclose((x, y), overseas) for x, y in zip(widest.x, widest.y) if x is not None)


def test_markup_in_a_name_is_text_in_the_chart():
    fig = network.build_network(tiny_graph(), names(tiny_graph()), lang="en", labelled=10)
    texts = [s for t in node_traces(fig) for s in list(t.text) + list(t.hovertext)]
    assert not any("<img" in s for s in texts)
    assert any("&lt;img src=x onerror=alert(1)&gt;" in s for s in texts)


def test_hover_names_places_and_roles_for_people():
    fig = network.build_network(tiny_graph(), names(tiny_graph()), lang="en")
    hover = " ".join(s for t in node_traces(fig) for s in t.hovertext)
    assert "长沙 Changsha" in hover and "Number vendor" in hover and "At large" in hover
    assert "number_vendor" not in hover and "431000" not in hover

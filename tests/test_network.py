"""The link chart: labels, a fixed layout, centrality and the figure, over graphs the query layer builds."""

import networkx as nx
import numpy as np
import pandas as pd
import pytest

from casemap.query import graph as graph_query
from casemap import i18n, network, style, vocab
from casemap.filters import FilterState
from casemap.query.graph import PaymentGraph, payment_graph
from casemap.query.where import Key
from casemap.store import Store
from tests import tiny_case


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    """A SQLite store with the demo case (seeded) and the tiny hand-made case."""
    store = Store(f"sqlite:///{tmp_path_factory.mktemp('network') / 'store.sqlite'}")
    store.ensure()
    store.save("tiny", tiny_case.suspects(), tiny_case.payments())
    yield store
    store.close()


def graph_of(store: Store, case: str, **options) -> nx.Graph:
    state = FilterState(case=case)
    return payment_graph(store.engine, Key.of(state, store.data_version(case)), **options).graph


@pytest.fixture(scope="module")
def tiny(store):
    return graph_of(store, "tiny")


@pytest.fixture(scope="module")
def demo(store):
    return graph_of(store, "demo")


def names(graph, lang="en"):
    return network.place_names(graph, tiny_case.PLACES, lang)


def group_node(role, members, *, city=None, province=None, in_filter=True, amount=0.0):
    return {"kind": "group", "in_filter": in_filter, "name": "", "role": role, "status": None,
            "province": province, "city": city, "amount_yuan": amount, "members": members}


def grouped_graph() -> nx.Graph:
    """Two payers kept as themselves, groups by role and place, and the overseas accounts as one node."""
    graph = nx.Graph()
    graph.add_node("P1", kind="suspect", in_filter=True, name="夏某", role="payer", status="arrested",
                   province="430000", city="431000", amount_yuan=100_000.0, members=1)
    graph.add_node("number_vendor@430100", **group_node("number_vendor", 12, city="430100", province="430000"))
    graph.add_node("mobile_port@440000", **group_node("mobile_port", 3, province="440000", amount=9_000.0))
    graph.add_node(network.OVERSEAS_GROUP, **group_node(None, 4, in_filter=False))
    graph.add_edge("P1", "number_vendor@430100", amount_yuan=5_000.0, payments=12)
    graph.add_edge("P1", "mobile_port@440000", amount_yuan=800.0, payments=2)
    graph.add_edge("P1", network.OVERSEAS_GROUP, amount_yuan=50_000.0, payments=4)
    return graph


def test_vendors_grouped_by_city_read_as_their_city(store):
    graph = graph_of(store, "tiny", finest="vendors")
    assert {"vendors@430100", "vendors@440300", "vendors@110100", "P1", "P2", "OVERSEAS-1"} == set(graph.nodes)
    group = graph.nodes["vendors@430100"]
    assert network.node_label("vendors@430100", group, names(graph), "en") == "Vendors in 长沙 Changsha (1)"
    assert network.node_label("vendors@430100", group, names(graph, "zh"), "zh") == "长沙号商（1人）"


@pytest.mark.parametrize("node, lang, label", [
    ("mobile_port@440000", "en", "Mobile port in 广东 Guangdong (3)"),
    ("mobile_port@440000", "zh", "广东手机口（3人）"),
    ("number_vendor@430100", "en", "Vendors in 长沙 Changsha (12)"),
    (network.OVERSEAS_GROUP, "en", "Overseas accounts (4)"),
    (network.OVERSEAS_GROUP, "zh", "境外账户（4个）"),
])
def test_groups_by_role_and_place_read_as_role_place_and_size(node, lang, label):
    graph = grouped_graph()
    assert network.node_label(node, graph.nodes[node], names(graph, lang), lang) == label


def test_a_group_caption_says_how_many_it_stands_for():
    graph = grouped_graph()
    assert network.group_caption(graph.nodes["number_vendor@430100"], "en") == "12 vendors in this group."
    assert network.group_caption(graph.nodes["mobile_port@440000"], "en") == "3 people or accounts in this group."


def test_the_overseas_group_is_drawn_with_the_overseas_accounts():
    graph = grouped_graph()
    fig = network.build_network(graph, names(graph), lang="en")
    traces = {t.name: t for t in node_traces(fig)}
    assert network.OVERSEAS_GROUP in traces["Overseas accounts"].ids
    legend = {t.name for t in fig.data if t.showlegend is not False and t.name}
    assert i18n.t("network_groups_legend", "en") in legend
    hover = " ".join(traces["Overseas accounts"].hovertext)
    assert i18n.t("hover_amount", "en") not in hover


def result(level: str, finest: str, *, suspects=500, links=None, graph=None) -> PaymentGraph:
    graph = grouped_graph() if graph is None else graph
    links = graph.number_of_edges() if links is None else links
    return PaymentGraph(graph, network.centrality(graph), level, finest, suspects, links, network.NODE_BUDGET, None)


BUDGET, TOP = network.NODE_BUDGET, network.TOP_PARTIES


@pytest.mark.parametrize("level, finest, expected", [
    ("people", "people", []),
    ("vendors", "vendors", [i18n.t("network_aggregated", "en", count=500, limit=network.AGGREGATE_ABOVE)]),
    ("vendors", "people", [i18n.t("network_grouped_vendors", "en", limit=BUDGET)]),
    ("city", "vendors", [i18n.t("network_grouped_city", "en", limit=BUDGET, top=TOP)]),
    ("province", "people", [i18n.t("network_grouped_province", "en", limit=BUDGET, top=TOP)]),
])
def test_the_page_is_told_how_a_graph_was_simplified(level, finest, expected):
    assert network.graph_notices(result(level, finest), "en") == expected


def test_links_left_out_are_told():
    notices = network.graph_notices(result("province", "vendors", links=4_000), "zh")
    assert notices[-1] == i18n.t("network_links_dropped", "zh", shown=3, total=4_000)


def test_layout_is_the_same_every_time(store, demo):
    assert network.layout(demo) == network.layout(graph_of(store, "demo"))


def test_people_with_no_payment_are_set_apart_below_the_network(demo):
    positions = network.layout(demo)
    isolated = [n for n in demo.nodes if demo.degree(n) == 0]
    main = max(nx.connected_components(demo), key=len)
    assert isolated and len(main) > 100
    lowest_of_main = min(positions[n][1] for n in main)
    assert all(positions[n][1] < lowest_of_main for n in isolated)
    assert len(set(positions.values())) == demo.number_of_nodes()  # no two nodes on one spot


def test_the_payers_the_vendors_hang_from_do_not_hide_each_other(demo):
    positions = network.layout(demo)
    main = max(nx.connected_components(demo), key=len)
    payers = [np.array(positions[n]) for n in main if demo.nodes[n]["role"] == "payer"]
    width = np.ptp([positions[n][0] for n in main])
    assert len(payers) == 3
    gaps = [np.linalg.norm(a - b) for i, a in enumerate(payers) for b in payers[i + 1:]]
    assert min(gaps) > 0.15 * width


def test_the_brokers_and_the_big_movers_are_named(demo):
    named = network.labelled_nodes(demo)
    xia = next(n for n, d in demo.nodes(data=True) if d["name"] == "夏某")
    organizer = next(n for n, d in demo.nodes(data=True) if d["role"] == "organizer")
    assert {xia, organizer} <= named
    assert len(named) <= 2 * network.LABELLED_NODES
    assert not any(demo.nodes[n]["kind"] == "external" for n in named)


def test_betweenness_puts_the_broker_first(tiny):
    ranks = network.centrality(tiny)
    assert ranks.index[0] == "P1"  # every path between the others runs through Xia
    assert ranks.loc["P1", "degree"] == 4
    assert ranks.loc["P1", "amount_moved_yuan"] == 1_100 + 2_000 + 500 + 50_000
    assert network.betweenness_sources(tiny) is None  # small: exact


def test_betweenness_of_a_large_graph_is_sampled_the_same_way_in_any_node_order():
    graph = nx.relabel_nodes(nx.gnm_random_graph(graph_query.EXACT_BETWEENNESS_UP_TO + 50, 1_500, seed=3),
                             lambda n: f"N{n:04d}")
    nx.set_edge_attributes(graph, 1.0, "amount_yuan")
    reordered = nx.Graph()
    reordered.add_nodes_from(sorted(graph.nodes, reverse=True))
    reordered.add_edges_from(reversed(list(graph.edges(data=True))))
    assert network.betweenness_sources(graph) == graph_query.BETWEENNESS_SAMPLES
    first, again = network.centrality(graph), network.centrality(reordered)
    pd.testing.assert_series_equal(first["betweenness"].sort_index(), again["betweenness"].sort_index())
    exact = pd.Series(nx.betweenness_centrality(graph)).sort_index()
    assert not np.allclose(first["betweenness"].sort_index(), exact)  # estimated, not exact
    assert np.corrcoef(first["betweenness"].sort_index(), exact)[0, 1] > 0.8  # ... and close to it


def test_ego_network_is_the_person_and_their_counterparts(tiny):
    assert set(network.ego(tiny, "V2").nodes) == {"V2", "P1", "P2"}


def test_place_names_cover_every_node_place_once(tiny):
    assert names(tiny) == {"430000": "湖南 Hunan", "431000": "郴州 Chenzhou", "430100": "长沙 Changsha",
                           "440000": "广东 Guangdong", "440300": "深圳 Shenzhen", "110000": "北京 Beijing",
                           "110100": "北京 Beijing"}


def node_traces(fig):
    return [t for t in fig.data if t.type == "scatter" and t.mode == "markers+text"]


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("theme", style.THEMES)
def test_nodes_are_coloured_by_role_and_shaped_by_status(tiny, lang, theme):
    fig = network.build_network(tiny, names(tiny, lang), lang=lang, theme=theme)
    traces = {t.name: t for t in node_traces(fig)}
    vendor = traces[vocab.label(vocab.ROLES, "number_vendor", lang)]
    assert vendor.marker.color == style.category_color("role", "number_vendor", theme)
    assert dict(zip(vendor.ids, vendor.marker.symbol)) == {
        "V1": network.STATUS_SYMBOLS["at_large"],
        "V2": network.STATUS_SYMBOLS["under_investigation"],
        "V3": network.STATUS_SYMBOLS["arrested"],
    }
    drawn = [i for t in node_traces(fig) for i in t.ids]
    assert sorted(drawn) == sorted(tiny.nodes)
    legend = {t.name for t in fig.data if t.showlegend is not False and t.name}
    canonical = set(vocab.values(vocab.ROLES)) | set(vocab.values(vocab.STATUSES))
    assert not legend & canonical
    assert {vocab.label(vocab.STATUSES, s, lang) for s in network.STATUS_SYMBOLS} <= legend


def test_edge_width_follows_the_amount(tiny):
    fig = network.build_network(tiny, names(tiny), lang="en")
    edges = [t for t in fig.data if t.name == "edges"]
    widest = max(edges, key=lambda t: t.line.width)
    overseas = network.layout(tiny)["OVERSEAS-1"]
    assert any(np.allclose((x, y), overseas) for x, y in zip(widest.x, widest.y) if x is not None)


def test_markup_in_a_name_is_text_in_the_chart(tiny):
    fig = network.build_network(tiny, names(tiny), lang="en", labelled=10)
    texts = [s for t in node_traces(fig) for s in list(t.text) + list(t.hovertext)]
    assert not any("<img" in s for s in texts)
    assert any("&lt;img src=x onerror=alert(1)&gt;" in s for s in texts)


def test_hover_names_places_and_roles_for_people(tiny):
    fig = network.build_network(tiny, names(tiny), lang="en")
    hover = " ".join(s for t in node_traces(fig) for s in t.hovertext)
    assert "长沙 Changsha" in hover and "Number vendor" in hover and "At large" in hover
    assert "number_vendor" not in hover and "431000" not in hover


@pytest.mark.parametrize("lang, colon", [("en", ": "), ("zh", "：")])
def test_hover_amounts_follow_the_language_and_the_legend_lies_below(tiny, lang, colon):
    fig = network.build_network(tiny, names(tiny, lang), lang=lang)
    hover = " ".join(s for t in node_traces(fig) for s in t.hovertext)
    assert i18n.t("hover_amount", lang) + colon in hover
    legend = fig.layout.legend
    assert (legend.orientation, legend.yref, legend.yanchor) == ("h", "container", "bottom")

"""Link analysis on small hand-made cases: one-hop expansion, shortest paths and their words, communities,
shared accounts, and the chart's typed nodes and lines."""

from __future__ import annotations

import networkx as nx
import pytest

from casemap import link_chart, linkgraph


def person(node: str, name: str, role: str = "mobile_port", status: str = "arrested", amount: float = 0.0):
    return node, {"kind": "suspect", "in_filter": True, "name": name, "role": role, "status": status,
                  "province": "430000", "city": "431000", "amount_yuan": amount, "members": 1}


def overseas(node: str):
    return node, {"kind": "external", "in_filter": False, "name": node, "role": None, "status": None,
                  "province": None, "city": None, "amount_yuan": 0.0, "members": 1}


def case() -> nx.Graph:
    """Zhou rents out a phone and a WeChat to the overseas side; Li shares Zhou's phone; Xia pays a vendor
    who is paid by Zhou; an overseas wallet receives from the WeChat; Wang stands apart."""
    payments = nx.Graph()
    payments.add_nodes_from([person("S1", "周某", amount=5000), person("S2", "夏某", "payer", amount=90000),
                             person("S3", "李某", "pc_end"), person("S4", "赵某", "number_vendor"),
                             person("S9", "王某", "other"), overseas("X1")])
    payments.add_edge("S2", "S4", amount_yuan=12000.0, payments=3)
    payments.add_edge("S4", "X1", amount_yuan=800.0, payments=1)
    accounts = [
        linkgraph.account_node("A1", "phone", "138****5678", holder="S1", status="rented"),
        linkgraph.account_node("A2", "wechat", "wx****ab", holder="S1"),
        linkgraph.account_node("A3", "usdt_wallet", "TQ1x****9zZ", holder=None),
    ]
    links = [("S1", "A1", "controls"), ("A1", "S3", "rented_to"), ("S1", "A2", "controls"),
             ("A2", "A3", "paid_via"), ("A1", "S4", "rented_to"), ("S1", "NOPE", "contact"), ("S1", "S1", "contact")]
    return linkgraph.add_accounts(payments, accounts, links)


def test_accounts_and_links_join_the_payment_graph_with_their_relations():
    graph = case()
    assert graph.nodes["A1"]["kind"] == "account" and graph.nodes["A1"]["number"] == "138****5678"
    assert graph.edges["S2", "S4"]["relations"] == ("payment",)
    assert graph.edges["S1", "A1"]["relations"] == ("controls",)
    assert graph.edges["A1", "S3"]["arrows"] == (("rented_to", "A1", "S3"),)
    # A link to an unknown party, and one from a node to itself, are left out.
    assert "NOPE" not in graph and not graph.has_edge("S1", "S1")


def test_a_link_beside_a_payment_keeps_both():
    payments = nx.Graph()
    payments.add_nodes_from([person("S1", "甲"), person("S2", "乙")])
    payments.add_edge("S1", "S2", amount_yuan=10.0, payments=1)
    graph = linkgraph.add_accounts(payments, [], [("S2", "S1", "recruited")])
    assert graph.edges["S1", "S2"]["relations"] == ("payment", "recruited")
    assert graph.edges["S1", "S2"]["amount_yuan"] == 10.0


def test_one_hop_adds_the_neighbours_of_the_chosen_node_only():
    graph = case()
    assert linkgraph.one_hop(graph, {"S2"}, "S1") == {"S2", "S1", "A1", "A2"}
    assert linkgraph.one_hop(graph, {"S1", "A1", "A2"}, "A1") == {"S1", "A1", "A2", "S3", "S4"}
    assert linkgraph.one_hop(graph, {"S2"}, "UNKNOWN") == {"S2"}


def test_the_shortest_path_runs_through_the_rented_account_and_the_vendor():
    graph = case()
    assert linkgraph.shortest_path(graph, "S1", "S2") == ["S1", "A1", "S4", "S2"]
    assert linkgraph.shortest_path(graph, "S1", "S9") is None
    assert linkgraph.shortest_path(graph, "S1", "UNKNOWN") is None


def test_among_equal_paths_the_first_in_id_order_is_taken_whatever_the_insertion_order():
    square = nx.Graph([("a", "c"), ("c", "d"), ("a", "b"), ("b", "d")])
    assert linkgraph.shortest_path(square, "a", "d") == ["a", "b", "d"]
    reordered = nx.Graph([("b", "d"), ("a", "b"), ("c", "d"), ("a", "c")])
    assert linkgraph.shortest_path(reordered, "a", "d") == ["a", "b", "d"]


def test_the_hops_follow_the_direction_each_relation_points():
    graph = case()
    hops = linkgraph.path_hops(graph, ["S3", "A1", "S1"])
    assert [(h["relation"], h["reverse"]) for h in hops] == [("rented_to", True), ("controls", True)]
    hops = linkgraph.path_hops(graph, ["S4", "S2"])
    assert hops[0]["relation"] == "payment" and hops[0]["payments"] == 3 and hops[0]["amount_yuan"] == 12000.0


@pytest.mark.parametrize(("lang", "expected"), [
    ("en", ["周某 (S1, Mobile port) reaches 夏某 (S2, Payer) in 3 hops:",
            "1. 周某 (S1, Mobile port) controls phone 138****5678.",
            "2. phone 138****5678 was rented out to 赵某 (S4, Number vendor).",
            "3. 夏某 (S2, Payer) and 赵某 (S4, Number vendor) exchanged ¥12.0K in 3 payments."]),
    ("zh", ["周某（S1，手机口） 经 3 步关联到 夏某（S2，支付结算）：",
            "1. 周某（S1，手机口） 控制着 手机号 138****5678。",
            "2. 手机号 138****5678 被出租给 赵某（S4，号商）。",
            "3. 夏某（S2，支付结算） 与 赵某（S4，号商） 之间有 3 笔资金往来，共 1.2万元。"]),
])
def test_the_path_is_explained_hop_by_hop(lang, expected):
    graph = case()
    path = linkgraph.shortest_path(graph, "S1", "S2")
    lines = link_chart.explain_path(graph, path, {}, lang)
    assert lines[0] == expected[0]
    assert lines[1:3] == expected[1:3]
    assert lines[3].split(" ")[0] == "3." and "赵某" in lines[3] and "夏某" in lines[3]
    assert ("3 payments" in lines[3]) if lang == "en" else ("3 笔" in lines[3])


def two_cliques() -> nx.Graph:
    graph = nx.Graph()
    left = ["a1", "a2", "a3", "a4"]
    right = ["b1", "b2", "b3", "b4"]
    graph.add_edges_from((x, y) for group in (left, right) for i, x in enumerate(group) for y in group[i + 1:])
    graph.add_edge("a1", "b1")  # one bridge
    graph.add_edge("c1", "c2")  # a pair apart
    graph.add_node("lone")
    for node in graph:
        graph.nodes[node].update(person(node, node, amount=1.0)[1])
    for a, b in graph.edges:
        graph.edges[a, b].update(amount_yuan=1.0, payments=1)
    return linkgraph.add_accounts(graph, [], [])


def test_communities_split_the_two_cliques_largest_first_and_leave_lone_nodes_out():
    found = linkgraph.communities(two_cliques())
    assert {found[n] for n in ("a1", "a2", "a3", "a4")} == {found["a1"]}
    assert {found[n] for n in ("b1", "b2", "b3", "b4")} == {found["b1"]}
    assert found["a1"] != found["b1"]
    assert found["c1"] == found["c2"] == 2  # the smallest group numbered last
    assert "lone" not in found


def test_communities_are_the_same_every_time_and_whatever_the_insertion_order():
    graph = two_cliques()
    shuffled = nx.Graph()
    shuffled.add_nodes_from(reversed(list(graph.nodes(data=True))))
    shuffled.add_edges_from(reversed(list(graph.edges)))
    assert linkgraph.communities(graph) == linkgraph.communities(shuffled) == linkgraph.communities(graph)


def test_the_community_table_counts_people_and_accounts():
    graph = case()
    found = linkgraph.communities(graph)
    table = linkgraph.community_table(graph, found)
    assert table["people"].sum() + table["accounts"].sum() == len(found)
    assert table["accounts"].sum() == 3 and table["community"].tolist() == list(range(1, len(table) + 1))


def test_a_shared_account_lists_every_person_linked_to_it():
    shared = linkgraph.shared_accounts(case())
    assert shared["account"].tolist() == ["A1"]  # the WeChat has one person, the wallet none
    row = shared.iloc[0]
    assert row["people"] == ("S1", "S3", "S4") and row["count"] == 3
    assert row["relations"] == ("controls", "rented_to")
    view = linkgraph.sharing_graph(case(), shared)
    assert set(view) == {"A1", "S1", "S3", "S4"}


def test_people_whose_own_accounts_lead_to_one_account_share_it():
    payments = nx.Graph()
    payments.add_nodes_from([person("S1", "甲"), person("S2", "乙"), person("S3", "丙", "payer")])
    accounts = [linkgraph.account_node("P1", "phone", "1"), linkgraph.account_node("P2", "phone", "2"),
                linkgraph.account_node("W", "alipay", "3")]
    links = [("S1", "P1", "controls"), ("S2", "P2", "controls"), ("P1", "W", "paid_via"), ("P2", "W", "paid_via"),
             ("S3", "W", "controls")]
    graph = linkgraph.add_accounts(payments, accounts, links)
    shared = linkgraph.shared_accounts(graph)
    assert shared["account"].tolist() == ["W"]
    assert shared.iloc[0]["people"] == ("S1", "S2", "S3") and shared.iloc[0]["relations"] == ("controls", "paid_via")
    assert set(linkgraph.sharing_graph(graph, shared)) == {"W", "P1", "P2", "S1", "S2", "S3"}


def test_no_shared_account_gives_an_empty_table_with_its_columns():
    graph = linkgraph.add_accounts(nx.Graph(), [linkgraph.account_node("A", "qq", "12****89")], [])
    shared = linkgraph.shared_accounts(graph)
    assert shared.empty and "people" in shared.columns


def test_reachable_finds_the_overseas_side_through_the_accounts():
    graph = case()
    assert linkgraph.reachable(graph, "S3", ["external"]) == {"X1"}
    assert linkgraph.reachable(graph, "S9", ["external"]) == set()


def trace(fig, name):
    return next(t for t in fig.data if t.name == name and t.mode == "markers+text")


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_chart_draws_accounts_by_kind_and_relations_by_style(lang):
    graph = case()
    fig = link_chart.build_link_chart(graph, {}, lang=lang, theme="light")
    phone = trace(fig, link_chart.kind_label("phone", lang))
    assert list(phone.ids) == ["A1"] and phone.marker.symbol[0] == link_chart.ACCOUNT_SYMBOLS["phone"]
    wallet = trace(fig, link_chart.kind_label("usdt_wallet", lang))
    assert wallet.marker.symbol[0] == "hexagram"
    lines = {t.name for t in fig.data if t.mode == "lines"}
    for relation in ("rented_to", "controls", "paid_via", "payment"):
        assert link_chart.i18n.t(f"link_rel_{relation}", lang) in lines
    # A phone is drawn in its holder's role colour.
    assert phone.marker.color[0] == link_chart.style.category_color("role", "mobile_port", "light")
    # Masked numbers only: the chart never carries more than the masked form.
    assert "138****5678" in phone.hovertext[0]


def test_the_path_is_drawn_over_the_rest_and_the_rest_fades():
    graph = case()
    path = ["S1", "A1", "S4", "S2"]
    fig = link_chart.build_link_chart(graph, {}, lang="en", path=path)
    drawn = next(t for t in fig.data if t.name == "Shortest path")
    assert sum(x is None for x in drawn.x) == 3  # three hops
    vendor = trace(fig, "Number vendor")
    other = trace(fig, "Other")
    assert vendor.marker.opacity[0] == 1.0 and other.marker.opacity[0] < 0.5


def test_communities_colour_the_nodes_by_group():
    graph = two_cliques()
    groups = linkgraph.communities(graph)
    fig = link_chart.build_link_chart(graph, {}, lang="en", groups=groups)
    colours = {n: c for t in fig.data if t.mode == "markers+text" for n, c in zip(t.ids, t.marker.color)}
    assert colours["a2"] == colours["a3"] != colours["b2"]

"""The link graph and the leads as a viewer gets them from the query layer: people, accounts and holders by
pseudonym, names masked, no account number; and a scoped reader gets no account or link of another province."""

from __future__ import annotations

import networkx as nx
import pandas as pd
import pytest

from casemap import link_chart, link_tables, linkgraph
from casemap.accounts import mask_number
from casemap.access import ANALYST, VIEWER, Access, Scope, is_pseudonym, mask_name, pseudonym
from casemap.filters import FilterState
from casemap.query import CaseQuery, direct_runner, links, masking
from casemap.query.graph import PaymentGraph
from casemap.query.where import Key
from casemap.schema import validate_accounts, validate_links
from casemap.store import Store
from tests import tiny_case

HUNAN = "430000"
VIEWER_EVERYWHERE = Access("v@unit", VIEWER)


def accounts() -> pd.DataFrame:
    """Zhou (P2, Hunan) holds two phones rented to an overseas wallet, paid via Xia's (P1) Alipay account; the
    Shenzhen vendor (V2) a bank card Zhou's phone was paid via; the Beijing vendor (V3) a card; two phones of
    nobody used on the same device as his phones, one placed in Hunan and one in Guangdong."""
    return validate_accounts(pd.DataFrame({
        "account_id": ["PH1", "PH2", "ALI", "W1", "GDCARD", "CARD", "HNPHONE", "GDPHONE"],
        "kind": ["phone", "phone", "alipay", "usdt_wallet", "bank_card", "bank_card", "phone", "phone"],
        "number": ["13812345678", "13900001111", "13700002222", "T" + "1" * 33, "6222020000000000004",
                   "6222020000000000012", "13600003333", "13500004444"],
        "holder_id": ["P2", "P2", "P1", "OVERSEAS-1", "V2", "V3", None, None],
        "status": ["seized", "seized", "frozen", "frozen", None, None, None, None],
        "province_adcode": [None, None, None, None, None, None, HUNAN, "440000"],
        "first_seen": pd.to_datetime(["2023-08-08", "2023-08-08", "2024-01-20", None, None, None, None, None]),
        "lead": ["two_card_lead", "two_card_lead", "investigation", "other_case", "two_card_lead", None, None, None],
    }))


def links_frame() -> pd.DataFrame:
    rows = [("P2", "PH1", "controls"), ("P2", "PH2", "controls"), ("PH1", "W1", "rented_to"),
            ("PH2", "W1", "rented_to"), ("PH1", "ALI", "paid_via"), ("P1", "ALI", "controls"),
            ("V3", "CARD", "controls"), ("PH2", "GDCARD", "paid_via"), ("P2", "V2", "recruited"),
            ("HNPHONE", "PH1", "same_device"), ("GDPHONE", "PH2", "same_device")]
    return validate_links(pd.DataFrame({"link_id": [f"L{i}" for i in range(len(rows))],
                                        "from_id": [r[0] for r in rows], "to_id": [r[1] for r in rows],
                                        "relation": [r[2] for r in rows], "source": ["investigation"] * len(rows)}))


REAL_IDS = {"P1", "P2", "V1", "V2", "V3", "OVERSEAS-1", *accounts()["account_id"]}
NUMBERS = set(accounts()["number"]) | {mask_number(k, n) for k, n in zip(accounts()["kind"], accounts()["number"])}


@pytest.fixture(scope="module")
def engine(tmp_path_factory):
    url = f"sqlite:///{tmp_path_factory.mktemp('link_masking') / 'store.sqlite'}"
    with Store(url) as store:
        version = store.save("linked", suspects=tiny_case.suspects(), payments=tiny_case.payments(),
                             accounts=accounts(), links=links_frame())
        yield store.engine, version


def query(engine, access, **filters) -> CaseQuery:
    db, version = engine
    return CaseQuery.of(direct_runner(db), FilterState(case="linked", **filters), version, access)


def strings_of(graph: nx.Graph) -> str:
    """Every node id, node attribute and edge attribute of ``graph`` as one text."""
    return repr([*graph.nodes(data=True), *graph.edges(data=True)])


def real_names() -> set[str]:
    return set(tiny_case.suspects()["name"].dropna())


def test_a_viewers_link_graph_is_the_analysts_with_every_person_and_account_by_pseudonym(engine):
    plain = query(engine, Access("a@unit", ANALYST)).link_graph()
    masked = query(engine, VIEWER_EVERYWHERE).link_graph()
    renamed = {n: pseudonym("linked", n) if d["kind"] != "group" else n for n, d in plain.graph.nodes(data=True)}
    assert nx.utils.graphs_equal(nx.relabel_nodes(nx.Graph(plain.graph.edges), renamed),
                                 nx.Graph(masked.graph.edges))  # the same drawing, other names
    assert not set(masked.graph) & REAL_IDS and all(is_pseudonym(n) for n in masked.graph)
    text = strings_of(masked.graph) + repr(masked.ranks.index.tolist())
    assert not [real for real in sorted(REAL_IDS | real_names() | NUMBERS) if f"'{real}'" in text]
    assert "****" not in text  # not even a number masked in the middle
    zhou = masked.graph.nodes[pseudonym("linked", "P2")]
    assert zhou["name"] == mask_name("周某") and zhou["role"] == "mobile_port"
    phone = masked.graph.nodes[pseudonym("linked", "PH1")]
    assert phone["holder"] == pseudonym("linked", "P2") and phone["number"] == pseudonym("linked", "PH1")
    for _, _, data in masked.graph.edges(data=True):  # the typed links point between the nodes drawn
        assert all(a in masked.graph and b in masked.graph for _, a, b in data["arrows"])
    assert set(masked.ranks.index) == set(masked.graph) and masked.payments.graph.number_of_nodes()
    assert not set(masked.payments.graph) & REAL_IDS


def test_paths_communities_and_shared_accounts_of_a_viewer_name_nobody(engine):
    masked = query(engine, VIEWER_EVERYWHERE).link_graph()
    graph = masked.graph
    path = linkgraph.shortest_path(graph, pseudonym("linked", "P2"), pseudonym("linked", "P1"))
    assert path and len(path) >= 3
    told = " ".join(link_chart.explain_path(graph, path, {}, "en"))
    shared = linkgraph.shared_accounts(graph)
    assert not shared.empty  # the wallet the phones were rented to
    groups = linkgraph.communities(graph)
    tables = (link_tables.shared_table(graph, shared, {}, "en").to_string()
              + link_tables.community_table(graph, linkgraph.community_table(graph, groups), {}, "en").to_string())
    chart = link_chart.build_link_chart(graph, {}, lang="en", path=path).to_json()
    for text in (told, tables, chart):
        assert not [real for real in sorted(REAL_IDS | real_names()) if real in text.replace("OVERSEAS-1", "")]
        assert "OVERSEAS-1" not in text and not [n for n in NUMBERS if n in text]
    assert mask_name("周某") in told and mask_name("夏某") in told


def test_grouped_accounts_of_a_viewer_keep_the_groups_and_hide_the_people():
    payments = nx.Graph()
    payments.add_node("P2", kind="suspect", name="周某", role="mobile_port", status="arrested", province=HUNAN,
                      city=None, amount_yuan=1.0, members=1, in_filter=True)
    payments.add_node("mobile_port@430000", kind="group", name="", role="mobile_port", status=None, province=HUNAN,
                      city=None, amount_yuan=2.0, members=3, in_filter=True)
    payments.add_edge("P2", "mobile_port@430000", amount_yuan=5.0, payments=1)
    accounts_ = [linkgraph.account_node("phone#P2", "phone", "", holder="P2", members=2, grouped=True),
                 linkgraph.account_node("phone#mobile_port@430000", "phone", "", holder="mobile_port@430000",
                                        members=4, grouped=True)]
    graph = linkgraph.add_accounts(payments, accounts_, [("P2", "phone#P2", links.HOLDS),
                                                         ("phone#P2", "phone#mobile_port@430000", "rented_to")])
    found = links.LinkGraph(graph, linkgraph_ranks(graph), PaymentGraph(payments, None, "province", "people", 4, 1,
                                                                          10, None), 6, 2, True)
    masked = masking.mask_link_graph(found, VIEWER_EVERYWHERE, "c").graph
    assert "mobile_port@430000" in masked and "P2" not in masked and "'P2'" not in strings_of(masked)
    assert "周某" not in strings_of(masked)
    assert masked.nodes[pseudonym("c", "phone#P2")]["holder"] == pseudonym("c", "P2")
    assert masked.nodes[pseudonym("c", "phone#mobile_port@430000")]["holder"] == "mobile_port@430000"
    assert masking.mask_link_graph(found, Access("a", ANALYST), "c") is found  # an analyst's is untouched


def linkgraph_ranks(graph: nx.Graph) -> pd.DataFrame:
    from casemap.query.graph import centrality

    return centrality(graph)


def test_a_viewers_leads_name_accounts_and_holders_by_pseudonym(engine):
    plain = query(engine, Access("a@unit", ANALYST)).leads()
    masked = query(engine, VIEWER_EVERYWHERE).leads()
    assert len(masked) == len(plain) and list(masked.columns) == list(plain.columns)
    assert masked["account"].map(is_pseudonym).all() and not set(masked["account"]) & REAL_IDS
    holders = masked["holder"].dropna()
    assert holders.map(is_pseudonym).all() and len(holders) == plain["holder"].notna().sum()
    assert set(masked["name"].dropna()) == {mask_name(n) for n in plain["name"].dropna()}
    table = link_tables.leads_table(link_tables.lead_rows(masked), "en").to_string()
    assert not [real for real in sorted(REAL_IDS | real_names()) if real in table]


def test_a_scoped_reader_gets_no_account_or_link_of_another_province(engine):
    for access in (Access("a@unit", ANALYST, Scope.of([HUNAN])), Scope.of([HUNAN])):
        graph = query(engine, access).link_graph().graph
        accounts_ = {n for n, d in graph.nodes(data=True) if linkgraph.is_account(d)}
        # Zhou's and Xia's accounts, the overseas wallet (no province) and the phone of nobody placed in Hunan
        assert accounts_ == {"PH1", "PH2", "ALI", "W1", "HNPHONE"}
        assert not {"V2", "V3"} & set(graph)  # the Guangdong and Beijing vendors
        for a, b, data in graph.edges(data=True):
            assert all(end in graph for _, x, y in data["arrows"] for end in (x, y))
        leads = query(engine, access).leads()
        assert "GDCARD" not in set(leads["account"]) and "CARD" not in set(leads["account"])
    everywhere = query(engine, Access("a@unit", ANALYST)).link_graph().graph
    assert {"GDCARD", "GDPHONE"} <= set(everywhere)  # what the scope hid is there for everyone else


def test_grouped_accounts_under_a_scope_count_none_of_another_province(engine):
    db, version = engine
    key = Key.of(FilterState(case="linked"), version, Scope.of([HUNAN]))
    groups, pairs = links.grouped_accounts(db, key, "province", ())
    assert int(groups["members"].sum()) == 5  # PH1, PH2, ALI; the wallet and the Hunan phone unheld
    assert not groups["holder_node"].str.contains("440000|110000").any()
    assert not [p for p in pairs if "440000" in p[0] + p[1] or "110000" in p[0] + p[1]]

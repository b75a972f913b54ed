"""The link graph from the store: accounts follow the people shown, links join what is shown, large cases group
accounts, leads follow the suspects; and on the demo every renter reaches the overseas side and Xia."""

from __future__ import annotations

import pandas as pd
import pytest

from casemap import link_chart, linkgraph
from casemap.filters import FilterState
from casemap.query import CaseQuery, direct_runner, links
from casemap.query.where import Key
from casemap.schema import validate_accounts, validate_links
from casemap.store import Store
from tests import tiny_case


def accounts() -> pd.DataFrame:
    """P2 (Zhou, mobile port) holds two phones rented to an overseas wallet; P1 (Xia) an Alipay account the phones
    were paid via; V3 (Beijing vendor) a bank card; a stray phone of nobody is linked to nothing."""
    return validate_accounts(pd.DataFrame({
        "account_id": ["PH1", "PH2", "ALI", "W1", "CARD", "STRAY"],
        "kind": ["phone", "phone", "alipay", "usdt_wallet", "bank_card", "phone"],
        "number": ["13812345678", "13900001111", "13700002222", "T" + "1" * 33, "6222020000000000004", "13600003333"],
        "holder_id": ["P2", "P2", "P1", "OVERSEAS-1", "V3", None],
        "status": ["seized", "seized", "frozen", "frozen", None, None],
        "first_seen": pd.to_datetime(["2023-08-08", "2023-08-08", "2024-01-20", None, None, None]),
        "lead": ["two_card_lead", "two_card_lead", "investigation", "other_case", None, None],
    }))


def links_frame() -> pd.DataFrame:
    rows = [("P2", "PH1", "controls"), ("P2", "PH2", "controls"), ("PH1", "W1", "rented_to"),
            ("PH2", "W1", "rented_to"), ("PH1", "ALI", "paid_via"), ("P1", "ALI", "controls"),
            ("V3", "CARD", "controls")]
    return validate_links(pd.DataFrame({"link_id": [f"L{i}" for i in range(len(rows))],
                                        "from_id": [r[0] for r in rows], "to_id": [r[1] for r in rows],
                                        "relation": [r[2] for r in rows], "source": ["investigation"] * len(rows)}))


@pytest.fixture(scope="module")
def engine(tmp_path_factory):
    url = f"sqlite:///{tmp_path_factory.mktemp('links') / 'store.sqlite'}"
    with Store(url) as store:
        version = store.save("linked", suspects=tiny_case.suspects(), payments=tiny_case.payments(),
                             accounts=accounts(), links=links_frame())
        yield store.engine, version


def query(engine, **filters) -> CaseQuery:
    db, version = engine
    return CaseQuery.of(direct_runner(db), FilterState(case="linked", **filters), version)


def test_accounts_join_the_people_shown_with_their_links_and_masked_numbers(engine):
    found = query(engine).link_graph()
    graph = found.graph
    assert {"PH1", "PH2", "ALI", "W1", "CARD"} <= set(graph) and "STRAY" not in graph
    assert graph.nodes["PH1"]["number"] == "138****5678" and "13812345678" not in str(graph.nodes["PH1"])
    assert graph.edges["PH1", "W1"]["relations"] == ("rented_to",)
    assert graph.edges["P2", "PH1"]["relations"] == ("controls",)
    assert graph.edges["W1", "OVERSEAS-1"]["relations"] == (links.HOLDS,)  # the holder, with no link of its own
    assert found.accounts == 5 and not found.grouped


def test_the_renter_reaches_the_payer_through_the_phone_and_the_alipay_account(engine):
    graph = query(engine).link_graph().graph
    assert linkgraph.shortest_path(graph, "P2", "P1") in (["P2", "V2", "P1"], ["P2", "PH1", "ALI", "P1"])
    assert "OVERSEAS-1" in linkgraph.reachable(graph, "P2", ["external"])


def test_accounts_follow_the_filters(engine):
    graph = query(engine, roles=("number_vendor",)).link_graph().graph
    assert "CARD" in graph  # the Beijing vendor's card
    # Xia is drawn only as the counterpart of the Beijing vendor: his Alipay account, and the phones paid via it,
    # stay out.
    beijing = query(engine, provinces=("110000",)).link_graph().graph
    assert "CARD" in beijing and "P1" in beijing
    assert not {"ALI", "PH1", "W1"} & set(beijing)


def test_a_budget_keeps_the_accounts_with_the_most_links(engine):
    db, version = engine
    key = Key.of(FilterState(case="linked"), version)
    frame, found_links, total = links.accounts_around(db, key, ("P1", "P2", "V3"), budget=2)
    assert total == 5 and frame["account_id"].tolist() == ["PH1", "ALI"]  # 4 and 2 links; then by id
    assert all(a in {"P1", "P2", "V3", "PH1", "ALI"} and b in {"P1", "P2", "V3", "PH1", "ALI"}
               for a, b, _ in found_links)


def test_grouped_accounts_count_per_kind_and_holder_node(engine):
    db, version = engine
    key = Key.of(FilterState(case="linked"), version)
    groups, pairs = links.grouped_accounts(db, key, "province", ())
    members = dict(zip(groups["node"], groups["members"]))
    assert members["phone#mobile_port@430000"] == 2
    assert members["alipay#payer@430000"] == 1 and members["bank_card#number_vendor@110000"] == 1
    assert members["usdt_wallet#" + links.UNHELD] == 1  # the wallet's holder is no suspect shown
    assert ("phone#mobile_port@430000", "usdt_wallet#unheld", "rented_to", 2) in pairs
    assert ("mobile_port@430000", "phone#mobile_port@430000", links.HOLDS, 2) in pairs


def test_leads_follow_the_suspects_shown(engine):
    everyone = query(engine).leads()
    assert set(everyone["account"]) == {"PH1", "PH2", "ALI", "W1"}
    zhou = everyone.set_index("account").loc["PH1"]
    assert zhou["holder"] == "P2" and zhou["status"] == "arrested" and zhou["source"] == "two_card_lead"
    payers = query(engine, roles=("payer",)).leads()
    assert set(payers["account"]) == {"ALI"}  # an overseas wallet goes with any suspect filter


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    url = f"sqlite:///{tmp_path_factory.mktemp('demo') / 'store.sqlite'}"
    with Store(url) as store:
        store.ensure()
        yield CaseQuery.of(direct_runner(store.engine), FilterState(), store.data_version("demo"))


def test_on_the_demo_every_renter_reaches_the_overseas_side_and_xia(demo):
    found = demo.link_graph()
    graph = found.graph
    renters = [n for n, d in graph.nodes(data=True) if d.get("role") in ("mobile_port", "pc_end")]
    assert renters
    for renter in renters:
        held = [n for n in graph.neighbors(renter) if graph.nodes[n].get("kind") == "account"]
        assert held, renter  # connected to the accounts they rented
        assert linkgraph.reachable(graph, renter, ["external"]), renter
    xia = next(n for n, d in graph.nodes(data=True) if d.get("name") == "夏某")
    port = next(n for n, d in graph.nodes(data=True) if d.get("role") == "mobile_port")
    path = linkgraph.shortest_path(graph, port, xia)
    assert path and path[0] == port and path[-1] == xia
    lines = link_chart.explain_path(graph, path, {}, "zh")
    assert len(lines) == len(path) and "夏某" in lines[0] and "****" in "".join(lines)

"""Link analysis over a small graph of people and accounts: one-hop expansion, paths, communities, shared accounts.

Pure functions over ``networkx`` graphs, no I/O and no streamlit. The graph
comes from the query layer (:mod:`casemap.query.links`): the payment graph of
the filters shown (people, groups of people, overseas parties; see
:mod:`casemap.query.graph`) with the accounts of those people and the typed
links between them added by :func:`add_accounts`.

Nodes carry ``kind``: ``suspect``, ``group``, ``external`` (people and
payment parties) or ``account`` / ``account_group`` (a phone number, WeChat,
QQ, bank card, Alipay account or USDT wallet, or a group of them of one kind).
Edges carry ``relations``, a sorted tuple of the typed relations between the
two ends plus ``"payment"`` when money moved between them, and ``arrows``,
the (relation, from, to) triples that say which way each relation points.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from itertools import pairwise

import networkx as nx
import pandas as pd

ACCOUNT_KINDS = ("phone", "wechat", "qq", "bank_card", "alipay", "usdt_wallet")
RELATIONS = ("rented_to", "recruited", "paid_via", "controls", "same_device", "contact")
PAYMENT = "payment"  # the relation of a payment edge (money moved between the two ends)
ACCOUNT_NODE_KINDS = ("account", "account_group")
PERSON_NODE_KINDS = ("suspect", "group", "external")
COMMUNITY_SEED = 20230801  # Louvain is randomised: a fixed seed draws the same groups every time
COMMUNITY_RESOLUTION = 1.0


def is_account(data: Mapping) -> bool:
    """Whether a node's attributes describe an account (or a group of accounts)."""
    return data.get("kind") in ACCOUNT_NODE_KINDS


def account_node(account_id: str, kind: str, masked: str, *, holder: str | None = None, status: str | None = None,
                 province: str | None = None, city: str | None = None, first_seen=None, in_filter: bool = True,
                 members: int = 1, grouped: bool = False) -> tuple[str, dict]:
    """The node of one account (``grouped``: a group of ``members`` accounts of one kind) and its attributes."""
    return account_id, {
        "kind": "account_group" if grouped else "account", "account_kind": kind, "number": masked,
        "holder": holder, "status": status, "province": province, "city": city, "first_seen": first_seen,
        "in_filter": in_filter, "members": members, "name": masked, "role": None, "amount_yuan": 0.0,
    }


def _relate(graph: nx.Graph, source: str, target: str, relation: str) -> None:
    if graph.has_edge(source, target):
        data = graph.edges[source, target]
    else:
        graph.add_edge(source, target, relations=(), arrows=(), amount_yuan=0.0, payments=0)
        data = graph.edges[source, target]
    if (relation, source, target) not in data["arrows"]:
        data["arrows"] = tuple(sorted({*data["arrows"], (relation, source, target)}))
    data["relations"] = tuple(sorted({*data["relations"], relation}))


def add_accounts(payments: nx.Graph, accounts: Iterable[tuple[str, dict]],
                 links: Iterable[tuple[str, str, str]]) -> nx.Graph:
    """A copy of the payment graph ``payments`` with ``accounts`` (from :func:`account_node`) and typed ``links``.

    Every payment edge gets ``relations=("payment",)``; each link
    ``(from, to, relation)`` adds its relation to the edge between its ends.
    A link with an end in neither the payments nor the accounts is left out
    (the query layer only passes the links of the parties shown); a link
    from a node to itself is left out.
    """
    graph = nx.Graph()
    graph.add_nodes_from(payments.nodes(data=True))
    for a, b, data in payments.edges(data=True):
        graph.add_edge(a, b, **{**data, "relations": (PAYMENT,), "arrows": ()})
    graph.add_nodes_from(sorted(accounts, key=lambda item: item[0]))
    for source, target, relation in sorted(links):
        if source != target and source in graph and target in graph:
            _relate(graph, source, target, relation)
    return graph


def one_hop(graph: nx.Graph, shown: Iterable[str], node: str) -> set[str]:
    """The nodes ``shown`` with ``node`` and its neighbours in ``graph`` added (the node expanded by one hop)."""
    out = set(shown)
    if node in graph:
        out |= {node, *graph.neighbors(node)}
    return out


def path_context(graph: nx.Graph, path: list[str], order: Iterable[str], per_node: int = 4) -> set[str]:
    """The nodes of ``path`` and, around each, up to ``per_node`` neighbours first in ``order`` (most central first).

    A path through a hub (an Alipay account that paid for a hundred numbers)
    would otherwise bring the whole star along and hide the path.
    """
    rank = {node: i for i, node in enumerate(order)}
    nodes = set(path)
    for node in path:
        around = sorted((n for n in graph.neighbors(node) if n not in nodes), key=lambda n: (rank.get(n, len(rank)), n))
        nodes |= set(around[:per_node])
    return nodes


def _in_id_order(graph: nx.Graph) -> nx.Graph:
    ordered = nx.Graph()
    ordered.add_nodes_from(sorted(graph.nodes))
    ordered.add_edges_from(sorted(tuple(sorted(edge)) for edge in graph.edges))
    return ordered


def shortest_path(graph: nx.Graph, source: str, target: str) -> list[str] | None:
    """The fewest hops from ``source`` to ``target`` (the first in id order among equals); None when unconnected."""
    if source not in graph or target not in graph:
        return None
    try:
        return nx.shortest_path(_in_id_order(graph), source, target)
    except nx.NetworkXNoPath:
        return None


def path_hops(graph: nx.Graph, path: list[str]) -> list[dict]:
    """Each hop of ``path``: its ends in path order, the relation that joins them and whether it points backwards.

    A hop joined by several relations is told by the first typed one in
    :data:`RELATIONS` order (the evidence), then by the payment.
    """
    hops = []
    for a, b in pairwise(path):
        data = graph.edges[a, b]
        arrows = {relation: (source, target) for relation, source, target in data.get("arrows", ())}
        relation = next((r for r in RELATIONS if r in arrows), PAYMENT if PAYMENT in data["relations"] else None)
        if relation is None:  # a relation this version does not know: told as a contact
            relation = "contact"
        source, target = arrows.get(relation, (a, b))
        hops.append({"from": a, "to": b, "relation": relation, "reverse": (source, target) == (b, a),
                     "amount_yuan": float(data.get("amount_yuan") or 0.0), "payments": int(data.get("payments") or 0)})
    return hops


def communities(graph: nx.Graph, seed: int = COMMUNITY_SEED) -> dict[str, int]:
    """Each node's community (Louvain, fixed seed), numbered from 0 by size, largest first; lone nodes get none.

    Communities of one node are left out: a person with no link is no group.
    """
    if graph.number_of_edges() == 0:
        return {}
    found = nx.community.louvain_communities(_in_id_order(graph), seed=seed, resolution=COMMUNITY_RESOLUTION)
    groups = sorted((sorted(group) for group in found if len(group) > 1), key=lambda g: (-len(g), g[0]))
    return {node: index for index, group in enumerate(groups) for node in group}


def community_table(graph: nx.Graph, found: Mapping[str, int]) -> pd.DataFrame:
    """Per community: its people, its accounts, the most linked member, and its amount moved."""
    rows = []
    for index in sorted(set(found.values())):
        members = sorted(node for node, group in found.items() if group == index)
        people = [m for m in members if not is_account(graph.nodes[m])]
        hub = max(members, key=lambda m: (graph.degree(m), -members.index(m)))
        rows.append({"community": index + 1, "people": len(people), "accounts": len(members) - len(people),
                     "hub": hub, "amount_yuan": sum(graph.nodes[m].get("amount_yuan", 0.0) for m in people)})
    return pd.DataFrame(rows, columns=["community", "people", "accounts", "hub", "amount_yuan"])


def _people_of(graph: nx.Graph, account: str) -> dict[str, set[str]]:
    """The people linked to ``account``, each with the relations that link them.

    A person is linked to an account directly (holding, renting or
    controlling it), or through an account of their own that is linked to it
    and points at it (a phone rented to a wallet, a WeChat paid for via an
    Alipay account); the relation named is then the one between the two accounts.
    """
    people: dict[str, set[str]] = {}
    for neighbour in graph.neighbors(account):
        edge = graph.edges[account, neighbour]
        if not is_account(graph.nodes[neighbour]):
            people.setdefault(neighbour, set()).update(edge["relations"])
            continue
        # Only links that point at the account: a wallet is shared by the phones rented to it, a phone
        # is not shared with the holder of the Alipay account that paid for it.
        relations = {r for r, source, target in edge.get("arrows", ()) if (source, target) == (neighbour, account)}
        if not relations:
            continue
        for person in graph.neighbors(neighbour):
            if person != account and not is_account(graph.nodes[person]):
                people.setdefault(person, set()).update(relations)
    return people


def shared_accounts(graph: nx.Graph) -> pd.DataFrame:
    """The accounts linked to two or more people (see :func:`_people_of`), with those people; most people first.

    Payment parties that are no suspect (the overseas groups) count as people.
    """
    rows = []
    for node, data in graph.nodes(data=True):
        if data.get("kind") != "account":
            continue
        people = _people_of(graph, node)
        if len(people) >= 2:
            rows.append({"account": node, "account_kind": data["account_kind"], "number": data["number"],
                         "people": tuple(sorted(people)), "count": len(people),
                         "relations": tuple(sorted(set().union(*people.values())))})
    frame = pd.DataFrame(rows, columns=["account", "account_kind", "number", "people", "count", "relations"])
    return frame.sort_values(["count", "account"], ascending=[False, True], kind="stable").reset_index(drop=True)


def sharing_graph(graph: nx.Graph, shared: pd.DataFrame) -> nx.Graph:
    """The accounts of ``shared``, the people linked to them and the accounts between: the view to draw."""
    keep = set(shared["account"]) | {p for people in shared["people"] for p in people}
    for account in shared["account"]:
        keep |= {n for n in graph.neighbors(account) if is_account(graph.nodes[n])
                 and any(p in keep and not is_account(graph.nodes[p]) for p in graph.neighbors(n))}
    return graph.subgraph(sorted(keep)).copy()


def reachable(graph: nx.Graph, node: str, kinds: Iterable[str]) -> set[str]:
    """The nodes of the given ``kind`` values that ``node`` is connected to, by any number of hops."""
    if node not in graph:
        return set()
    wanted = set(kinds)
    return {n for n in nx.node_connected_component(graph, node) if graph.nodes[n].get("kind") in wanted and n != node}


def choosable(graph: nx.Graph) -> set[str]:
    """The nodes a person may choose to focus on or to join by a path: all but overseas payment parties."""
    return {node for node, data in graph.nodes(data=True) if data.get("kind") != "external"}


def expanded_ids(text: str) -> list[str]:
    """The node ids of a comma-separated list (a URL setting), blanks and repeats left out, in order."""
    return list(dict.fromkeys(part.strip() for part in (text or "").split(",") if part.strip()))

"""The payment graph of the filters shown, summed in the database and kept small enough to draw.

Edges are the payments shown summed per pair of nodes (``GROUP BY`` in SQL,
both directions of a pair added up, payments within one node left out).
Nodes come from the suspects: those that pass the filters
(``in_filter=True``), the counterparts of their payments that the filters
left out (``in_filter=False``), and parties that are no suspect of the case
within the user's scope (``kind="external"``).

No function here reads a whole case. A graph is built at the finest level of
:data:`LEVELS` that fits :data:`NODE_BUDGET`:
person by person up to :data:`AGGREGATE_ABOVE` suspects
shown, then with number vendors grouped by city (``vendors@<city>``), then
everyone but the :data:`TOP_PARTIES` biggest movers of money
grouped by role and city (``<role>@<adcode>``, overseas accounts as one
``overseas@``), then by role and province. The result carries its
centrality, so that betweenness runs once per (case, version, filters,
scope) through the query runner.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import networkx as nx
import pandas as pd
from sqlalchemy import (
    ColumnElement,
    Select,
    Engine,
    String,
    and_,
    case,
    false,
    func,
    literal,
    not_,
    null,
    select,
    union,
    union_all,
)
from sqlalchemy.orm import aliased

from casemap.query.where import (
    Key,
    fetch_rows,
    filtered_suspect_ids,
    live,
    payment_clause,
    scan_key,
    suspect_clause,
)
from casemap.store import payments_table, suspects_table

__all__ = ["PaymentGraph", "group_graph", "payment_graph", "person_graph"]

P = payments_table.c



AGGREGATE_ABOVE = 200  # suspects; above this, vendors are grouped by city
NODE_BUDGET = 400  # the chart never gets more nodes than this, whatever the case size
EDGE_BUDGET = 3000  # ... nor more links: above it only the heaviest are drawn
TOP_PARTIES = 40  # when grouping by role and place, the parties that moved the most stay themselves
# How far a graph is aggregated, finest first: person by person; vendors by
# city; everyone but the top parties by role and city; by role and province.
LEVELS = ("people", "vendors", "city", "province")
EXACT_BETWEENNESS_UP_TO = 300  # nodes; above this betweenness is estimated from sampled sources
BETWEENNESS_SAMPLES = 100
CENTRALITY_SEED = 20240805
GROUP_PREFIX = "vendors@"  # vendors of one city: "vendors@<city adcode>"
OVERSEAS_GROUP = "overseas@"  # every party outside the suspects list, when grouping by role and place


def betweenness_sources(graph: nx.Graph) -> int | None:
    """How many sampled source nodes betweenness is estimated from; None when it is exact."""
    return None if graph.number_of_nodes() <= EXACT_BETWEENNESS_UP_TO else BETWEENNESS_SAMPLES


def _in_id_order(graph: nx.Graph) -> nx.Graph:
    # Sampling picks sources by position: the same nodes in any insertion order give the same sample.
    ordered = nx.Graph()
    ordered.add_nodes_from(sorted(graph.nodes))
    ordered.add_edges_from(sorted(tuple(sorted(edge)) for edge in graph.edges))
    return ordered


def centrality(graph: nx.Graph) -> pd.DataFrame:
    """Degree (distinct counterparts), amount moved and betweenness per node, most central first.

    Betweenness is exact up to :data:`EXACT_BETWEENNESS_UP_TO` nodes; above,
    it is estimated from :data:`BETWEENNESS_SAMPLES` sources drawn with a
    fixed seed, so the same graph always ranks the same way.
    """
    if graph.number_of_nodes() == 0:
        return pd.DataFrame(columns=["degree", "amount_moved_yuan", "betweenness"])
    sources = betweenness_sources(graph)
    if sources is None:
        betweenness = nx.betweenness_centrality(graph, normalized=True)
    else:
        betweenness = nx.betweenness_centrality(_in_id_order(graph), k=sources, seed=CENTRALITY_SEED, normalized=True)
    out = pd.DataFrame({
        "degree": dict(graph.degree()),
        "amount_moved_yuan": dict(graph.degree(weight="amount_yuan")),
        "betweenness": betweenness,
    })
    out.index.name = "node"
    return out.sort_values(["betweenness", "degree", "amount_moved_yuan"], ascending=False, kind="stable")


def ego(graph: nx.Graph, node: str, radius: int = 1) -> nx.Graph:
    """The node, its counterparts and the payments among them."""
    return nx.ego_graph(graph, node, radius=radius)


@dataclass(frozen=True, eq=False)
class PaymentGraph:
    """A payment graph ready to draw, with how it was simplified.

    ``graph`` holds at most ``budget`` nodes (the coarsest level, role and
    province, is taken whatever its size: at most the top parties, one node
    per role and province, and the overseas group); ``ranks`` is its
    :func:`casemap.centrality` (None when built with ``ranked=False``); ``level`` is one of
    :data:`LEVELS`, the level it was drawn at, and ``finest``
    the finest level it could have been; ``suspects`` counts the suspects that pass
    the filters among its parties; ``links`` counts the links before the link
    budget (more than ``graph``'s edges when some were left out);
    ``sampled`` is the number of sources betweenness was estimated from, None
    when exact.
    """

    graph: nx.Graph
    ranks: pd.DataFrame | None
    level: str
    finest: str
    suspects: int
    links: int
    budget: int
    sampled: int | None

    @property
    def aggregated(self) -> bool:
        """Whether some nodes stand for more than one party."""
        return self.level != "people"


def _known(key: Key, people) -> list[ColumnElement[bool]]:
    """Who a party may be: a live suspect of the case within the scope, filters aside."""
    parts = [people.c.case == key.case, live(people)]
    if key.scope.limited:
        parts.append(people.c.province_adcode.in_(sorted(key.scope.provinces)))
    return parts


def _grouping(level: str, party, people, keep: Sequence[str]):
    """(grouped flag, node id, node city) of ``party`` at ``level``, as SQL over its suspect row ``people``.

    ``keep`` lists parties that stay themselves at any level.
    """
    c = people.c
    if level == "people":
        return literal(0), party, c.city_adcode
    kept = party.in_(list(keep)) if keep else false()
    if level == "vendors":
        grouped = and_(c.role == "number_vendor", c.city_adcode.is_not(None), not_(kept))
        node = case((grouped, literal(GROUP_PREFIX, String) + c.city_adcode), else_=party)
        return case((grouped, 1), else_=0), node, c.city_adcode
    place = func.coalesce(c.city_adcode, c.province_adcode) if level == "city" else c.province_adcode
    node = case(
        (kept, party),
        (c.suspect_id.is_(None), literal(OVERSEAS_GROUP, String)),
        else_=c.role + literal("@", String) + place,
    )
    city = c.city_adcode if level == "city" else case((kept, c.city_adcode), else_=null())
    return case((kept, 0), else_=1), node, city


def _node_query(key: Key, parties, level: str, keep: Sequence[str]):
    people = aliased(suspects_table, name="party")
    party = parties.c.party_id
    grouped, node, city = _grouping(level, party, people, keep)
    c = people.c
    members = (
        select(
            node.label("node"),
            grouped.label("grouped"),
            case((c.suspect_id.is_(None), 0), else_=1).label("suspect"),
            case((suspect_clause(key, people), 1), else_=0).label("in_filter"),
            c.name, c.role, c.status, c.province_adcode.label("province"), city.label("city"),
            func.coalesce(c.amount_yuan, 0.0).label("amount_yuan"),
        )
        .select_from(parties.outerjoin(people, and_(c.suspect_id == party, *_known(key, people))))
        .subquery("members")
    )
    m = members.c
    # A subquery first, then GROUP BY its columns: PostgreSQL can't match an
    # expression with bound parameters in SELECT to the same one in GROUP BY.
    return select(
        m.node, func.max(m.grouped), func.max(m.suspect), func.count(), func.max(m.in_filter), func.min(m.name),
        func.min(m.role), func.min(m.status), func.min(m.province), func.min(m.city), func.sum(m.amount_yuan),
    ).group_by(m.node)


def _edge_query(key: Key, paid: ColumnElement[bool], level: str, keep: Sequence[str]):
    if level == "people":
        return (
            select(P.payer_id, P.payee_id, func.sum(P.amount_yuan), func.count())
            .where(paid)
            .group_by(scan_key(P.payer_id), scan_key(P.payee_id))
        )
    # Each suspect's node is worked out once, per suspect, then looked up per payment: the payments
    # are many more than the suspects, and a node id is a string built from the suspect's row.
    people = aliased(suspects_table, name="party")
    _, node, _ = _grouping(level, people.c.suspect_id, people, keep)
    nodes = select(people.c.suspect_id.label("party"), node.label("node")).where(*_known(key, people)).subquery()
    payer, payee = aliased(nodes, name="payer"), aliased(nodes, name="payee")

    def end(party, mapped):
        # A party that is no suspect shown: itself when kept or when only vendors are grouped, else overseas.
        kept = party.in_(list(keep)) if keep else false()
        outside = party if level == "vendors" else case((kept, party), else_=literal(OVERSEAS_GROUP, String))
        return func.coalesce(mapped.c.node, outside)

    source, target = end(P.payer_id, payer), end(P.payee_id, payee)
    joined = payments_table.outerjoin(payer, payer.c.party == P.payer_id).outerjoin(payee, payee.c.party == P.payee_id)
    pairs = (
        select(source.label("source"), target.label("target"), P.amount_yuan)
        .select_from(joined)
        .where(paid)
        .subquery("pairs")
    )
    return select(pairs.c.source, pairs.c.target, func.sum(pairs.c.amount_yuan), func.count()).group_by(
        pairs.c.source, pairs.c.target
    )


def _top_parties(engine: Engine, paid: ColumnElement[bool], n: int) -> list[str]:
    """The ``n`` parties that paid and received the most among the payments ``paid`` (to others)."""
    moved = union_all(
        select(P.payer_id.label("party"), P.amount_yuan).where(paid, P.payer_id != P.payee_id),
        select(P.payee_id.label("party"), P.amount_yuan).where(paid, P.payer_id != P.payee_id),
    ).subquery("moved")
    total = func.sum(moved.c.amount_yuan)
    query = select(moved.c.party, total).group_by(moved.c.party).order_by(total.desc(), moved.c.party).limit(n)
    return [party for party, _ in fetch_rows(engine, query)]


def _attributes(row: tuple) -> tuple[str, dict]:
    node, grouped, suspect, members, in_filter, name, role, status, province, city, amount = row
    if not suspect and not grouped:
        return node, {"kind": "external", "in_filter": False, "name": node, "role": None, "status": None,
                      "province": None, "city": None, "amount_yuan": 0.0, "members": 1}
    return node, {
        "kind": "group" if grouped else "suspect",
        "in_filter": bool(in_filter),
        "name": "" if grouped else name or "",
        "role": role if suspect else None,
        "status": None if grouped else status,
        "province": province,
        "city": city,
        "amount_yuan": float(amount or 0.0),
        "members": int(members),
    }


def _undirected(edges) -> Select:
    """The links of the directed sums ``edges`` (source, target, amount, count), summed in the database.

    Both directions of a pair are added up and payments within one node left
    out; only the links that may be among the :data:`EDGE_BUDGET` heaviest
    come back (every link tied with the last), each with the count of all links.
    """
    e = edges.subquery("directed")
    source, target, amount, count = e.c
    forward = source < target
    pairs = (
        select(case((forward, source), else_=target).label("a"), case((forward, target), else_=source).label("b"),
               amount.label("amount"), count.label("n"))
        .where(source != target)
        .subquery("pairs")
    )
    p = pairs.c
    summed = select(p.a, p.b, func.sum(p.amount).label("amount"), func.sum(p.n).label("n")).group_by(p.a, p.b)
    summed = summed.subquery("links")
    s = summed.c
    ranked = select(s.a, s.b, s.amount, s.n, func.rank().over(order_by=s.amount.desc()).label("place"),
                    func.count().over().label("total")).subquery("ranked")
    r = ranked.c
    return select(r.a, r.b, r.amount, r.n, r.total).where(r.place <= EDGE_BUDGET)


def _links(rows: list[tuple]) -> tuple[dict[tuple[str, str], list], int]:
    """The links read by :func:`_undirected` as {(a, b): [amount, count]} with a < b, and how many there are in all."""
    links: dict[tuple[str, str], list] = {}
    for a, b, amount, count, _ in rows:
        pair = (a, b) if a < b else (b, a)  # the database's collation may order ids another way
        links[pair] = [float(amount), int(count)]
    return links, int(rows[0][4]) if rows else 0


def _assemble(nodes: list[tuple], links: dict, total: int, level: str, finest: str, suspects: int, budget: int,
              ranked: bool = True) -> PaymentGraph:
    graph = nx.Graph()
    graph.add_nodes_from(_attributes(row) for row in sorted(nodes, key=lambda row: row[0]))
    heaviest = sorted(links.items(), key=lambda item: (-item[1][0], item[0]))[: EDGE_BUDGET]
    for (a, b), (amount, count) in sorted(heaviest):
        graph.add_edge(a, b, amount_yuan=amount, payments=count)
    return PaymentGraph(graph, centrality(graph) if ranked else None, level, finest, suspects, total, budget,
                        betweenness_sources(graph))


def _build(engine: Engine, key: Key, seeds, paid: ColumnElement[bool], *, finest: str, budget: int,
           suspects: int, keep: Sequence[str] = (), start: str | None = None, ranked: bool = True) -> PaymentGraph:
    """The graph of the parties ``seeds`` and those of the payments ``paid``, at the finest level that fits.

    Levels from ``start`` (default ``finest``) are tried in turn; each try
    reads at most ``budget + 1`` nodes, and the last level is taken whatever its size.
    """
    parties = union(seeds, select(P.payer_id).where(paid), select(P.payee_id).where(paid)).subquery("parties")
    parties = select(parties.c[0].label("party_id")).subquery("parties_shown")
    levels = LEVELS[LEVELS.index(start or finest):]
    top: list[str] | None = None
    for level in levels:
        kept = list(keep)
        if level in ("city", "province"):
            top = _top_parties(engine, paid, TOP_PARTIES) if top is None else top
            kept = sorted({*keep, *top})
        query = _node_query(key, parties, level, kept)
        last = level == levels[-1]
        nodes = fetch_rows(engine, query if last else query.limit(budget + 1))
        if last or len(nodes) <= budget:
            links, total = _links(fetch_rows(engine, _undirected(_edge_query(key, paid, level, kept))))
            return _assemble(nodes, links, total, level, finest, suspects, budget, ranked)
    raise AssertionError("the last level always fits")


def _count(engine: Engine, query) -> int:
    (count,), = fetch_rows(engine, query)
    return int(count)


def _fewest_nodes(engine: Engine, key: Key) -> tuple[int, dict[str, int]]:
    """The suspects shown, and at each level the fewest nodes they alone make (from the suspects table only).

    Every suspect shown is a node; a level whose bound is over the budget
    need not be tried, which spares a large case two reads of its payments.
    """
    c = suspects_table.c
    groupable = and_(c.role == "number_vendor", c.city_adcode.is_not(None))
    place = c.role + literal("@", String) + func.coalesce(c.city_adcode, c.province_adcode)
    query = select(
        func.count(),
        func.coalesce(func.sum(case((groupable, 0), else_=1)), 0),
        func.count(case((groupable, c.city_adcode)).distinct()),
        func.count(place.distinct()),
    ).where(suspect_clause(key))
    (shown, alone, vendor_cities, places), = fetch_rows(engine, query)
    # Up to TOP_PARTIES groups may empty when their members are kept as themselves.
    return int(shown), {"people": int(shown), "vendors": int(alone) + int(vendor_cities),
                        "city": int(places) - TOP_PARTIES, "province": 0}


def payment_graph(engine: Engine, key: Key, budget: int = NODE_BUDGET,
                  finest: str | None = None, *, ranked: bool = True) -> PaymentGraph:
    """The payment graph of the suspects and payments that pass ``key``, within ``budget`` nodes.

    ``finest`` is the finest level wanted: by default person by person up to
    :data:`AGGREGATE_ABOVE` suspects shown, vendors grouped
    by city above. ``ranked=False`` leaves ``ranks`` None, for a caller that
    ranks a larger graph built on this one (betweenness is the costliest step).
    """
    shown, fewest = _fewest_nodes(engine, key)
    finest = finest or ("people" if shown <= AGGREGATE_ABOVE else "vendors")
    levels = LEVELS[LEVELS.index(finest):]
    start = next(level for level in levels if fewest[level] <= budget or level == levels[-1])
    return _build(engine, key, filtered_suspect_ids(key), payment_clause(key),
                  finest=finest, budget=budget, suspects=shown, start=start, ranked=ranked)


def person_graph(engine: Engine, key: Key, person: str, budget: int = NODE_BUDGET) -> PaymentGraph:
    """One party's network: the party, its counterparts in the payments shown, and the payments among them.

    The same graph as the radius-1 ego network of the party in
    :func:`payment_graph` drawn person by person, read straight from the
    party's payments; above ``budget`` nodes the counterparts are grouped as
    in :func:`payment_graph`, the party itself always stays one node.
    """
    paid = payment_clause(key)
    circle = union(
        select(literal(person, String).label("party_id")),
        select(P.payee_id).where(paid, P.payer_id == person),
        select(P.payer_id).where(paid, P.payee_id == person),
    ).subquery("circle")
    members = select(circle.c[0])
    within = and_(paid, P.payer_id.in_(members), P.payee_id.in_(members))
    shown = _count(engine, select(func.count()).select_from(suspects_table).where(
        suspect_clause(key), suspects_table.c.suspect_id.in_(members)))
    return _build(engine, key, members, within, finest="people", budget=budget, suspects=shown, keep=(person,))


def group_graph(found: PaymentGraph, node: str) -> PaymentGraph:
    """A group's network within the small graph ``found``: the group, its counterparts and their links."""
    around = ego(found.graph, node)
    return PaymentGraph(around, centrality(around), found.level, found.finest, found.suspects,
                        around.number_of_edges(), found.budget, betweenness_sources(around))


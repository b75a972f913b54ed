"""The accounts and typed links around the payment graph shown, read in the database and kept within budget.

The link page draws the payment graph of :mod:`casemap.query.graph` (people,
groups of people, overseas parties) with the accounts of the people shown
and the links among them. Accounts follow the people, as payments do: an
account is shown when its holder is shown or a link joins it to someone
shown, and so is an account linked to such an account (the USDT wallet a
rented WeChat paid into). Only links whose two ends are shown are drawn.

Person by person (the graph's ``people`` level) every account is a node of
its own, within :data:`LINK_NODE_BUDGET` nodes in all (those with the most
links stay); when the people are grouped, accounts
are counted per kind and holder node (``<kind>#<node>``), and links between
accounts summed between those groups. No function here reads a whole case.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
from sqlalchemy import (
    Engine,
    String,
    and_,
    case,
    cast,
    false,
    func,
    literal,
    literal_column,
    null,
    or_,
    select,
    union,
    union_all,
)
from sqlalchemy.orm import aliased

from casemap import linkgraph
from casemap.accounts import mask_number
from casemap.query.graph import PaymentGraph, _grouping, centrality, payment_graph
from casemap.query.where import (
    Key,
    fetch_rows,
    filtered_suspect_ids,
    follows_suspects,
    live,
)
from casemap.store import accounts_table, links_table, suspects_table

__all__ = [
    "ACCOUNT_BUDGET",
    "HOLDS",
    "LINK_NODE_BUDGET",
    "UNHELD",
    "LinkGraph",
    "accounts_around",
    "grouped_accounts",
    "leads",
    "link_graph",
]

A = accounts_table.c
L = links_table.c
S = suspects_table.c
# Nodes of the whole link graph, people and accounts: the chart's spring layout switches to a sparse
# solver (scipy, which the app does not ship) above 500 nodes, and a person cannot read more anyway.
LINK_NODE_BUDGET = 480
ACCOUNT_BUDGET = LINK_NODE_BUDGET  # account nodes at most when no one else is drawn
GROUP_BUDGET = 120  # groups of accounts at most when people are grouped: the largest groups stay
HOLDS = "controls"  # an account's holder is drawn linked to it by this relation, unless a link says more
UNHELD = "unheld"  # the holder node of accounts with no holder shown, when accounts are grouped


def _accounts(key: Key):
    return and_(A.case == key.case, live(accounts_table), *_in_scope(key))


def _in_scope(key: Key) -> list:
    """Under a limited scope, the accounts of it: held by a suspect inside it, or by no suspect and placed in it or nowhere.

    An account held by a suspect of another province is never read, nor one
    of nobody (or of an overseas party) placed in another province.
    """
    if not key.scope.limited:
        return []
    provinces = sorted(key.scope.provinces)
    suspects = select(S.suspect_id).where(S.case == key.case, live(suspects_table))
    inside = suspects.where(S.province_adcode.in_(provinces))
    own_place = or_(A.province_adcode.is_(None), A.province_adcode.in_(provinces))
    return [or_(A.holder_id.in_(inside), and_(or_(A.holder_id.is_(None), A.holder_id.not_in(suspects)), own_place))]


def _links(key: Key):
    return and_(L.case == key.case, live(links_table))


def _linked_to(key: Key, ids) -> select:
    """``SELECT`` the ids linked to any of ``ids`` (a subquery of ids) by a live link, either way."""
    return union(
        select(L.to_id.label("id")).where(_links(key), L.from_id.in_(ids)),
        select(L.from_id.label("id")).where(_links(key), L.to_id.in_(ids)),
    )


def accounts_around(engine: Engine, key: Key, seeds: tuple[str, ...], people: tuple[str, ...] = (),
                    budget: int = ACCOUNT_BUDGET) -> tuple[pd.DataFrame, list[tuple[str, str, str]], int]:
    """The accounts of ``seeds`` (the people that pass the filters), those linked to them, and the links among all.

    ``people`` are every party drawn (the seeds and the counterparts of their
    payments, drawn faint): links to them are kept, but their own accounts
    are not brought in.

    Returns (accounts, links, total): ``accounts`` has one row per account
    (``account_id, kind, number, holder_id, status, province_adcode,
    city_adcode, first_seen, lead``), at most ``budget`` of them, those with
    the most links first; ``links`` are (from, to, relation) triples with
    both ends among ``people`` and the accounts kept, an account's holder
    linked to it by :data:`HOLDS`; ``total`` counts the accounts before the budget.
    """
    shown = list(seeds)
    first = union(
        select(A.account_id.label("id")).where(_accounts(key), A.holder_id.in_(shown)),
        select(A.account_id).where(_accounts(key), A.account_id.in_(_linked_to(key, shown))),
    ).subquery("first_ring")
    ring = select(first.c.id)
    second = select(A.account_id.label("id")).where(_accounts(key), A.account_id.in_(_linked_to(key, ring)))
    found = union(ring, second).subquery("found")
    among = select(found.c.id)
    degree = (  # the links of the accounts found only, not of the whole case
        select(L.from_id.label("id")).where(_links(key), L.from_id.in_(among))
        .union_all(select(L.to_id).where(_links(key), L.to_id.in_(among)))
        .subquery("ends")
    )
    links_of = select(degree.c.id, func.count().label("n")).group_by(degree.c.id).subquery("links_of")
    query = (
        select(A.account_id, A.kind, A.number, A.holder_id, A.status, A.province_adcode, A.city_adcode,
               A.first_seen, A.lead, func.coalesce(links_of.c.n, 0))
        .select_from(accounts_table.outerjoin(links_of, links_of.c.id == A.account_id))
        .where(_accounts(key), A.account_id.in_(select(found.c.id)))
    )
    rows = sorted(fetch_rows(engine, query), key=lambda row: (-int(row[-1]), row[0]))
    total = len(rows)
    columns = ["account_id", "kind", "number", "holder_id", "status", "province_adcode", "city_adcode",
               "first_seen", "lead"]
    frame = pd.DataFrame([row[:-1] for row in rows[:budget]], columns=columns)
    drawn = sorted({*seeds, *people})
    ends = set(drawn) | set(frame["account_id"])
    kept = list(frame["account_id"])
    link_rows = fetch_rows(engine, select(L.from_id, L.to_id, L.relation).where(
        _links(key), or_(L.from_id.in_(kept), L.to_id.in_(kept), and_(L.from_id.in_(drawn), L.to_id.in_(drawn)))))
    links = {(a, b, r) for a, b, r in link_rows if a in ends and b in ends}
    linked = {frozenset((a, b)) for a, b, _ in links}
    links |= {(h, a, HOLDS) for a, h in zip(frame["account_id"], frame["holder_id"])
              if h in ends and frozenset((h, a)) not in linked}
    return frame, sorted(links), total


def grouped_accounts(engine: Engine, key: Key, level: str, keep: tuple[str, ...]) -> tuple[pd.DataFrame, list]:
    """The accounts of the suspects shown counted per kind and holder node at ``level``, and the links between groups.

    ``keep`` are the people who stay themselves at ``level`` (the suspect
    nodes of the grouped payment graph). Returns (groups, links): groups
    with ``node, kind, holder_node, members``; links as (from group, to
    group, relation, count), the holder of each group linked to it by :data:`HOLDS`.
    """
    holder = aliased(suspects_table, name="holder")
    _, node, _ = _grouping(level, A.holder_id, holder, list(keep))
    shown = filtered_suspect_ids(key)
    held = and_(_accounts(key), A.holder_id.in_(shown))
    unheld_linked = and_(_accounts(key), or_(A.holder_id.is_(None), A.holder_id.not_in(shown)),
                         A.account_id.in_(_linked_to(key, select(A.account_id).where(held))))
    holder_node = func.coalesce(node, literal(UNHELD, String))
    members = (
        select(A.account_id.label("account"), A.kind.label("kind"),
               _holder_node(held, holder_node).label("holder_node"))
        .select_from(accounts_table.outerjoin(holder, and_(holder.c.suspect_id == A.holder_id,
                                                          holder.c.case == key.case, live(holder))))
        .where(or_(held, unheld_linked))
        .cte("members")
    )
    m = members.c
    # One statement: the groups and the links between them read the members once.
    a, b = aliased(members, name="a"), aliased(members, name="b")
    none = cast(null(), String)
    rows = fetch_rows(engine, union_all(
        select(literal_column("0").label("part"), m.kind, m.holder_node, none, none, none, func.count())
        .group_by(m.kind, m.holder_node),
        select(literal_column("1"), a.c.kind, a.c.holder_node, b.c.kind, b.c.holder_node, L.relation, func.count())
        .select_from(links_table.join(a, a.c.account == L.from_id).join(b, b.c.account == L.to_id))
        .where(_links(key))
        .group_by(a.c.kind, a.c.holder_node, b.c.kind, b.c.holder_node, L.relation),
    ))
    frame = pd.DataFrame([(f"{kind}#{holder_node}", kind, holder_node, int(n))
                          for part, kind, holder_node, _, _, _, n in rows if part == 0],
                         columns=["node", "kind", "holder_node", "members"]).sort_values("node", ignore_index=True)
    pairs = [row[1:] for row in rows if row[0] == 1]
    links = [(f"{ka}#{ha}", f"{kb}#{hb}", relation, int(n)) for ka, ha, kb, hb, relation, n in pairs]
    links += [(holder_node, node_id, HOLDS, members_count) for node_id, _, holder_node, members_count
              in frame.itertuples(index=False) if holder_node != UNHELD]
    return frame, sorted(links)


def _holder_node(held, holder_node):
    """The holder node of an account: its holder's node when the holder is shown, else :data:`UNHELD`."""
    return case((held, holder_node), else_=literal(UNHELD, String))


def leads(engine: Engine, key: Key) -> pd.DataFrame:
    """The accounts that came with a lead: ``source, date, account, kind, holder, name, status, arrest_date``.

    ``date`` is the account's first-seen date, ``holder`` its holder with
    their name, status and arrest date when they are a suspect. Leads follow
    the suspects shown: an account whose holder is no suspect (an overseas
    group's wallet) counts only when no suspect-level filter is set.
    """
    holder = aliased(suspects_table, name="holder")
    h = holder.c
    shown = filtered_suspect_ids(key)
    outside = h.suspect_id.is_(None) if not follows_suspects(key) else false()
    query = (
        select(A.lead, A.first_seen, A.account_id, A.kind, A.holder_id, h.name, h.status, h.arrest_date)
        .select_from(accounts_table.outerjoin(holder, and_(h.suspect_id == A.holder_id, h.case == key.case,
                                                          live(holder))))
        .where(_accounts(key), A.lead.is_not(None), A.lead != "", or_(A.holder_id.in_(shown), outside))
    )
    frame = pd.DataFrame(fetch_rows(engine, query),
                         columns=["source", "date", "account", "kind", "holder", "name", "status", "arrest_date"])
    for column in ("date", "arrest_date"):
        frame[column] = pd.to_datetime(frame[column], errors="coerce")
    return frame.sort_values(["date", "source", "account"], na_position="last", ignore_index=True)


@dataclass(frozen=True, eq=False)
class LinkGraph:
    """The link graph shown: people, accounts and their relations, with how it was simplified.

    ``graph`` is :func:`casemap.linkgraph.add_accounts` of ``payments.graph``;
    ``ranks`` its centrality; ``accounts`` counts the accounts around the
    people shown (more than the account nodes drawn when some were left out
    or grouped); ``grouped`` says whether accounts are drawn as groups.
    """

    graph: object
    ranks: pd.DataFrame
    payments: PaymentGraph
    accounts: int
    account_nodes: int
    grouped: bool


def _text(value) -> str | None:
    return None if value is None or pd.isna(value) or value == "" else str(value)


def _account_nodes(frame: pd.DataFrame) -> list[tuple[str, dict]]:
    return [
        linkgraph.account_node(row.account_id, row.kind, mask_number(row.kind, row.number),
                               holder=_text(row.holder_id), status=_text(row.status),
                               province=_text(row.province_adcode), city=_text(row.city_adcode),
                               first_seen=None if pd.isna(row.first_seen) else pd.Timestamp(row.first_seen))
        for row in frame.itertuples(index=False)
    ]


def link_graph(engine: Engine, key: Key) -> LinkGraph:
    """The payment graph shown (:func:`casemap.query.graph.payment_graph`) with its people's accounts and links.

    Person by person, each account is a node; when the people are grouped,
    so are their accounts, per kind and holder node.
    """
    payments = payment_graph(engine, key, ranked=False)  # ranked once, below, with the accounts
    nodes = payments.graph.nodes(data=True)
    if payments.level == "people":
        seeds = tuple(sorted(n for n, d in nodes if d["in_filter"]))
        frame, links, total = accounts_around(engine, key, seeds, tuple(sorted(n for n, _ in nodes)),
                                              budget=max(LINK_NODE_BUDGET - len(nodes), 0))
        accounts, grouped = _account_nodes(frame), False
    else:
        keep = tuple(sorted(n for n, d in nodes if d["kind"] != "group"))
        groups, pairs = grouped_accounts(engine, key, payments.level, keep)
        total = int(groups["members"].sum())
        # Groups other accounts point at (the wallets numbers were rented to) stay first: they join the rest.
        targets = {b for _, b, relation, _ in pairs if relation != HOLDS}
        groups = groups.assign(target=groups["node"].isin(targets)).sort_values(
            ["target", "members", "node"], ascending=[False, False, True], kind="stable")
        groups = groups.head(max(min(GROUP_BUDGET, LINK_NODE_BUDGET - len(nodes)), 0))
        accounts = [linkgraph.account_node(row.node, row.kind, "", holder=None if row.holder_node == UNHELD
                                           else row.holder_node, members=int(row.members), grouped=True)
                    for row in groups.itertuples(index=False)]
        links = [(a, b, relation) for a, b, relation, _ in pairs]
        grouped = True
    graph = linkgraph.add_accounts(payments.graph, accounts, links)
    shown = sum(1 for _, d in graph.nodes(data=True) if linkgraph.is_account(d))
    return LinkGraph(graph, centrality(graph), payments, total, shown, grouped)

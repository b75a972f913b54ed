"""Masking for viewers in the query layer: results out through :func:`casemap.access.mask_frame`, pseudonyms in.

:class:`~casemap.query.CaseQuery` masks every result that names a person
when its key's access is a viewer's, so no page can forget it. A viewer's
page only ever holds pseudonyms (``#`` and ten hex digits) where ids were;
when it hands one back (a person to show, a network to filter on) it is
turned into the id here, among the suspects the viewer may see.
"""

from __future__ import annotations

import networkx as nx
import pandas as pd
from sqlalchemy import Engine, and_, select

from casemap import linkgraph
from casemap.access import Access, is_pseudonym, mask_frame, mask_name, mask_value, pseudonym
from casemap.query import links
from casemap.query.graph import PaymentGraph
from casemap.query.where import Key, fetch_rows, live
from casemap.store import suspects_table

__all__ = ["UNKNOWN_PARTY", "pseudonyms", "real_id", "mask_graph", "mask_link_graph", "masked_link_graph",
           "mask_leads", "masked_leads"]

S = suspects_table.c
# What a pseudonym that names nobody the viewer may see becomes: an id no row has.
UNKNOWN_PARTY = "#"


def pseudonyms(engine: Engine, key: Key) -> dict[str, str]:
    """Pseudonym -> id of the case's live suspects within ``key``'s scope (filters aside)."""
    parts = [S.case == key.case, live(suspects_table)]
    if key.scope.limited:
        parts.append(S.province_adcode.in_(sorted(key.scope.provinces)))
    ids = [row[0] for row in fetch_rows(engine, select(S.suspect_id).where(and_(*parts)))]
    return {pseudonym(key.case, party): party for party in ids}


def real_id(party: str | None, access: Access, known: dict[str, str]) -> str | None:
    """The id behind ``party`` as a page of ``access`` gave it: itself unless masked, else its pseudonym's id.

    A viewer's real ids are refused (they become :data:`UNKNOWN_PARTY`): a
    viewer only ever names people by pseudonym.
    """
    if party is None or not access.masked:
        return party
    return known.get(party, UNKNOWN_PARTY) if is_pseudonym(party) else UNKNOWN_PARTY


def _node_name(node: str, attributes: dict, case: str) -> str:
    if attributes.get("kind") == "external":
        return pseudonym(case, node)
    return mask_name(attributes.get("name") or "") or ""


def mask_graph(found: PaymentGraph, access: Access, case: str) -> PaymentGraph:
    """``found`` as ``access`` sees it: a person's node renamed to their pseudonym, names masked; groups kept."""
    if not access.masked:
        return found
    renamed = {node: pseudonym(case, node) for node, data in found.graph.nodes(data=True)
               if data.get("kind") in ("suspect", "external")}
    graph = nx.relabel_nodes(found.graph, renamed, copy=True)
    for old, new in renamed.items():
        graph.nodes[new]["name"] = _node_name(old, found.graph.nodes[old], case)
    return PaymentGraph(graph, _renamed_ranks(found.ranks, renamed), found.level, found.finest, found.suspects,
                        found.links, found.budget, found.sampled)


def _renamed_ranks(ranks: pd.DataFrame | None, renamed: dict[str, str]) -> pd.DataFrame | None:
    if ranks is None:
        return None
    out = ranks.copy()
    out.index = pd.Index([renamed.get(node, node) for node in ranks.index], name=ranks.index.name, dtype=object)
    return out


def mask_link_graph(found: links.LinkGraph, access: Access, case: str) -> links.LinkGraph:
    """``found`` as ``access`` sees it: no name, id or account number of a person reaches a viewer.

    People and overseas parties are renamed as in :func:`mask_graph`; every
    account (and group of accounts) becomes its pseudonym, and so does its
    number (a viewer sees no phone or account number, :data:`casemap.access.COLUMN_RULES`)
    and its holder; the arrows of the typed links follow the new names. Groups
    of people (a role in a place) keep their ids: they name nobody.
    """
    if not access.masked:
        return found
    source = found.graph
    renamed: dict[str, str] = {}
    for node, data in source.nodes(data=True):
        if data.get("kind") in ("suspect", "external", *linkgraph.ACCOUNT_NODE_KINDS):
            renamed[node] = pseudonym(case, node)
    graph = nx.relabel_nodes(source, renamed, copy=True)
    for old, new in renamed.items():
        data, attributes = source.nodes[old], graph.nodes[new]
        if linkgraph.is_account(data):
            holder = data.get("holder")
            if holder is not None and holder not in renamed and source.nodes.get(holder, {}).get("kind") != "group":
                renamed_holder = pseudonym(case, holder)  # a holder not drawn: still never their id
            else:
                renamed_holder = renamed.get(holder, holder)
            attributes["holder"] = renamed_holder
            if data.get("kind") == "account":
                attributes["number"] = attributes["name"] = new
        else:
            attributes["name"] = _node_name(old, data, case)
    for _, _, data in graph.edges(data=True):
        if data.get("arrows"):
            data["arrows"] = tuple(sorted((relation, renamed.get(a, a), renamed.get(b, b))
                                          for relation, a, b in data["arrows"]))
    payments = mask_graph(found.payments, access, case)
    return links.LinkGraph(graph, _renamed_ranks(found.ranks, renamed), payments, found.accounts,
                           found.account_nodes, found.grouped)


def masked_link_graph(engine: Engine, key: Key) -> links.LinkGraph:
    """:func:`casemap.query.links.link_graph` as ``key``'s access sees it (a query function, cached as one)."""
    return mask_link_graph(links.link_graph(engine, key), key.access, key.case)


# The leads' columns by the rule of the column they hold (see casemap.access.COLUMN_RULES).
LEAD_RULES = {"account": "account_id", "holder": "holder_id", "name": "name"}


def mask_leads(frame: pd.DataFrame, access: Access, case: str) -> pd.DataFrame:
    """:func:`casemap.query.links.leads` as ``access`` sees it: accounts and holders by pseudonym, names masked."""
    if not access.masked:
        return frame
    out = frame.copy()
    for column, rule in LEAD_RULES.items():
        out[column] = pd.Series([mask_value(rule, v, case) for v in out[column]], index=out.index, dtype=object)
    return out


def masked_leads(engine: Engine, key: Key) -> pd.DataFrame:
    """:func:`casemap.query.links.leads` as ``key``'s access sees it."""
    return mask_leads(links.leads(engine, key), key.access, key.case)


def mask_rows(frame: pd.DataFrame, access: Access, case: str) -> pd.DataFrame:
    """A frame of person rows as ``access`` sees it (:func:`casemap.access.mask_frame`)."""
    return mask_frame(frame, access, case)

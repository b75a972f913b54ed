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

from casemap.access import Access, is_pseudonym, mask_frame, mask_name, pseudonym
from casemap.query.graph import PaymentGraph
from casemap.query.where import Key, fetch_rows, live
from casemap.store import suspects_table

__all__ = ["UNKNOWN_PARTY", "pseudonyms", "real_id", "mask_graph"]

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
    ranks = found.ranks.copy()
    ranks.index = pd.Index([renamed.get(node, node) for node in ranks.index], name=ranks.index.name, dtype=object)
    return PaymentGraph(graph, ranks, found.level, found.finest, found.suspects, found.links, found.budget,
                        found.sampled)


def mask_rows(frame: pd.DataFrame, access: Access, case: str) -> pd.DataFrame:
    """A frame of person rows as ``access`` sees it (:func:`casemap.access.mask_frame`)."""
    return mask_frame(frame, access, case)

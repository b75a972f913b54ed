"""The link chart and its words: people and accounts as typed nodes, typed relations as lines, paths told in sentences.

Pure functions over the small graphs of :mod:`casemap.linkgraph`, no
streamlit and no I/O. People are drawn as on the payment network
(:mod:`casemap.network`: colour by role, shape by status); accounts get a
shape per kind and their holder's colour; each relation its own line style,
with a legend entry; payments are lines as wide as their amount.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from itertools import pairwise

import networkx as nx
import numpy as np
import plotly.graph_objects as go

from casemap import i18n, linkgraph, network, style, vocab
from casemap.charts import plain_text

ACCOUNT_SYMBOLS = {
    "phone": "triangle-up", "wechat": "pentagon", "qq": "triangle-down", "bank_card": "square-x",
    "alipay": "diamond-wide", "usdt_wallet": "hexagram",
}
ACCOUNT_SIZE = 11
# Line style per relation: (categorical colour index or None for the muted colour, dash).
RELATION_STYLES = {
    "rented_to": (1, "solid"), "recruited": (4, "dash"), "paid_via": (3, "dot"), "controls": (0, "solid"),
    "same_device": (2, "dashdot"), "contact": (5, "longdash"),
}
ACCOUNT_SENTENCES = ("rented_to", "paid_via")  # relations told another way when an account is their subject
RELATION_WIDTH = 1.6
PATH_WIDTH = 5
NAME_ALL_UP_TO = 40  # nodes: a graph this small carries every name
SMALL_HEIGHT = 560  # pixels: a small graph needs no full-height chart


def kind_label(kind: str, lang: str) -> str:
    """The display name of an account kind."""
    return i18n.t(f"link_kind_{kind}", lang) if f"link_kind_{kind}" in i18n.STRINGS else kind


def node_text(node: str, data: Mapping, names: Mapping[str, str], lang: str, *, detailed: bool = False) -> str:
    """How a node reads in words: a person's masked name (with id and role when ``detailed``), an account's kind
    and masked number, a group or an overseas party."""
    kind = data["kind"]
    if kind == "account":
        return i18n.t("link_account", lang, kind=kind_label(data["account_kind"], lang), number=data["number"])
    if kind == "account_group":
        return i18n.t("link_account_group", lang, count=i18n.format_count(data["members"], lang),
                      kind=kind_label(data["account_kind"], lang))
    if kind == "external":
        return i18n.t("link_overseas", lang, party=node)
    label = network.node_label(node, data, names, lang)
    if detailed and kind == "suspect" and data.get("role"):
        return i18n.t("link_person", lang, name=label, id=node, role=vocab.label(vocab.ROLES, data["role"], lang))
    return label


def explain_path(graph: nx.Graph, path: list[str], names: Mapping[str, str], lang: str) -> list[str]:
    """The path in words: a heading line, then one sentence per hop, in the direction each relation points."""
    if len(path) < 2:
        return []
    words = {n: node_text(n, graph.nodes[n], names, lang, detailed=True) for n in path}
    hops = linkgraph.path_hops(graph, path)
    key = "link_path_found_one" if len(hops) == 1 else "link_path_found"
    lines = [i18n.t(key, lang, a=words[path[0]], b=words[path[-1]], hops=len(hops))]
    for number, hop in enumerate(hops, 1):
        src, dst = (hop["to"], hop["from"]) if hop["reverse"] else (hop["from"], hop["to"])
        if hop["relation"] == linkgraph.PAYMENT:
            one = hop["payments"] == 1
            sentence = i18n.t("link_hop_payment_one" if one else "link_hop_payment", lang, src=words[src],
                              dst=words[dst], amount=i18n.format_yuan(hop["amount_yuan"], lang),
                              count=i18n.format_count(hop["payments"], lang))
        else:
            relation = hop["relation"]
            if relation in ACCOUNT_SENTENCES and linkgraph.is_account(graph.nodes[src]):
                relation = f"{relation}_account"
            sentence = i18n.t(f"link_hop_{relation}", lang, src=words[src], dst=words[dst])
        lines.append(f"{number}. {sentence}")
    return lines


def _status_label(status: str, lang: str) -> str:
    known = status in vocab.values(vocab.ACCOUNT_STATUSES)
    return vocab.label(vocab.ACCOUNT_STATUSES, status, lang) if known else plain_text(status)


def _holder_colour(graph: nx.Graph, node: str, data: Mapping, theme: str | None) -> str:
    holder = data.get("holder")
    role = graph.nodes[holder].get("role") if holder in graph else data.get("holder_role")
    return style.category_color("role", role, theme) if role else style.palette(theme).muted


def _hover(graph: nx.Graph, node: str, data: Mapping, names: Mapping[str, str], lang: str,
           group: int | None) -> str:
    lines = [f"<b>{plain_text(node_text(node, data, names, lang))}</b>"]
    if linkgraph.is_account(data):
        holder = data.get("holder")
        if holder:
            label = node_text(holder, graph.nodes[holder], names, lang) if holder in graph else holder
            lines.append(plain_text(i18n.t("link_holder", lang, holder=label)))
        if data.get("status"):
            lines.append(i18n.t("link_account_status", lang, status=_status_label(data["status"], lang)))
        if data.get("first_seen"):
            lines.append(i18n.t("link_first_seen", lang, date=str(data["first_seen"])[:10]))
        lines.append(i18n.t("link_links", lang, count=graph.degree(node)))
    else:
        lines.append(network._hover(node, dict(data), graph.degree(node), names, lang).split("<br>", 1)[-1])
    if group is not None:
        lines.append(i18n.t("link_community", lang, index=group + 1))
    return "<br>".join(lines)


def _edge_trace(graph: nx.Graph, edges: list, positions: Mapping, name: str, line: dict,
                opacity: float, legend: bool) -> go.Scatter:
    xs, ys = [], []
    for a, b in edges:
        xs += [positions[a][0], positions[b][0], None]
        ys += [positions[a][1], positions[b][1], None]
    return go.Scatter(x=xs, y=ys, mode="lines", hoverinfo="skip", name=name, showlegend=legend, line=line,
                      opacity=opacity)


def _edge_traces(graph: nx.Graph, positions: Mapping, lang: str, theme: str | None,
                 path_edges: set[frozenset]) -> list[go.Scatter]:
    pal = style.palette(theme)
    faded = 0.25 if path_edges else 0.6
    traces = []
    paid = [(a, b, d) for a, b, d in graph.edges(data=True) if linkgraph.PAYMENT in d["relations"]]
    if paid:
        top = max(d["amount_yuan"] for _, _, d in paid) or 1.0
        bins = len(network.EDGE_WIDTH_BINS)
        for b, width in enumerate(network.EDGE_WIDTH_BINS):
            chosen = [(x, y) for x, y, d in paid
                      if min(int(np.sqrt(d["amount_yuan"] / top) * bins), bins - 1) == b]
            if chosen:
                traces.append(_edge_trace(graph, chosen, positions, i18n.t("link_rel_payment", lang),
                                          {"width": width, "color": pal.muted}, faded * 0.9, legend=b == 0))
        traces[0].showlegend = True
    for relation, (colour, dash) in RELATION_STYLES.items():
        chosen = [(a, b) for a, b, d in graph.edges(data=True) if relation in d["relations"]]
        if chosen:
            colour = pal.categorical[colour % len(pal.categorical)] if colour is not None else pal.muted
            traces.append(_edge_trace(graph, chosen, positions, i18n.t(f"link_rel_{relation}", lang),
                                      {"width": RELATION_WIDTH, "color": colour, "dash": dash}, faded + 0.2, True))
    if path_edges:
        chosen = [tuple(edge) for edge in sorted(tuple(sorted(e)) for e in path_edges)]
        traces.append(_edge_trace(graph, chosen, positions, i18n.t("link_view_path", lang),
                                  {"width": PATH_WIDTH, "color": pal.highlight}, 0.9, True))
    return traces


def build_link_chart(graph: nx.Graph, names: Mapping[str, str], *, lang: str, theme: str | None = None,
                     highlight: Collection[str] = (), path: list[str] | None = None,
                     groups: Mapping[str, int] | None = None, height: int | None = None,
                     ranks=None) -> go.Figure:
    """Draw ``graph``: people by role and status, accounts by kind, relations by line style.

    ``highlight`` nodes carry their name and a thick outline; ``path`` (a
    list of nodes) is drawn over everything and the rest fades; ``groups``
    (node -> community) colours every node by its community instead. A graph
    of up to :data:`NAME_ALL_UP_TO` nodes names every node, and is drawn
    lower unless ``height`` says otherwise. ``ranks`` is the centrality of
    ``graph`` when already computed (the query layer's), so it is not ranked again.
    """
    small = graph.number_of_nodes() <= NAME_ALL_UP_TO
    height = height or (SMALL_HEIGHT if small else 780)
    pal = style.palette(theme)
    positions = network.layout(graph)
    path = path or []
    on_path = set(path)
    path_edges = {frozenset(pair) for pair in pairwise(path)}
    named = set(highlight) | on_path
    if not path and graph.number_of_nodes():
        named |= network.labelled_nodes(graph, ranks=ranks)
    if small and not path:  # on a path only its own nodes are named, the rest is context
        named |= {n for n, d in graph.nodes(data=True) if d["kind"] != "external"}
    fig = go.Figure(_edge_traces(graph, positions, lang, theme, path_edges))
    people = [n for n, d in graph.nodes(data=True) if not linkgraph.is_account(d)]
    top = max([graph.nodes[n]["amount_yuan"] for n in people] + [1.0])
    traces: dict[str, list[str]] = {}
    for node, data in graph.nodes(data=True):
        key = f"acct:{data['account_kind']}" if linkgraph.is_account(data) else network._group_key(data)
        traces.setdefault(key, []).append(node)
    order = [*vocab.values(vocab.ROLES), "external", *(f"acct:{k}" for k in linkgraph.ACCOUNT_KINDS)]
    for key in [k for k in order if k in traces] + sorted(k for k in traces if k not in order):
        nodes = traces[key]
        data = [graph.nodes[n] for n in nodes]
        fig.add_trace(_node_trace(graph, positions, key, nodes, data, names, lang, theme, pal, top, named, on_path,
                                  groups))
    if groups is not None:
        for index in sorted(set(groups.values())):
            fig.add_trace(go.Scatter(x=[None], y=[None], mode="markers", hoverinfo="skip",
                                     name=i18n.t("link_community", lang, index=index + 1),
                                     marker={"size": 12, "color": pal.categorical[index % len(pal.categorical)]}))
    for status, symbol in network.STATUS_SYMBOLS.items():
        fig.add_trace(go.Scatter(x=[None], y=[None], mode="markers", name=vocab.label(vocab.STATUSES, status, lang),
                                 hoverinfo="skip", marker={"symbol": symbol, "size": 12, "color": pal.muted,
                                                           "line": {"color": pal.text, "width": 1}}))
    style.apply_template(fig, theme, height=height)
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False, scaleanchor="x")
    fig.update_layout(dragmode="pan", legend={**style.LEGEND_BELOW, "itemsizing": "constant"})
    return fig


def _node_trace(graph, positions, key, nodes, data, names, lang, theme, pal, top, named, on_path, groups) -> go.Scatter:
    account = key.startswith("acct:")
    if account:
        kind = key.removeprefix("acct:")
        name = kind_label(kind, lang)
        colours = [_holder_colour(graph, n, d, theme) for n, d in zip(nodes, data)]
        symbols = [ACCOUNT_SYMBOLS.get(kind, "circle")] * len(nodes)
        sizes = [ACCOUNT_SIZE + (6 if d["kind"] == "account_group" else 0) for d in data]
    else:
        name = i18n.t("network_external_legend", lang) if key == "external" else vocab.label(vocab.ROLES, key, lang)
        colour = pal.muted if key == "external" else style.category_color("role", key, theme)
        colours = [colour] * len(nodes)
        symbols = [network._symbol(d) for d in data]
        sizes = [10 + 26 * np.sqrt(d["amount_yuan"] / top) for d in data]
    if groups is not None:
        colours = [pal.categorical[groups[n] % len(pal.categorical)] if n in groups else pal.grid for n in nodes]
    faded = bool(on_path)
    opacity = [1.0 if (n in on_path or not faded) and (d.get("in_filter", True) or d["kind"] == "external")
               else (0.25 if faded else 0.35) for n, d in zip(nodes, data)]
    return go.Scatter(
        x=[positions[n][0] for n in nodes], y=[positions[n][1] for n in nodes], ids=nodes,
        mode="markers+text", name=name, showlegend=groups is None or account,
        text=[plain_text(node_text(n, d, names, lang)) if n in named else "" for n, d in zip(nodes, data)],
        textposition="top center", textfont={"color": pal.text, "size": style.FONT_SIZE - 2, "shadow": "auto"},
        hovertext=[_hover(graph, n, d, names, lang, groups.get(n) if groups else None) for n, d in zip(nodes, data)],
        hovertemplate="%{hovertext}<extra></extra>",
        marker={"color": colours, "size": sizes, "symbol": symbols, "opacity": opacity,
                "line": {"color": [pal.highlight if n in named and not account else pal.border for n in nodes],
                         "width": [2.5 if n in named and not account else 1 for n in nodes]}},
    )

"""The link chart: suspects as nodes, payments as edges weighted by amount.

Pure functions over small graphs, no streamlit and no I/O: the graph itself
comes from the query layer (:mod:`casemap.query.graph`), which sums the
payments in the database and keeps the graph within :data:`NODE_BUDGET`
nodes. It holds the suspects shown, the counterparts of their payments that
the filters left out ("context" nodes, drawn faint) and parties not in the
suspects table (overseas accounts). Above :data:`AGGREGATE_ABOVE` suspects,
number vendors are merged into one node per city; above the node budget,
everyone but the biggest movers of money is grouped by role and place.
"""

from __future__ import annotations

from collections.abc import Mapping

import networkx as nx
import numpy as np
import pandas as pd
import plotly.graph_objects as go

from casemap import i18n, style, vocab
from casemap.charts import place_labels, plain_text

from casemap.query.graph import (  # noqa: F401  (the graph's analytics, used by the chart and its tests)
    AGGREGATE_ABOVE,
    EDGE_BUDGET,
    GROUP_PREFIX,
    LEVELS,
    NODE_BUDGET,
    OVERSEAS_GROUP,
    TOP_PARTIES,
    PaymentGraph,
    betweenness_sources,
    centrality,
    ego,
)

LAYOUT_SEED = 20230701
ROW_MIN_WIDTH = 8.0  # layout units: the main part is sqrt(its nodes) wide, small parts pack beside it
PART_GAP = 0.6
SINGLE_NODE_BOX = 0.8
HUB_MIN_DEGREE = 5  # a hub has at least this many counterparts
HUB_SHARE = 0.1  # ... and at least this share of its part
HUB_RADIUS = 0.45
SPRING_K = 1.0  # times the default spacing; wider pushes the vendors out and squeezes the hubs together
LABELLED_NODES = 4  # at most this many brokers and this many big movers carry a name on the chart
LABEL_MIN_SHARE = 0.1  # a broker is labelled when its betweenness is at least this share of the highest
EDGE_WIDTH_BINS = (1.0, 2.5, 4.5, 7.0)
STATUS_SYMBOLS = {"arrested": "circle", "at_large": "diamond", "under_investigation": "square"}
GROUP_SYMBOL = "hexagon"
EXTERNAL_SYMBOL = "star"


def layout(graph: nx.Graph) -> dict[str, tuple[float, float]]:
    """Node positions: each connected part laid out on its own, the parts packed in rows, largest first.

    A spring layout of the whole graph would fling the suspects with no
    traced payment to a ring around a crushed centre; laying out each part in
    a box sized to it keeps the main network readable. Seeds are fixed and
    parts ordered by (size, smallest id), so the same graph is drawn the same way.
    """
    parts = sorted(nx.connected_components(graph), key=lambda part: (-len(part), min(part)))
    if not parts:
        return {}
    row_width = max(np.sqrt(len(parts[0])), ROW_MIN_WIDTH)
    positions: dict[str, tuple[float, float]] = {}
    x = top = row_height = 0.0
    for part in parts:
        size = np.sqrt(len(part)) if len(part) > 1 else SINGLE_NODE_BOX
        if x > 0 and x + size > row_width:
            x, top, row_height = 0.0, top - row_height - PART_GAP, 0.0
        spread = _part_layout(graph.subgraph(part))
        for node in sorted(part):
            px, py = spread[node]
            positions[node] = (float(x + size / 2 + px * size / 2), float(top - size / 2 + py * size / 2))
        x += size + PART_GAP
        row_height = max(row_height, size)
    return positions


def _part_layout(part: nx.Graph) -> dict:
    """One connected part in [-1, 1]²: its hubs pinned apart on a circle, everyone else sprung around them.

    Hubs (the payers a star of vendors hangs from) would otherwise land on one
    spot in the middle and hide each other.
    """
    if part.number_of_nodes() == 1:
        return {next(iter(part)): np.zeros(2)}
    degree = dict(part.degree())
    hubs = sorted((n for n in part if degree[n] >= max(HUB_MIN_DEGREE, HUB_SHARE * len(part))),
                  key=lambda n: (-degree[n], n))
    pinned = {
        hub: (HUB_RADIUS * np.cos(np.pi / 2 + 2 * np.pi * i / len(hubs)),
              HUB_RADIUS * np.sin(np.pi / 2 + 2 * np.pi * i / len(hubs)))
        for i, hub in enumerate(hubs)
    } if len(hubs) > 1 else None
    spread = nx.spring_layout(part, pos=pinned, fixed=list(pinned) if pinned else None, seed=LAYOUT_SEED,
                              k=SPRING_K / np.sqrt(len(part)), iterations=100)
    points = np.array([spread[n] for n in part])
    centre = (points.max(axis=0) + points.min(axis=0)) / 2
    scale = max(float(np.abs(points - centre).max()), 1e-9)
    return {n: (np.asarray(spread[n]) - centre) / scale for n in part}


def place_names(graph: nx.Graph, places: pd.DataFrame, lang: str) -> dict[str, str]:
    """Display labels of every province and city a node of ``graph`` lies in (one look-up for all)."""
    codes = sorted({c for _, d in graph.nodes(data=True) for c in (d["province"], d["city"]) if c})
    return dict(zip(codes, place_labels(codes, places, lang)))


def _outside_list(data: dict) -> bool:
    # An overseas account, or the group of them (a group with no role).
    return data["kind"] == "external" or (data["kind"] == "group" and data["role"] is None)


def node_label(node: str, data: dict, names: Mapping[str, str], lang: str) -> str:
    """What a person reads for a node: the masked name, a group, or an overseas account.

    ``names`` maps adcodes to display labels (:func:`place_names`, or the app's cached table).
    """
    if data["kind"] == "group":
        count = data["members"]
        if data["role"] is None:
            return i18n.t("network_external_group", lang, count=count)
        if data["role"] == "number_vendor" and data["city"]:
            return i18n.t("network_vendor_group", lang, city=names.get(data["city"], data["city"]), count=count)
        place = data["city"] or data["province"]
        role = vocab.label(vocab.ROLES, data["role"], lang)
        return i18n.t("network_role_group", lang, role=role, place=names.get(place, place), count=count)
    if data["kind"] == "external":
        return i18n.t("network_external", lang, party=node)
    return data["name"] or node


def group_caption(data: dict, lang: str) -> str:
    """A line under the chart when a group is chosen: how many it stands for."""
    if data["role"] == "number_vendor":
        return i18n.t("network_group_members", lang, count=data["members"])
    return i18n.t("network_group_size", lang, count=data["members"])


def graph_notices(found: PaymentGraph, lang: str) -> list[str]:
    """What a person should know about how ``found`` was simplified: grouping, links left out, sampling."""
    notices = []
    if found.level == "vendors" and found.finest == "vendors":
        notices.append(i18n.t("network_aggregated", lang, count=found.suspects, limit=AGGREGATE_ABOVE))
    elif found.level == "vendors":
        notices.append(i18n.t("network_grouped_vendors", lang, limit=found.budget))
    elif found.level in ("city", "province"):
        notices.append(i18n.t(f"network_grouped_{found.level}", lang, limit=found.budget, top=TOP_PARTIES))
    drawn = found.graph.number_of_edges()
    if found.links > drawn:
        notices.append(i18n.t("network_links_dropped", lang, shown=drawn, total=found.links))
    return notices


def choosable_nodes(found: PaymentGraph) -> list[str]:
    """The nodes of ``found`` whose network a person can choose to see, most central first: all but outside parties."""
    return [node for node in found.ranks.index if found.graph.nodes[node]["kind"] != "external"]


def node_choice_label(node: str, data: dict, names: Mapping[str, str], lang: str) -> str:
    """How a node reads in a chooser: name, id and role for a suspect; the group label otherwise."""
    label = node_label(node, data, names, lang)
    if data["kind"] != "suspect":
        return label
    return f"{label} · {node} · {vocab.label(vocab.ROLES, data['role'], lang)}"


def _hover(node: str, data: dict, degree: int, names: Mapping[str, str], lang: str) -> str:
    # Names, ids and places are data, never markup.
    lines = [f"<b>{plain_text(node_label(node, data, names, lang))}</b>"]
    if data["kind"] == "suspect":
        lines.append(f"{plain_text(node)} · {vocab.label(vocab.ROLES, data['role'], lang)} · "
                     f"{vocab.label(vocab.STATUSES, data['status'], lang)}")
    if data["province"]:
        place = data["city"] or data["province"]
        lines.append(plain_text(names.get(place, place)))
    if not _outside_list(data):
        lines.append(i18n.labelled(i18n.t("hover_amount", lang), i18n.format_yuan(data["amount_yuan"], lang), lang))
    lines.append(i18n.t("network_counterparts", lang, count=degree))
    if data["kind"] == "suspect" and not data["in_filter"]:
        lines.append(i18n.t("network_context", lang))
    return "<br>".join(lines)


def _edge_traces(graph: nx.Graph, positions: dict, theme: str | None) -> list[go.Scatter]:
    pal = style.palette(theme)
    edges = list(graph.edges(data=True))
    if not edges:
        return []
    amounts = np.array([data["amount_yuan"] for _, _, data in edges])
    scaled = np.sqrt(amounts / amounts.max())
    bins = np.minimum((scaled * len(EDGE_WIDTH_BINS)).astype(int), len(EDGE_WIDTH_BINS) - 1)
    traces = []
    for b, width in enumerate(EDGE_WIDTH_BINS):
        xs, ys = [], []
        for (a, c, _), in_bin in zip(edges, bins == b):
            if in_bin:
                xs += [positions[a][0], positions[c][0], None]
                ys += [positions[a][1], positions[c][1], None]
        if xs:
            traces.append(go.Scatter(x=xs, y=ys, mode="lines", hoverinfo="skip", showlegend=False, name="edges",
                                     line={"width": width, "color": pal.muted}, opacity=0.55))
    return traces


def _group_key(data: dict) -> str:
    return "external" if _outside_list(data) else data["role"]


def build_network(graph: nx.Graph, names: Mapping[str, str], *, lang: str, theme: str | None = None,
                  highlight: str | None = None, labelled: int = LABELLED_NODES, ranks: pd.DataFrame | None = None,
                  height: int = 720) -> go.Figure:
    """Draw ``graph``: colour by role, marker shape by status, size by amount; edges by amount.

    One trace per role (so the legend reads as roles); shapes are explained
    by legend-only entries. The main brokers and movers of money (see
    :func:`labelled_nodes`) and ``highlight`` carry their name on the chart;
    everything has a hover. ``ranks`` is :func:`centrality` of ``graph`` when
    the caller has it already (betweenness is the costly part).
    """
    pal = style.palette(theme)
    positions = layout(graph)
    named = labelled_nodes(graph, labelled, ranks=ranks) | ({highlight} if highlight else set())
    fig = go.Figure(_edge_traces(graph, positions, theme))
    amounts = np.array([data["amount_yuan"] for _, data in graph.nodes(data=True)] or [0.0])
    top = max(amounts.max(), 1.0)
    groups: dict[str, list[str]] = {}
    for node, data in graph.nodes(data=True):
        groups.setdefault(_group_key(data), []).append(node)
    for key in [*vocab.values(vocab.ROLES), "external"]:
        nodes = groups.get(key, [])
        if not nodes:
            continue
        data = [graph.nodes[n] for n in nodes]
        colour = pal.muted if key == "external" else style.category_color("role", key, theme)
        fig.add_trace(go.Scatter(
            x=[positions[n][0] for n in nodes], y=[positions[n][1] for n in nodes], ids=nodes,
            mode="markers+text", name=i18n.t("network_external_legend", lang) if key == "external"
            else vocab.label(vocab.ROLES, key, lang),
            text=[plain_text(node_label(n, d, names, lang)) if n in named else "" for n, d in zip(nodes, data)],
            textposition="top center", textfont={"color": pal.text, "size": style.FONT_SIZE, "shadow": "auto"},
            hovertext=[_hover(n, d, graph.degree(n), names, lang) for n, d in zip(nodes, data)],
            hovertemplate="%{hovertext}<extra></extra>",
            marker={
                "color": colour,
                "size": [10 + 26 * np.sqrt(d["amount_yuan"] / top) for d in data],
                "symbol": [_symbol(d) for d in data],
                "opacity": [1.0 if d["in_filter"] or _outside_list(d) else 0.35 for d in data],
                "line": {"color": [pal.highlight if n == highlight else pal.border for n in nodes],
                         "width": [3 if n == highlight else 1 for n in nodes]},
            },
        ))
    for status, symbol in STATUS_SYMBOLS.items():
        fig.add_trace(_legend_only(vocab.label(vocab.STATUSES, status, lang), symbol, pal))
    grouped = [d for _, d in graph.nodes(data=True) if d["kind"] == "group"]
    if grouped:
        by_city = all(d["role"] == "number_vendor" and d["city"] for d in grouped)
        legend = "network_group_legend" if by_city else "network_groups_legend"
        fig.add_trace(_legend_only(i18n.t(legend, lang), GROUP_SYMBOL, pal))
    style.apply_template(fig, theme, height=height)
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False, scaleanchor="x")
    fig.update_layout(dragmode="pan", clickmode="event+select", legend={**style.LEGEND_BELOW, "itemsizing": "constant"})
    return fig


def labelled_nodes(graph: nx.Graph, n: int = LABELLED_NODES, *, ranks: pd.DataFrame | None = None) -> set[str]:
    """The nodes named on the chart: the main brokers (by betweenness) and the biggest movers of money."""
    ranks = centrality(graph) if ranks is None else ranks
    if ranks.empty:
        return set()
    top = ranks["betweenness"].max()
    brokers = ranks.index[(ranks["betweenness"] >= LABEL_MIN_SHARE * top) & (ranks["betweenness"] > 0)][:n]
    movers = ranks.sort_values("amount_moved_yuan", ascending=False, kind="stable").index[:n]
    return {node for node in (*brokers, *movers) if graph.nodes[node]["kind"] != "external"}


def _symbol(data: dict) -> str:
    if data["kind"] == "group":
        return GROUP_SYMBOL
    if data["kind"] == "external":
        return EXTERNAL_SYMBOL
    return STATUS_SYMBOLS.get(data["status"], "circle")


def _legend_only(name: str, symbol: str, pal) -> go.Scatter:
    return go.Scatter(x=[None], y=[None], mode="markers", name=name, showlegend=True, hoverinfo="skip",
                      marker={"symbol": symbol, "size": 12, "color": pal.muted, "line": {"color": pal.text, "width": 1}},
                      legendgroup="shapes")

"""Money flows: totals by channel and purpose, how money moved between roles and provinces, top parties.

Pure functions, no streamlit. A payment's role and place are its party's as
recorded in the suspects table; a party that is not in the table (the
overseas scam groups who settle in USDT) is the "Overseas" node, so every
traced yuan appears in the flows exactly once.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from casemap import i18n, maps, style, vocab
from casemap.filters import click_target, is_purpose
from casemap.charts import place_labels, plain_text, plain_texts

from casemap.query.money import OVERSEAS
# Where the Overseas node is drawn: open sea east of the mapped area, inside
# no province, so the lines to it read as "leaving the country".
OVERSEAS_LONLAT = (126.5, 21.5)

LINE_MIN_WIDTH = 1.0
LINE_MAX_WIDTH = 12.0
LINE_STEPS = 6  # the widths the map draws lines in (build_flow_map)
LINK_OPACITY = 0.45


def node_labels(codes, places: pd.DataFrame, lang: str) -> list[str]:
    """Place labels for flow nodes, the overseas node included, as figure text (:func:`plain_text`)."""
    return plain_texts(i18n.t("flows_overseas", lang) if code == OVERSEAS else label
                       for code, label in zip(codes, place_labels(list(codes), places, lang)))


def _with_alpha(colour: str, alpha: float) -> str:
    red, green, blue = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
    return f"rgba({red},{green},{blue},{alpha})"


def party_label(role: str, lang: str) -> str:
    """A Sankey party: the role's label, or "Overseas" for a party that is no suspect of the case."""
    return i18n.t("flows_overseas", lang) if role == OVERSEAS else vocab.label(vocab.ROLES, role, lang)


def _party_order(parties) -> list[str]:
    """Overseas first (where the money comes in), then the roles in vocabulary order."""
    present = set(parties)
    return [p for p in (OVERSEAS, *vocab.values(vocab.ROLES)) if p in present]


def _sankey_links(flows: pd.DataFrame, index: dict) -> pd.DataFrame:
    """Two links per channel and party, payer -> channel and channel -> payee, with node numbers ``frm``, ``to``."""
    stages = []
    for left, right in (("source", "channel"), ("channel", "target")):
        stage = flows.groupby([left, right], as_index=False, sort=False)[["amount_yuan", "payments"]].sum()
        stages.append(stage.assign(frm=[index[left, v] for v in stage[left]],
                                   to=[index[right, v] for v in stage[right]]))
    return pd.concat(stages, ignore_index=True)


def build_sankey(flows: pd.DataFrame, *, lang: str, theme: str | None = None, height: int = 640) -> go.Figure:
    """How the money moved: payer roles (left) through channels (middle) to payee roles (right).

    ``flows`` is :meth:`~casemap.query.CaseQuery.role_flows`. The payers and
    the payees are separate nodes, so a role paying its own kind is a link
    across rather than a loop; links are coloured by channel and every
    yuan passes once through each column.
    """
    pal = style.palette(theme)
    payers, payees = _party_order(flows["source"]), _party_order(flows["target"])
    channels = [c for c in vocab.values(vocab.CHANNELS) if c in set(flows["channel"])]
    nodes = [("source", p) for p in payers] + [("channel", c) for c in channels] + [("target", p) for p in payees]
    totals = [flows.loc[flows[column] == value, "amount_yuan"].sum() for column, value in nodes]
    labels = [vocab.label(vocab.CHANNELS, value, lang) if column == "channel" else party_label(value, lang)
              for column, value in nodes]
    colours = [style.category_color("channel", value, theme) if column == "channel"
               else pal.highlight if value == OVERSEAS else style.category_color("role", value, theme)
               for column, value in nodes]
    links = _sankey_links(flows, {node: i for i, node in enumerate(nodes)})
    payments = [i18n.t("flows_payments_count", lang, count=i18n.format_count(n, lang)) for n in links["payments"]]
    fig = go.Figure(go.Sankey(
        arrangement="snap",
        node={"label": labels, "color": colours, "pad": 14, "thickness": 16, "line": {"width": 0},
              "customdata": [i18n.format_yuan(v, lang) for v in totals],
              "hovertemplate": "%{label}<br>%{customdata}<extra></extra>"},
        link={
            "source": links["frm"].tolist(), "target": links["to"].tolist(),
            "value": links["amount_yuan"].astype(float).tolist(),
            "color": [_with_alpha(style.category_color("channel", c, theme), LINK_OPACITY) for c in links["channel"]],
            "customdata": np.column_stack([[i18n.format_yuan(v, lang) for v in links["amount_yuan"]], payments])
            if len(links) else [],
            "hovertemplate": "%{source.label} → %{target.label}<br>%{customdata[0]} · %{customdata[1]}"
                             "<extra></extra>",
        },
        textfont={"color": pal.text, "size": style.FONT_SIZE - 2},
    ))
    for x, key, anchor in ((0, "flows_sankey_payers", "left"), (0.5, "flows_sankey_channels", "center"),
                           (1, "flows_sankey_payees", "right")):
        fig.add_annotation(x=x, y=1, yref="paper", xref="paper", yanchor="bottom", xanchor=anchor, showarrow=False,
                           text=i18n.t(key, lang), font={"color": pal.muted})
    style.apply_template(fig, theme, height=height)
    fig.update_layout(margin={"t": 40})
    return fig


def _point(code: str, table: pd.DataFrame) -> tuple[float, float]:
    if code == OVERSEAS:
        return OVERSEAS_LONLAT
    return float(table.at[code, "label_lon"]), float(table.at[code, "label_lat"])


def _midway(lon0, lat0, lon1, lat1) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The middle of each great-circle line (which the map draws) and the compass heading there towards its end.

    Headings are compass bearings: degrees clockwise from north, -180 to 180.
    """
    lam0, phi0, lam1, phi1 = (np.radians(np.asarray(v, dtype=float)) for v in (lon0, lat0, lon1, lat1))
    bx, by = np.cos(phi1) * np.cos(lam1 - lam0), np.cos(phi1) * np.sin(lam1 - lam0)
    phi = np.arctan2(np.sin(phi0) + np.sin(phi1), np.hypot(np.cos(phi0) + bx, by))
    lam = lam0 + np.arctan2(by, np.cos(phi0) + bx)
    heading = np.arctan2(np.sin(lam1 - lam) * np.cos(phi1),
                         np.cos(phi) * np.sin(phi1) - np.sin(phi) * np.cos(phi1) * np.cos(lam1 - lam))
    return np.degrees(lam), np.degrees(phi), np.degrees(heading)


def flow_lines(flows: pd.DataFrame, places: pd.DataFrame) -> pd.DataFrame:
    """The flows drawn on the map: between two different places that have a point, with coordinates.

    Adds ``lon0, lat0`` (payer side), ``lon1, lat1`` (payee side), the
    line's middle ``mid_lon, mid_lat`` and the ``heading`` there towards the
    payee (where the map puts its arrow), and ``width`` (line width, by the
    square root of the amount). Flows within one province have no line.
    """
    table = maps.label_points(places)
    known = set(table.index) | {OVERSEAS}
    lines = flows[(flows["source"] != flows["target"]) & flows["source"].isin(known) & flows["target"].isin(known)]
    lines = lines.reset_index(drop=True)
    if lines.empty:
        return lines.assign(lon0=[], lat0=[], lon1=[], lat1=[], mid_lon=[], mid_lat=[], heading=[], width=[])
    starts = np.array([_point(code, table) for code in lines["source"]])
    ends = np.array([_point(code, table) for code in lines["target"]])
    mid_lon, mid_lat, heading = _midway(starts[:, 0], starts[:, 1], ends[:, 0], ends[:, 1])
    scale = np.sqrt(lines["amount_yuan"].to_numpy() / lines["amount_yuan"].max())
    return lines.assign(
        lon0=starts[:, 0], lat0=starts[:, 1], lon1=ends[:, 0], lat1=ends[:, 1],
        mid_lon=mid_lon, mid_lat=mid_lat, heading=heading,
        width=LINE_MIN_WIDTH + (LINE_MAX_WIDTH - LINE_MIN_WIDTH) * scale,
    )


def _segments(starts: pd.Series, ends: pd.Series) -> list:
    """Coordinates of separate line segments in one trace: start, end, a gap; and so on."""
    return [value for a, b in zip(starts, ends) for value in (float(a), float(b), None)]


def _crosses_border(lines: pd.DataFrame) -> pd.Series:
    """Whether each line comes from or goes to the overseas node (drawn in its own colour)."""
    return (lines["source"] == OVERSEAS) | (lines["target"] == OVERSEAS)


def build_flow_map(flows: pd.DataFrame, places: pd.DataFrame, *, units: list[str], geojson_url: str, lang: str,
                   theme: str | None = None, height: int = 640) -> go.Figure:
    """Flow lines between province label points on the national province map, width by amount.

    A trace has one line width, so the lines are drawn in :data:`LINE_STEPS`
    widths (each flow rounded up to the next), one trace per width and
    colour: a thousand flows between 31 provinces stay a dozen traces for
    the browser to draw. An arrowhead at each line's middle points to the
    payee and carries the hover; a dot marks each payee's end, and the
    overseas node is named whichever side it is on.
    """
    pal = style.palette(theme)
    lines = flow_lines(flows, places)
    fig = go.Figure(maps.base_layer(units, geojson_url, places, lang=lang, theme=theme))
    maps.finish_map(fig, theme, height=height, national=True)
    span = LINE_MAX_WIDTH - LINE_MIN_WIDTH
    steps = np.ceil((lines["width"] - LINE_MIN_WIDTH) / span * LINE_STEPS - 1e-9).clip(1, LINE_STEPS)
    drawn = lines.assign(step_width=LINE_MIN_WIDTH + span * steps / LINE_STEPS, overseas=_crosses_border(lines))
    for (width, overseas), group in drawn.groupby(["step_width", "overseas"], sort=True):
        colour = pal.categorical[1] if overseas else pal.primary
        fig.add_trace(go.Scattergeo(
            lon=_segments(group["lon0"], group["lon1"]), lat=_segments(group["lat0"], group["lat1"]),
            mode="lines", hoverinfo="skip", line={"width": float(width), "color": _with_alpha(colour, 0.7)},
            showlegend=False, name="flow",
        ))
    if len(lines):
        source_labels = node_labels(lines["source"], places, lang)
        target_labels = node_labels(lines["target"], places, lang)
        text = [
            f"{s} → {t}<br>{i18n.format_yuan(a, lang)} · "
            f"{i18n.t('flows_payments_count', lang, count=i18n.format_count(n, lang))}"
            for s, t, a, n in zip(source_labels, target_labels, lines["amount_yuan"], lines["payments"])
        ]
        fig.add_trace(go.Scattergeo(
            lon=lines["mid_lon"].tolist(), lat=lines["mid_lat"].tolist(), mode="markers", text=text,
            # The map is Mercator, north up everywhere, so a heading is the marker's turn on screen.
            # (angleref="north" would not need that, but plotly.js applies it to a map's first trace only.)
            marker={"symbol": "triangle-up", "angle": lines["heading"].tolist(),
                    "size": (12 + lines["width"]).tolist(),
                    "color": [pal.categorical[1] if o else pal.primary for o in _crosses_border(lines)],
                    "line": {"color": pal.background, "width": 1}},
            hovertemplate="%{text}<extra></extra>", name=i18n.t("flows_legend_lines", lang),
        ))
        ends = lines.loc[lines["target"] != OVERSEAS].drop_duplicates("target")
        fig.add_trace(go.Scattergeo(
            lon=ends["lon1"].tolist(), lat=ends["lat1"].tolist(), mode="markers",
            marker={"size": 9, "symbol": "circle", "color": pal.categorical[1],
                    "line": {"color": pal.highlight, "width": 1}},
            hoverinfo="skip", name=i18n.t("flows_legend_payees", lang),
        ))
        if _crosses_border(lines).any():
            fig.add_trace(go.Scattergeo(
                lon=[OVERSEAS_LONLAT[0]], lat=[OVERSEAS_LONLAT[1]], mode="markers+text",
                text=[i18n.t("flows_overseas", lang)], textposition="bottom center", textfont={"color": pal.text},
                marker={"size": 11, "symbol": "square", "color": pal.highlight}, hoverinfo="skip", showlegend=False,
                name=OVERSEAS,
            ))
    if maps.shows_origin(units):
        fig.add_trace(maps.origin_marker(lang=lang, theme=theme))
    fig.update_layout(clickmode="none")
    return fig


def build_totals_bar(totals: pd.DataFrame, kind: str, *, lang: str, theme: str | None = None,
                     height: int = 340) -> go.Figure:
    """Horizontal bars of the amount per channel (``kind="channel"``) or per purpose (``"purpose"``)."""
    pal = style.palette(theme)
    rows = totals.iloc[::-1]
    if kind == "channel":
        labels = [vocab.label(vocab.CHANNELS, value, lang) for value in rows.index]
        colours = [style.category_color("channel", value, theme) for value in rows.index]
    else:
        labels = [plain_text(i18n.purpose_label(value, lang)) for value in rows.index]
        colours = [pal.primary] * len(rows)
    text = [f"{i18n.format_yuan(a, lang)} · {i18n.t('flows_payments_count', lang, count=n)}"
            for a, n in zip(rows["amount_yuan"], rows["payments"])]
    fig = go.Figure(go.Bar(
        x=rows["amount_yuan"].astype(float).tolist(), y=labels, orientation="h", marker={"color": colours},
        # A click filters to the bar's value; free text that can't be a filter value (a comma) has no target.
        ids=[click_target(kind, v) if kind == "channel" or is_purpose(v) else "" for v in rows.index],
        text=text, textposition="auto", hovertemplate=i18n.labelled("%{y}", "%{text}", lang) + "<extra></extra>",
        cliponaxis=False,
    ))
    title = i18n.t("flows_by_channel" if kind == "channel" else "flows_by_purpose", lang)
    style.apply_template(fig, theme, title=title, height=height)
    fig.update_xaxes(showticklabels=False, showgrid=False, zeroline=False)
    fig.update_yaxes(automargin=True, showgrid=False)
    fig.update_layout(dragmode=False)
    return fig


def explained_share(figures: dict) -> dict:
    """How much of the amount involved the traced payments account for, from the headline figures.

    ``{"payments_yuan", "amount_yuan", "share"}``; ``share`` is
    payments_yuan / amount_yuan, None when no amount is known.
    """
    traced, involved = float(figures["payments_yuan"]), float(figures["amount_yuan"])
    return {"payments_yuan": traced, "amount_yuan": involved, "share": traced / involved if involved > 0 else None}

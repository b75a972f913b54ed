"""Money flows: totals by channel and purpose, flows between provinces, top parties.

Pure functions, no streamlit. A payment's place is its party's province as
recorded in the suspects table; a party that is not in the table (the
overseas accounts the organisers settled with in USDT) is the "Overseas"
node, so every traced yuan appears in the flows exactly once.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from casemap import i18n, maps, style, vocab
from casemap.charts import place_labels, plain_text, plain_texts

from casemap.query.money import OVERSEAS, UNRECORDED
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


def build_sankey(flows: pd.DataFrame, places: pd.DataFrame, *, lang: str, theme: str | None = None,
                 height: int = 640) -> go.Figure:
    """Payer provinces (left) to payee provinces (right), link width by amount.

    The two sides are separate nodes, so money paid within a province is a
    link from the province to itself rather than a loop.
    """
    pal = style.palette(theme)
    sources = list(dict.fromkeys(flows["source"]))
    targets = list(dict.fromkeys(flows["target"]))
    labels = node_labels(sources, places, lang) + node_labels(targets, places, lang)
    colours = [pal.categorical[1] if code == OVERSEAS else pal.primary for code in sources + targets]
    amounts = [i18n.format_yuan(v, lang) for v in flows["amount_yuan"]]
    fig = go.Figure(go.Sankey(
        arrangement="snap",
        node={"label": labels, "color": colours, "pad": 12, "thickness": 16, "line": {"width": 0},
              "hovertemplate": "%{label}<extra></extra>"},
        link={
            "source": [sources.index(s) for s in flows["source"]],
            "target": [len(sources) + targets.index(t) for t in flows["target"]],
            "value": flows["amount_yuan"].astype(float).tolist(),
            "color": [_with_alpha(pal.categorical[1] if t == OVERSEAS else pal.primary, LINK_OPACITY)
                      for t in flows["target"]],
            "customdata": np.column_stack([amounts, flows["payments"].astype(int)]) if len(flows) else [],
            "hovertemplate": ("%{source.label} → %{target.label}<br>%{customdata[0]} · "
                              + i18n.t("flows_payments_count", lang, count="%{customdata[1]}") + "<extra></extra>"),
        },
        textfont={"color": pal.text, "size": style.FONT_SIZE - 2},
    ))
    return style.apply_template(fig, theme, height=height)


def _point(code: str, table: pd.DataFrame) -> tuple[float, float]:
    if code == OVERSEAS:
        return OVERSEAS_LONLAT
    return float(table.at[code, "label_lon"]), float(table.at[code, "label_lat"])


def flow_lines(flows: pd.DataFrame, places: pd.DataFrame) -> pd.DataFrame:
    """The flows drawn on the map: between two different places that have a point, with coordinates.

    Adds ``lon0, lat0`` (payer side), ``lon1, lat1`` (payee side) and ``width``
    (line width, by the square root of the amount). Flows within one province
    have no line; they show in the Sankey.
    """
    table = maps.label_points(places)
    known = set(table.index) | {OVERSEAS}
    lines = flows[(flows["source"] != flows["target"]) & flows["source"].isin(known) & flows["target"].isin(known)]
    lines = lines.reset_index(drop=True)
    if lines.empty:
        return lines.assign(lon0=[], lat0=[], lon1=[], lat1=[], width=[])
    starts = [_point(code, table) for code in lines["source"]]
    ends = [_point(code, table) for code in lines["target"]]
    scale = np.sqrt(lines["amount_yuan"].to_numpy() / lines["amount_yuan"].max())
    return lines.assign(
        lon0=[p[0] for p in starts], lat0=[p[1] for p in starts],
        lon1=[p[0] for p in ends], lat1=[p[1] for p in ends],
        width=LINE_MIN_WIDTH + (LINE_MAX_WIDTH - LINE_MIN_WIDTH) * scale,
    )


def _segments(starts: pd.Series, ends: pd.Series) -> list:
    """Coordinates of separate line segments in one trace: start, end, a gap; and so on."""
    return [value for a, b in zip(starts, ends) for value in (float(a), float(b), None)]


def build_flow_map(flows: pd.DataFrame, places: pd.DataFrame, *, units: list[str], geojson_url: str, lang: str,
                   theme: str | None = None, height: int = 640) -> go.Figure:
    """Flow lines between province label points on the national province map, width by amount.

    A trace has one line width, so the lines are drawn in :data:`LINE_STEPS`
    widths (each flow rounded up to the next), one trace per width and
    colour: a thousand flows between 31 provinces stay a dozen traces for
    the browser to draw. A marker at each line's middle carries the hover,
    and a marker at the payee end shows the direction.
    """
    pal = style.palette(theme)
    lines = flow_lines(flows, places)
    fig = go.Figure(maps.base_layer(units, geojson_url, places, lang=lang, theme=theme))
    maps.finish_map(fig, theme, height=height, national=True)
    span = LINE_MAX_WIDTH - LINE_MIN_WIDTH
    steps = np.ceil((lines["width"] - LINE_MIN_WIDTH) / span * LINE_STEPS - 1e-9).clip(1, LINE_STEPS)
    drawn = lines.assign(step_width=LINE_MIN_WIDTH + span * steps / LINE_STEPS, overseas=lines["target"] == OVERSEAS)
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
            f"{s} → {t}<br>{i18n.format_yuan(a, lang)} · {i18n.t('flows_payments_count', lang, count=n)}"
            for s, t, a, n in zip(source_labels, target_labels, lines["amount_yuan"], lines["payments"])
        ]
        fig.add_trace(go.Scattergeo(
            lon=((lines["lon0"] + lines["lon1"]) / 2).tolist(), lat=((lines["lat0"] + lines["lat1"]) / 2).tolist(),
            mode="markers", marker={"size": 7, "color": pal.text, "opacity": 0.6}, text=text,
            hovertemplate="%{text}<extra></extra>", name=i18n.t("flows_legend_lines", lang),
        ))
        ends = lines.drop_duplicates("target")
        fig.add_trace(go.Scattergeo(
            lon=ends["lon1"].tolist(), lat=ends["lat1"].tolist(), mode="markers+text",
            text=[label if code == OVERSEAS else "" for code, label in zip(ends["target"], node_labels(ends["target"], places, lang))],
            textposition="bottom center", textfont={"color": pal.text},
            marker={"size": 9, "symbol": "circle", "color": pal.categorical[1], "line": {"color": pal.highlight, "width": 1}},
            hoverinfo="skip", name=i18n.t("flows_legend_payees", lang),
        ))
    if maps.shows_origin(units):
        fig.add_trace(maps.origin_marker(lang=lang, theme=theme))
    fig.update_layout(clickmode="none")
    return fig


def purpose_label(purpose: str, lang: str) -> str:
    """A purpose as a person reads it: the vocabulary label, free text as given, or "not recorded"."""
    if purpose == UNRECORDED:
        return i18n.t("flows_purpose_unrecorded", lang)
    if purpose in vocab.values(vocab.PURPOSES):
        return vocab.label(vocab.PURPOSES, purpose, lang)
    return purpose


def build_totals_bar(totals: pd.DataFrame, kind: str, *, lang: str, theme: str | None = None,
                     height: int = 340) -> go.Figure:
    """Horizontal bars of the amount per channel (``kind="channel"``) or per purpose (``"purpose"``)."""
    pal = style.palette(theme)
    rows = totals.iloc[::-1]
    if kind == "channel":
        labels = [vocab.label(vocab.CHANNELS, value, lang) for value in rows.index]
        colours = [style.category_color("channel", value, theme) for value in rows.index]
    else:
        labels = [plain_text(purpose_label(value, lang)) for value in rows.index]
        colours = [pal.primary] * len(rows)
    text = [f"{i18n.format_yuan(a, lang)} · {i18n.t('flows_payments_count', lang, count=n)}"
            for a, n in zip(rows["amount_yuan"], rows["payments"])]
    fig = go.Figure(go.Bar(
        x=rows["amount_yuan"].astype(float).tolist(), y=labels, orientation="h", marker={"color": colours},
        text=text, textposition="auto", hovertemplate=i18n.labelled("%{y}", "%{text}", lang) + "<extra></extra>", cliponaxis=False,
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

"""Pure chart builders and the place/metric labels every chart shares.

No I/O and no streamlit here. Maps live in :mod:`casemap.maps`.
"""

from __future__ import annotations

import html
import math
import unicodedata

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from casemap import i18n, style
from casemap.schema import province_of_city
from geo import layers

# Plotly's floating toolbar covers legends and colour bars on a wall screen.
# Every chart offers one tool, on hover: its picture as a PNG (drawn in the browser, twice the
# screen's size, named after the chart), so any chart can go into a report.
CHART_CONFIG = {
    "displaylogo": False,
    "modeBarButtons": [["toImage"]],
    "toImageButtonOptions": {"format": "png", "scale": 2, "filename": "casemap-chart"},
}
# Maps fetch their base topojson from the app's own static files, never a CDN.
MAP_CONFIG = {**CHART_CONFIG, "topojsonURL": layers.STATIC_URL, "scrollZoom": False}

METRIC_LABEL_KEYS = {
    "arrested": "metric_arrested",
    "suspects": "metric_suspects",
    "amount_yuan": "metric_amount",
    "payments_out_yuan": "metric_payments_out",
    "payments_in_yuan": "metric_payments_in",
    "accounts_rented": "metric_accounts_rented",
}
ALL_METRICS = tuple(METRIC_LABEL_KEYS)
MONEY_METRICS = frozenset({"amount_yuan", "payments_out_yuan", "payments_in_yuan"})
# Free text in a figure is cut to this many characters: a name, a purpose or a
# place is read at a glance, and a long one would cover the chart.
PLAIN_TEXT_LIMIT = 80


def plain_text(text: object, limit: int = PLAIN_TEXT_LIMIT) -> str:
    """Free text (a name, id, purpose or place from a file or the database) as a figure must show it: literally.

    Plotly draws a subset of HTML in categories, text, hover labels, legends
    and annotations: links, styles, line breaks and bold. Escaping ``&``,
    ``<`` and ``>`` makes a tag show as typed; line breaks and other control
    characters become spaces, and text longer than ``limit`` characters is cut
    with "…". Every builder passes free text through here, and only free text:
    the builders' own templates keep their markup.
    """
    text = "".join(" " if unicodedata.category(ch) in ("Cc", "Zl", "Zp") else ch for ch in str(text))
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return html.escape(text, quote=False)


def plain_texts(texts) -> list[str]:
    """:func:`plain_text` of each of ``texts``."""
    return [plain_text(text) for text in texts]


def place_labels(adcodes, places: pd.DataFrame, lang: str, *, short: bool = True) -> list[str]:
    """Display labels for adcodes: Chinese name, plus pinyin in English mode; unknown codes as themselves."""
    # Taiwan, Hong Kong and Macao are one city each under the same code as their province.
    table = places.drop_duplicates("adcode").set_index("adcode")
    codes = [str(code) for code in adcodes]
    rows = table.reindex(codes)
    names = rows["short_name" if short else "name"].tolist()
    return [
        code if not isinstance(name, str) else i18n.place_label(name, pinyin if isinstance(pinyin, str) else None, lang)
        for code, name, pinyin in zip(codes, names, rows["pinyin"].tolist())
    ]


def metric_label(metric: str, lang: str) -> str:
    """The translated name of a place metric (arrested, suspects, amount, payments out/in)."""
    return i18n.t(METRIC_LABEL_KEYS[metric], lang)


def format_metric(value: float, metric: str, lang: str) -> str:
    """A metric value as a person reads it: yuan compact, counts with separators."""
    value = 0.0 if value is None or pd.isna(value) else value
    return i18n.format_yuan(float(value), lang) if metric in MONEY_METRICS else i18n.format_count(value, lang)


def nice_ticks(top: float, *, whole: bool, most: int = 5) -> list[float]:
    """Round, distinct tick values from 0 up to ``top``: steps of 1, 2 or 5 times a power of ten.

    At most ``most`` steps; ``whole`` keeps the step at 1 or more, so a count
    of 1 gets the ticks 0 and 1 rather than 0, 0.2, ... that read "0 0 0 1 1".
    """
    if not top > 0:
        return [0.0]
    raw = top / most
    power = 10.0 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= raw * (1 - 1e-9))
    if whole:
        step = max(step, 1.0)
    return [round(i * step, 9) for i in range(int(top / step + 1e-9) + 1)]


def value_ticks(values, *, money: bool, lang: str) -> dict:
    """Explicit ticks (values and their text) for an axis or colour bar from 0 to the largest of ``values``.

    Money reads as :func:`casemap.i18n.format_yuan_tick` ("¥500K", "50万"),
    counts as :func:`casemap.i18n.format_count`, so no tick repeats.
    """
    top = float(pd.Series(values, dtype="float64").max()) if len(values) else 0.0
    ticks = nice_ticks(top, whole=not money)
    texts = [i18n.format_yuan_tick(v, lang) if money else i18n.format_count(v, lang) for v in ticks]
    return {"tickmode": "array", "tickvals": ticks, "ticktext": texts}


def hover_data(values: pd.DataFrame, places: pd.DataFrame, lang: str) -> tuple[np.ndarray, str]:
    """Customdata (place label, then every metric formatted) and the hover template reading it.

    ``values`` is indexed by adcode; a metric it lacks shows as zero.
    """
    columns = [plain_texts(place_labels(values.index, places, lang))]
    lines = ["<b>%{customdata[0]}</b>"]
    for i, metric in enumerate(ALL_METRICS, start=1):
        series = values[metric] if metric in values.columns else pd.Series(0.0, index=values.index)
        columns.append([format_metric(v, metric, lang) for v in series])
        lines.append(i18n.labelled(metric_label(metric, lang), f"%{{customdata[{i}]}}", lang))
    return np.column_stack(columns), "<br>".join(lines) + "<extra></extra>"


def clicked_codes(fig: go.Figure, points: list[dict]) -> list[str]:
    """The click targets behind the points of a plotly selection event: adcodes, or what a bar carries.

    Resolved through the figure that was drawn, by trace and point index, so
    it works whatever fields the browser sent with the event. On a map, a
    click on a city's marker inside one of the provinces the map shows (its
    ``base`` layer's units) counts as a click on that province: a province
    map drills down wherever its area is clicked, bubbles or not.
    """
    units = next((set(t.locations) for t in fig.data if t.name == "base"), None)
    codes = []
    for point in points:
        trace = fig.data[point.get("curve_number", 0)]
        index = point.get("point_index", point.get("point_number"))
        keys = trace.locations if getattr(trace, "locations", None) is not None else trace.ids
        if keys is not None and index is not None and 0 <= index < len(keys) and trace.name != "base" and keys[index]:
            code = str(keys[index])
            if units is not None and code not in units and province_of_city(code) in units:
                code = province_of_city(code)
            codes.append(code)
    return codes


def build_top_places_bar(
    values: pd.DataFrame,
    metric: str,
    places: pd.DataFrame,
    *,
    lang: str,
    theme: str | None = None,
    n: int = 10,
    level: str = "province",
    height: int = 440,
) -> go.Figure:
    """Horizontal bars of the ``n`` places (provinces or cities, by ``level``) highest on ``metric``."""
    pal = style.palette(theme)
    top = values[values[metric].fillna(0) > 0].sort_values(metric, ascending=False).head(n)
    top = top.iloc[::-1]
    labels = plain_texts(place_labels(top.index, places, lang))
    customdata, hovertemplate = hover_data(top, places, lang)
    bar = go.Bar(
        x=top[metric].astype(float).tolist(),
        y=labels,
        ids=list(top.index),
        orientation="h",
        marker={"color": pal.primary},
        text=[format_metric(v, metric, lang) for v in top[metric]],
        textposition="auto",
        textangle=0,  # a figure turned on its side is not read at a glance
        insidetextfont={"color": pal.background},  # readable on the bar in both themes
        outsidetextfont={"color": pal.text},
        customdata=customdata,
        hovertemplate=hovertemplate,
    )
    title = i18n.t({"province": "chart_top_provinces", "city": "chart_top_cities"}[level], lang, n=n,
                   metric=metric_label(metric, lang))
    return style.figure(
        [bar],
        theme,
        title=title,
        height=min(height, 110 + 34 * max(len(top), 1)),  # bars keep their thickness however few
        layout={
            "xaxis": {"showticklabels": False, "showgrid": False},
            "yaxis": {"automargin": True},
            "clickmode": "event+select",
            "dragmode": False,
        },
    )


def period_labels(periods: pd.Series, freq: str, lang: str) -> list[str]:
    """Readable labels for period starts: weeks as "Jul 29" / "7月29日", months as "2024-08" / "2024年8月"."""
    if freq == "W":
        return [f"{p.month}月{p.day}日" if lang == "zh" else f"{p:%b} {p.day}" for p in periods]
    return [f"{p.year}年{p.month}月" if lang == "zh" else f"{p:%Y-%m}" for p in periods]


def build_arrests_sparkline(
    over_time: pd.DataFrame,
    *,
    freq: str = "W",
    lang: str,
    theme: str | None = None,
    height: int = 280,
) -> go.Figure:
    """Arrests per period (``freq`` "W" or "MS") as bars, with the cumulative count as a line.

    Periods are categories, so bars and the line share one slot per period.
    """
    pal = style.palette(theme)
    labels = period_labels(over_time["period"], freq, lang)
    hover = i18n.labelled("%{x}", "%{y:,d}", lang) + "<extra></extra>"
    traces = [
        go.Bar(
            x=labels,
            y=over_time["arrested"],
            name=i18n.t("axis_arrested", lang),
            marker={"color": pal.categorical[1]},
            hovertemplate=hover,
        ),
        go.Scatter(
            x=labels,
            y=over_time["cumulative"],
            name=i18n.t("axis_cumulative", lang),
            mode="lines+markers",
            line={"color": pal.primary, "width": 3},
            yaxis="y2",
            hovertemplate=hover,
        ),
    ]
    # Each axis gets its own whole-number ticks, not synced to the other's (which gives steps like 22, 45, 67).
    layout = dict(
        yaxis={"title": {"text": i18n.t("axis_arrested", lang)}, "rangemode": "tozero",
               **value_ticks(over_time["arrested"], money=False, lang=lang)},
        yaxis2={
            "title": {"text": i18n.t("axis_cumulative", lang)},
            "overlaying": "y",
            "side": "right",
            "rangemode": "tozero",
            "showgrid": False,
            **value_ticks(over_time["cumulative"], money=False, lang=lang),
        },
        xaxis={"title": {"text": i18n.t("axis_week" if freq == "W" else "axis_month", lang)}, "type": "category"},
        legend=style.LEGEND_BELOW,
        bargap=0.25,
    )
    return style.figure(traces, theme, title=i18n.t("chart_arrests_time", lang), height=height, layout=layout)


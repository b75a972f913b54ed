"""Pure chart builders: frames in, ``go.Figure`` out.

No I/O and no streamlit here. Maps reference the shipped boundary layers by
URL (``geojson_url``) so the browser fetches each geometry once and caches it;
the figure itself carries only codes and numbers.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from casemap import i18n, style

METRICS = ("arrested", "suspects", "amount_yuan")

# The national view shows the mainland and Hainan; the South China Sea islands
# sit in the customary inset at the lower right, as on China's official maps.
MAINLAND_VIEW = {"lonaxis": {"range": [73.0, 135.5]}, "lataxis": {"range": [17.0, 54.0]}}
SOUTH_SEA_VIEW = {"lonaxis": {"range": [107.0, 123.0]}, "lataxis": {"range": [2.5, 24.0]}}
INSET_DOMAIN = {"x": [0.84, 1.0], "y": [0.0, 0.34]}
METRIC_LABEL_KEYS = {"arrested": "metric_arrested", "suspects": "metric_suspects", "amount_yuan": "metric_amount"}


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
    """The translated name of a map metric."""
    return i18n.t(METRIC_LABEL_KEYS[metric], lang)


def _metric_text(values, metric: str, lang: str) -> list[str]:
    if metric == "amount_yuan":
        return [i18n.format_yuan(float(v), lang) for v in values]
    return [i18n.format_count(v, lang) for v in values]


def _hover_template(lang: str) -> str:
    return (
        "<b>%{customdata[0]}</b><br>"
        f"{i18n.t('hover_suspects', lang)}: %{{customdata[1]}}<br>"
        f"{i18n.t('hover_arrested', lang)}: %{{customdata[2]}}<br>"
        f"{i18n.t('hover_amount', lang)}: %{{customdata[3]}}<extra></extra>"
    )


def _customdata(frame: pd.DataFrame, labels: list[str], lang: str) -> np.ndarray:
    return np.column_stack(
        [
            labels,
            frame["suspects"].astype(int).to_numpy(),
            frame["arrested"].astype(int).to_numpy(),
            _metric_text(frame["amount_yuan"].fillna(0), "amount_yuan", lang),
        ]
    )


def build_choropleth(
    values: pd.DataFrame,
    metric: str,
    places: pd.DataFrame,
    *,
    units: list[str],
    geojson_url: str,
    lang: str,
    theme: str | None = None,
    by_city: pd.DataFrame | None = None,
    selected: tuple[str, ...] = (),
    south_sea_inset: bool = False,
    height: int = 620,
) -> go.Figure:
    """A map of ``units`` (all provinces, or one province's cities), shaded by ``metric``.

    ``values`` is indexed by adcode with the columns of
    :func:`casemap.metrics.by_province` / ``by_city``. Every unit is drawn in
    the no-data colour first, so the whole area (islands included) shows; the
    units with a value are shaded on top. ``by_city`` (optional) adds a bubble
    per city at its shipped label point. ``selected`` units get a heavy outline.
    ``south_sea_inset`` frames the mainland and draws the South China Sea
    islands in an inset (for national views); otherwise the map fits its units.
    """
    pal = style.palette(theme)
    traces = [
        go.Choropleth(
            geojson=geojson_url,
            featureidkey="id",
            locations=list(units),
            z=[0] * len(units),
            colorscale=[[0, pal.no_data], [1, pal.no_data]],
            showscale=False,
            marker={"line": {"color": pal.border, "width": 0.6}},
            hovertemplate="%{text}<extra></extra>",
            text=place_labels(units, places, lang),
            name="base",
        )
    ]
    shown = values[values.index.isin(units) & (values[metric].fillna(0) > 0)]
    if len(shown):
        labels = place_labels(shown.index, places, lang)
        outline = [pal.highlight if code in selected else pal.border for code in shown.index]
        traces.append(
            go.Choropleth(
                geojson=geojson_url,
                featureidkey="id",
                locations=list(shown.index),
                z=shown[metric].astype(float).tolist(),
                colorscale=style.colorscale(theme),
                zmin=0,
                zmax=max(float(shown[metric].max()), 1.0),
                marker={"line": {"color": outline, "width": [3 if code in selected else 0.8 for code in shown.index]}},
                colorbar={
                    "title": {"text": metric_label(metric, lang), "side": "right"},
                    "tickformat": ",.0f",
                    "thickness": 14,
                    "len": 0.55,
                    "x": 1.0,
                    "y": 0.98,
                    "yanchor": "top",
                },
                customdata=_customdata(shown, labels, lang),
                hovertemplate=_hover_template(lang),
                name=metric_label(metric, lang),
            )
        )
    if south_sea_inset:
        traces += [go.Choropleth(trace, showscale=False, geo="geo2") for trace in traces]
    if by_city is not None and len(by_city):
        traces.append(build_city_bubbles(by_city, places, lang=lang, theme=theme))
    geo_style = {"visible": False, "projection": {"type": "mercator"}, "bgcolor": "rgba(0,0,0,0)"}
    if south_sea_inset:
        geos = {
            "geo": {**geo_style, **MAINLAND_VIEW, "domain": {"x": [0, 0.86], "y": [0, 1]}},
            "geo2": {**geo_style, **SOUTH_SEA_VIEW, "domain": INSET_DOMAIN, "showframe": True, "framecolor": pal.muted},
        }
    else:
        geos = {"geo": {**geo_style, "fitbounds": "locations"}}
    return style.figure(
        traces,
        theme,
        height=height,
        layout={
            **geos,
            "clickmode": "event+select",
            "dragmode": False,
            "showlegend": by_city is not None and len(by_city) > 0,
            "legend": {"x": 0.01, "y": 0.99, "yanchor": "top", "bgcolor": "rgba(0,0,0,0)"},
        },
    )


def clicked_codes(fig: go.Figure, points: list[dict]) -> list[str]:
    """The adcodes (or category values) behind the points of a plotly selection event.

    Resolved through the figure that was drawn, by trace and point index, so
    it works whatever fields the browser sent with the event.
    """
    codes = []
    for point in points:
        trace = fig.data[point.get("curve_number", 0)]
        index = point.get("point_index", point.get("point_number"))
        keys = trace.locations if getattr(trace, "locations", None) is not None else trace.ids
        if keys is not None and index is not None and 0 <= index < len(keys) and trace.name != "base":
            codes.append(str(keys[index]))
    return codes


def build_city_bubbles(by_city: pd.DataFrame, places: pd.DataFrame, *, lang: str, theme: str | None = None) -> go.Scattergeo:
    """A bubble per city at its shipped label point, area proportional to its suspects."""
    pal = style.palette(theme)
    table = places[places["level"] == "city"].set_index("adcode")
    cities = by_city[by_city.index.isin(table.index)]
    points = table.loc[cities.index]
    size = np.sqrt(cities["suspects"].astype(float).to_numpy())
    labels = place_labels(cities.index, places, lang)
    return go.Scattergeo(
        lon=points["label_lon"].astype(float).tolist(),
        lat=points["label_lat"].astype(float).tolist(),
        ids=list(cities.index),
        mode="markers",
        marker={
            "size": (4 + 3.5 * size).tolist(),
            "color": pal.primary,
            "opacity": 0.6,
            "line": {"color": pal.border, "width": 1},
        },
        customdata=_customdata(cities, labels, lang),
        hovertemplate=_hover_template(lang),
        name=i18n.t("legend_cities", lang),
    )


def build_top_provinces_bar(
    by_province: pd.DataFrame,
    metric: str,
    places: pd.DataFrame,
    *,
    lang: str,
    theme: str | None = None,
    n: int = 10,
    height: int = 440,
) -> go.Figure:
    """Horizontal bars of the ``n`` provinces highest on ``metric``, largest on top."""
    top = by_province[by_province[metric].fillna(0) > 0].sort_values(metric, ascending=False).head(n)
    top = top.iloc[::-1]
    labels = place_labels(top.index, places, lang)
    bar = go.Bar(
        x=top[metric].astype(float).tolist(),
        y=labels,
        ids=list(top.index),
        orientation="h",
        marker={"color": style.palette(theme).primary},
        text=_metric_text(top[metric].fillna(0), metric, lang),
        textposition="auto",
        customdata=_customdata(top, labels, lang),
        hovertemplate=_hover_template(lang),
    )
    title = i18n.t("chart_top_provinces", lang, n=n, metric=metric_label(metric, lang))
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
    traces = [
        go.Bar(
            x=labels,
            y=over_time["arrested"],
            name=i18n.t("axis_arrested", lang),
            marker={"color": pal.categorical[1]},
            hovertemplate="%{x}: %{y}<extra></extra>",
        ),
        go.Scatter(
            x=labels,
            y=over_time["cumulative"],
            name=i18n.t("axis_cumulative", lang),
            mode="lines+markers",
            line={"color": pal.primary, "width": 3},
            yaxis="y2",
            hovertemplate="%{x}: %{y}<extra></extra>",
        ),
    ]
    layout = dict(
        yaxis={"title": {"text": i18n.t("axis_arrested", lang)}, "rangemode": "tozero", "tickformat": ",d"},
        yaxis2={
            "title": {"text": i18n.t("axis_cumulative", lang)},
            "overlaying": "y",
            "side": "right",
            "rangemode": "tozero",
            "showgrid": False,
            "tickformat": ",d",
        },
        xaxis={"title": {"text": i18n.t("axis_week" if freq == "W" else "axis_month", lang)}, "type": "category"},
        legend={"orientation": "h", "y": -0.4},
        bargap=0.25,
    )
    return style.figure(traces, theme, title=i18n.t("chart_arrests_time", lang), height=height, layout=layout)

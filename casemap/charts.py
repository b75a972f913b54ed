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
METRIC_LABEL_KEYS = {"arrested": "metric_arrested", "suspects": "metric_suspects", "amount_yuan": "metric_amount"}


def place_labels(adcodes, places: pd.DataFrame, lang: str, *, short: bool = True) -> list[str]:
    """Display labels for adcodes: Chinese name, plus pinyin in English mode."""
    table = places.set_index("adcode") if "adcode" in places.columns else places
    labels = []
    for code in adcodes:
        if code in table.index:
            row = table.loc[code]
            name = row["short_name"] if short else row["name"]
            labels.append(i18n.place_label(name, row.get("pinyin"), lang))
        else:
            labels.append(str(code))
    return labels


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


def build_province_choropleth(
    by_province: pd.DataFrame,
    metric: str,
    places: pd.DataFrame,
    *,
    geojson_url: str,
    lang: str,
    theme: str | None = None,
    by_city: pd.DataFrame | None = None,
    height: int = 620,
) -> go.Figure:
    """National map: every province drawn, the ones with suspects shaded by ``metric``.

    ``by_province`` is indexed by province adcode with the columns of
    :func:`casemap.metrics.by_province`; ``by_city`` (optional) adds a bubble
    per city at its shipped label point, sized by its suspects.
    """
    pal = style.palette(theme)
    provinces = places[places["level"] == "province"]
    fig = go.Figure()
    # Base layer: every province, so the whole country (islands included) is drawn.
    fig.add_trace(
        go.Choropleth(
            geojson=geojson_url,
            featureidkey="id",
            locations=provinces["adcode"].tolist(),
            z=[0] * len(provinces),
            colorscale=[[0, pal.no_data], [1, pal.no_data]],
            showscale=False,
            marker={"line": {"color": pal.border, "width": 0.6}},
            hovertemplate="%{text}<extra></extra>",
            text=place_labels(provinces["adcode"], places, lang),
            name="base",
        )
    )
    shown = by_province[by_province[metric].fillna(0) > 0] if len(by_province) else by_province
    if len(shown):
        labels = place_labels(shown.index, places, lang)
        fig.add_trace(
            go.Choropleth(
                geojson=geojson_url,
                featureidkey="id",
                locations=list(shown.index),
                z=shown[metric].astype(float).tolist(),
                colorscale=style.colorscale(theme),
                zmin=0,
                marker={"line": {"color": pal.border, "width": 0.8}},
                colorbar={
                    "title": {"text": metric_label(metric, lang), "side": "right"},
                    "thickness": 14,
                    "len": 0.6,
                    "x": 0.98,
                },
                customdata=_customdata(shown, labels, lang),
                hovertemplate=_hover_template(lang),
                name=metric_label(metric, lang),
            )
        )
    if by_city is not None and len(by_city):
        fig.add_trace(build_city_bubbles(by_city, places, lang=lang, theme=theme))
    fig.update_geos(
        fitbounds="locations",
        visible=False,
        projection_type="mercator",
        bgcolor="rgba(0,0,0,0)",
    )
    style.apply_template(fig, theme, height=height)
    fig.update_layout(
        clickmode="event+select",
        dragmode=False,
        showlegend=by_city is not None and len(by_city) > 0,
        legend={"x": 0.01, "y": 0.02, "bgcolor": "rgba(0,0,0,0)"},
    )
    return fig


def build_city_bubbles(by_city: pd.DataFrame, places: pd.DataFrame, *, lang: str, theme: str | None = None) -> go.Scattergeo:
    """A bubble per city at its shipped label point, area proportional to its suspects."""
    pal = style.palette(theme)
    table = places.set_index("adcode")
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
            "size": (6 + 5 * size).tolist(),
            "color": pal.primary,
            "opacity": 0.75,
            "line": {"color": pal.highlight, "width": 0.8},
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
    fig = go.Figure(
        go.Bar(
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
    )
    title = i18n.t("chart_top_provinces", lang, n=n, metric=metric_label(metric, lang))
    style.apply_template(fig, theme, title=title, height=height)
    fig.update_xaxes(showticklabels=False, showgrid=False)
    fig.update_yaxes(automargin=True)
    fig.update_layout(clickmode="event+select", dragmode=False)
    return fig


def build_arrests_sparkline(
    over_time: pd.DataFrame,
    *,
    lang: str,
    theme: str | None = None,
    height: int = 260,
) -> go.Figure:
    """Arrests per period as bars, with the cumulative count as a line."""
    pal = style.palette(theme)
    fig = go.Figure()
    fig.add_trace(
        go.Bar(
            x=over_time["period"],
            y=over_time["arrested"],
            name=i18n.t("axis_arrested", lang),
            marker={"color": pal.categorical[1]},
            hovertemplate="%{x|%Y-%m-%d}: %{y}<extra></extra>",
        )
    )
    fig.add_trace(
        go.Scatter(
            x=over_time["period"],
            y=over_time["cumulative"],
            name=i18n.t("axis_cumulative", lang),
            mode="lines",
            line={"color": pal.primary, "width": 3},
            yaxis="y2",
            hovertemplate="%{x|%Y-%m-%d}: %{y}<extra></extra>",
        )
    )
    style.apply_template(fig, theme, title=i18n.t("chart_arrests_time", lang), height=height)
    fig.update_layout(
        yaxis={"title": {"text": i18n.t("axis_arrested", lang)}, "rangemode": "tozero"},
        yaxis2={
            "title": {"text": i18n.t("axis_cumulative", lang)},
            "overlaying": "y",
            "side": "right",
            "rangemode": "tozero",
            "showgrid": False,
        },
        xaxis={"title": {"text": i18n.t("axis_week", lang)}},
        legend={"orientation": "h", "y": -0.35},
        bargap=0.1,
    )
    return fig

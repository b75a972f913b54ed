"""Map builders of the analysis pages: the drill-down map and the shared geo pieces.

Pure functions, no streamlit. Like :mod:`casemap.charts`, maps reference the
shipped boundary layers by URL and carry only codes and numbers, and are
never drawn on tiles: a national map frames the mainland with the South China
Sea inset, a drilled-down one is fitted to its units.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from casemap import i18n, style
from casemap.charts import ALL_METRICS, MONEY_METRICS, hover_data, metric_label, place_labels, plain_texts, value_ticks
from geo import layers

MAP_METRICS = ALL_METRICS

# The national view shows the mainland and Hainan; the South China Sea islands
# sit in the customary inset at the lower right, as on China's official maps.
MAINLAND_VIEW = {"lonaxis": {"range": [73.0, 135.5]}, "lataxis": {"range": [17.0, 54.0]}}
MAINLAND_WIDTH = 0.83  # of the plot's width; the inset takes the strip to its right
# The inset's frame: the sea and the coast above it, up to the northern edge of
# the provinces the inset draws (none of them reaches past it).
INSET_LON = (107.0, 123.0)
INSET_LAT = (2.5, 26.5)
INSET_PROVINCES = frozenset({"440000", "450000", "460000", "710000", "810000", "820000"})
INSET_PAD = 0.3  # degrees of view around the frame, so that the map's clipping leaves its sides
# In the inset the islands are a few pixels across: outlined in a visible
# colour they show as dots, next to the dashes of the maritime boundary line.
INSET_OUTLINE_WIDTH = 0.8
SEA_LINE_NAME = "south_sea_line"
SEA_LINE_WIDTH = 1.5

# The case origin: Linwu County (临武县) in Chenzhou, Hunan. The gazetteer stops
# at prefecture level, so the county seat's position is kept here.
LINWU_ADCODE = "431025"
LINWU_CITY = "431000"
LINWU_PROVINCE = "430000"
LINWU_LONLAT = (112.56, 25.28)

BUBBLE_MIN_SIZE = 6
BUBBLE_MAX_SIZE = 32
# A whole country's map is a few hundred pixels across: smaller bubbles there
# leave the provinces' shades showing (Hunan is some 40 pixels wide on a laptop).
BUBBLE_NATIONAL_MAX_SIZE = 20
BUBBLE_OPACITY = 0.55
BUBBLE_LINE_WIDTH = 0.6
# The size key sits in a strip below the map (the bottom margin), so it covers
# no place: its title on one line, the reference bubbles side by side below.
KEY_TITLE_HEIGHT = 30  # one line of the key title, as plotly boxes it (about 27 px)
KEY_GAP = 6
KEY_STRIP = KEY_TITLE_HEIGHT + BUBBLE_MAX_SIZE + 16
LEGEND_ROW = 30  # one line of legend (style.LEGEND_BELOW) under the key


def label_points(places: pd.DataFrame) -> pd.DataFrame:
    """``label_lon``/``label_lat`` indexed by adcode, one row per code.

    Taiwan, Hong Kong and Macao are both a province and a city under one code;
    their two rows share a point, so the first is kept.
    """
    return places.drop_duplicates("adcode").set_index("adcode")[["label_lon", "label_lat"]].astype(float)


def base_layer(units, geojson_url: str, places: pd.DataFrame, *, lang: str, theme: str | None) -> go.Choropleth:
    """Every unit in the no-data colour, so the whole area shows even where nothing happened."""
    pal = style.palette(theme)
    units = list(units)
    return go.Choropleth(
        geojson=geojson_url,
        featureidkey="id",
        locations=units,
        z=[0] * len(units),
        colorscale=[[0, pal.no_data], [1, pal.no_data]],
        showscale=False,
        marker={"line": {"color": pal.border, "width": 0.6}},
        text=plain_texts(place_labels(units, places, lang)),
        hovertemplate="%{text}<extra></extra>",
        name="base",
        showlegend=False,
    )


def shows_origin(units) -> bool:
    """Whether the case origin lies in the mapped units (else its marker would stretch the view)."""
    units = set(units)
    return LINWU_CITY in units or LINWU_PROVINCE in units


def origin_marker(*, lang: str, theme: str | None) -> go.Scattergeo:
    """A star at Linwu County, where the case began.

    A click on it is a click on Chenzhou, the city it lies in: on a province
    map, on Hunan (:func:`casemap.charts.clicked_codes`).
    """
    pal = style.palette(theme)
    lon, lat = LINWU_LONLAT
    return go.Scattergeo(
        lon=[lon],
        lat=[lat],
        ids=[LINWU_CITY],
        mode="markers",
        marker={"symbol": "star", "size": 20, "color": pal.origin, "line": {"color": pal.highlight, "width": 1.5}},
        name=i18n.t("legend_origin", lang),
        hovertemplate=i18n.t("legend_origin", lang) + "<extra></extra>",
    )


def colorbar(title: str, values, *, money: bool, lang: str) -> dict:
    """The colour bar of a map from 0 to the largest of ``values``: flat along the top of the figure.

    Lying above the map it leaves the map the figure's whole width, however
    narrow, and never meets the legend (:data:`casemap.style.LEGEND_BELOW`)
    or the South China Sea inset. Its ticks are set one by one
    (:func:`casemap.charts.value_ticks`), so a small count never shows a tick
    twice and money reads as in the KPIs.
    """
    return {"title": {"text": title, "side": "top"}, "orientation": "h", "thickness": 12, "len": 0.6,
            "x": 0, "xanchor": "left", "xref": "container", "y": 1, "yanchor": "top", "yref": "container",
            **value_ticks(values, money=money, lang=lang)}


def _mercator_y(lat: float) -> float:
    return math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))


def _mercator_lat(y: float) -> float:
    return math.degrees(2 * math.atan(math.exp(y)) - math.pi / 2)


def _aspect(lons, lats) -> float:
    """Width over height of a lon/lat box drawn in the Mercator projection."""
    return math.radians(lons[1] - lons[0]) / (_mercator_y(lats[1]) - _mercator_y(lats[0]))


def inset_view() -> dict:
    """The lon/lat ranges of the inset: its frame, and empty sky above it up to the mainland's height.

    Plotly fits each map into its part of the figure and centres it. Drawn
    as tall as the mainland beside it (its width over height is the
    mainland's, times the inset strip's share of the width over the
    mainland's), the inset shares the mainland's bottom edge at every figure
    size, and touches its right edge whenever the width limits the map
    (phones and side-by-side columns). Above the frame nothing is drawn
    (:data:`INSET_PROVINCES`).
    """
    mainland = _aspect(MAINLAND_VIEW["lonaxis"]["range"], MAINLAND_VIEW["lataxis"]["range"])
    aspect = mainland * (1 - MAINLAND_WIDTH) / MAINLAND_WIDTH
    west, east, south = INSET_LON[0] - INSET_PAD, INSET_LON[1] + INSET_PAD, INSET_LAT[0] - INSET_PAD
    top = _mercator_lat(_mercator_y(south) + math.radians(east - west) / aspect)
    return {"lonaxis": {"range": [west, east]}, "lataxis": {"range": [south, top]}}


def _inset_frame() -> tuple[list[float], list[float]]:
    """The frame around the inset, with a point every degree so its top and bottom stay straight."""
    (west, east), (south, north) = INSET_LON, INSET_LAT
    along = [float(lon) for lon in np.arange(west, east + 0.5, 1.0)]
    lons = [*along, *reversed(along), west]
    lats = [south] * len(along) + [north] * len(along) + [south]
    return lons, lats


def south_sea_line(theme: str | None) -> go.Scattergeo:
    """China's maritime boundary line for the inset, and the inset's frame: one line trace, gaps between dashes.

    It has no ids or locations, so a click on it selects nothing
    (:func:`casemap.charts.clicked_codes`).
    """
    pal = style.palette(theme)
    lons: list[float | None] = []
    lats: list[float | None] = []
    for dash_lons, dash_lats in [*layers.south_sea_lines(), _inset_frame()]:
        lons += [*dash_lons, None]
        lats += [*dash_lats, None]
    return go.Scattergeo(
        lon=lons[:-1],
        lat=lats[:-1],
        mode="lines",
        line={"color": pal.muted, "width": SEA_LINE_WIDTH},
        hoverinfo="skip",
        showlegend=False,
        name=SEA_LINE_NAME,
        geo="geo2",
    )


def inset_copy(trace: go.Choropleth, theme: str | None) -> go.Choropleth:
    """A choropleth layer again for the inset: its units in :data:`INSET_PROVINCES`, outlined so tiny islands show.

    Per-unit outlines keep their highlight: only the plain border colour turns muted.
    """
    pal = style.palette(theme)
    keep = [i for i, code in enumerate(trace.locations) if f"{str(code)[:2]}0000" in INSET_PROVINCES]

    def pick(values):
        return [values[i] for i in keep] if isinstance(values, (list, tuple, np.ndarray)) else values

    colour, width = trace.marker.line.color, trace.marker.line.width
    if isinstance(colour, (list, tuple)):
        colour = [pal.muted if c in (pal.border, None) else c for c in pick(colour)]
    else:
        colour = pal.muted
    if isinstance(width, (list, tuple)):
        width = [max(w or 0, INSET_OUTLINE_WIDTH) for w in pick(width)]
    else:
        width = max(width or 0, INSET_OUTLINE_WIDTH)
    return go.Choropleth(
        trace, locations=pick(trace.locations), z=pick(trace.z), customdata=pick(trace.customdata),
        text=pick(trace.text), showscale=False, showlegend=False, geo="geo2",
        marker={"line": {"color": colour, "width": width}},
    )


def finish_map(fig: go.Figure, theme: str | None, *, height: int, national: bool = False) -> go.Figure:
    """The common geo look: no base map, clickable; fitted to its units, or national with the inset.

    A national map frames the mainland and Hainan and repeats its choropleth
    layers in the customary South China Sea inset at its lower right
    (:func:`inset_view`, :func:`inset_copy`), then draws the maritime
    boundary line and the inset's frame as one more trace
    (:func:`south_sea_line`): callers that address traces by index (the
    playback frames of :mod:`casemap.timeline`) count it. Call it after the
    choropleth layers are added; markers stay on the main map. One layout
    update: this runs on every rerun.
    """
    geo_style = {"visible": False, "projection": {"type": "mercator"}, "bgcolor": "rgba(0,0,0,0)"}
    if national:
        fig.add_traces([inset_copy(t, theme) for t in fig.data if t.type == "choropleth"])
        fig.add_trace(south_sea_line(theme))
        geos = {
            "geo": {**geo_style, **MAINLAND_VIEW, "domain": {"x": [0, MAINLAND_WIDTH], "y": [0, 1]}},
            "geo2": {**geo_style, **inset_view(), "domain": {"x": [MAINLAND_WIDTH, 1], "y": [0, 1]}},
        }
    else:
        geos = {"geo": {**geo_style, "fitbounds": "locations"}}
    fig.update_layout(
        style.merge(
            style.base_layout(theme, height=height),
            {
                **geos,
                "clickmode": "event+select",
                "dragmode": False,
                "legend": style.LEGEND_BELOW,
            },
        )
    )
    return fig


def bubble_sizes(amounts, largest: float, biggest: float = BUBBLE_MAX_SIZE) -> np.ndarray:
    """Bubble diameters in pixels, growing with the square root of the amount: ``largest`` is ``biggest`` across."""
    scale = np.sqrt(np.asarray(amounts, dtype=float) / largest)
    return BUBBLE_MIN_SIZE + (biggest - BUBBLE_MIN_SIZE) * scale


def _round_down(value: float) -> float:
    """The largest 1, 2 or 5 times a power of ten not above ``value`` (> 0)."""
    power = 10.0 ** math.floor(math.log10(value) + 1e-9)
    return max(step * power for step in (1, 2, 5) if step * power <= value * (1 + 1e-9))


def key_amounts(largest: float) -> list[float]:
    """The amounts of the size key, smallest first: three round amounts up to ``largest``, each a fifth or so of the next."""
    return sorted({_round_down(largest / share) for share in (25, 5, 1)})


def _text_width(text: str) -> float:
    """Roughly how wide ``text`` is drawn in the charts' font, in pixels (CJK characters are about square)."""
    return sum(style.FONT_SIZE if ord(ch) >= 0x2E80 else 0.6 * style.FONT_SIZE for ch in text)


def size_key(largest: float, *, lang: str, theme: str | None, biggest: float = BUBBLE_MAX_SIZE) -> dict:
    """The bubble size key as layout ``shapes`` and ``annotations``: reference bubbles labelled with their amounts.

    Drawn in pixels from the lower left corner of the plot area down into the
    bottom margin (:data:`KEY_STRIP` high), in the bubbles' own look, so it
    never covers a place. ``largest`` is the amount of the largest bubble on
    the map and ``biggest`` its diameter, as passed to :func:`bubble_sizes`.
    """
    pal = style.palette(theme)
    amounts = key_amounts(largest)
    sizes = bubble_sizes(amounts, largest, biggest)
    anchor = {"xref": "paper", "yref": "paper", "x": 0, "y": 0, "showarrow": False}
    annotations = [{**anchor, "text": i18n.t("legend_amount_bubbles", lang), "xanchor": "left", "yanchor": "top",
                    "yshift": -4}]
    shapes = []
    left, middle = 0.0, -(KEY_TITLE_HEIGHT + 4 + BUBBLE_MAX_SIZE / 2)
    for amount, size in zip(amounts, sizes):
        size = float(size)
        shapes.append({
            "type": "circle", "xref": "paper", "yref": "paper", "xanchor": 0, "yanchor": 0,
            "xsizemode": "pixel", "ysizemode": "pixel",
            "x0": left, "x1": left + size, "y0": middle - size / 2, "y1": middle + size / 2,
            "fillcolor": pal.primary, "opacity": BUBBLE_OPACITY,
            "line": {"color": pal.highlight, "width": BUBBLE_LINE_WIDTH},
        })
        label = i18n.format_yuan(amount, lang)
        annotations.append({**anchor, "text": label, "xanchor": "left", "yanchor": "middle",
                            "xshift": left + size + KEY_GAP, "yshift": middle})
        left += size + KEY_GAP + _text_width(label) + 3 * KEY_GAP
    return {"shapes": shapes, "annotations": annotations}


def bubble_cities(by_city: pd.DataFrame, places: pd.DataFrame) -> pd.DataFrame:
    """The rows of ``by_city`` that get a bubble: a known place with an amount involved."""
    return by_city[by_city.index.isin(label_points(places).index) & (by_city["amount_yuan"].fillna(0) > 0)]


def amount_bubbles(
    by_city: pd.DataFrame, places: pd.DataFrame, *, lang: str, theme: str | None, biggest: float = BUBBLE_MAX_SIZE
) -> go.Scattergeo:
    """A bubble per city of :func:`bubble_cities`, at its label point, growing with the amount involved.

    Its size key (:func:`size_key`) stands in for a legend entry.
    """
    pal = style.palette(theme)
    cities = bubble_cities(by_city, places)
    points = label_points(places).loc[cities.index]
    amounts = cities["amount_yuan"].astype(float).to_numpy()
    customdata, template = hover_data(cities, places, lang)
    return go.Scattergeo(
        lon=points["label_lon"].astype(float).tolist(),
        lat=points["label_lat"].astype(float).tolist(),
        ids=list(cities.index),
        mode="markers",
        marker={
            "size": bubble_sizes(amounts, amounts.max(), biggest).tolist() if len(amounts) else [],
            "color": pal.primary,
            "opacity": BUBBLE_OPACITY,
            "line": {"color": pal.highlight, "width": BUBBLE_LINE_WIDTH},
        },
        customdata=customdata,
        hovertemplate=template,
        name=i18n.t("legend_amount_bubbles", lang),
        showlegend=False,
    )


def build_place_map(
    values: pd.DataFrame,
    metric: str,
    places: pd.DataFrame,
    *,
    units: list[str],
    geojson_url: str,
    lang: str,
    theme: str | None = None,
    bubbles: pd.DataFrame | None = None,
    selected: tuple[str, ...] = (),
    national: bool = False,
    height: int = 640,
) -> go.Figure:
    """A choropleth of ``units`` shaded by ``metric``, with optional city amount bubbles (and their size key) and the origin.

    ``values`` is indexed by adcode with the columns of
    :meth:`casemap.query.CaseQuery.by_province` / ``by_city`` (with payments).
    The hover of a shaded unit shows its name and every metric of
    :data:`MAP_METRICS`; ``selected`` units get a heavy outline. ``national``
    maps get the South China Sea inset with the maritime boundary line (see :func:`finish_map`).
    """
    pal = style.palette(theme)
    fig = go.Figure(base_layer(units, geojson_url, places, lang=lang, theme=theme))
    shown = values[values.index.isin(units) & (values[metric].fillna(0) > 0)]
    if len(shown):
        customdata, template = hover_data(shown, places, lang)
        fig.add_trace(
            go.Choropleth(
                geojson=geojson_url,
                featureidkey="id",
                locations=list(shown.index),
                z=shown[metric].astype(float).tolist(),
                colorscale=style.colorscale(theme),
                zmin=0,
                zmax=float(shown[metric].max()),
                marker={
                    "line": {
                        "color": [pal.highlight if code in selected else pal.border for code in shown.index],
                        "width": [3 if code in selected else 0.8 for code in shown.index],
                    }
                },
                colorbar=colorbar(metric_label(metric, lang), shown[metric], money=metric in MONEY_METRICS, lang=lang),
                customdata=customdata,
                hovertemplate=template,
                name=metric_label(metric, lang),
                showlegend=False,
            )
        )
    finish_map(fig, theme, height=height, national=national)
    cities = bubble_cities(bubbles, places) if bubbles is not None else ()
    if len(cities):
        biggest = BUBBLE_NATIONAL_MAX_SIZE if national else BUBBLE_MAX_SIZE
        fig.add_trace(amount_bubbles(cities, places, lang=lang, theme=theme, biggest=biggest))
        largest = float(cities["amount_yuan"].max())
        # The legend (the origin's star) lies along the figure's bottom edge: the key's strip goes above it.
        strip = KEY_STRIP + (LEGEND_ROW if shows_origin(units) else 0)
        fig.update_layout(margin={"b": strip}, **size_key(largest, lang=lang, theme=theme, biggest=biggest))
    if shows_origin(units):
        fig.add_trace(origin_marker(lang=lang, theme=theme))
    return fig

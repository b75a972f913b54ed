"""The drill-down map: every metric, hover with every figure, amount bubbles, the Linwu marker.

The map is fed the tiny case's per-place figures, from the reference
computation (tests/reference.py), and once from the query layer.
"""

import functools
import itertools
import json
import math

import pandas as pd
import pytest
from shapely.geometry import Point

from casemap import charts, i18n, maps, style
from casemap.filters import FilterState
from geo import layers
from tests import reference as ref
from tests import tiny_case

PROVINCES = ["110000", "430000", "440000"]
ACCOUNTS_RENTED = {"430000": 3, "440000": 1}  # Beijing none: left unshaded


@functools.cache
def tiny_values():
    """The tiny case per province, with payments, and a few accounts rented (the tiny case itself has none)."""
    values = ref.by_province(tiny_case.suspects(), tiny_case.payments())
    return values.assign(accounts_rented=pd.Series(ACCOUNTS_RENTED).reindex(values.index, fill_value=0))


@functools.cache
def tiny_cities():
    """The tiny case per city, with payments (and no accounts)."""
    return ref.by_city(tiny_case.suspects(), tiny_case.payments()).assign(accounts_rented=0)


def bubble_trace(fig):
    """The city bubbles of a map, if any: the markers with place codes other than the origin's star."""
    return next((t for t in fig.data if t.type == "scattergeo" and t.ids is not None and t.marker.symbol != "star"),
                None)


def place_map(metric="arrested", units=PROVINCES, lang="en", values=None, **kwargs):
    return maps.build_place_map(tiny_values() if values is None else values, metric, tiny_case.PLACES, units=units,
                                geojson_url="app/static/p.geojson", lang=lang, **kwargs)


@pytest.mark.parametrize("metric", maps.MAP_METRICS)
def test_units_with_a_value_are_shaded_by_the_metric(metric):
    fig = place_map(metric)
    shaded = next(t for t in fig.data if t.type == "choropleth" and t.name != "base")
    values = tiny_values()
    expected = values[values[metric].fillna(0) > 0][metric]
    assert list(shaded.locations) == list(expected.index)
    assert list(shaded.z) == pytest.approx(expected.tolist())
    assert shaded.colorbar.title.text == charts.metric_label(metric, "en")


def test_hover_shows_the_name_and_every_metric():
    fig = place_map("amount_yuan")
    shaded = fig.data[1]
    for metric in maps.MAP_METRICS:
        assert charts.metric_label(metric, "en") in shaded.hovertemplate
    rows = {row[0]: list(row[1:]) for row in shaded.customdata}
    # Hunan: 2 arrested of 3 suspects, 148,000 involved; paid out by P1 (53,500), P2 (300) and V1 (100);
    # received by V1 (1,000) and P1 (100).
    assert rows["湖南 Hunan"] == ["2", "3", "¥148.0K", "¥53.9K", "¥1.1K", "3"]


@pytest.mark.parametrize("metric", maps.MAP_METRICS)
def test_the_map_of_the_query_layers_figures_is_the_same(seeded_store, metric):
    q = seeded_store.query(FilterState(case="tiny"))
    fig = place_map(metric, values=q.places_with_accounts("province"), bubbles=q.places_with_accounts("city"),
                    national=True)
    expected = place_map(metric, values=tiny_values().assign(accounts_rented=0), bubbles=tiny_cities(), national=True)
    # The tiny case's sums are exact in binary, so the drawn figures are identical.
    assert json.loads(fig.to_json())["data"] == json.loads(expected.to_json())["data"]


def test_chinese_map_has_no_pinyin():
    rows = {row[0] for row in place_map(lang="zh").data[1].customdata}
    assert rows == {"湖南", "北京"}  # Guangdong has nobody arrested


def test_bubbles_grow_with_the_amount_and_skip_unknown_amounts():
    fig = place_map(bubbles=tiny_cities())
    bubbles = bubble_trace(fig)
    sizes = dict(zip(bubbles.ids, bubbles.marker.size))
    assert set(sizes) == {"431000", "430100", "110100"}  # Shenzhen's only suspect has no amount
    assert sizes["431000"] > sizes["430100"] > sizes["110100"]
    assert sizes["431000"] == maps.BUBBLE_MAX_SIZE


def test_bubbles_are_smaller_on_a_national_map():
    national = bubble_trace(place_map(bubbles=tiny_cities(), national=True))
    drilled = bubble_trace(place_map(bubbles=tiny_cities(), units=["431000", "430100"]))
    assert max(national.marker.size) == maps.BUBBLE_NATIONAL_MAX_SIZE < max(drilled.marker.size) == maps.BUBBLE_MAX_SIZE


def test_origin_is_marked_when_hunan_is_on_the_map_and_only_then():
    origin = [t for t in place_map().data if t.type == "scattergeo" and t.marker.symbol == "star"]
    assert len(origin) == 1 and (origin[0].lon[0], origin[0].lat[0]) == maps.LINWU_LONLAT
    guangdong = place_map(units=["440300"])
    assert not [t for t in guangdong.data if t.type == "scattergeo" and t.marker.symbol == "star"]


@pytest.mark.parametrize("units, expected", [(PROVINCES, "430000"), (["431000", "430100"], "431000")])
def test_a_click_on_the_origin_star_is_a_click_on_the_place_under_it(units, expected):
    fig = place_map(units=units, national=units == PROVINCES, bubbles=tiny_cities())
    star = next(i for i, t in enumerate(fig.data) if t.type == "scattergeo" and t.marker.symbol == "star")
    assert charts.clicked_codes(fig, [{"curve_number": star, "point_index": 0}]) == [expected]


def test_linwu_point_lies_inside_chenzhou():
    chenzhou = layers.read_layer(f"cities/{maps.LINWU_PROVINCE}").set_index("adcode").loc[maps.LINWU_CITY, "geometry"]
    assert chenzhou.contains(Point(*maps.LINWU_LONLAT))
    assert layers.counties().set_index("adcode").loc[maps.LINWU_ADCODE, "city_adcode"] == maps.LINWU_CITY


def test_label_points_keep_one_row_per_code():
    points = maps.label_points(tiny_case.PLACES)
    assert points.index.is_unique
    assert points.loc["810000"].tolist() == [114.1, 22.4]


def test_national_maps_have_the_south_china_sea_inset_and_drilled_ones_fit_their_units():
    national = place_map(national=True)
    assert {t.geo for t in national.data if t.type == "choropleth"} == {None, "geo2"}
    assert national.layout.geo2.lataxis.range == tuple(maps.inset_view()["lataxis"]["range"])
    markers = [t for t in national.data if t.type == "scattergeo" and t.name != maps.SEA_LINE_NAME]
    assert markers and all(t.geo is None for t in markers)  # markers stay on the mainland map
    drilled = place_map(units=["431000", "430100"])
    assert drilled.layout.geo.fitbounds == "locations" and "geo2" not in drilled.layout


def _sea_lines(fig):
    return [t for t in fig.data if t.name == maps.SEA_LINE_NAME]


@pytest.mark.parametrize("theme", style.THEMES)
def test_national_inset_draws_the_maritime_boundary_line(theme):
    fig = place_map(national=True, theme=theme, bubbles=tiny_cities())
    (line,) = _sea_lines(fig)
    assert (line.type, line.mode, line.geo, line.hoverinfo, line.showlegend) == (
        "scattergeo", "lines", "geo2", "skip", False)
    assert line.line.color == style.palette(theme).muted and line.line.width == maps.SEA_LINE_WIDTH
    dashes = layers.south_sea_lines()
    # The dashes, then the inset's frame, one gap between each.
    assert list(line.lon).count(None) == list(line.lat).count(None) == len(dashes)
    dash_lons = [lon for lons, _ in dashes for lon in lons]
    assert [v for v in line.lon if v is not None][:len(dash_lons)] == dash_lons
    index = list(fig.data).index(line)
    assert charts.clicked_codes(fig, [{"curve_number": index, "point_index": 0}]) == []  # clicks select nothing


def test_drilled_maps_have_no_maritime_line():
    assert _sea_lines(place_map(units=["431000", "430100"])) == []
    assert _sea_lines(place_map(units=["460300", "460100"], bubbles=tiny_cities())) == []


@pytest.mark.parametrize("theme", style.THEMES)
def test_inset_copies_are_outlined_so_the_islands_show(theme):
    pal = style.palette(theme)
    fig = place_map("suspects", national=True, theme=theme)  # Guangdong, in the inset, has suspects
    inset = [t for t in fig.data if t.type == "choropleth" and t.geo == "geo2"]
    assert [t.name for t in inset] == ["base", charts.metric_label("suspects", "en")]
    for trace in inset:
        colours = trace.marker.line.color
        colours = list(colours) if isinstance(colours, tuple) else [colours]
        widths = trace.marker.line.width
        widths = list(widths) if isinstance(widths, tuple) else [widths]
        assert not {pal.background, pal.border, pal.no_data, None} & set(colours)
        assert pal.muted in colours and min(widths) >= maps.INSET_OUTLINE_WIDTH
    selected = place_map("suspects", national=True, theme=theme, selected=("440000",))
    shaded = next(t for t in selected.data if t.type == "choropleth" and t.geo == "geo2" and t.name != "base")
    assert dict(zip(shaded.locations, shaded.marker.line.color))["440000"] == pal.highlight  # keeps its heavy outline
    main = [t for t in fig.data if t.type == "choropleth" and t.geo is None]
    assert main[0].marker.line.color == pal.border  # the mainland map keeps its plain borders


# -- the bubbles' size key -------------------------------------------------------------------------

# Round amounts, so the key (round amounts up to the largest bubble) repeats some of them.
KEY_CITIES = tiny_cities().assign(amount_yuan=pd.Series({"431000": 1_000_000.0, "430100": 200_000.0,
                                                         "110100": 20_000.0}))


def _key(fig):
    circles = [s for s in fig.layout.shapes if s.type == "circle"]
    return circles, [a.text for a in fig.layout.annotations]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_size_key_shows_reference_bubbles_as_the_map_draws_them(lang):
    fig = place_map(bubbles=KEY_CITIES, national=True, lang=lang)
    bubbles = bubble_trace(fig)
    drawn = {KEY_CITIES.loc[code, "amount_yuan"]: size for code, size in zip(bubbles.ids, bubbles.marker.size)}
    circles, texts = _key(fig)
    # Three round amounts up to the largest bubble (1,000,000), each about a fifth of the next, smallest first.
    amounts = [20_000.0, 200_000.0, 1_000_000.0]
    assert texts == [i18n.t("legend_amount_bubbles", lang)] + [i18n.format_yuan(a, lang) for a in amounts]
    diameters = [c.x1 - c.x0 for c in circles]
    assert diameters == pytest.approx([drawn[a] for a in amounts])  # a city of that amount gets that bubble
    assert [c.y1 - c.y0 for c in circles] == pytest.approx(diameters)
    assert {c.fillcolor for c in circles} == {bubbles.marker.color}
    assert all(c.xsizemode == c.ysizemode == "pixel" for c in circles)
    assert all(earlier.x1 < later.x0 for earlier, later in itertools.pairwise(circles))  # side by side


def test_the_size_key_sits_below_the_map_and_covers_no_place():
    fig = place_map(bubbles=KEY_CITIES, units=["431000", "430100"])
    circles, _ = _key(fig)
    assert circles and all((c.xref, c.yref, c.yanchor) == ("paper", "paper", 0) for c in circles)
    assert all(c.y1 <= 0 and -c.y0 <= fig.layout.margin.b for c in circles)  # in the bottom margin
    assert all(a.y == 0 and a.yshift < 0 for a in fig.layout.annotations)


@pytest.mark.parametrize("largest, expected", [(1_480_000.0, [50_000.0, 200_000.0, 1_000_000.0]),
                                               (99.0, [2.0, 10.0, 50.0]), (500.0, [20.0, 100.0, 500.0])])
def test_key_amounts_are_round_and_no_larger_than_the_largest_bubble(largest, expected):
    assert maps.key_amounts(largest) == pytest.approx(expected)


def test_no_bubbles_no_key():
    fig = place_map(national=True)
    assert bubble_trace(fig) is None
    assert fig.layout.shapes == () and fig.layout.annotations == ()
    assert fig.layout.margin.b < maps.KEY_STRIP
    assert place_map(national=True, bubbles=KEY_CITIES.iloc[:0]).layout.shapes == ()


def _mercator_aspect(lons, lats):
    """Width over height of a lon/lat box in the Mercator projection, computed here from its definition."""
    y = lambda lat: math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))  # noqa: E731
    return math.radians(lons[1] - lons[0]) / (y(lats[1]) - y(lats[0]))


def test_the_inset_sits_against_the_mainlands_lower_right_corner():
    # Plotly fits each map into its domain and centres it. Two domains side by side, full height, whose
    # views have the same width over height per unit of domain width, are drawn equally tall and centred
    # on one line: bottoms level at every size, and touching whenever the width limits the map.
    layout = place_map(national=True).layout
    main, inset = layout.geo, layout.geo2
    assert main.domain.x[1] == inset.domain.x[0] and inset.domain.x[1] == 1
    assert tuple(main.domain.y) == tuple(inset.domain.y) == (0, 1)
    main_share = _mercator_aspect(main.lonaxis.range, main.lataxis.range) / (main.domain.x[1] - main.domain.x[0])
    inset_share = _mercator_aspect(inset.lonaxis.range, inset.lataxis.range) / (inset.domain.x[1] - inset.domain.x[0])
    assert inset_share == pytest.approx(main_share, rel=1e-6)
    # The frame is the inset's bottom part: the islands sit level with the mainland's southern edge.
    assert inset.lataxis.range[0] < maps.INSET_LAT[0] < maps.INSET_LAT[1] < inset.lataxis.range[1]


def test_the_inset_draws_only_provinces_that_fit_under_its_frame():
    bounds = layers.read_layer("provinces").set_index("adcode").bounds
    inside_frame = bounds[(bounds["miny"] < maps.INSET_LAT[1]) & (bounds["maxx"] > maps.INSET_LON[0])
                          & (bounds["minx"] < maps.INSET_LON[1])]
    assert set(maps.INSET_PROVINCES) <= set(inside_frame.index)
    assert (bounds.loc[sorted(maps.INSET_PROVINCES), "maxy"] <= maps.INSET_LAT[1]).all()
    fig = place_map(national=True)
    for trace in (t for t in fig.data if t.geo == "geo2" and t.type == "choropleth"):
        assert set(trace.locations) == set(trace.locations) & maps.INSET_PROVINCES
        assert len(trace.z) == len(trace.locations)
    assert "430000" in fig.data[0].locations  # the mainland keeps every unit


@pytest.mark.parametrize("metric, top, expected", [
    ("arrested", 1, ["0", "1"]),
    ("arrested", 3, ["0", "1", "2", "3"]),
    ("arrested", 16, ["0", "5", "10", "15"]),
])
def test_colour_bar_ticks_are_whole_counts_each_shown_once(metric, top, expected):
    values = tiny_values().assign(**{metric: [top] + [0] * (len(tiny_values()) - 1)})
    shaded = place_map(metric, values=values).data[1]
    assert list(shaded.colorbar.ticktext) == expected
    assert shaded.zmax == top


@pytest.mark.parametrize("lang, unit", [("zh", "万"), ("en", "K")])
def test_money_colour_bars_read_like_the_kpis(lang, unit):
    shaded = place_map("amount_yuan", lang=lang).data[1]
    texts = list(shaded.colorbar.ticktext)
    assert len(set(texts)) == len(texts) > 1
    assert all(unit in text for text in texts[1:]), texts
    assert not any("k" in text for text in texts)  # never SI "100k"


def test_the_size_key_leaves_the_legend_its_own_row_below():
    fig = place_map(bubbles=KEY_CITIES, units=["431000", "430100"])  # Chenzhou: the origin's star and its legend
    assert any(t.showlegend is not False and t.mode == "markers" for t in fig.data if t.type == "scattergeo")
    circles, _ = _key(fig)
    lowest = max(-c.y0 for c in circles)  # pixels below the plot area
    assert fig.layout.margin.b - lowest >= 24  # room for one line of legend text under the key
    assert fig.layout.legend.y == 0 and fig.layout.legend.yanchor == "bottom"

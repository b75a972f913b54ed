"""Chart builders, checked on the data of the figures they return."""

import pandas as pd
import pytest

from casemap import charts

PLACES = pd.DataFrame(
    [
        ("430000", "province", "湖南省", "湖南", "Hunan", "430000", 111.7, 27.6),
        ("440000", "province", "广东省", "广东", "Guangdong", "440000", 113.4, 23.4),
        ("110000", "province", "北京市", "北京", "Beijing", "110000", 116.4, 40.2),
        ("431000", "city", "郴州市", "郴州", "Chenzhou", "430000", 113.0, 25.8),
        ("430100", "city", "长沙市", "长沙", "Changsha", "430000", 113.0, 28.2),
        ("440300", "city", "深圳市", "深圳", "Shenzhen", "440000", 114.1, 22.6),
    ],
    columns=["adcode", "level", "name", "short_name", "pinyin", "province_adcode", "label_lon", "label_lat"],
)

BY_PROVINCE = pd.DataFrame(
    {"suspects": [30, 4], "arrested": [20, 0], "at_large": [8, 3], "under_investigation": [2, 1],
     "amount_yuan": [1_500_000.0, 80_000.0]},
    index=pd.Index(["430000", "440000"], name="province_adcode"),
)
BY_CITY = pd.DataFrame(
    {"province_adcode": ["430000", "430000", "440000"], "suspects": [25, 5, 4], "arrested": [18, 2, 0],
     "at_large": [5, 3, 3], "under_investigation": [2, 0, 1], "amount_yuan": [1_200_000.0, 300_000.0, 80_000.0]},
    index=pd.Index(["431000", "430100", "440300"], name="city_adcode"),
)
URL = "app/static/provinces.geojson"


PROVINCES = ["110000", "430000", "440000"]


def choropleth(metric="arrested", lang="en", **kw):
    return charts.build_choropleth(BY_PROVINCE, metric, PLACES, units=PROVINCES, geojson_url=URL, lang=lang, **kw)


def test_every_province_is_drawn_and_geometry_is_referenced_not_embedded():
    fig = choropleth()
    base = fig.data[0]
    assert sorted(base.locations) == ["110000", "430000", "440000"]
    for trace in fig.data:
        if trace.type == "choropleth":
            assert trace.geojson == URL
    assert "coordinates" not in fig.to_json()


@pytest.mark.parametrize("metric", charts.METRICS)
def test_shaded_provinces_carry_the_metric(metric):
    fig = choropleth(metric)
    shaded = fig.data[1]
    expected = BY_PROVINCE[BY_PROVINCE[metric] > 0][metric]
    assert list(shaded.locations) == list(expected.index)
    assert list(shaded.z) == pytest.approx(expected.astype(float).tolist())


def test_provinces_with_zero_are_not_shaded():
    fig = choropleth("arrested")
    assert "440000" not in fig.data[1].locations


@pytest.mark.parametrize("lang, hunan", [("en", "湖南 Hunan"), ("zh", "湖南")])
def test_hover_names_are_chinese_with_pinyin_in_english(lang, hunan):
    fig = choropleth(lang=lang)
    assert fig.data[1].customdata[0][0] == hunan
    assert ("Suspects" in fig.data[1].hovertemplate) == (lang == "en")


def test_city_bubbles_sit_on_label_points_and_grow_with_suspects():
    fig = choropleth(by_city=BY_CITY)
    bubbles = fig.data[-1]
    assert bubbles.type == "scattergeo"
    assert list(bubbles.ids) == ["431000", "430100", "440300"]
    assert list(bubbles.lon) == [113.0, 113.0, 114.1]
    sizes = list(bubbles.marker.size)
    assert sizes[0] > sizes[1] > sizes[2]


def test_map_fits_to_its_locations_with_no_base_map():
    fig = choropleth()
    assert fig.layout.geo.fitbounds == "locations"
    assert fig.layout.geo.visible is False


def test_top_provinces_bar_is_sorted_largest_on_top_and_limited():
    fig = charts.build_top_provinces_bar(BY_PROVINCE, "suspects", PLACES, lang="zh", n=1)
    bar = fig.data[0]
    assert list(bar.ids) == ["430000"]
    assert list(bar.y) == ["湖南"]
    fig = charts.build_top_provinces_bar(BY_PROVINCE, "suspects", PLACES, lang="en")
    assert list(fig.data[0].x) == [4.0, 30.0]  # plotly draws the first bar at the bottom
    assert "Top 10" in fig.layout.title.text


def test_top_bar_leaves_out_provinces_without_the_metric():
    fig = charts.build_top_provinces_bar(BY_PROVINCE, "arrested", PLACES, lang="en")
    assert list(fig.data[0].ids) == ["430000"]


def test_sparkline_cumulative_line_ends_at_the_total():
    over_time = pd.DataFrame(
        {"period": pd.to_datetime(["2023-10-02", "2024-07-29", "2024-08-05"]), "arrested": [5, 0, 57]}
    )
    over_time["cumulative"] = over_time["arrested"].cumsum()
    fig = charts.build_arrests_sparkline(over_time, lang="zh", theme="screen")
    bars, line = fig.data
    assert sum(bars.y) == 62
    assert line.y[-1] == 62
    assert fig.layout.yaxis2.title.text == "累计抓获"


def test_unknown_adcode_is_shown_as_its_code():
    assert charts.place_labels(["999999"], PLACES, "en") == ["999999"]


def test_drilled_map_draws_the_cities_of_one_province():
    fig = charts.build_choropleth(
        BY_CITY, "suspects", PLACES, units=["431000", "430100"], geojson_url="app/static/cities/430000.geojson",
        lang="en", selected=("431000",),
    )
    assert list(fig.data[0].locations) == ["431000", "430100"]
    assert list(fig.data[1].locations) == ["431000", "430100"]  # Shenzhen is not in Hunan
    assert list(fig.data[1].marker.line.width)[0] > list(fig.data[1].marker.line.width)[1]


def test_clicked_codes_resolve_through_the_figure():
    fig = choropleth(by_city=BY_CITY)
    points = [
        {"curve_number": 1, "point_index": 0},  # shaded Hunan
        {"curve_number": 2, "point_number": 2},  # Shenzhen bubble
        {"curve_number": 0, "point_index": 1},  # the grey base layer is not a selection
        {"curve_number": 1, "point_index": 99},
    ]
    assert charts.clicked_codes(fig, points) == ["430000", "440300"]
    bar = charts.build_top_provinces_bar(BY_PROVINCE, "suspects", PLACES, lang="en")
    assert charts.clicked_codes(bar, [{"curve_number": 0, "point_index": 1}]) == ["430000"]


def test_national_inset_repeats_the_areas_in_a_south_china_sea_frame():
    fig = choropleth(by_city=BY_CITY, south_sea_inset=True)
    inset = [t for t in fig.data if t.geo == "geo2"]
    assert [t.type for t in inset] == ["choropleth", "choropleth"]
    assert all(t.showscale is False for t in inset)
    assert fig.data[1].showscale is not False  # the main map keeps its colour bar
    assert fig.layout.geo2.lataxis.range[0] < 5 < fig.layout.geo.lataxis.range[0]  # islands near 4°N only in the inset
    assert fig.layout.geo.fitbounds in (None, False)


@pytest.mark.parametrize(
    "freq, lang, expected",
    [("W", "en", ["Jul 29", "Aug 5"]), ("W", "zh", ["7月29日", "8月5日"]), ("MS", "en", ["2024-07", "2024-08"]),
     ("MS", "zh", ["2024年7月", "2024年8月"])],
)
def test_period_labels(freq, lang, expected):
    periods = pd.Series(pd.to_datetime(["2024-07-29", "2024-08-05"] if freq == "W" else ["2024-07-01", "2024-08-01"]))
    assert charts.period_labels(periods, freq, lang) == expected

"""Chart builders, checked on the data of the figures they return."""

import pandas as pd
import pytest

from casemap import charts, maps
from casemap.filters import FilterState
from tests import tiny_case

PLACES = tiny_case.PLACES

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


def test_top_provinces_bar_is_sorted_largest_on_top_and_limited():
    fig = charts.build_top_places_bar(BY_PROVINCE, "suspects", PLACES, lang="zh", n=1)
    bar = fig.data[0]
    assert list(bar.ids) == ["430000"]
    assert list(bar.y) == ["湖南"]
    fig = charts.build_top_places_bar(BY_PROVINCE, "suspects", PLACES, lang="en")
    assert list(fig.data[0].x) == [4.0, 30.0]  # plotly draws the first bar at the bottom
    assert "Top 10" in fig.layout.title.text


def test_top_bar_leaves_out_provinces_without_the_metric():
    fig = charts.build_top_places_bar(BY_PROVINCE, "arrested", PLACES, lang="en")
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


def test_demo_sparkline_from_the_query_layer_ends_at_the_62_arrests(seeded_store):
    q = seeded_store.query(FilterState())
    fig = charts.build_arrests_sparkline(q.arrests_over_time(q.natural_freq()), lang="en")
    bars, line = fig.data
    assert sum(bars.y) == line.y[-1] == 62  # the public figure (CASE.md)


def test_unknown_adcode_is_shown_as_its_code():
    assert charts.place_labels(["999999"], PLACES, "en") == ["999999"]


@pytest.mark.parametrize(
    "freq, lang, expected",
    [("W", "en", ["Jul 29", "Aug 5"]), ("W", "zh", ["7月29日", "8月5日"]), ("MS", "en", ["2024-07", "2024-08"]),
     ("MS", "zh", ["2024年7月", "2024年8月"])],
)
def test_period_labels(freq, lang, expected):
    periods = pd.Series(pd.to_datetime(["2024-07-29", "2024-08-05"] if freq == "W" else ["2024-07-01", "2024-08-01"]))
    assert charts.period_labels(periods, freq, lang) == expected


def test_clicked_codes_resolve_through_the_figure():
    fig = maps.build_place_map(BY_PROVINCE, "suspects", PLACES, units=["110000", "430000", "440000"],
                               geojson_url="app/static/provinces.geojson", lang="en", bubbles=BY_CITY, national=True)
    shaded = next(i for i, t in enumerate(fig.data) if t.type == "choropleth" and t.name != "base")
    bubbles = next(i for i, t in enumerate(fig.data) if t.type == "scattergeo" and t.ids is not None)
    shenzhen_bubble = list(fig.data[bubbles].ids).index("440300")
    points = [
        {"curve_number": shaded, "point_index": 0},  # shaded Hunan
        {"curve_number": bubbles, "point_number": shenzhen_bubble},  # a bubble: the province under it
        {"curve_number": 0, "point_index": 1},  # the grey base layer is not a selection
        {"curve_number": shaded, "point_index": 99},
    ]
    assert charts.clicked_codes(fig, points) == ["430000", "440000"]
    bar = charts.build_top_places_bar(BY_PROVINCE, "suspects", PLACES, lang="en")
    assert charts.clicked_codes(bar, [{"curve_number": 0, "point_index": 1}]) == ["430000"]


@pytest.mark.parametrize(
    "units, expected",
    [
        pytest.param(["110000", "430000", "440000"], "430000", id="province map: the province"),
        pytest.param(["431000", "430100"], "431000", id="cities of Hunan: the city"),
    ],
)
def test_a_click_on_a_bubble_chooses_the_unit_of_the_map_under_it(units, expected):
    fig = maps.build_place_map(BY_PROVINCE, "suspects", PLACES, units=units, lang="en", bubbles=BY_CITY,
                               geojson_url="app/static/provinces.geojson", national=len(units) == 3)
    bubbles = next(i for i, t in enumerate(fig.data) if t.type == "scattergeo" and t.ids is not None)
    chenzhou = list(fig.data[bubbles].ids).index("431000")
    assert charts.clicked_codes(fig, [{"curve_number": bubbles, "point_index": chenzhou}]) == [expected]


@pytest.mark.parametrize(
    "value, metric, lang, expected",
    [(1_500_000.0, "amount_yuan", "en", "¥1.50M"), (80_000.0, "payments_in_yuan", "zh", "8.0万元"),
     (1234, "suspects", "en", "1,234"), (float("nan"), "arrested", "en", "0")],
)
def test_format_metric(value, metric, lang, expected):
    assert charts.format_metric(value, metric, lang) == expected


def test_hover_shows_every_metric_with_chinese_names_and_pinyin():
    customdata, template = charts.hover_data(BY_PROVINCE, PLACES, "en")
    assert customdata[0][0] == "湖南 Hunan"
    assert customdata[0][1] == "20"  # arrested
    assert customdata[0][4] == "¥0"  # payments out: not in the frame, shown as zero
    assert all(charts.metric_label(m, "en") in template for m in charts.ALL_METRICS)


def test_top_cities_bar_when_one_province_is_shown():
    fig = charts.build_top_places_bar(BY_CITY, "suspects", PLACES, lang="en", level="city")
    assert list(fig.data[0].ids) == ["440300", "430100", "431000"]  # largest (Chenzhou, 25) on top = last
    assert fig.layout.title.text.startswith("Top 10 cities")


@pytest.mark.parametrize("theme", ["light", "screen"])
def test_bar_numbers_contrast_with_the_bar(theme):
    from casemap import style

    bar = charts.build_top_places_bar(BY_PROVINCE, "suspects", PLACES, lang="en", theme=theme).data[0]
    assert bar.insidetextfont.color == style.PALETTES[theme].background
    assert bar.marker.color == style.PALETTES[theme].primary


@pytest.mark.parametrize("top", [0.4, 1, 2, 3, 7, 16, 62, 1_000, 2_345_678])
@pytest.mark.parametrize("money", [False, True])
def test_ticks_are_round_distinct_and_cover_the_range(top, money):
    ticks = charts.nice_ticks(top, whole=not money)
    assert ticks[0] == 0 and ticks == sorted(set(ticks))
    assert ticks[-1] <= top and (top < 1 or ticks[-1] >= top / 2)
    if not money:
        assert all(float(t).is_integer() for t in ticks)


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("arrests", [[1], [0, 1, 0], [2, 1], [5, 0, 57]])
def test_sparkline_axes_show_each_whole_count_once(arrests, lang):
    over_time = pd.DataFrame({"period": pd.date_range("2024-07-01", periods=len(arrests), freq="W-MON"),
                              "arrested": arrests})
    over_time["cumulative"] = over_time["arrested"].cumsum()
    fig = charts.build_arrests_sparkline(over_time, lang=lang)
    for axis, top in ((fig.layout.yaxis, max(arrests)), (fig.layout.yaxis2, sum(arrests))):
        assert len(set(axis.ticktext)) == len(axis.ticktext) >= 2
        assert [int(text.replace(",", "")) for text in axis.ticktext] == list(axis.tickvals)
        assert axis.tickvals[-1] <= top
    assert all("：" in trace.hovertemplate for trace in fig.data) == (lang == "zh")


def test_sparkline_legend_lies_below_the_axis_titles():
    over_time = pd.DataFrame({"period": pd.to_datetime(["2024-07-01"]), "arrested": [3], "cumulative": [3]})
    legend = charts.build_arrests_sparkline(over_time, lang="en").layout.legend
    assert (legend.orientation, legend.yref, legend.y, legend.yanchor) == ("h", "container", 0, "bottom")


def test_hover_labels_use_the_chinese_colon_in_chinese():
    _, template = charts.hover_data(BY_PROVINCE, PLACES, "zh")
    assert "：" in template and ": " not in template
    _, template = charts.hover_data(BY_PROVINCE, PLACES, "en")
    assert "：" not in template and ": " in template

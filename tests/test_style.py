import tomllib
from pathlib import Path

import plotly.graph_objects as go
import pytest

from casemap import style

CONFIG = tomllib.loads((Path(__file__).resolve().parent.parent / ".streamlit" / "config.toml").read_text())


@pytest.mark.parametrize("theme, section", [("light", "light"), ("screen", "dark")])
def test_palettes_match_the_streamlit_themes(theme, section):
    pal = style.PALETTES[theme]
    conf = CONFIG["theme"][section]
    assert conf["primaryColor"] == pal.primary
    assert conf["backgroundColor"] == pal.background
    assert conf["secondaryBackgroundColor"] == pal.panel
    assert conf["textColor"] == pal.text
    assert tuple(conf["chartCategoricalColors"]) == pal.categorical


def test_offline_settings():
    assert CONFIG["browser"]["gatherUsageStats"] is False
    assert CONFIG["client"]["showErrorLinks"] is False
    assert CONFIG["client"]["toolbarMode"] == "viewer"
    assert CONFIG["server"]["enableStaticServing"] is True


def test_colorscale_runs_from_zero_to_one():
    scale = style.colorscale("screen")
    assert scale[0][0] == 0 and scale[-1][0] == 1
    assert [c for _, c in scale] == list(style.PALETTES["screen"].sequential)


def test_unknown_theme_is_light():
    assert style.palette("neon") is style.PALETTES["light"]


@pytest.mark.parametrize("kind, value", [("role", "mobile_port"), ("status", "at_large"), ("channel", "usdt")])
def test_category_colours_differ_between_values_and_come_from_the_palette(kind, value):
    colour = style.category_color(kind, value, "light")
    assert colour in style.PALETTES["light"].categorical


def test_template_sets_large_type_and_transparent_ground():
    fig = style.apply_template(go.Figure(), "screen", title="T", height=300)
    assert fig.layout.font.size >= 16
    assert fig.layout.font.color == style.PALETTES["screen"].text
    assert fig.layout.paper_bgcolor == "rgba(0,0,0,0)"
    assert fig.layout.height == 300
    assert fig.layout.title.text == "T"


def test_figure_merges_chart_layout_over_the_shared_look():
    fig = style.figure([go.Bar(x=[1], y=[2])], "light", title="T", height=200,
                       layout={"xaxis": {"showgrid": False}, "font": {"size": 30}})
    assert fig.layout.xaxis.showgrid is False
    assert fig.layout.xaxis.gridcolor == style.PALETTES["light"].grid  # kept from the shared look
    assert fig.layout.font.size == 30
    assert fig.layout.font.family == style.FONT_FAMILY
    assert fig.layout.title.text == "T"


def test_merge_is_deep_and_does_not_touch_its_inputs():
    base = {"a": {"b": 1, "c": 2}, "d": 3}
    merged = style.merge(base, {"a": {"c": 9}})
    assert merged == {"a": {"b": 1, "c": 9}, "d": 3}
    assert base == {"a": {"b": 1, "c": 2}, "d": 3}


def test_every_theme_a_link_can_ask_for_has_a_palette():
    from casemap.filters import THEMES

    assert set(THEMES) == set(style.PALETTES)

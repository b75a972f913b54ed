import math
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


def _lab(colour: str) -> tuple[float, float, float]:
    """CIE L*a*b* of an sRGB hex colour (D65)."""
    rgb = [int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    r, g, b = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb]
    x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047
    y = 0.2126 * r + 0.7152 * g + 0.0722 * b
    z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883
    f = [t ** (1 / 3) if t > 0.008856 else 7.787 * t + 16 / 116 for t in (x, y, z)]
    return 116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])


def _between(a: str, b: str, share: float) -> str:
    one, two = ([int(c[i:i + 2], 16) for i in (1, 3, 5)] for c in (a, b))
    return "#" + "".join(f"{round(p + (q - p) * share):02x}" for p, q in zip(one, two))


@pytest.mark.parametrize("theme", style.THEMES)
def test_the_low_end_of_the_ramp_stands_clear_of_no_data(theme):
    # A place with one arrest must not look like a place with none: the first fifth of the ramp stays
    # at least 25 (CIE76 ΔE, "clearly different at a glance") from the no-data fill.
    pal = style.palette(theme)
    scale = style.colorscale(theme)
    low, next_step = scale[0][1], scale[1][1]
    for share in (0, 0.25, 0.5, 0.75, 1):
        colour = _between(low, next_step, share)
        assert math.dist(_lab(colour), _lab(pal.no_data)) >= 25, (theme, colour)

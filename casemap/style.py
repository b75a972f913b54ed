"""Colours, fonts and the one chart template shared by every figure.

The two palettes match the ``[theme.light]`` and ``[theme.dark]`` sections of
``.streamlit/config.toml`` (a test keeps them in step). Chart builders take a
``theme`` argument ("light" or "screen") and never spell a colour themselves.
"""

from __future__ import annotations

from dataclasses import dataclass

import plotly.graph_objects as go



@dataclass(frozen=True)
class Palette:
    """The colours of one theme."""

    primary: str
    background: str
    panel: str
    text: str
    muted: str
    grid: str
    border: str
    no_data: str
    categorical: tuple[str, ...]
    # The ramp's low end stands clear of ``no_data``: a place with one arrest must not read as none.
    sequential: tuple[str, ...]
    highlight: str
    origin: str


PALETTES: dict[str, Palette] = {
    "light": Palette(
        primary="#1d4e89",
        background="#ffffff",
        panel="#eef2f7",
        text="#17202c",
        muted="#5b6675",
        grid="#d5dbe3",
        border="#ffffff",
        no_data="#e3e8ee",
        categorical=("#1d4e89", "#d1495b", "#edae49", "#00798c", "#6a4c93", "#8d99ae"),
        sequential=("#fcd9a8", "#f9bb83", "#ef7f51", "#d1452f", "#8f1627"),
        highlight="#111111",
        origin="#00798c",
    ),
    "screen": Palette(
        primary="#5fa8e8",
        background="#0b1320",
        panel="#172339",
        text="#f2f5fa",
        muted="#a8b3c4",
        grid="#2a3852",
        border="#0b1320",
        no_data="#1e2a40",
        categorical=("#5fa8e8", "#ff6b6b", "#ffd166", "#2ec4b6", "#b497e7", "#c0c7d4"),
        sequential=("#633070", "#7b3552", "#c2464a", "#f0803c", "#ffd166"),
        highlight="#ffffff",
        origin="#2ec4b6",
    ),
}

THEMES = tuple(PALETTES)

# Sized for a 1920x1080 wall screen read from across a room.
FONT_FAMILY = "Noto Sans CJK SC, Source Han Sans SC, Microsoft YaHei, PingFang SC, sans-serif"
FONT_SIZE = 16
TITLE_SIZE = 20

ROLE_COLOR_INDEX = {
    "mobile_port": 1,
    "pc_end": 2,
    "number_vendor": 0,
    "payer": 3,
    "organizer": 4,
    "other": 5,
}
STATUS_COLOR_INDEX = {"arrested": 0, "at_large": 1, "under_investigation": 2}
CHANNEL_COLOR_INDEX = {"alipay": 0, "usdt": 2, "bank": 3, "wechat_pay": 4}


# Legends lie flat along the bottom of the figure, below the axes and their titles:
# against the container, so the margin grows to hold them however narrow the chart.
LEGEND_BELOW = {"orientation": "h", "x": 0, "xanchor": "left", "xref": "container", "y": 0, "yanchor": "bottom",
                "yref": "container", "bgcolor": "rgba(0,0,0,0)"}


def active_theme(link_theme: str | None, page_scheme: str | None) -> str:
    """The theme every figure is styled in: the page's own, so charts always match what is around them.

    ``page_scheme`` is the colour scheme the browser reports for the page
    ("dark"/"light", None when not known yet): it reflects a theme chosen by
    link, by the app's menu or by the system, and wins. Only while it is
    unknown does the link's ``theme`` ("light"/"screen") decide; failing
    both, light.
    """
    if page_scheme in ("dark", "light"):
        return "screen" if page_scheme == "dark" else "light"
    return link_theme if link_theme in PALETTES else "light"


def palette(theme: str | None) -> Palette:
    """Return the palette of ``theme``, the light one when unknown."""
    return PALETTES.get(theme or "light", PALETTES["light"])


def colorscale(theme: str | None) -> list[list]:
    """Return the sequential colour scale of ``theme`` as plotly expects it."""
    steps = palette(theme).sequential
    return [[i / (len(steps) - 1), colour] for i, colour in enumerate(steps)]


def category_color(kind: str, value: str, theme: str | None) -> str:
    """Return the colour of a role, status or channel value."""
    index = {"role": ROLE_COLOR_INDEX, "status": STATUS_COLOR_INDEX, "channel": CHANNEL_COLOR_INDEX}[kind]
    colours = palette(theme).categorical
    return colours[index.get(value, len(colours) - 1) % len(colours)]


def merge(base: dict, extra: dict | None) -> dict:
    """Deep-merge two plotly layout dicts; ``extra`` wins."""
    merged = dict(base)
    for key, value in (extra or {}).items():
        merged[key] = merge(merged[key], value) if isinstance(value, dict) and isinstance(merged.get(key), dict) else value
    return merged


def base_layout(theme: str | None, *, title: str | None = None, height: int | None = None) -> dict:
    """The shared look as a layout dict: transparent ground, large type, theme colours."""
    pal = palette(theme)
    # Tick labels and axis titles named outright: Streamlit's own chart template would grey them.
    axis = {"gridcolor": pal.grid, "zerolinecolor": pal.grid, "color": pal.text, "tickfont": {"color": pal.text},
            "title": {"font": {"color": pal.text}}}
    layout = {
        "font": {"family": FONT_FAMILY, "size": FONT_SIZE, "color": pal.text},
        "paper_bgcolor": "rgba(0,0,0,0)",
        "plot_bgcolor": "rgba(0,0,0,0)",
        "colorway": list(pal.categorical),
        "margin": {"l": 10, "r": 10, "t": 50 if title else 10, "b": 10},
        "hoverlabel": {"font": {"family": FONT_FAMILY, "size": FONT_SIZE}},
        "legend": {"font": {"size": FONT_SIZE}},
        "xaxis": axis,
        "yaxis": axis,
    }
    if title:
        layout["title"] = {"text": title, "font": {"size": TITLE_SIZE, "color": pal.text}, "x": 0, "xanchor": "left"}
    if height:
        layout["height"] = height
    return layout


def figure(
    traces,
    theme: str | None,
    *,
    title: str | None = None,
    height: int | None = None,
    layout: dict | None = None,
) -> go.Figure:
    """A figure with the shared look, built in one go.

    Building the layout as one dict is several times faster than plotly's
    ``update_layout`` walks, and every chart is rebuilt on every rerun.
    """
    return go.Figure(data=list(traces), layout=merge(base_layout(theme, title=title, height=height), layout))


def apply_template(fig: go.Figure, theme: str | None, *, title: str | None = None, height: int | None = None) -> go.Figure:
    """Give an existing ``fig`` the shared look (prefer :func:`figure` for new charts).

    Every axis gets the theme's colours, the second and later ones of
    subplots too: left to Streamlit's chart template, their ticks would be
    grey on the light theme's white.
    """
    layout = base_layout(theme, title=title, height=height)
    extra_axes = [name for name in fig.layout.to_plotly_json() if name.startswith(("xaxis", "yaxis"))]
    fig.update_layout(layout, **{name: layout["xaxis"] for name in extra_axes})
    return fig

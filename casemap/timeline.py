"""The case over time: arrests and payments per period, milestones, and the map playback.

Pure functions, no streamlit. Periods follow :mod:`casemap.query.periods`:
weeks start on Monday (``"W"``), months on the 1st (``"MS"``).
"""

from __future__ import annotations

import unicodedata

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from casemap import charts, i18n, maps, style, vocab
from casemap.charts import place_labels, plain_texts
from casemap.filters import click_target

from casemap.query.periods import FREQS  # noqa: F401  (the periods the page offers)

# Milestones are numbered on the chart, as in the list of milestones beside it,
# and read in full on hover: a sentence per milestone cannot fit above a phone's
# plot. The numbers sit in rows above the plot; one is moved up a row when it
# would run into one already placed, at the width of the narrowest plot (a
# 390 px phone's, less margins and axes), so on a wider screen they only get
# more room.
MIN_PLOT_WIDTH = 240
LABEL_FONT_SIZE = 14
LABEL_ROW_HEIGHT = 24
LABEL_GAP = 6
LABEL_PAD = 12  # the box around a number: padding and border on both sides

PLAYBACK_FRAME_MS = 900
AXIS_DATE_FORMAT = {"en": "%b %Y", "zh": "%Y年%-m月"}  # d3 time formats for the date axis


def _text_width(text: str) -> float:
    """Estimated rendered width in pixels: CJK characters are about twice as wide as Latin ones."""
    wide = sum(unicodedata.east_asian_width(ch) in "WF" for ch in text)
    return LABEL_FONT_SIZE * (wide + 0.58 * (len(text) - wide))


def stagger_labels(dates: pd.Series, texts: list[str], start, end, *, width: float = MIN_PLOT_WIDTH) -> list[dict]:
    """Place milestone labels in rows so that no two in a row overlap.

    Returns, per label in chronological order, ``{"row", "anchor", "left", "right"}``:
    the row (0 = lowest), the side of the date line the text extends from
    (``"left"`` anchors the text's left edge at the line) and its estimated
    pixel extent on a plot ``width`` wide.
    """
    start, end = pd.Timestamp(start), pd.Timestamp(end)
    span = max((end - start).total_seconds(), 1.0)
    rows_end: list[float] = []
    placed = []
    for date, text in sorted(zip(pd.to_datetime(dates), texts), key=lambda pair: pair[0]):
        x = (pd.Timestamp(date) - start).total_seconds() / span * width
        w = _text_width(text) + LABEL_PAD
        anchor = "left" if x + w <= width else "right"
        left, right = (x, x + w) if anchor == "left" else (x - w, x)
        row = next((i for i, last in enumerate(rows_end) if last + LABEL_GAP <= left), len(rows_end))
        if row == len(rows_end):
            rows_end.append(right)
        else:
            rows_end[row] = right
        placed.append({"row": row, "anchor": anchor, "left": left, "right": right})
    return placed


def milestone_text(milestones: pd.DataFrame, lang: str) -> list[str]:
    """Milestone labels in ``lang`` from the frame's ``en``/``zh`` columns."""
    return milestones[lang if lang in ("en", "zh") else "en"].astype(str).tolist()


def milestone_table(milestones: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The milestones as a table (number as on the chart, date, what happened), in date order."""
    ordered = milestones.sort_values("date", kind="stable")
    return pd.DataFrame({
        i18n.t("tbl_milestone_number", lang): range(1, len(ordered) + 1),
        i18n.t("tbl_date", lang): [i18n.format_date(d.date(), lang) for d in ordered["date"]],
        i18n.t("tbl_milestone", lang): milestone_text(ordered, lang),
    })


def _add_milestones(fig: go.Figure, milestones: pd.DataFrame, start, end, lang: str, theme: str | None) -> int:
    pal = style.palette(theme)
    ordered = milestones.sort_values("date", kind="stable").assign(number=range(1, len(milestones) + 1))
    ordered = ordered[ordered["date"].between(pd.Timestamp(start), pd.Timestamp(end))]
    numbers = [str(n) for n in ordered["number"]]
    placed = stagger_labels(ordered["date"], numbers, start, end)
    hovers = [i18n.labelled(i18n.format_date(pd.Timestamp(d).date(), lang), text, lang)
              for d, text in zip(ordered["date"], plain_texts(milestone_text(ordered, lang)))]  # data, never markup
    for date, number, hover, spot in zip(ordered["date"], numbers, hovers, placed):
        fig.add_shape(type="line", x0=date, x1=date, xref="x", yref="paper", y0=0, y1=1,
                      line={"color": pal.muted, "width": 1.2, "dash": "dot"})
        fig.add_annotation(
            x=date, xref="x", y=1, yref="paper", yanchor="bottom", yshift=4 + spot["row"] * LABEL_ROW_HEIGHT,
            text=number, showarrow=False, xanchor=spot["anchor"], hovertext=hover,
            font={"size": LABEL_FONT_SIZE, "color": pal.text}, bordercolor=pal.muted, borderwidth=1, borderpad=2,
            bgcolor=pal.panel,
        )
    return 1 + max((spot["row"] for spot in placed), default=-1)


def period_target(start, freq: str) -> str:
    """The click target of the period starting at ``start``: its first and last day (a week or a calendar month)."""
    first = pd.Timestamp(start)
    last = first + (pd.Timedelta(days=6) if freq == "W" else pd.offsets.MonthEnd(0))
    return click_target("period", f"{first.date().isoformat()}/{last.date().isoformat()}")


def build_timeline(
    activity: pd.DataFrame,
    milestones: pd.DataFrame,
    *,
    freq: str,
    lang: str,
    theme: str | None = None,
    height: int = 620,
) -> go.Figure:
    """Arrests per period (bars) with cumulative arrested (line) above, traced payments by channel below.

    Milestones are dotted lines across both panels, labelled above the plot
    in staggered rows so that no two labels overlap.
    """
    pal = style.palette(theme)
    # Arrests and arrested-so-far are both head counts: one axis, so the line reads against the bars.
    fig = make_subplots(rows=2, cols=1, shared_xaxes=True, vertical_spacing=0.1, row_heights=[0.5, 0.5])
    period_format = "%Y-%m-%d" if freq == "W" else "%Y-%m"
    amounts = [i18n.format_yuan(v, lang) for v in activity["arrested_amount_yuan"]]
    targets = [period_target(start, freq) for start in activity["period"]]  # a bar's click filters to its period
    fig.add_trace(go.Bar(
        x=activity["period"], y=activity["arrested"], name=i18n.t("axis_arrested", lang), ids=targets,
        marker={"color": pal.categorical[1]}, customdata=amounts,
        hovertemplate=i18n.labelled(f"%{{x|{period_format}}}", "%{y:,d}", lang) + " · "
        + i18n.labelled(i18n.t("hover_amount", lang), "%{customdata}", lang) + "<extra></extra>",
    ), row=1, col=1)
    fig.add_trace(go.Scatter(
        x=activity["period"], y=activity["cumulative"], name=i18n.t("axis_cumulative", lang), mode="lines+markers",
        line={"color": pal.text, "width": 3, "shape": "hv"}, marker={"size": 6},
        hovertemplate=i18n.labelled(f"%{{x|{period_format}}}", "%{y:,d}", lang) + "<extra></extra>",
    ), row=1, col=1)
    for channel in vocab.values(vocab.CHANNELS):
        values = activity[f"yuan_{channel}"]
        name = vocab.label(vocab.CHANNELS, channel, lang)
        fig.add_trace(go.Bar(
            x=activity["period"], y=values, name=name, ids=targets,
            marker={"color": style.category_color("channel", channel, theme)},
            customdata=[i18n.format_yuan(v, lang) for v in values],
            hovertemplate=i18n.labelled(f"{name} %{{x|{period_format}}}", "%{customdata}", lang) + "<extra></extra>",
        ), row=2, col=1)
    rows = 0
    if len(activity):
        # Bars are centred on their period start: pad half a period each side so none is cut.
        pad = pd.Timedelta(days=3.5 if freq == "W" else 15.5)
        start, end = activity["period"].min() - pad, activity["period"].max() + pad
        fig.update_xaxes(range=[start, end])
        if len(milestones):
            rows = _add_milestones(fig, milestones, start, end, lang, theme)
    style.apply_template(fig, theme, height=height + rows * LABEL_ROW_HEIGHT)
    fig.update_layout(barmode="stack", bargap=0.15, legend={**style.LEGEND_BELOW, "traceorder": "normal"},
                      margin={"t": 20 + rows * LABEL_ROW_HEIGHT})
    paid = activity[[f"yuan_{channel}" for channel in vocab.values(vocab.CHANNELS)]].sum(axis=1)
    fig.update_yaxes(title_text=i18n.t("axis_people", lang), rangemode="tozero", row=1, col=1,
                     **charts.value_ticks(activity["cumulative"], money=False, lang=lang))
    fig.update_yaxes(title_text=i18n.t("axis_payments_yuan", lang), rangemode="tozero", row=2, col=1,
                     **charts.value_ticks(paid, money=True, lang=lang))
    fig.update_xaxes(tickformat=AXIS_DATE_FORMAT.get(lang, AXIS_DATE_FORMAT["en"]))
    fig.update_xaxes(title_text=i18n.t("axis_month" if freq == "MS" else "axis_week", lang), row=2, col=1)
    return fig


# --- Playback: the network spreading, then taken down ------------------------------------------


def _month_label(month: pd.Timestamp, lang: str) -> str:
    return f"{month.year}年{month.month}月" if lang == "zh" else f"{month:%Y-%m}"


PLAYBACK_SHADED, PLAYBACK_INSET, PLAYBACK_BUBBLES = 1, 3, 5  # 2: inset base, 4: South China Sea line


def _playback_traces(frame: pd.DataFrame, places: pd.DataFrame, geojson_url: str, zmax: float, amax: float,
                     lang: str, theme: str | None) -> list:
    shown = frame[frame["active"] > 0]
    labels = plain_texts(place_labels(shown["province_adcode"], places, lang))
    customdata = np.column_stack([labels, shown["active"], shown["arrested"], shown["open"]]) if len(shown) else []
    template = "<br>".join([
        "<b>%{customdata[0]}</b>",
        *(i18n.labelled(i18n.t(key, lang), f"%{{customdata[{i}]}}", lang)
          for i, key in enumerate(("playback_active", "playback_arrested", "playback_open"), start=1)),
    ]) + "<extra></extra>"
    choropleth = go.Choropleth(
        geojson=geojson_url, featureidkey="id", locations=shown["province_adcode"].tolist(),
        z=shown["open"].astype(float).tolist(), zmin=0, zmax=zmax, colorscale=style.colorscale(theme),
        colorbar=maps.colorbar(i18n.t("playback_open", lang), [zmax], money=False, lang=lang),
        marker={"line": {"color": style.palette(theme).border, "width": 0.8}},
        customdata=customdata, hovertemplate=template, name=i18n.t("playback_open", lang), showlegend=False,
    )
    table = maps.label_points(places)
    taken = shown[(shown["arrested"] > 0) & shown["province_adcode"].isin(table.index)]
    points = table.loc[taken["province_adcode"]]
    bubbles = go.Scattergeo(
        lon=points["label_lon"].astype(float).tolist(), lat=points["label_lat"].astype(float).tolist(),
        mode="markers", name=i18n.t("playback_arrested_bubbles", lang),
        marker={"size": (8 + 30 * np.sqrt(taken["arrested"].to_numpy() / amax)).tolist(),
                "color": style.category_color("status", "arrested", theme), "opacity": 0.85,
                "line": {"color": style.palette(theme).highlight, "width": 1}},
        customdata=np.column_stack([plain_texts(place_labels(taken["province_adcode"], places, lang)), taken["arrested"]])
        if len(taken) else [],
        hovertemplate="<b>%{customdata[0]}</b><br>"
        + i18n.labelled(i18n.t("playback_arrested", lang), "%{customdata[1]}", lang) + "<extra></extra>",
    )
    inset = maps.inset_copy(choropleth, theme)
    return [choropleth, bubbles, inset]


def playback_months(spread: pd.DataFrame) -> list[str]:
    """The months the playback shows, as "YYYY-MM": what a link's ``month=`` may name."""
    return [f"{pd.Timestamp(m):%Y-%m}" for m in sorted(spread["month"].unique())]


def month_label(month: str, lang: str) -> str:
    """A "YYYY-MM" month as the playback names it."""
    return _month_label(pd.Timestamp(f"{month}-01"), lang)


def build_playback_map(
    spread: pd.DataFrame,
    places: pd.DataFrame,
    *,
    units: list[str],
    geojson_url: str,
    lang: str,
    theme: str | None = None,
    height: int = 600,
    start: str | None = None,
) -> go.Figure:
    """An animated national province map, one frame per month of :func:`spread_by_month`.

    Provinces are shaded by suspects active and not yet arrested; a bubble at
    each province grows with its arrests. The colour scale and bubble sizes
    are fixed across frames so months compare. Play/pause and a month slider
    live inside the figure; it opens at month ``start`` ("YYYY-MM", see
    :func:`playback_months`), the first month when None or not one of them.
    """
    months = sorted(spread["month"].unique())
    shown = playback_months(spread)
    opening = shown.index(start) if start in shown else 0
    zmax = max(float(spread["open"].max()), 1.0) if len(spread) else 1.0
    amax = max(float(spread["arrested"].max()), 1.0) if len(spread) else 1.0
    per_month = {month: spread[spread["month"] == month] for month in months}
    fig = go.Figure(maps.base_layer(units, geojson_url, places, lang=lang, theme=theme))
    first = per_month[months[opening]] if months else spread
    choropleth, bubbles, _ = _playback_traces(first, places, geojson_url, zmax, amax, lang, theme)
    fig.add_trace(choropleth)
    maps.finish_map(fig, theme, height=height, national=True)  # inset: base, shaded, line
    fig.add_trace(bubbles)
    if maps.shows_origin(units):
        fig.add_trace(maps.origin_marker(lang=lang, theme=theme))
    names = [_month_label(pd.Timestamp(m), lang) for m in months]
    # Each frame replaces the shaded layer (trace 1), its inset copy (3) and the arrest bubbles (5).
    fig.frames = [
        go.Frame(data=_playback_traces(per_month[m], places, geojson_url, zmax, amax, lang, theme),
                 traces=[PLAYBACK_SHADED, PLAYBACK_BUBBLES, PLAYBACK_INSET], name=name)
        for m, name in zip(months, names)
    ]
    play = {"frame": {"duration": PLAYBACK_FRAME_MS, "redraw": True}, "fromcurrent": True, "transition": {"duration": 0}}
    pause = {"frame": {"duration": 0, "redraw": False}, "mode": "immediate", "transition": {"duration": 0}}
    pal = style.palette(theme)
    fig.update_layout(
        updatemenus=[{
            "type": "buttons", "direction": "left", "x": 0.0, "y": 0.0, "xanchor": "left", "yanchor": "top",
            "pad": {"t": 10, "r": 10}, "showactive": False, "bgcolor": pal.panel, "font": {"color": pal.text},
            "buttons": [
                {"label": i18n.t("playback_play", lang), "method": "animate", "args": [None, play]},
                {"label": i18n.t("playback_pause", lang), "method": "animate", "args": [[None], pause]},
            ],
        }],
        sliders=[{
            "active": opening, "x": 0.3, "len": 0.7, "y": 0.0, "yanchor": "top", "pad": {"t": 10},
            "currentvalue": {"prefix": i18n.labelled(i18n.t("playback_month", lang), "", lang), "font": {"color": pal.text},
                             "xanchor": "right"},
            "font": {"color": pal.text}, "bgcolor": pal.panel, "activebgcolor": pal.primary,
            "steps": [{"label": name, "method": "animate", "args": [[name], {**pause, "frame": {"duration": 0, "redraw": True}}]}
                      for name in names],
        }],
    )
    fig.update_layout(margin={"b": 110}, clickmode="none")
    return fig


# --- One person's payments ---------------------------------------------------------------------


def build_person_payments(over_time: pd.DataFrame, *, freq: str, lang: str, theme: str | None = None,
                          height: int = 360) -> go.Figure:
    """A person's payments per period (:meth:`casemap.query.CaseQuery.person_payments`): paid and received bars."""
    pal = style.palette(theme)
    period_format = {"D": "%Y-%m-%d", "W": "%Y-%m-%d", "MS": "%Y-%m"}[freq]
    traces = []
    for direction, colour in (("paid", pal.categorical[0]), ("received", pal.categorical[2])):
        name = i18n.t(f"person_{direction}", lang)
        counts = over_time[direction].astype(int)
        sums = [i18n.format_yuan(v, lang) for v in over_time[f"{direction}_yuan"]]
        traces.append(go.Bar(
            x=over_time["period"], y=over_time[f"{direction}_yuan"], name=name, marker={"color": colour},
            customdata=np.column_stack([sums, counts]) if len(over_time) else None,
            hovertemplate=f"{name} %{{x|{period_format}}}: %{{customdata[0]}} (%{{customdata[1]}})<extra></extra>",
        ))
    axis_title = {"D": "axis_day", "W": "axis_week", "MS": "axis_month"}[freq]
    layout = {
        "barmode": "group", "bargap": 0.15, "legend": {"orientation": "h", "y": -0.25},
        "yaxis": {"title": {"text": i18n.t("axis_payments_yuan", lang)}, "rangemode": "tozero"},
        "xaxis": {"title": {"text": i18n.t(axis_title, lang)},
                  "tickformat": AXIS_DATE_FORMAT.get(lang, AXIS_DATE_FORMAT["en"]) if freq == "MS" else None},
    }
    return style.figure(traces, theme, height=height, layout=layout)

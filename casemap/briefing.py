"""The briefing: the case told in six slides, built from the query layer. Pure, no streamlit.

:func:`build_slides` turns one :class:`~casemap.query.CaseQuery` (the case at
a data version, under the current filters and the viewer's scope) into the
fixed story: headline figures, how it started, how it spread, the money
trail, key persons, who is still at large. Each :class:`Slide` carries a
title, one headline sentence worked out from the data in the viewer's
language, a few KPIs, its plotly figures and an optional small table. The
briefing page draws the slides; the briefing pack renders the same slides to
PDF and PPTX, so nothing here knows how a slide is laid out.

The headline sentences come from small pure functions (``*_sentence``) over
the query layer's results, so each can be checked on a hand-made case.
Sentences and KPIs are plain text, not markup: whoever draws them escapes
them (a name comes from an imported file).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import NamedTuple

import pandas as pd
import plotly.graph_objects as go

from casemap import charts, flows, i18n, maps, network, tables, timeline
from casemap.query import CaseQuery
from casemap.query.money import OVERSEAS
from geo import layers

__all__ = [
    "SLIDE_KEYS",
    "FIGURE_HEIGHT",
    "Kpi",
    "Slide",
    "build_slides",
    "slide_title",
    "headline_sentence",
    "origins_sentence",
    "spread_sentence",
    "money_sentence",
    "network_sentence",
    "at_large_sentence",
]

# The story, in order: a slide's key names its title string ``brief_title_<key>``.
SLIDE_KEYS = ("headline", "origins", "spread", "money", "network", "at_large")
# The height of a slide's main figure at 1080p: the slide's title, sentence and controls take the rest.
FIGURE_HEIGHT = 780
# Type sizes of the figures on a slide, read from across a room (the pages use casemap.style's).
SLIDE_FONT_SIZE = 20
SLIDE_TITLE_SIZE = 26
KEY_PERSONS = 5  # rows of the key-persons table
AT_LARGE_ROWS = 6  # rows of the at-large table


class Kpi(NamedTuple):
    """One figure on a slide: its label and its value, both formatted in the viewer's language."""

    label: str
    value: str


@dataclass(frozen=True)
class Slide:
    """One slide of the briefing.

    ``key`` is one of :data:`SLIDE_KEYS`; ``title`` and ``headline`` (one
    sentence from the data) are plain text in the viewer's language;
    ``kpis`` are at most three figures; ``figures`` the slide's charts,
    the main one first, styled for the theme asked and :data:`FIGURE_HEIGHT`
    tall; ``table`` a small frame with display headers, or None; ``notes``
    a line for the speaker (plain text, may be empty).
    """

    key: str
    title: str
    headline: str
    kpis: tuple[Kpi, ...] = ()
    figures: tuple[go.Figure, ...] = ()
    table: pd.DataFrame | None = field(default=None, compare=False)
    notes: str = ""


def slide_title(key: str, lang: str) -> str:
    """The title of slide ``key`` in ``lang``."""
    return i18n.t(f"brief_title_{key}", lang)


def month_name(month, lang: str) -> str:
    """A month as a sentence names it: "October 2023" / "2023年10月"."""
    month = pd.Timestamp(month)
    return f"{month.year}年{month.month}月" if lang == "zh" else f"{month:%B %Y}"


def _listing(names: list[str], lang: str) -> str:
    if lang == "zh":
        return "、".join(names)
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def counted(count: int, noun: str, lang: str) -> str:
    """``count`` of ``noun`` ("suspects", "provinces", "cities", "counterparts"): "1 province", "18 provinces", "18个省份"."""
    key = f"brief_n_{noun}_one" if count == 1 else f"brief_n_{noun}"
    return i18n.t(key, lang, count=i18n.format_count(count, lang))


# -- headline sentences: small results in, one sentence out ------------------------------------------------


def headline_sentence(figures: dict, lang: str) -> str:
    """Slide 1: arrests, cities, provinces and the amount involved (``figures`` as :meth:`CaseQuery.headline`)."""
    if not figures["suspects"]:
        return i18n.t("brief_headline_none", lang)
    return i18n.t("brief_headline", lang, arrested=counted(figures["arrested"], "suspects", lang),
                  cities=counted(figures["cities"], "cities", lang),
                  provinces=counted(figures["provinces"], "provinces", lang),
                  amount=i18n.format_yuan(figures["amount_yuan"], lang))


def first_arrests(arrests: pd.DataFrame) -> tuple[pd.Timestamp | None, int]:
    """The first month with an arrest and its arrests, from :meth:`CaseQuery.arrests_over_time` by month."""
    made = arrests[arrests["arrested"] > 0]
    if made.empty:
        return None, 0
    first = made.iloc[0]
    return pd.Timestamp(first["period"]), int(first["arrested"])


def _milestone_date(milestones: pd.DataFrame, key: str):
    dates = milestones.loc[milestones["key"] == key, "date"]
    return None if dates.empty else pd.Timestamp(dates.iloc[0]).date()


def origins_sentence(milestones: pd.DataFrame, arrests: pd.DataFrame, lang: str) -> str:
    """Slide 2: the two-card leads, the task force and the first month's arrests.

    ``milestones`` as :meth:`CaseQuery.milestones`, ``arrests`` per month as
    :meth:`CaseQuery.arrests_over_time` ``("MS")``. Without the leads and task
    force milestones the sentence tells the arrests alone.
    """
    month, first = first_arrests(arrests)
    if month is None:
        return i18n.t("brief_origins_none", lang)
    leads, task_force = _milestone_date(milestones, "leads"), _milestone_date(milestones, "task_force")
    if leads is None or task_force is None:
        return i18n.t("brief_origins_arrests", lang, first=i18n.format_count(first, lang),
                      first_month=month_name(month, lang),
                      total=i18n.format_count(int(arrests["arrested"].sum()), lang))
    return i18n.t("brief_origins", lang, leads=i18n.format_date(leads, lang),
                  task_force=i18n.format_date(task_force, lang), first=i18n.format_count(first, lang),
                  first_month=month_name(month, lang))


def spread_sentence(spread: pd.DataFrame, arrests: pd.DataFrame, place_name: Callable[[str], str], lang: str) -> str:
    """Slide 3: where arrests began, how many provinces they reached by when, and the busiest month.

    ``spread`` as :meth:`CaseQuery.spread` (arrests so far per month and
    province), ``arrests`` per month as :meth:`CaseQuery.arrests_over_time`.
    """
    taken = spread[spread["arrested"] > 0]
    if taken.empty or not arrests["arrested"].sum():
        return i18n.t("brief_spread_none", lang)
    first_month = taken["month"].min()
    first_places = sorted(taken.loc[taken["month"] == first_month, "province_adcode"])
    last_month = taken["month"].max()
    provinces = taken.loc[taken["month"] == last_month, "province_adcode"].nunique()
    peak = arrests.loc[arrests["arrested"].idxmax()]
    return i18n.t("brief_spread", lang, first_places=_listing([place_name(p) for p in first_places], lang),
                  first_month=month_name(first_month, lang), provinces=counted(provinces, "provinces", lang),
                  last_month=month_name(last_month, lang), peak=i18n.format_count(int(peak["arrested"]), lang),
                  total=i18n.format_count(int(arrests["arrested"].sum()), lang),
                  peak_month=month_name(peak["period"], lang))


def money_sentence(alipay_yuan: float, vendor_provinces: int, usdt_yuan: float, lang: str) -> str:
    """Slide 4: the Alipay rental payments, the provinces of the vendors paid, and the USDT settlements."""
    if not alipay_yuan and not usdt_yuan:
        return i18n.t("brief_money_none", lang)
    return i18n.t("brief_money", lang, alipay=i18n.format_yuan(alipay_yuan, lang),
                  provinces=counted(vendor_provinces, "provinces", lang), usdt=i18n.format_yuan(usdt_yuan, lang))


def network_sentence(hub: str | None, degree: int, amount_yuan: float, lang: str) -> str:
    """Slide 5: the most central party (its display name), its counterparts and the amount it moved."""
    if hub is None:
        return i18n.t("brief_network_none", lang)
    return i18n.t("brief_network", lang, name=hub, degree=counted(degree, "counterparts", lang),
                  amount=i18n.format_yuan(amount_yuan, lang))


def at_large_sentence(provinces: pd.DataFrame, place_name: Callable[[str], str], lang: str) -> str:
    """Slide 6: suspects at large, in how many provinces, the province with most, and those under investigation.

    ``provinces`` as :meth:`CaseQuery.by_province` (columns ``at_large`` and
    ``under_investigation``, indexed by adcode); ties go to the lower code.
    """
    at_large = int(provinces["at_large"].sum()) if len(provinces) else 0
    investigated = i18n.format_count(int(provinces["under_investigation"].sum()) if len(provinces) else 0, lang)
    if not at_large:
        return i18n.t("brief_at_large_none", lang, investigated=investigated)
    where = provinces[provinces["at_large"] > 0]
    most = where.sort_index().sort_values("at_large", ascending=False, kind="stable").iloc[:1]
    return i18n.t("brief_at_large", lang, at_large=counted(at_large, "suspects", lang),
                  provinces=counted(len(where), "provinces", lang), place=place_name(str(most.index[0])),
                  most=i18n.format_count(int(most["at_large"].iloc[0]), lang), investigated=investigated)


# -- the slides --------------------------------------------------------------------------------------------


def narrowed(data: CaseQuery, **changes) -> CaseQuery | None:
    """``data`` with more filters (a ``FilterState`` field each, a tuple of values); None when they exclude everything.

    A filter already set keeps only the values it shares with the change:
    channels (alipay, bank) narrowed to (alipay,) is (alipay,); narrowed to
    (usdt,) is nothing.
    """
    state = data.key.state
    values = {}
    for name, wanted in changes.items():
        current = getattr(state, name)
        kept = tuple(v for v in wanted if not current or v in current)
        if not kept:
            return None
        values[name] = kept
    key = dataclasses.replace(data.key, state=dataclasses.replace(state, **values))
    return CaseQuery(key, data.run)


def for_slide(fig: go.Figure, height: int) -> go.Figure:
    """``fig`` at a slide's size: ``height`` tall, its type large enough to read from across the room."""
    axes = [name for name in fig.layout.to_plotly_json() if name.startswith(("xaxis", "yaxis"))]
    fig.update_layout(height=height, font_size=SLIDE_FONT_SIZE, title_font_size=SLIDE_TITLE_SIZE,
                      hoverlabel_font_size=SLIDE_FONT_SIZE, legend_font_size=SLIDE_FONT_SIZE,
                      **{name: {"tickfont": {"size": SLIDE_FONT_SIZE - 2}, "title": {"font": {"size": SLIDE_FONT_SIZE}}}
                         for name in axes})
    return fig


def _place_namer(places: pd.DataFrame, lang: str) -> Callable[[str], str]:
    return lambda code: charts.place_labels([code], places, lang)[0]


def _drilled(data: CaseQuery) -> str | None:
    provinces = data.key.state.provinces
    return provinces[0] if len(provinces) == 1 else None


def _place_map(data: CaseQuery, metric: str, places, lang, theme, height) -> go.Figure:
    drilled = _drilled(data)
    provinces, cities = data.by_province(), data.by_city()
    if drilled:
        units, url, values = layers.cities(drilled)["adcode"].tolist(), layers.layer_url("city", drilled), cities
    else:
        units, url, values = layers.provinces()["adcode"].tolist(), layers.layer_url("province"), provinces
    return maps.build_place_map(values, metric, places, units=units, geojson_url=url, lang=lang, theme=theme,
                                bubbles=cities if metric != "suspects" else None, national=not drilled,
                                height=height)


def headline_slide(data: CaseQuery, places, lang: str, theme: str, height: int) -> Slide:
    """Slide 1: the headline figures and the map of arrests."""
    figures = data.headline()
    kpis = (
        Kpi(i18n.t("kpi_arrested", lang), i18n.format_count(figures["arrested"], lang)),
        Kpi(i18n.t("kpi_cities", lang) + " / " + i18n.t("kpi_provinces", lang),
            f"{i18n.format_count(figures['cities'], lang)} / {i18n.format_count(figures['provinces'], lang)}"),
        Kpi(i18n.t("kpi_amount", lang), i18n.format_yuan(figures["amount_yuan"], lang)),
    )
    shown = (for_slide(_place_map(data, "arrested", places, lang, theme, height), height),) if figures["suspects"] else ()
    return Slide("headline", slide_title("headline", lang), headline_sentence(figures, lang), kpis, shown)


def origins_slide(data: CaseQuery, places, lang: str, theme: str, height: int) -> Slide:
    """Slide 2: the leads, the task force and the first arrests on the timeline."""
    milestones, arrests = data.milestones(), data.arrests_over_time("MS")
    _, first = first_arrests(arrests)
    # One figure only: the milestones' table beside the chart names its numbered markers.
    kpis = [Kpi(i18n.t("brief_kpi_first_arrests", lang), i18n.format_count(first, lang))]
    chart = timeline.build_timeline(data.activity("MS"), milestones, freq="MS", lang=lang, theme=theme, height=height)
    return Slide("origins", slide_title("origins", lang), origins_sentence(milestones, arrests, lang), tuple(kpis),
                 (for_slide(chart, height),), timeline.milestone_table(milestones, lang))


def spread_slide(data: CaseQuery, places, lang: str, theme: str, height: int) -> Slide:
    """Slide 3: the monthly playback of arrests across provinces."""
    spread, arrests = data.spread(), data.arrests_over_time("MS")
    months = timeline.playback_months(spread)
    taken = spread[spread["arrested"] > 0]
    reached = taken.loc[taken["month"] == taken["month"].max(), "province_adcode"].nunique() if len(taken) else 0
    kpis = (Kpi(i18n.t("brief_kpi_months", lang), i18n.format_count(len(months), lang)),
            Kpi(i18n.t("brief_kpi_arrest_provinces", lang), i18n.format_count(reached, lang)))
    shown = ()
    if len(spread):
        shown = (for_slide(timeline.build_playback_map(
            spread, places, units=layers.provinces()["adcode"].tolist(), geojson_url=layers.layer_url("province"),
            lang=lang, theme=theme, height=height), height),)
    sentence = spread_sentence(spread, arrests, _place_namer(places, lang), lang)
    return Slide("spread", slide_title("spread", lang), sentence, kpis, shown)


def _channel_yuan(data: CaseQuery, channel: str) -> float:
    totals = data.by_channel()
    return float(totals.loc[channel, "amount_yuan"]) if channel in totals.index else 0.0


def vendor_provinces(data: CaseQuery) -> int:
    """How many provinces the payees of the Alipay payments shown are in (overseas not counted)."""
    alipay = narrowed(data, channels=("alipay",))
    if alipay is None:
        return 0
    targets = alipay.province_flows()["target"]
    return int(targets[targets != OVERSEAS].nunique())


def money_slide(data: CaseQuery, places, lang: str, theme: str, height: int) -> Slide:
    """Slide 4: Alipay rental payments to vendors across provinces, USDT settlements from overseas."""
    alipay, usdt, provinces = _channel_yuan(data, "alipay"), _channel_yuan(data, "usdt"), vendor_provinces(data)
    kpis = (Kpi(i18n.t("brief_kpi_alipay", lang), i18n.format_yuan(alipay, lang)),
            Kpi(i18n.t("brief_kpi_vendor_provinces", lang), i18n.format_count(provinces, lang)),
            Kpi(i18n.t("brief_kpi_usdt", lang), i18n.format_yuan(usdt, lang)))
    moved = data.province_flows()
    shown = ()
    if len(moved):
        shown = (for_slide(flows.build_flow_map(moved, places, units=layers.provinces()["adcode"].tolist(),
                                                geojson_url=layers.layer_url("province"), lang=lang, theme=theme,
                                                height=height), height),)
    return Slide("money", slide_title("money", lang), money_sentence(alipay, provinces, usdt, lang), kpis, shown)


def network_slide(data: CaseQuery, places, lang: str, theme: str, height: int) -> Slide:
    """Slide 5: the payment network and its most central persons."""
    found = data.graph()
    graph = found.graph
    if not graph.number_of_nodes() or found.ranks.empty:
        return Slide("network", slide_title("network", lang), network_sentence(None, 0, 0.0, lang))
    names = network.place_names(graph, places, lang)
    hub = found.ranks.index[0]
    top = found.ranks.iloc[0]
    hub_name = network.node_label(hub, graph.nodes[hub], names, lang)
    kpis = (Kpi(i18n.t("brief_kpi_persons", lang), i18n.format_count(found.suspects, lang)),
            Kpi(i18n.t("brief_kpi_top_degree", lang), i18n.format_count(int(top["degree"]), lang)))
    # The picture leaves out the people no payment shown links to: on a wall screen they are a grid of
    # dots that says nothing (the persons KPI still counts them; the Link analysis page shows their accounts).
    linked = [node for node in graph if graph.degree(node) > 0]
    drawn = graph.subgraph(linked).copy() if len(linked) > 1 else graph
    chart = network.build_network(drawn, names, lang=lang, theme=theme,
                                  ranks=found.ranks[found.ranks.index.isin(list(drawn))], height=height)
    # Name, role and amount moved: what a room reads; the Network page has every column.
    table = tables.key_persons_table(graph, names, lang, n=KEY_PERSONS, ranks=found.ranks).iloc[:, [0, 1, 4]]
    sentence = network_sentence(hub_name, int(top["degree"]), float(top["amount_moved_yuan"]), lang)
    return Slide("network", slide_title("network", lang), sentence, kpis, (for_slide(chart, height),), table)


def at_large_table(provinces: pd.DataFrame, place_name: Callable[[str], str], lang: str) -> pd.DataFrame:
    """The provinces with most suspects at large, most first, as a small display table."""
    where = provinces[provinces["at_large"] > 0].sort_index()
    where = where.sort_values("at_large", ascending=False, kind="stable").head(AT_LARGE_ROWS)
    return pd.DataFrame({i18n.t("brief_table_place", lang): [place_name(str(code)) for code in where.index],
                         i18n.t("brief_table_count", lang): where["at_large"].astype(int).to_numpy()})


def at_large_slide(data: CaseQuery, places, lang: str, theme: str, height: int) -> Slide:
    """Slide 6: who is still at large, and where."""
    provinces, namer = data.by_province(), _place_namer(places, lang)
    at_large = int(provinces["at_large"].sum()) if len(provinces) else 0
    where = int((provinces["at_large"] > 0).sum()) if len(provinces) else 0
    investigated = int(provinces["under_investigation"].sum()) if len(provinces) else 0
    kpis = (Kpi(i18n.t("brief_kpi_at_large", lang), i18n.format_count(at_large, lang)),
            Kpi(i18n.t("brief_kpi_at_large_provinces", lang), i18n.format_count(where, lang)),
            Kpi(i18n.t("brief_kpi_investigated", lang), i18n.format_count(investigated, lang)))
    free = narrowed(data, statuses=("at_large",)) if at_large else None
    shown = (for_slide(_place_map(free, "suspects", places, lang, theme, height), height),) if free else ()
    return Slide("at_large", slide_title("at_large", lang), at_large_sentence(provinces, namer, lang), kpis, shown,
                 at_large_table(provinces, namer, lang))


SLIDE_BUILDERS = {
    "headline": headline_slide,
    "origins": origins_slide,
    "spread": spread_slide,
    "money": money_slide,
    "network": network_slide,
    "at_large": at_large_slide,
}


def build_slide(key: str, data: CaseQuery, places: pd.DataFrame, lang: str, theme: str,
                *, height: int = FIGURE_HEIGHT) -> Slide:
    """The one slide ``key`` (see :data:`SLIDE_KEYS`) of ``data``: the page builds only the slide it shows."""
    return SLIDE_BUILDERS[key](data, places, lang, theme, height)


def build_slides(data: CaseQuery, places: pd.DataFrame, lang: str, theme: str,
                 *, height: int = FIGURE_HEIGHT) -> list[Slide]:
    """The six slides of ``data`` in story order, in ``lang`` ("en"/"zh"), styled for ``theme`` ("light"/"screen").

    ``places`` is the place table (``geo.layers.load_places()``); ``height``
    the main figures' height in pixels. The slides follow ``data``'s filters:
    a one-province filter tells the same story for that province.
    """
    return [build_slide(key, data, places, lang, theme, height=height) for key in SLIDE_KEYS]

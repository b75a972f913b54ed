"""Overview: the case at a glance, for briefings on a wall screen."""

from functools import partial

import streamlit as st

from casemap import cache, charts, filters, i18n, maps, metrics
from geo import layers

view = cache.current_view()
lang, theme = view.lang, view.theme
suspects, payments = view.filtered.suspects, view.filtered.payments
OVERVIEW_METRICS = ("arrested", "suspects", "amount_yuan")

st.title(i18n.t("overview_title", lang))

figures = metrics.headline(suspects, payments)
cards = [
    ("kpi_arrested", i18n.format_count(figures["arrested"], lang), None),
    (
        "kpi_suspects",
        i18n.format_count(figures["suspects"], lang),
        i18n.t("kpi_suspects_help", lang, others=figures["suspects"] - figures["arrested"]),
    ),
    ("kpi_provinces", i18n.format_count(figures["provinces"], lang), None),
    ("kpi_cities", i18n.format_count(figures["cities"], lang), None),
    ("kpi_amount", i18n.format_yuan(figures["amount_yuan"], lang), i18n.format_yuan(figures["amount_yuan"], lang, compact=False)),
    (
        "kpi_payments",
        i18n.format_count(figures["payments"], lang),
        i18n.t("kpi_payments_help", lang, amount=i18n.format_yuan(figures["payments_yuan"], lang)),
    ),
]
for column, (key, value, help_text) in zip(st.columns(len(cards)), cards):
    column.metric(i18n.t(key, lang), value, help=help_text, border=True)

if suspects.empty:
    st.info(i18n.t("no_data", lang))
    st.stop()

metric = st.segmented_control(
    i18n.t("metric", lang),
    list(OVERVIEW_METRICS),
    default="arrested",
    required=True,
    format_func=lambda m: charts.metric_label(m, lang),
    key="overview_metric",
)
provinces = metrics.by_province(suspects, payments)
cities = metrics.by_city(suspects, payments)


def on_place_click(key: str, fig) -> None:
    """A click on a province drills down to its cities; a click on a city filters to it."""
    codes = charts.clicked_codes(fig, st.session_state[key].selection.points)
    if codes:
        st.session_state["pending_filters"] = filters.select_place(view.state, codes[0])


drilled = view.state.provinces[0] if len(view.state.provinces) == 1 else None
if drilled:
    units, url, values = layers.cities(drilled)["adcode"].tolist(), layers.layer_url("city", drilled), cities
    title = charts.place_labels([drilled], view.places, lang)[0]
else:
    units, url, values = layers.provinces()["adcode"].tolist(), layers.layer_url("province"), provinces
    title = i18n.t("chart_province_map", lang, metric=charts.metric_label(metric, lang))
area = maps.build_place_map(values, metric, view.places, units=units, geojson_url=url, lang=lang, theme=theme,
                            bubbles=cities, selected=view.state.cities, national=not drilled, height=560)
if drilled:  # one province: rank its cities instead of a single bar
    top = charts.build_top_places_bar(cities, metric, view.places, lang=lang, theme=theme, level="city")
else:
    top = charts.build_top_places_bar(provinces, metric, view.places, lang=lang, theme=theme)

map_column, bar_column = st.columns([3, 2])
with map_column:
    st.subheader(title)
    map_key = f"overview_map_{drilled or 'national'}"
    st.plotly_chart(area, config=charts.MAP_CONFIG, key=map_key, on_select=partial(on_place_click, map_key, area),
                    selection_mode="points")
with bar_column:
    st.plotly_chart(top, config=charts.CHART_CONFIG, key="overview_top", selection_mode="points",
                    on_select=partial(on_place_click, "overview_top", top))

summary_column, time_column = st.columns([2, 3])
with summary_column:
    st.subheader(i18n.t("summary_heading", lang))
    if view.is_demo:
        st.markdown(i18n.t("summary_background", lang))
    st.markdown(
        i18n.t(
            "summary_figures", lang,
            arrested=figures["arrested"], suspects=figures["suspects"], cities=figures["cities"],
            provinces=figures["provinces"], amount=i18n.format_yuan(figures["amount_yuan"], lang),
            others=figures["suspects"] - figures["arrested"],
        )
    )
    top_city = cities["suspects"].idxmax()
    st.markdown(
        i18n.t(
            "summary_hotspot", lang,
            city=charts.place_labels([top_city], view.places, lang)[0],
            count=int(cities.loc[top_city, "suspects"]),
        )
    )
with time_column:
    freq = metrics.natural_freq(suspects["arrest_date"])
    st.plotly_chart(
        charts.build_arrests_sparkline(metrics.arrests_over_time(suspects, freq), freq=freq, lang=lang, theme=theme),
        config=charts.CHART_CONFIG,
        key="overview_time",
    )

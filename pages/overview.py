"""Overview: the case at a glance, for briefings on a wall screen."""

import streamlit as st

from casemap import charts, i18n, metrics
from geo import layers

view = st.session_state["view"]
lang, theme = view.lang, view.theme
suspects, payments = view.filtered.suspects, view.filtered.payments
MAP_CONFIG = {"topojsonURL": layers.STATIC_URL, "displaylogo": False, "scrollZoom": False}

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
    list(charts.METRICS),
    default="arrested",
    required=True,
    format_func=lambda m: charts.metric_label(m, lang),
    key="overview_metric",
)
provinces = metrics.by_province(suspects, payments)
cities = metrics.by_city(suspects, payments)

map_column, bar_column = st.columns([3, 2])
with map_column:
    st.subheader(i18n.t("chart_province_map", lang, metric=charts.metric_label(metric, lang)))
    st.plotly_chart(
        charts.build_province_choropleth(
            provinces, metric, view.places,
            geojson_url=layers.layer_url("province"), lang=lang, theme=theme, by_city=cities,
        ),
        config=MAP_CONFIG,
        key="overview_map",
    )
with bar_column:
    st.plotly_chart(
        charts.build_top_provinces_bar(provinces, metric, view.places, lang=lang, theme=theme),
        config={"displaylogo": False},
        key="overview_top",
    )

summary_column, time_column = st.columns([2, 3])
with summary_column:
    st.subheader(i18n.t("summary_heading", lang))
    others = figures["suspects"] - figures["arrested"]
    st.markdown(
        i18n.t(
            "summary_text", lang,
            arrested=figures["arrested"], suspects=figures["suspects"], cities=figures["cities"],
            provinces=figures["provinces"], amount=i18n.format_yuan(figures["amount_yuan"], lang), others=others,
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
    st.plotly_chart(
        charts.build_arrests_sparkline(metrics.arrests_over_time(suspects, "W"), lang=lang, theme=theme),
        config={"displaylogo": False},
        key="overview_time",
    )

"""Timeline: arrests and payments over time with the case milestones, and the spread replayed on the map."""

import streamlit as st

from casemap import cache, charts, i18n, timeline
from geo import layers

view = cache.current_view()
lang, theme = view.lang, view.theme
suspects, payments = view.filtered.suspects, view.filtered.payments

st.title(i18n.t("timeline_title", lang))
if suspects.empty and payments.empty:
    st.info(i18n.t("no_data", lang))
    st.stop()

freq = st.segmented_control(
    i18n.t("timeline_period", lang), list(timeline.FREQS), default="MS", required=True,
    format_func=lambda f: i18n.t("timeline_by_week" if f == "W" else "timeline_by_month", lang), key="timeline_freq",
)
span = timeline.case_span(suspects, payments, view.milestones)
activity = timeline.activity_by_period(suspects, payments, freq, span=span)
st.plotly_chart(
    timeline.build_timeline(activity, view.milestones, freq=freq, lang=lang, theme=theme),
    config=charts.CHART_CONFIG, key="timeline_chart",
)
st.caption(i18n.t("timeline_caption", lang))

map_column, milestone_column = st.columns([3, 2])
with map_column:
    st.subheader(i18n.t("playback_title", lang))
    spread = timeline.spread_by_month(suspects, payments)
    st.plotly_chart(
        timeline.build_playback_map(spread, view.places, units=layers.provinces()["adcode"].tolist(),
                                    geojson_url=layers.layer_url("province"), lang=lang, theme=theme),
        config=charts.MAP_CONFIG, key="timeline_playback",
    )
    st.caption(i18n.t("playback_caption", lang))
with milestone_column:
    st.subheader(i18n.t("timeline_milestones", lang))
    st.dataframe(timeline.milestone_table(view.milestones, lang), hide_index=True)

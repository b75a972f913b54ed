"""Timeline: arrests and payments over time with the case milestones, and the spread replayed on the map."""

from functools import partial

import streamlit as st

from casemap import charts, i18n, timeline
from casemap.ui import layout, shell
from casemap.view import View
from geo import layers


def render(view: View) -> None:
    """Draw the timeline page of ``view``."""
    lang, theme, data = view.lang, view.theme, view.data
    st.title(i18n.t("timeline_title", lang))
    figures = data.headline()
    if figures["suspects"] == 0 and figures["payments"] == 0:
        st.info(i18n.t("no_data", lang))
        return

    freq = st.segmented_control(
        i18n.t("timeline_period", lang), list(timeline.FREQS), required=True, key="timeline_freq",  # set from the URL
        format_func=lambda f: i18n.t("timeline_by_week" if f == "W" else "timeline_by_month", lang),
    )
    milestones = data.milestones()
    chart = timeline.build_timeline(data.activity(freq), milestones, freq=freq, lang=lang, theme=theme)
    st.plotly_chart(chart, config=charts.CHART_CONFIG, key="timeline_chart", selection_mode="points",
                    on_select=partial(shell.on_chart_click, view, "timeline_chart", chart))
    st.caption(i18n.t("timeline_caption", lang))

    map_column, milestone_column = layout.side_by_side([3, 2], "timeline")
    with map_column:
        st.subheader(i18n.t("playback_title", lang))
        spread = data.spread()
        start = st.selectbox(i18n.t("playback_start", lang), timeline.playback_months(spread), index=None,
                             key="timeline_month", placeholder=i18n.t("playback_start_first", lang),
                             format_func=lambda month: timeline.month_label(month, lang))  # the shell sets it
        st.plotly_chart(
            timeline.build_playback_map(spread, view.places, units=layers.provinces()["adcode"].tolist(),
                                        geojson_url=layers.layer_url("province"), lang=lang, theme=theme,
                                        start=start),
            config=charts.MAP_CONFIG, key="timeline_playback",
        )
        st.caption(i18n.t("playback_caption", lang))
    with milestone_column:
        st.subheader(i18n.t("timeline_milestones", lang))
        st.dataframe(timeline.milestone_table(milestones, lang), hide_index=True)

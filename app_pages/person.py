"""Person: whom one suspect paid and was paid by, where those counterparts are, how much and when."""

import dataclasses

import streamlit as st

from casemap import charts, i18n, maps, page_settings, tables, timeline
from casemap.exporter import markdown_escape
from casemap.query.rows import SuspectSearch
from casemap.ui import layout, shell
from casemap.view import View
from geo import layers

CHOICES = 200  # suspects offered at a time; the search narrows them


def _chosen() -> None:
    # The person shown is a page setting: the shell writes it to the URL.
    st.session_state[page_settings.PERSON_KEY] = st.session_state.get("person_choice")
    st.session_state["person_choice"] = None  # the choice lives in the URL; back on the bare page, choose afresh


def choose_person(view: View) -> None:
    """Find a suspect by id, name or place; choosing one shows their view."""
    lang = view.lang
    label = "person_search_masked" if view.access.masked else "person_search"  # a viewer's search: labels only
    query = st.text_input(i18n.t(label, lang), key="person_query")
    found = view.data.unfiltered().suspect_page(SuspectSearch.parse(query, view.places), limit=CHOICES)
    labels = dict(zip(found["suspect_id"], found["name"].fillna("")))
    st.selectbox(i18n.t("person_choose", lang), list(labels), index=None, key="person_choice", on_change=_chosen,
                 placeholder=i18n.t("person_choose_placeholder", lang),
                 format_func=lambda pid: f"{labels[pid]} · {pid}" if labels[pid] else pid)


def cards(view: View, found) -> None:
    """Paid, received and counterparts, under the current filters."""
    lang = view.lang
    columns = layout.cards(3, "person")
    for column, direction in zip(columns, ("paid", "received")):
        way = found[found["direction"] == direction]
        column.metric(i18n.t(f"person_{direction}", lang), i18n.format_yuan(way["amount_yuan"].sum(), lang),
                      help=i18n.t("person_payments_help", lang, count=i18n.format_count(way["payments"].sum(), lang)),
                      border=True)
    columns[2].metric(i18n.t("person_counterparts", lang), i18n.format_count(found["counterpart_id"].nunique(), lang),
                      border=True)


def network_action(view: View, person: str) -> None:
    """The one button that filters every page to this person's network."""
    lang = view.lang
    if view.state.network == person:
        st.success(i18n.t("person_network_on", lang))
        return
    st.button(i18n.t("person_filter_network", lang), help=i18n.t("person_filter_network_help", lang),
              key="person_network", type="primary",
              on_click=view.apply_filters, args=(dataclasses.replace(view.state, network=person),))


def counterparts(view: View, found) -> None:
    """The counterparts as a table, each linked to their own person view."""
    lang = view.lang
    st.subheader(i18n.t("person_counterparts_title", lang))
    suspects = found["counterpart_id"].where(found["role"].notna(), None)  # an overseas account has no view
    table, links = shell.with_person_links(view, tables.counterparts_table(found, view.places, lang), suspects)
    st.dataframe(table, hide_index=True, key="person_counterparts", column_config={
        tables.header("tbl_amount_moved_yuan", lang): st.column_config.NumberColumn(format="localized"), **links,
    })


def money_map(view: View, person: str, found) -> None:
    """The provinces of the counterparts, shaded by the money paid there (received, for one who only received)."""
    lang = view.lang
    paid = (found["direction"] == "paid").any()
    metric = "payments_out_yuan" if paid else "payments_in_yuan"
    st.subheader(i18n.t("person_map_title" if paid else "person_map_from_title", lang))
    figure = maps.build_place_map(view.data.counterpart_places(person), metric, view.places,
                                  units=layers.provinces()["adcode"].tolist(), geojson_url=layers.layer_url("province"),
                                  lang=lang, theme=view.theme, national=True, height=520)
    st.plotly_chart(figure, config=charts.MAP_CONFIG, key="person_map")
    st.caption(i18n.t("person_map_caption", lang))


def payments_over_time(view: View, person: str) -> None:
    """The person's payments per day, week or month."""
    lang = view.lang
    st.subheader(i18n.t("person_timeline_title", lang))
    names = {"D": "person_by_day", "W": "person_by_week", "MS": "person_by_month"}
    freq = st.segmented_control(i18n.t("person_period", lang), list(page_settings.PERSON_FREQS), required=True,
                                key="person_freq", format_func=lambda f: i18n.t(names[f], lang))  # set by the shell
    figure = timeline.build_person_payments(view.data.person_payments(person, freq), freq=freq, lang=lang,
                                            theme=view.theme)
    st.plotly_chart(figure, config=charts.CHART_CONFIG, key="person_timeline")


def render(view: View) -> None:
    """Draw the person view of ``view`` for the suspect in the URL's ``person=``, or offer a choice."""
    lang = view.lang
    person = st.session_state.get(page_settings.PERSON_KEY)
    row = view.data.suspect(person) if person else None
    if row is None:
        st.title(i18n.t("person_title", lang))
        if person:
            st.warning(i18n.t("person_unknown", lang, person=markdown_escape(person, shell.NOTICE_VALUE_LIMIT)))
        else:
            st.info(i18n.t("person_pick", lang))
        choose_person(view)
        return

    st.title(i18n.t("person_heading", lang, name=markdown_escape(tables.person_name(row), 80),
                    person=markdown_escape(person, 80)))
    network_action(view, person)
    found = view.data.counterparts(person)
    with st.expander(i18n.t("person_details", lang)):
        detail = tables.suspect_detail(row, view.places, lang)
        st.dataframe(detail, hide_index=True, height=38 * (len(detail) + 1))
    if found.empty:
        st.info(i18n.t("person_no_payments", lang))
        return
    cards(view, found)
    counterparts(view, found)
    map_column, time_column = layout.side_by_side(2, "person")
    with map_column:
        money_map(view, person, found)
    with time_column:
        payments_over_time(view, person)

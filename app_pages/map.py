"""Map: the case province by province, drilling into a province's cities, with a ranking beside it."""

import dataclasses
from functools import partial

import streamlit as st

from casemap import charts, i18n, maps, tables
from casemap.ui import layout, shell
from casemap.view import View
from geo import layers


def back_to_country(view: View) -> None:
    view.apply_filters(dataclasses.replace(view.state, provinces=(), cities=()))


def render(view: View) -> None:
    """Draw the map page of ``view``."""
    lang, theme, data = view.lang, view.theme, view.data
    st.title(i18n.t("map_title", lang))
    if data.headline()["suspects"] == 0:
        st.info(i18n.t("no_data", lang))
        return

    drilled = view.state.provinces[0] if len(view.state.provinces) == 1 else None
    controls = st.columns([3, 2])
    metric = controls[0].segmented_control(
        i18n.t("metric", lang), list(maps.MAP_METRICS), required=True,  # the shell sets it from the URL
        format_func=lambda m: charts.metric_label(m, lang), key="map_metric", wrap=True,
    )
    all_cities = controls[1].toggle(i18n.t("map_all_cities", lang), key="map_all_cities", disabled=bool(drilled),
                                    help=i18n.t("map_all_cities_help", lang))
    show_bubbles = controls[1].toggle(i18n.t("map_bubbles", lang), key="map_bubbles",  # the shell sets it
                                      help=i18n.t("map_bubbles_help", lang))
    by_province, by_city = data.places_with_accounts("province"), data.places_with_accounts("city")
    if drilled:
        units, url, values = layers.cities(drilled)["adcode"].tolist(), layers.layer_url("city", drilled), by_city
        title = i18n.t("map_cities_of", lang, province=charts.place_labels([drilled], view.places, lang)[0])
    elif all_cities:
        units, url, values = layers.cities()["adcode"].tolist(), layers.layer_url("city"), by_city
        title = i18n.t("map_all_cities_title", lang)
    else:
        units, url, values = layers.provinces()["adcode"].tolist(), layers.layer_url("province"), by_province
        title = i18n.t("map_provinces_title", lang)
    figure = maps.build_place_map(values, metric, view.places, units=units, geojson_url=url, lang=lang, theme=theme,
                                  bubbles=by_city if show_bubbles else None, selected=view.state.cities,
                                  national=not drilled)

    map_column, table_column = layout.side_by_side([3, 2], "map")
    with map_column:
        if drilled:  # above the map, so it shows without scrolling on a laptop or a phone
            st.button(i18n.t("map_back", lang), icon=":material/arrow_back:", on_click=back_to_country, args=(view,))
        st.subheader(title)
        map_key = f"map_{drilled or ('cities' if all_cities else 'provinces')}"
        st.plotly_chart(figure, config=charts.MAP_CONFIG, key=map_key, selection_mode="points",
                        on_select=partial(shell.on_chart_click, view, map_key, figure))
        st.caption(i18n.t("map_hint_drilled" if drilled else "map_hint", lang))
    with table_column:
        st.subheader(i18n.t("map_ranking", lang, metric=charts.metric_label(metric, lang)))
        ranking = tables.ranking_table(values[values.index.isin(units)], metric, view.places, lang)
        st.dataframe(ranking, hide_index=True, height=min(640, 38 * (len(ranking) + 1)), key="map_ranking",
                     on_select=partial(shell.on_row_click, view, "map_ranking", list(ranking.index)),
                     selection_mode="single-row")
        st.caption(i18n.t("map_ranking_hint", lang))


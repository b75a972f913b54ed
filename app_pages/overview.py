"""Overview: the case at a glance, for briefings on a wall screen."""

from functools import partial

import streamlit as st

from casemap import charts, i18n, maps, vocab
from casemap.page_settings import OVERVIEW_METRICS
from casemap.ui import chart_png, layout, shell
from casemap.view import View
from geo import layers

# Heights that fit the page in one 1920x1080 screen with the sidebar open: the
# map and the summary on the left, the top places and arrests over time on the right.
MAP_HEIGHT = 456
CHIP_ROW = 56  # what the row of filter chips above the page takes from the map when it is shown
TOP_HEIGHT = 380
TIME_HEIGHT = 270


def kpi_cards(figures: dict, lang: str, accounts: dict | None = None) -> list[tuple[str, str, str | None]]:
    """The headline cards: label key, value and help text; six, and the accounts rented when ``accounts`` is given."""
    others = i18n.format_count(figures["suspects"] - figures["arrested"], lang)
    return [
        ("kpi_arrested", i18n.format_count(figures["arrested"], lang), None),
        ("kpi_suspects", i18n.format_count(figures["suspects"], lang), i18n.t("kpi_suspects_help", lang, others=others)),
        ("kpi_provinces", i18n.format_count(figures["provinces"], lang), None),
        ("kpi_cities", i18n.format_count(figures["cities"], lang), None),
        ("kpi_amount", i18n.format_yuan(figures["amount_yuan"], lang),
         i18n.format_yuan(figures["amount_yuan"], lang, compact=False)),
        ("kpi_payments", i18n.format_count(figures["payments"], lang),
         i18n.t("kpi_payments_help", lang, amount=i18n.format_yuan(figures["payments_yuan"], lang))),
        *([] if accounts is None else [accounts_card(accounts, lang)]),
    ]


def accounts_card(accounts: dict, lang: str) -> tuple[str, str, str]:
    """The "Accounts rented" card: the count, and per kind in its help."""
    separator = "、" if lang == "zh" else ", "
    kinds = separator.join(f"{vocab.label(vocab.ACCOUNT_KINDS, kind, lang)} {i18n.format_count(n, lang)}"
                           for kind, n in accounts["by_kind"].items()) or "—"
    return ("kpi_accounts_rented", i18n.format_count(accounts["accounts_rented"], lang),
            i18n.t("kpi_accounts_rented_help", lang, kinds=kinds))


def summary(view: View, figures: dict, cities, accounts: dict) -> None:
    """The case in a few sentences, in the viewer's language."""
    lang = view.lang
    if view.is_demo:
        st.markdown(i18n.t("summary_background", lang))
    counts = {key: i18n.format_count(figures[key], lang) for key in ("arrested", "suspects", "cities", "provinces")}
    st.markdown(i18n.t(
        "summary_figures", lang, **counts, amount=i18n.format_yuan(figures["amount_yuan"], lang),
        others=i18n.format_count(figures["suspects"] - figures["arrested"], lang),
    ))
    if not cities.empty:
        top_city = cities["suspects"].idxmax()
        st.markdown(i18n.t("summary_hotspot", lang, city=charts.place_labels([top_city], view.places, lang)[0],
                           count=i18n.format_count(cities.loc[top_city, "suspects"], lang)))
    if accounts["accounts_rented"]:
        st.markdown(i18n.t("summary_accounts", lang, rented=i18n.format_count(accounts["accounts_rented"], lang),
                           traced=i18n.format_count(accounts["traced_overseas"], lang)))


def render(view: View) -> None:
    """Draw the overview of ``view``: on a 1920x1080 screen it fits without scrolling (``layout.css``)."""
    lang, theme, data = view.lang, view.theme, view.data
    heading, png_column = st.columns([5, 1], vertical_alignment="bottom")  # the charts' PNGs beside the title
    heading.title(i18n.t("overview_title", lang))
    figures, accounts = data.headline(), data.accounts_rented()
    cards = kpi_cards(figures, lang, accounts)
    for column, (key, value, help_text) in zip(layout.cards(len(cards), "overview"), cards):
        column.metric(i18n.t(key, lang), value, help=help_text, border=True)
    if figures["suspects"] == 0:
        st.info(i18n.t("no_data", lang))
        return

    provinces, cities = data.by_province(), data.by_city()
    map_column, side_column = layout.side_by_side([3, 2], "overview")
    with map_column:
        # The map's title and the choice of what it shades share one row.
        title_column, metric_column = st.columns([3, 2], vertical_alignment="bottom")
        with metric_column:
            metric = st.segmented_control(
                i18n.t("metric", lang), list(OVERVIEW_METRICS), required=True,  # the shell sets it from the URL
                format_func=lambda m: charts.metric_label(m, lang), key="overview_metric",
                label_visibility="collapsed",
            )
        drilled = view.state.provinces[0] if len(view.state.provinces) == 1 else None
        if drilled:
            units, url, values = layers.cities(drilled)["adcode"].tolist(), layers.layer_url("city", drilled), cities
            title = charts.place_labels([drilled], view.places, lang)[0]
            top = charts.build_top_places_bar(cities, metric, view.places, lang=lang, theme=theme, level="city",
                                              height=TOP_HEIGHT)
        else:
            units, url, values = layers.provinces()["adcode"].tolist(), layers.layer_url("province"), provinces
            title = i18n.t("chart_province_map", lang, metric=charts.metric_label(metric, lang))
            top = charts.build_top_places_bar(provinces, metric, view.places, lang=lang, theme=theme,
                                              height=TOP_HEIGHT)
        title_column.subheader(title)
        area = maps.build_place_map(values, metric, view.places, units=units, geojson_url=url, lang=lang,
                                    theme=theme, bubbles=cities, selected=view.state.cities, national=not drilled,
                                    height=MAP_HEIGHT - (CHIP_ROW if shell.chip_row_shown(view.state) else 0))
        map_key = f"overview_map_{drilled or 'national'}"
        st.plotly_chart(area, config=charts.MAP_CONFIG, key=map_key, selection_mode="points",
                        on_select=partial(shell.on_chart_click, view, map_key, area))
        with st.container(key="overview-summary"):
            summary(view, figures, cities, accounts)
    with side_column:
        st.plotly_chart(top, config=charts.CHART_CONFIG, key="overview_top", selection_mode="points",
                        on_select=partial(shell.on_chart_click, view, "overview_top", top))
        freq = data.natural_freq()
        over_time = charts.build_arrests_sparkline(data.arrests_over_time(freq), freq=freq, lang=lang, theme=theme,
                                                   height=TIME_HEIGHT)
        st.plotly_chart(over_time, config=charts.CHART_CONFIG, key="overview_time")
    with png_column:  # filled last, when the figures exist
        chart_png.png_menu(view, {"overview-map": area, "overview-top": top, "overview-time": over_time})

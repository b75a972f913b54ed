"""Money flows: by channel and purpose, how money moved (roles and channels, provinces on the map), the top parties."""

from functools import partial

import streamlit as st

from casemap import charts, flows, i18n, tables
from casemap.page_settings import FLOWS_VIEWS
from casemap.ui import layout, shell
from casemap.view import View
from geo import layers


def share_cards(view: View, figures: dict) -> None:
    """Traced payments, the amount involved, and how much of it the payments explain."""
    lang = view.lang
    share = flows.explained_share(figures)
    cards = layout.cards(3, "flows")
    cards[0].metric(i18n.t("flows_traced", lang), i18n.format_yuan(share["payments_yuan"], lang),
                    help=i18n.t("flows_traced_help", lang, count=i18n.format_count(figures["payments"], lang)),
                    border=True)
    cards[1].metric(i18n.t("kpi_amount", lang), i18n.format_yuan(share["amount_yuan"], lang),
                    help=i18n.t("flows_involved_help", lang), border=True)
    cards[2].metric(i18n.t("flows_share", lang), "—" if share["share"] is None else f"{share['share']:.0%}",
                    help=i18n.t("flows_share_help", lang), border=True)


def top_parties(view: View, side: str, role: str | None = None) -> None:
    """The parties that paid or received the most, as a table."""
    top = view.data.top_parties(side, 10, role)
    known = view.data.people(top.index)
    listed = set(known["suspect_id"])
    suspects = [pid if pid in listed else None for pid in top.index]  # an overseas account has no person view
    table, links = shell.with_person_links(view, tables.parties_table(top, known, view.places, view.lang, side=side),
                                           suspects)
    st.dataframe(table, hide_index=True, column_config=links)


def render(view: View) -> None:
    """Draw the money-flows page of ``view``."""
    lang, theme, data = view.lang, view.theme, view.data
    st.title(i18n.t("flows_title", lang))
    figures = data.headline()
    if figures["payments"] == 0:
        st.info(i18n.t("no_data", lang))
        return
    share_cards(view, figures)

    channel_column, purpose_column = st.columns(2)
    for column, kind, totals in ((channel_column, "channel", data.by_channel()),
                                 (purpose_column, "purpose", data.by_purpose())):
        bars, key = flows.build_totals_bar(totals, kind, lang=lang, theme=theme), f"flows_{kind}_bars"
        column.plotly_chart(bars, config=charts.CHART_CONFIG, key=key, selection_mode="points",
                            on_select=partial(shell.on_chart_click, view, key, bars))
    st.caption(i18n.t("flows_bars_hint", lang))

    st.subheader(i18n.t("flows_how_money_moved", lang))
    # A choice, not tabs: the shell sets it from the URL, so a link opens the chart it was shared with.
    shown = st.segmented_control(i18n.t("flows_how_money_moved", lang), list(FLOWS_VIEWS), required=True,
                                 key="flows_view", label_visibility="collapsed",
                                 format_func=lambda name: i18n.t(f"flows_tab_{name}", lang))
    if shown == "sankey":
        st.plotly_chart(flows.build_sankey(data.role_flows(), lang=lang, theme=theme),
                        config=charts.CHART_CONFIG, key="flows_sankey")
    else:
        st.plotly_chart(
            flows.build_flow_map(data.province_flows(), view.places, units=layers.provinces()["adcode"].tolist(),
                                 geojson_url=layers.layer_url("province"), lang=lang, theme=theme),
            config=charts.MAP_CONFIG, key="flows_map",
        )
    st.caption(i18n.t("flows_caption", lang))

    payer_column, vendor_column = layout.side_by_side(2, "flows")
    with payer_column:
        st.subheader(i18n.t("flows_top_payers", lang))
        top_parties(view, "payer")
    with vendor_column:
        st.subheader(i18n.t("flows_top_vendors", lang))
        top_parties(view, "payee", role="number_vendor")

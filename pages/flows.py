"""Money flows: by channel and purpose, between provinces (Sankey and map), and the top parties."""

import streamlit as st

from casemap import charts, flows, i18n, tables
from casemap.ui import layout
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
    st.dataframe(tables.parties_table(top, known, view.places, view.lang, side=side), hide_index=True)


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
    channel_column.plotly_chart(flows.build_totals_bar(data.by_channel(), "channel", lang=lang, theme=theme),
                                config=charts.CHART_CONFIG, key="flows_channels")
    purpose_column.plotly_chart(flows.build_totals_bar(data.by_purpose(), "purpose", lang=lang, theme=theme),
                                config=charts.CHART_CONFIG, key="flows_purposes")

    st.subheader(i18n.t("flows_between_provinces", lang))
    between = data.province_flows()
    sankey_tab, map_tab = st.tabs([i18n.t("flows_tab_sankey", lang), i18n.t("flows_tab_map", lang)])
    with sankey_tab:
        st.plotly_chart(flows.build_sankey(between, view.places, lang=lang, theme=theme),
                        config=charts.CHART_CONFIG, key="flows_sankey")
    with map_tab:
        st.plotly_chart(
            flows.build_flow_map(between, view.places, units=layers.provinces()["adcode"].tolist(),
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


if __name__ == "__main__":
    from casemap.ui import shell

    shell.through_app()

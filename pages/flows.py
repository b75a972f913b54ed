"""Money flows: by channel and purpose, between provinces (Sankey and map), and the top parties."""

import streamlit as st

from casemap import cache, charts, flows, i18n, metrics, tables
from geo import layers

view = cache.current_view()
lang, theme = view.lang, view.theme
suspects, payments = view.filtered.suspects, view.filtered.payments

st.title(i18n.t("flows_title", lang))
if payments.empty:
    st.info(i18n.t("no_data", lang))
    st.stop()

share = flows.explained_share(suspects, payments)
cards = st.columns(3)
cards[0].metric(i18n.t("flows_traced", lang), i18n.format_yuan(share["payments_yuan"], lang),
                help=i18n.t("flows_traced_help", lang, count=i18n.format_count(len(payments), lang)), border=True)
cards[1].metric(i18n.t("kpi_amount", lang), i18n.format_yuan(share["amount_yuan"], lang),
                help=i18n.t("flows_involved_help", lang), border=True)
cards[2].metric(i18n.t("flows_share", lang), "—" if share["share"] is None else f"{share['share']:.0%}",
                help=i18n.t("flows_share_help", lang), border=True)

channel_column, purpose_column = st.columns(2)
channel_column.plotly_chart(
    flows.build_totals_bar(metrics.amount_by_channel(payments), "channel", lang=lang, theme=theme),
    config=charts.CHART_CONFIG, key="flows_channels",
)
purpose_column.plotly_chart(
    flows.build_totals_bar(flows.totals_by_purpose(payments), "purpose", lang=lang, theme=theme),
    config=charts.CHART_CONFIG, key="flows_purposes",
)

st.subheader(i18n.t("flows_between_provinces", lang))
between = flows.province_flows(payments, view.suspects)
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

payer_column, vendor_column = st.columns(2)
with payer_column:
    st.subheader(i18n.t("flows_top_payers", lang))
    top = flows.top_parties(payments, view.suspects, "payer")
    st.dataframe(tables.parties_table(top, view.suspects, view.places, lang, side="payer"), hide_index=True)
with vendor_column:
    st.subheader(i18n.t("flows_top_vendors", lang))
    top = flows.top_parties(payments, view.suspects, "payee", role="number_vendor")
    st.dataframe(tables.parties_table(top, view.suspects, view.places, lang, side="payee"), hide_index=True)

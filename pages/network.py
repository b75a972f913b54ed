"""Network: who paid whom. Suspects as nodes, payments as links; the key persons ranked."""

import streamlit as st

from casemap import cache, charts, i18n, network, tables

view = cache.current_view()
lang, theme = view.lang, view.theme
suspects, payments = view.filtered.suspects, view.filtered.payments

st.title(i18n.t("network_title", lang))
if suspects.empty:
    st.info(i18n.t("no_data", lang))
    st.stop()

graph = network.build_graph(suspects, payments, view.suspects)
names = cache.place_names(lang)
if len(suspects) > network.AGGREGATE_ABOVE:
    st.info(i18n.t("network_aggregated", lang, count=len(suspects), limit=network.AGGREGATE_ABOVE))

ranks = network.centrality(graph)  # betweenness is the costly part: computed once per graph shown
people = [node for node in ranks.index if graph.nodes[node]["kind"] != "external"]
chosen = st.selectbox(
    i18n.t("network_choose", lang), people, index=None, key="network_person",
    placeholder=i18n.t("network_choose_all", lang),
    format_func=lambda node: network.node_choice_label(node, graph.nodes[node], names, lang),
)
shown = network.ego(graph, chosen) if chosen else graph
shown_ranks = network.centrality(shown) if chosen else ranks

chart_column, side_column = st.columns(2)
with chart_column:
    st.plotly_chart(network.build_network(shown, names, lang=lang, theme=theme, highlight=chosen, ranks=shown_ranks),
                    config={**charts.CHART_CONFIG, "scrollZoom": True}, key="network_chart")
    st.caption(i18n.t("network_caption", lang))
with side_column:
    if chosen and graph.nodes[chosen]["kind"] == "suspect":
        st.subheader(i18n.t("network_details", lang))
        row = view.suspects[view.suspects["suspect_id"] == chosen].iloc[0]
        detail = tables.suspect_detail(row, view.places, lang)
        st.dataframe(detail, hide_index=True, height=38 * (len(detail) + 1))
        st.subheader(i18n.t("network_ego_key_persons", lang))
        st.dataframe(tables.key_persons_table(shown, names, lang, ranks=shown_ranks), hide_index=True)
    else:
        if chosen:
            st.caption(i18n.t("network_group_members", lang, count=graph.nodes[chosen]["members"]))
        st.subheader(i18n.t("network_key_persons", lang))
        st.dataframe(tables.key_persons_table(shown, names, lang, n=15, ranks=shown_ranks),
                     hide_index=True)
        st.caption(i18n.t("network_key_persons_help", lang))

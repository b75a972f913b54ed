"""Network: who paid whom. Suspects as nodes, payments as links; the key persons ranked."""

import streamlit as st

from casemap import charts, i18n, network, tables
from casemap.ui import layout, shell
from casemap.view import View


def choose_node(view: View, everyone, names: dict) -> str | None:
    """The person (or group) whose network to show; None for everyone."""
    lang, graph = view.lang, everyone.graph
    choices = network.choosable_nodes(everyone)
    return st.selectbox(
        i18n.t("network_choose", lang), choices, index=None, key="network_person",
        placeholder=i18n.t("network_choose_all", lang),
        format_func=lambda node: network.node_choice_label(node, graph.nodes[node], names, lang),
    )


def key_persons(view: View, shown, names: dict, heading: str, n: int) -> None:
    """The most central nodes of the graph shown, and how betweenness was computed."""
    lang = view.lang
    st.subheader(i18n.t(heading, lang))
    st.dataframe(tables.key_persons_table(shown.graph, names, lang, n=n, ranks=shown.ranks), hide_index=True)
    st.caption(i18n.t("network_key_persons_help", lang))
    if shown.sampled:
        st.caption(i18n.t("network_sampled", lang, sources=shown.sampled, nodes=shown.graph.number_of_nodes()))


def person_details(view: View, person: str) -> None:
    """The chosen suspect's record."""
    row = view.data.suspect(person)
    if row is None:
        return
    st.subheader(i18n.t("network_details", view.lang))
    shell.person_link(view, person, i18n.t("person_open", view.lang, name=tables.person_name(row)))
    detail = tables.suspect_detail(row, view.places, view.lang)
    st.dataframe(detail, hide_index=True, height=38 * (len(detail) + 1))


def render(view: View) -> None:
    """Draw the network page of ``view``: the graph shown, or one person's network, and the key persons."""
    lang = view.lang
    st.title(i18n.t("network_title", lang))
    everyone = view.data.graph()
    if everyone.suspects == 0:
        st.info(i18n.t("no_data", lang))
        return
    notices = network.graph_notices(everyone, lang)
    for notice in notices:
        st.info(notice)

    graph = everyone.graph
    names = network.place_names(graph, view.places, lang)
    chosen = choose_node(view, everyone, names)
    shown = view.data.ego_graph(chosen) if chosen else everyone
    if chosen:
        names = {**names, **network.place_names(shown.graph, view.places, lang)}
        for notice in network.graph_notices(shown, lang):
            if notice not in notices:
                st.info(notice)

    chart_column, side_column = layout.side_by_side(2, "network")
    with chart_column:
        figure = network.build_network(shown.graph, names, lang=lang, theme=view.theme, highlight=chosen,
                                       ranks=shown.ranks)
        st.plotly_chart(figure, config={**charts.CHART_CONFIG, "scrollZoom": True}, key="network_chart")
        st.caption(i18n.t("network_caption", lang))
    with side_column:
        if chosen and graph.nodes[chosen]["kind"] == "suspect":
            person_details(view, chosen)
            key_persons(view, shown, names, "network_ego_key_persons", 10)
        else:
            if chosen:
                st.caption(network.group_caption(graph.nodes[chosen], lang))
            key_persons(view, shown, names, "network_key_persons", 15)

"""Link analysis: people and their accounts as typed nodes, relations and payments as lines; paths, groups, leads."""

import streamlit as st

from casemap import (
    charts,
    i18n,
    link_chart,
    link_tables,
    linkgraph,
    network,
    page_settings,
    tables,
)
from casemap.exporter import markdown_escape
from casemap.ui import layout, shell
from casemap.view import View

EXPAND = page_settings.EXPAND_KEY
CHART_CONFIG = {**charts.CHART_CONFIG, "scrollZoom": True}


def _expand() -> None:
    # The nodes expanded live in the URL (a page setting); the chooser is only the way to add one.
    ids = linkgraph.expanded_ids(st.session_state.get(EXPAND, ""))
    picked = st.session_state.get("network_expand_pick")
    st.session_state[EXPAND] = ",".join(dict.fromkeys([*ids, picked])) if picked else ",".join(ids)
    st.session_state["network_expand_pick"] = None


def _clear_expanded() -> None:
    st.session_state[EXPAND] = ""


def _focus_changed() -> None:
    st.session_state[EXPAND] = ""  # expansions belong to the node they grew from


def node_chooser(view: View, found, key: str, label: str, options: list[str], names: dict, **kwargs):
    """A selectbox of nodes, read as names."""
    graph = found.graph
    return st.selectbox(label, options, index=None, key=key,
                        format_func=lambda n: link_chart.node_text(n, graph.nodes[n], names, view.lang,
                                                                   detailed=True) if n in graph else n, **kwargs)


def notices(view: View, found) -> None:
    """How the graph was simplified, and whether the case has accounts at all."""
    for notice in network.graph_notices(found.payments, view.lang):
        st.info(notice)
    if found.accounts == 0:
        st.info(i18n.t("link_no_accounts", view.lang))
    elif found.grouped:
        st.info(i18n.t("link_accounts_grouped", view.lang, count=i18n.format_count(found.accounts, view.lang),
                       groups=found.account_nodes))
    elif found.account_nodes < found.accounts:
        st.info(i18n.t("link_accounts_dropped", view.lang, shown=found.account_nodes, total=found.accounts))


def people_by_rank(found) -> list[str]:
    """The people and groups of the graph, most central first."""
    return [n for n in found.ranks.index if not linkgraph.is_account(found.graph.nodes[n])
            and found.graph.nodes[n]["kind"] != "external"]


def graph_view(view: View, found, names: dict) -> None:
    """The whole graph, or one node with its neighbours and the neighbours of the nodes expanded."""
    lang, graph = view.lang, found.graph
    choices = [n for n in found.ranks.index if n in linkgraph.choosable(graph)]
    focus = node_chooser(view, found, "network_person", i18n.t("network_choose", lang), choices, names,
                         placeholder=i18n.t("network_choose_all", lang), on_change=_focus_changed)
    shown, expanded = graph, []
    if focus:
        expanded = [n for n in linkgraph.expanded_ids(st.session_state.get(EXPAND, "")) if n in graph]
        nodes = linkgraph.one_hop(graph, set(), focus)
        for node in expanded:
            nodes = linkgraph.one_hop(graph, nodes, node)
        shown = graph.subgraph(sorted(nodes)).copy()
        pick, clear = layout.side_by_side([4, 1], "network_expand_row")
        with pick:
            node_chooser(view, found, "network_expand_pick", i18n.t("link_expand", lang),
                         [n for n in found.ranks.index if n in shown and n not in {focus, *expanded}], names,
                         placeholder=i18n.t("link_expand_placeholder", lang), on_change=_expand)
        if expanded:
            clear.button(i18n.t("link_clear_expanded", lang), key="network_expand_clear", on_click=_clear_expanded)
            st.caption(i18n.t("link_expanded", lang, nodes="、".join(
                link_chart.node_text(n, graph.nodes[n], names, lang) for n in expanded)))
    chart, side = layout.side_by_side(2, "network")
    with chart:
        st.plotly_chart(link_chart.build_link_chart(shown, names, lang=lang, theme=view.theme,
                                                    highlight=[focus] if focus else [],
                                                    ranks=found.ranks if shown is graph else None),
                        config=CHART_CONFIG, key="network_chart")
        st.caption(i18n.t("link_focus_caption", lang, name=link_chart.node_text(focus, graph.nodes[focus], names, lang))
                   if focus else i18n.t("link_caption", lang))
    with side:
        if focus and graph.nodes[focus]["kind"] == "suspect":
            person_details(view, focus)
        key_persons(view, found, shown, names)


def key_persons(view: View, found, shown, names: dict) -> None:
    """The most central people of the graph shown."""
    lang = view.lang
    people = [n for n in people_by_rank(found) if n in shown]
    ranks = found.ranks.loc[people]
    st.subheader(i18n.t("network_key_persons", lang))
    st.dataframe(tables.key_persons_table(found.graph, names, lang, n=15, ranks=ranks), hide_index=True)
    st.caption(i18n.t("network_key_persons_help", lang))


def person_details(view: View, person: str) -> None:
    """The chosen suspect's record, with a link to their person view."""
    row = view.data.suspect(person)
    if row is None:
        return
    st.subheader(i18n.t("network_details", view.lang))
    shell.person_link(view, person, i18n.t("person_open", view.lang, name=tables.person_name(row)))
    detail = tables.suspect_detail(row, view.places, view.lang)
    st.dataframe(detail, hide_index=True, height=38 * (len(detail) + 1))


def path_view(view: View, found, names: dict) -> None:
    """The shortest chain between two people, drawn and told hop by hop."""
    lang, graph = view.lang, found.graph
    people = people_by_rank(found)
    left, right = layout.side_by_side(2, "network_path_pick")
    with left:
        source = node_chooser(view, found, "network_from", i18n.t("link_path_from", lang), people, names)
    with right:
        target = node_chooser(view, found, "network_to", i18n.t("link_path_to", lang), people, names)
    if not source or not target:
        st.info(i18n.t("link_path_pick", lang))
        return
    if source == target:
        st.info(i18n.t("link_path_same", lang))
        return
    path = linkgraph.shortest_path(graph, source, target)
    if path is None:
        st.info(i18n.t("link_path_none", lang, a=link_chart.node_text(source, graph.nodes[source], names, lang),
                       b=link_chart.node_text(target, graph.nodes[target], names, lang)))
        return
    nodes = linkgraph.path_context(graph, path, found.ranks.index)
    chart, side = layout.side_by_side([3, 2], "network")
    with side:
        lines = link_chart.explain_path(graph, path, names, lang)
        st.markdown(f"**{markdown_escape(lines[0])}**")
        st.markdown("  \n".join(markdown_escape(line) for line in lines[1:]))
    with chart:
        shown = graph.subgraph(sorted(nodes)).copy()
        st.plotly_chart(link_chart.build_link_chart(shown, names, lang=lang, theme=view.theme, path=path),
                        config=CHART_CONFIG, key="network_path_chart")


def communities_view(view: View, found, names: dict) -> None:
    """The Louvain communities as coloured groups, and a table of them."""
    lang, graph = view.lang, found.graph
    groups = linkgraph.communities(graph)
    if not groups:
        st.info(i18n.t("link_no_communities", lang))
        return
    chart, side = layout.side_by_side(2, "network")
    with chart:
        st.plotly_chart(link_chart.build_link_chart(graph, names, lang=lang, theme=view.theme, groups=groups,
                                                    ranks=found.ranks),
                        config=CHART_CONFIG, key="network_communities_chart")
        st.caption(i18n.t("link_communities_caption", lang))
    with side:
        table = linkgraph.community_table(graph, groups)
        st.dataframe(link_tables.community_table(graph, table, names, lang), hide_index=True)


def shared_view(view: View, found, names: dict) -> None:
    """Who shares an account: the accounts linked to two or more people, drawn with those people."""
    lang, graph = view.lang, found.graph
    shared = linkgraph.shared_accounts(graph)
    if shared.empty:
        st.info(i18n.t("link_no_shared", lang))
        return
    st.caption(i18n.t("link_shared_caption", lang))
    chart, side = layout.side_by_side(2, "network")
    with chart:
        st.plotly_chart(link_chart.build_link_chart(linkgraph.sharing_graph(graph, shared), names, lang=lang,
                                                    theme=view.theme), config=CHART_CONFIG, key="network_shared_chart")
    with side:
        st.dataframe(link_tables.shared_table(graph, shared, names, lang), hide_index=True)


def leads_view(view: View) -> None:
    """The incoming leads, what they named and what became of them; leads and arrests month by month."""
    lang = view.lang
    rows = link_tables.lead_rows(view.data.leads())
    if rows.empty:
        st.info(i18n.t("link_no_leads", lang))
        return
    st.subheader(i18n.t("link_leads_title", lang))
    st.caption(i18n.t("link_leads_caption", lang))
    chart, side = layout.side_by_side(2, "network_leads")
    with chart:
        frame = link_tables.leads_by_month(rows, view.data.arrests_over_time("MS"))
        st.plotly_chart(link_tables.build_leads_chart(frame, lang=lang, theme=view.theme,
                                                      milestones=view.data.milestones()),
                        config=charts.CHART_CONFIG, key="network_leads_chart")
    with side:
        st.dataframe(link_tables.leads_table(rows, lang), hide_index=True)


VIEWS = {"graph": graph_view, "path": path_view, "communities": communities_view, "shared": shared_view}


def render(view: View) -> None:
    """Draw the link-analysis page of ``view``: the view chosen in the URL, over the graph the filters leave."""
    lang = view.lang
    st.title(i18n.t("network_title", lang))
    found = view.data.link_graph()
    if found.payments.suspects == 0:
        st.info(i18n.t("no_data", lang))
        return
    chosen = st.segmented_control(i18n.t("link_view", lang), page_settings.LINK_VIEWS, key="network_view",
                                  format_func=lambda v: i18n.t(f"link_view_{v}", lang), required=True)
    if chosen == "leads":
        leads_view(view)
        return
    notices(view, found)
    names = network.place_names(found.graph, view.places, lang)
    VIEWS.get(chosen or "graph", graph_view)(view, found, names)

"""Briefing: the case as six slides for a wall screen, one at a time, driven by keyboard, arrows or a timer."""

import html

import streamlit as st

from casemap import briefing, charts, i18n
from casemap.page_settings import BRIEF_SLIDE_KEY
from casemap.ui import frozen, layout
from casemap.view import View

COUNT = len(briefing.SLIDE_KEYS)


def go_to(number: int) -> None:
    """Show slide ``number`` (1-based, wrapping round): the shell writes it to the URL."""
    st.session_state[BRIEF_SLIDE_KEY] = str((number - 1) % COUNT + 1)


def kpi_block(slide: briefing.Slide) -> str:
    """The slide's figures as HTML, every text escaped."""
    cards = "".join(
        f'<div class="brief-kpi"><div class="brief-kpi-value">{html.escape(kpi.value)}</div>'
        f'<div class="brief-kpi-label">{html.escape(kpi.label)}</div></div>'
        for kpi in slide.kpis
    )
    return f'<div class="brief-kpis">{cards}</div>'


def table_block(slide: briefing.Slide) -> str:
    """The slide's small table as an HTML table in the slide's type size, every cell escaped."""
    table = slide.table
    if table is None or table.empty:
        return ""
    head = "".join(f"<th>{html.escape(str(c))}</th>" for c in table.columns)
    rows = "".join("<tr>" + "".join(f"<td>{html.escape(str(v))}</td>" for v in row) + "</tr>"
                   for row in table.itertuples(index=False))
    return f'<table class="brief-table brief-table-{slide.key}"><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>'


def controls(number: int, slide: briefing.Slide, lang: str, tools=None) -> None:
    """Previous and next arrows round the progress dots, one per slide, and the ``tools`` menu after them."""
    with st.container(key="brief-controls", horizontal=True, horizontal_alignment="center",
                      vertical_alignment="center"):
        st.button("←", key="brief_previous", on_click=go_to, args=(number - 1,), help=i18n.t("brief_previous", lang))
        for index, key in enumerate(briefing.SLIDE_KEYS, start=1):
            title = briefing.slide_title(key, lang)
            st.button("●" if index == number else "○", key=f"brief_dot_{index}", on_click=go_to, args=(index,),
                      type="primary" if index == number else "tertiary",
                      help=i18n.t("brief_go_to", lang, number=index, title=title))
        st.button("→", key="brief_next", on_click=go_to, args=(number + 1,), help=i18n.t("brief_next", lang))
        st.caption(i18n.t("brief_counter", lang, number=number, count=COUNT) + " · " + i18n.t("brief_keys_hint", lang))
        if tools is not None:
            tools()


def render(view: View) -> None:
    """Draw the slide the URL names (``slide=N``), with the keyboard, the arrows and the auto-advance."""
    view = frozen.pinned_view(view)  # a ?snapshot= link shows its frozen figures, under a banner saying so
    lang = view.lang
    number = int(st.session_state.get(BRIEF_SLIDE_KEY) or 1)
    key = briefing.SLIDE_KEYS[number - 1]
    slide = briefing.build_slide(key, view.data, view.places, lang, view.theme)
    with st.container(key="brief-slide"):
        st.markdown(
            f'<p class="brief-eyebrow">{number} / {COUNT} · {html.escape(slide.title)}</p>'
            f'<h1 class="brief-headline">{html.escape(slide.headline)}</h1>',
            unsafe_allow_html=True,
        )
        side, main = st.columns([1, 2.3], gap="large")
        with side:
            st.markdown(kpi_block(slide) + table_block(slide), unsafe_allow_html=True)
        with main:
            for index, figure in enumerate(slide.figures[:1]):
                config = charts.MAP_CONFIG if key in ("headline", "spread", "money", "at_large") else charts.CHART_CONFIG
                st.plotly_chart(figure, config=config, key=f"brief_{key}_{index}")
    controls(number, slide, lang, tools=lambda: frozen.brief_tools(view, slide))
    layout.brief_keys(st.session_state.get("brief_auto"))

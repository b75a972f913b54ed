"""Casemap: entry point. Page config, navigation and the one shared sidebar.

Run with ``streamlit run app.py``. Every page reads the ``View`` this script
puts in ``st.session_state["view"]``: language, theme, filter state and the
case's frames, filtered once per rerun.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import streamlit as st

from casemap import cache, i18n
from casemap.filters import FilterState, Notice, apply
from casemap.view import View

ROOT = Path(__file__).resolve().parent
ICON = ROOT / "data" / "icon.png"

st.set_page_config(
    page_title="Casemap",
    page_icon=str(ICON),  # a local file: an emoji or material icon would be fetched from a CDN
    layout="wide",
    initial_sidebar_state="expanded",
)


def read_filter_state(known_provinces: set[str], known_cities: set[str]):
    """The session's filter state: parsed from the URL on a new session or a new URL."""
    params = st.query_params.to_dict()
    fresh = "filters" not in st.session_state
    if fresh or (params and params != st.session_state.get("written_query")):
        state, notices = FilterState.from_query(params, known_provinces, known_cities)
        st.session_state["filters"] = state
        st.session_state["notices"] = tuple(notices)
    return st.session_state["filters"], st.session_state["notices"]


def write_filter_state(state: FilterState) -> None:
    """Keep the URL equal to the state, so a copied link reproduces the view."""
    query = state.to_query()
    st.session_state["filters"] = state
    st.session_state["written_query"] = query
    if st.query_params.to_dict() != query:
        st.query_params.from_dict(query)


def sidebar(state: FilterState, lang: str, cases: list[str], as_of, version: int) -> FilterState:
    """The shared sidebar: case, language, data-as-of. Returns the possibly changed state."""
    with st.sidebar:
        st.markdown(f"### {i18n.t('app_title', lang)}")
        st.caption(i18n.t("app_tagline", lang))
        case = st.selectbox(i18n.t("sidebar_case", lang), cases, index=cases.index(state.case))
        langs = list(i18n.LANGS)
        chosen = st.radio(
            i18n.t("sidebar_language", lang),
            langs,
            index=langs.index(lang),
            format_func=lambda code: {"en": "English", "zh": "简体中文"}[code],
            horizontal=True,
        )
        st.caption(i18n.t("sidebar_as_of", lang, date=i18n.format_date(as_of, lang)))
        st.caption(i18n.t("sidebar_version", lang, version=version))
        st.caption(i18n.t("sidebar_theme_hint", lang))
    if case != state.case:
        state = FilterState(case=case, lang=state.lang, theme=state.theme)
    if chosen != lang:
        state = dataclasses.replace(state, lang=chosen)
    return state


def data_as_of(data):
    """The latest dated event in the case: an arrest or a payment."""
    dates = [data.suspects["arrest_date"].max(), data.payments["time"].max()]
    dates = [d for d in dates if d is not None and d == d]
    return max(dates).date() if dates else None


places = cache.places()
store = cache.get_store()
cases = store.cases()
state, notices = read_filter_state(
    set(places.loc[places["level"] == "province", "adcode"]),
    set(places.loc[places["level"] == "city", "adcode"]),
)
if state.case not in cases:
    notices = notices + (Notice("case", state.case, "unknown_case"),)
    state = dataclasses.replace(state, case="demo")
lang = i18n.choose_lang(state.lang, st.context.locale)
version = store.data_version(state.case)
data = cache.load_case(state.case, version)

new_state = sidebar(state, lang, cases, data_as_of(data), version)
if new_state != state:
    write_filter_state(new_state)
    st.rerun()
write_filter_state(state)

theme = "screen" if st.context.theme.type == "dark" else "light"
st.session_state["view"] = View(
    lang=lang,
    theme=theme,
    state=state,
    cases=tuple(cases),
    suspects=data.suspects,
    payments=data.payments,
    milestones=data.milestones,
    filtered=apply(state, data.suspects, data.payments),
    places=places,
    data_version=version,
    notices=tuple(notices),
)

page = st.navigation(
    [st.Page(ROOT / "pages" / "overview.py", title=i18n.t("nav_overview", lang), default=True)]
)
if state.case == "demo":
    st.info(i18n.t("illustrative", lang))
for notice in notices:
    reason = i18n.t(f"reason_{notice.reason}", lang)
    st.warning(i18n.t("param_ignored", lang, param=notice.param, value=notice.value, reason=reason))
page.run()

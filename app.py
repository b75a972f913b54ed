"""Casemap: entry point. Page config, navigation and the one shared sidebar.

Run with ``streamlit run app.py``. Every page reads the ``View`` this script
puts in ``st.session_state["view"]``: language, theme, filter state and the
case's frames, filtered once per rerun.
"""

from __future__ import annotations

import dataclasses
import html
import os
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

import streamlit as st

from casemap import cache, i18n, metrics, vocab
from casemap.filters import FilterState, Notice, apply
from casemap.view import View

RUN_STARTED = time.perf_counter()
ROOT = Path(__file__).resolve().parent
ICON = ROOT / "data" / "icon.png"

st.set_page_config(
    page_title="Casemap",
    page_icon=str(ICON),  # a local file: an emoji or material icon would be fetched from a CDN
    layout="wide",
    initial_sidebar_state="expanded",
)


FILTER_WIDGETS = {
    "f_from": "date_from",
    "f_to": "date_to",
    "f_provinces": "provinces",
    "f_cities": "cities",
    "f_roles": "roles",
    "f_statuses": "statuses",
    "f_channels": "channels",
    "f_min": "min_amount",
    "f_max": "max_amount",
}


def read_filter_state(known_provinces: set[str], known_cities: set[str]):
    """The session's filter state, and whether the sidebar widgets must be reset to it.

    The URL is read on a session's first run and whenever it differs from what
    we last wrote (a pasted link, back/forward); a page switch that drops the
    query string keeps the session's state. A chart click or a reset leaves a
    new state in ``pending_filters`` for this run to take up.
    """
    params = st.query_params.to_dict()
    pending = st.session_state.pop("pending_filters", None)
    if pending is not None:
        st.session_state["filters"] = pending
        return pending, st.session_state.get("notices", ()), True
    if "filters" not in st.session_state or (params and params != st.session_state.get("written_query")):
        state, notices = FilterState.from_query(params, known_provinces, known_cities)
        st.session_state["filters"] = state
        st.session_state["notices"] = tuple(notices)
        return state, tuple(notices), True
    return st.session_state["filters"], st.session_state["notices"], False


# Streamlit's front end reads `embed_options` when a page loads and then
# forces that theme: how a `theme` in a shared link takes effect.
EMBED_THEME = {"light": "light_theme", "screen": "dark_theme"}


def url_query(state: FilterState) -> dict[str, str]:
    """The query string of ``state``, with the front end's theme switch beside `theme`."""
    query = state.to_query()
    if state.theme:
        query["embed_options"] = EMBED_THEME[state.theme]
    return query


def write_filter_state(state: FilterState) -> None:
    """Keep the URL equal to the state, so a copied link reproduces the view.

    `embed_options` cannot be written from the server; the address bar keeps
    the one it was loaded with, and the shareable link adds it.
    """
    query = state.to_query()
    st.session_state["filters"] = state
    st.session_state["written_query"] = query
    if st.query_params.to_dict() != query:
        st.query_params.from_dict(query)


def push_to_widgets(state: FilterState) -> None:
    """Set the sidebar widgets to ``state`` (before they are drawn)."""
    for key, name in FILTER_WIDGETS.items():
        value = getattr(state, name)
        st.session_state[key] = list(value) if isinstance(value, tuple) else value
    st.session_state["f_case"] = state.case


def state_from_widgets(state: FilterState, lang: str) -> FilterState:
    """The state the sidebar widgets describe; the old one if they describe none."""
    values = {name: st.session_state.get(key) for key, name in FILTER_WIDGETS.items()}
    try:
        return dataclasses.replace(state, **values)
    except ValueError:
        reversed_dates = values["date_from"] and values["date_to"] and values["date_from"] > values["date_to"]
        problem = i18n.t("filter_reversed_dates" if reversed_dates else "filter_reversed_amounts", lang)
        st.sidebar.warning(i18n.t("filter_rejected", lang, problem=problem))
        return state


def reset_filters() -> None:
    state = st.session_state["filters"]
    st.session_state["pending_filters"] = FilterState(case=state.case, lang=state.lang, theme=state.theme)


def remove_place(code: str) -> None:
    state = st.session_state["filters"]
    st.session_state["pending_filters"] = dataclasses.replace(
        state,
        provinces=tuple(p for p in state.provinces if p != code),
        cities=tuple(c for c in state.cities if c != code),
    )


def place_name(code: str, lang: str) -> str:
    return cache.place_names(lang).get(code, code)


def filter_widgets(state: FilterState, lang: str) -> None:
    """The filter controls; their values are read back by ``state_from_widgets``."""
    names = cache.place_names(lang)
    name = lambda code: names.get(code, code)  # noqa: E731
    st.markdown(f"#### {i18n.t('filters', lang)}")
    st.date_input(i18n.t("filter_from", lang), key="f_from", help=i18n.t("filter_dates_help", lang), format="YYYY-MM-DD")
    st.date_input(i18n.t("filter_to", lang), key="f_to", format="YYYY-MM-DD")
    provinces = sorted(places.loc[places["level"] == "province", "adcode"])
    st.multiselect(i18n.t("filter_provinces", lang), provinces, key="f_provinces", format_func=name,
                   placeholder=i18n.t("filter_any", lang))
    chosen = set(st.session_state.get("f_provinces") or provinces) | set(st.session_state.get("f_cities") or ())
    city_rows = places[places["level"] == "city"]
    cities = sorted(city_rows.loc[city_rows["province_adcode"].isin(chosen) | city_rows["adcode"].isin(chosen), "adcode"])
    st.multiselect(i18n.t("filter_cities", lang), cities, key="f_cities", format_func=name,
                   placeholder=i18n.t("filter_any", lang))
    for key, label, terms in (
        ("f_roles", "filter_roles", vocab.ROLES),
        ("f_statuses", "filter_statuses", vocab.STATUSES),
        ("f_channels", "filter_channels", vocab.CHANNELS),
    ):
        st.pills(i18n.t(label, lang), vocab.values(terms), selection_mode="multi", key=key,
                 format_func=lambda value, terms=terms: vocab.label(terms, value, lang))
    left, right = st.columns(2)
    left.number_input(i18n.t("filter_min_amount", lang), min_value=0.0, step=1000.0, key="f_min")
    right.number_input(i18n.t("filter_max_amount", lang), min_value=0.0, step=1000.0, key="f_max")
    st.button(i18n.t("filter_reset", lang), on_click=reset_filters, icon=None, width="stretch")


def sidebar(state: FilterState, lang: str, cases: list[str], as_of, version: int) -> FilterState:
    """The shared sidebar: case, language, filters, data-as-of. Returns the state it describes."""
    with st.sidebar:
        st.markdown(f"### {i18n.t('app_title', lang)}")
        st.caption(i18n.t("app_tagline", lang))
        case = st.selectbox(i18n.t("sidebar_case", lang), cases, key="f_case",
                            format_func=lambda name: i18n.t("case_demo", lang) if name == "demo" else name)
        langs = list(i18n.LANGS)
        chosen = st.radio(
            i18n.t("sidebar_language", lang),
            langs,
            index=langs.index(lang),
            format_func=lambda code: {"en": "English", "zh": "简体中文"}[code],
            horizontal=True,
        )
        filter_widgets(state, lang)
        st.caption(i18n.t("sidebar_as_of", lang, date=i18n.format_date(as_of, lang)))
        st.caption(i18n.t("sidebar_version", lang, version=version))
        theme_links(state, lang)
    if case != state.case:
        return FilterState(case=case, lang=state.lang, theme=state.theme)
    new_state = state_from_widgets(state, lang)
    if chosen != lang:
        new_state = dataclasses.replace(new_state, lang=chosen)
    return new_state


def link_to_view(state: FilterState, lang: str, theme: str) -> str:
    """The shareable URL of the current page and state, with the language and theme the sharer sees."""
    base = (st.context.url or "").split("?")[0]
    query = urlencode(url_query(dataclasses.replace(state, lang=lang, theme=theme)), safe=",")
    return f"{base}?{query}" if query else base


def theme_links(state: FilterState, lang: str) -> None:
    """Light / screen theme as links: the theme applies when the page loads, so switching reloads it."""
    links = []
    for theme in ("light", "screen"):
        label = html.escape(i18n.t(f"theme_{theme}", lang))
        query = html.escape(urlencode(url_query(dataclasses.replace(state, theme=theme)), safe=","))
        weight = "700" if theme == (state.theme or VIEW_THEME) else "400"
        links.append(f'<a href="?{query}" target="_self" style="font-weight:{weight}">{label}</a>')
    st.markdown(i18n.t("sidebar_theme", lang, links=" · ".join(links)), unsafe_allow_html=True)


def filter_bar(state: FilterState, lang: str, counts: dict) -> None:
    """Above every page: what is shown, and the place filters as removable chips."""
    line = i18n.describe_filters(state, lang, lambda code: place_name(code, lang))
    st.container(key="filter-summary").caption(f"{line} — {i18n.t('summary_counts', lang, **counts)}")
    codes = (*state.provinces, *state.cities)
    if codes:
        with st.container(horizontal=True):
            for code in codes:
                st.button(f"✕ {place_name(code, lang)}", key=f"chip_{code}", on_click=remove_place, args=(code,),
                          help=i18n.t("chip_remove", lang, name=place_name(code, lang)))


VIEW_THEME = "screen" if st.context.theme.type == "dark" else "light"
places = cache.places()
store = cache.get_store()
cases = store.cases()
state, notices, resync = read_filter_state(
    set(places.loc[places["level"] == "province", "adcode"]),
    set(places.loc[places["level"] == "city", "adcode"]),
)
if state.case not in cases:
    notices = notices + (Notice("case", state.case, "unknown_case"),)
    state = dataclasses.replace(state, case="demo")
if resync or "f_case" not in st.session_state:
    push_to_widgets(state)
lang = i18n.choose_lang(state.lang, st.context.locale)
version = store.data_version(state.case)
data = cache.load_case(state.case, version)

new_state = sidebar(state, lang, cases, metrics.data_as_of(data.suspects, data.payments), version)
if new_state.case != state.case or new_state.lang != state.lang:
    st.session_state["pending_filters"] = new_state
    st.rerun()
if new_state != state:  # the notices were about the link; the person has moved on
    notices = st.session_state["notices"] = ()
state = new_state
write_filter_state(state)

theme = state.theme or VIEW_THEME
filtered = apply(state, data.suspects, data.payments)
st.session_state["view"] = View(
    lang=lang,
    theme=theme,
    state=state,
    cases=tuple(cases),
    suspects=data.suspects,
    payments=data.payments,
    milestones=data.milestones,
    filtered=filtered,
    places=places,
    data_version=version,
    notices=tuple(notices),
)

PAGES = ("overview", "map", "timeline", "flows", "network", "suspects", "data")
page = st.navigation(
    [
        st.Page(ROOT / "pages" / f"{name}.py", title=i18n.t(f"nav_{name}", lang), url_path=name, default=name == "overview")
        for name in PAGES
    ]
)
if state.case == "demo":
    st.info(i18n.t("illustrative", lang))
if notices:  # one box, a line per ignored parameter
    st.warning("\n".join(
        "- " + i18n.t("param_ignored", lang, param=n.param, value=n.value, reason=i18n.t(f"reason_{n.reason}", lang))
        for n in notices
    ))
filter_bar(state, lang, {"suspects": len(filtered.suspects), "payments": len(filtered.payments)})
with st.sidebar.expander(i18n.t("copy_link", lang), expanded=True):
    st.caption(i18n.t("copy_link_help", lang))
    st.code(link_to_view(state, lang, theme), language=None, wrap_lines=True)
try:
    page.run()
finally:
    # A page that ever runs without this script first (see cache.current_view) must not find a stale view.
    st.session_state.pop("view", None)
if os.environ.get("CASEMAP_TIMING"):  # read by bench/filter_interaction.py
    print(f"casemap-rerun-ms {(time.perf_counter() - RUN_STARTED) * 1000:.1f}", file=sys.stderr, flush=True)

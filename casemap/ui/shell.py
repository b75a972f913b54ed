"""The shell around every page: URL <-> filter widgets <-> filter state, the sidebar and the filter bar.

One way in, one way out:

- the filter state is read from the URL when the URL says something new (a
  shared link, the first run, back/forward) and otherwise remembered for
  the session (a page switch drops the query string);
- every change — a sidebar widget, a chart click, a chip, reset, the case or
  the language — goes through :func:`apply_filters`, a callback that
  remembers the new state, sets the widgets to it and writes the URL.

The page then gets a :class:`~casemap.view.View` built from that state.

A page's own settings (:mod:`casemap.page_settings`) sit in the URL beside
the filters, apart from them: when the URL says something new for the page
(a link, a page switch, back/forward) they set the page's widgets; otherwise
the widgets are the truth and the URL follows them.
"""

from __future__ import annotations

import dataclasses
import html
from typing import NamedTuple
from urllib.parse import urlencode

import pandas as pd
import streamlit as st

from casemap import charts, filters, i18n, page_settings, style, vocab
from casemap.exporter import markdown_escape
from casemap.filters import FilterState, Notice
from casemap.access import LOCAL, Access
from casemap.query import CaseQuery
from casemap.ui import cache, layout
from casemap.view import View

__all__ = ["prepare_view", "apply_filters", "frame", "EMBED_THEME"]

STATE_KEY = "filter_state"  # the session's current filter state
NOTICES_KEY = "filter_notices"  # what the link that set it got wrong
SETTINGS_KEY = "page_settings"  # the page settings the URL last carried (a _SettingsShown)
FILTER_WIDGETS = {
    "f_from": "date_from",
    "f_to": "date_to",
    "f_provinces": "provinces",
    "f_cities": "cities",
    "f_roles": "roles",
    "f_statuses": "statuses",
    "f_channels": "channels",
    "f_purposes": "purposes",
    "f_min": "min_amount",
    "f_max": "max_amount",
    "f_pmin": "min_payment",
    "f_pmax": "max_payment",
}
# Pages about the case's files, the stored cases, users and audit log: no filter line, always drawn.
UNFILTERED_PAGES = ("data", "users", "audit", "cases")
# A link can carry thousands of bad values: the notice names the first few and counts the rest.
NOTICES_SHOWN = 5
NOTICE_VALUE_LIMIT = 60  # characters of a bad value quoted back
# Streamlit's front end reads `embed_options` when a page loads and then
# forces that theme: how a `theme` in a shared link takes effect.
EMBED_THEME = {"light": "light_theme", "screen": "dark_theme"}


def _push_to_widgets(state: FilterState) -> None:
    for key, name in FILTER_WIDGETS.items():
        value = getattr(state, name)
        st.session_state[key] = list(value) if isinstance(value, tuple) else value
    st.session_state["f_case"] = state.case
    if state.lang:
        st.session_state["f_lang"] = state.lang
    else:  # the browser's language decides; the sidebar sets the radio to it
        st.session_state.pop("f_lang", None)


def apply_filters(state: FilterState) -> None:
    """Make ``state`` the session's filter state: remember it, set the widgets, write the URL.

    Meant as a widget or chart callback; the rerun that follows renders it.
    """
    previous = st.session_state.get(STATE_KEY)
    st.session_state[STATE_KEY] = state
    if previous is not None and previous != state:
        st.session_state[NOTICES_KEY] = ()  # the notices were about the link; the person has moved on
    _push_to_widgets(state)
    _write_url(state.to_query(), _settings_part(url_params()))


def _filter_part(params: dict) -> dict:
    return {key: value for key, value in params.items() if key not in page_settings.PARAMS}


def _settings_part(params: dict) -> dict:
    return {key: value for key, value in params.items() if key in page_settings.PARAMS}


def _write_url(filter_query: dict[str, str], settings_query: dict) -> None:
    """Write the URL: the filters, then the page's settings."""
    st.query_params.from_dict({**filter_query, **settings_query})


def on_chart_click(view: View, key: str, figure) -> None:
    """The callback of every clickable chart: the clicked point's target filters (:func:`casemap.filters.apply_click`).

    A province drills down to its cities, a city, channel, purpose or period
    narrows the filters to itself, and clicking it again clears it.
    """
    targets = charts.clicked_codes(figure, st.session_state[key].selection.points)
    if targets:
        apply_filters(filters.apply_click(view.state, targets[0]))


def on_row_click(view: View, key: str, targets) -> None:
    """The callback of every clickable table: the chosen row's target (``targets[row]``) filters like a chart click."""
    rows = st.session_state[key].selection.rows
    if rows and 0 <= rows[0] < len(targets):
        apply_filters(filters.apply_click(view.state, targets[rows[0]]))


def _known_places(places: pd.DataFrame) -> tuple[set[str], set[str]]:
    return (set(places.loc[places["level"] == "province", "adcode"]),
            set(places.loc[places["level"] == "city", "adcode"]))


def url_params() -> dict[str, str | list[str]]:
    """The page's query params, a repeated key as the list of its values (``st.query_params`` keeps the last)."""
    params: dict[str, str | list[str]] = {}
    for key in st.query_params:
        values = st.query_params.get_all(key)
        params[key] = values[0] if len(values) == 1 else list(values)
    return params


def _current_state(places: pd.DataFrame, cases: list[str]) -> tuple[FilterState, tuple[Notice, ...]]:
    params = _filter_part(url_params())  # a page setting is no filter: changing one keeps the filter state
    remembered = st.session_state.get(STATE_KEY)
    if remembered is None or (params and params != remembered.to_query()):
        state, notices = FilterState.from_query(params, *_known_places(places))
        if state.case not in cases:
            notices.append(Notice("case", state.case, "unknown_case"))
            state = dataclasses.replace(state, case="demo")
        st.session_state[STATE_KEY] = state
        st.session_state[NOTICES_KEY] = tuple(dict.fromkeys(notices))  # a value repeated is told once
        _push_to_widgets(state)
    state = st.session_state[STATE_KEY]
    if state.case not in cases:  # deleted since this session chose it: back to the demo case, saying so
        notice = Notice("case", state.case, "unknown_case")
        state = FilterState(case="demo", lang=state.lang, theme=state.theme)
        st.session_state[STATE_KEY] = state
        st.session_state[NOTICES_KEY] = (notice,)
        _push_to_widgets(state)
    if _filter_part(url_params()) != state.to_query():
        _write_url(state.to_query(), _settings_part(url_params()))
    return state, st.session_state.get(NOTICES_KEY, ())


class _SettingsShown(NamedTuple):
    """The page whose settings the URL carried on the last rerun, those params, and what the link got wrong."""

    page: str
    query: dict[str, str]
    notices: tuple[Notice, ...]


def _page_settings(page: str, data: CaseQuery) -> tuple[dict[str, str], tuple[Notice, ...]]:
    """The URL params of ``page``'s settings, after syncing them with its widgets, and what a link got wrong.

    When the URL says something new for the page — a link, the first run,
    a page switch, back/forward — it sets the widgets (its defaults for what
    it leaves out); otherwise the widgets moved, and the URL follows them.
    """
    params = url_params()
    in_url = {key: value for key, value in params.items() if key in page_settings.params_of(page)}
    remembered = st.session_state.get(SETTINGS_KEY)
    if remembered is None or (remembered.page, remembered.query) != (page, in_url):
        values, notices = page_settings.read(page, params, data)
        st.session_state.update(values)
        query, notices = page_settings.to_query(page, values), tuple(dict.fromkeys(notices))
    else:
        query = page_settings.to_query(page, st.session_state)
        # the notices were about the link; once the person moves a setting they go
        notices = remembered.notices if query == remembered.query else ()
    st.session_state[SETTINGS_KEY] = _SettingsShown(page, query, notices)
    if _settings_part(params) != query:
        _write_url(_filter_part(params), query)
    return query, notices


def prepare_view(access: Access = LOCAL) -> View:
    """This rerun's view: the filter state from the URL or the session, and the case's queries as ``access`` sees them."""
    places = cache.places()
    store = cache.get_store()
    cases = store.cases()
    state, notices = _current_state(places, cases)
    lang = i18n.choose_lang(state.lang, st.context.locale)
    theme = style.active_theme(state.theme, st.context.theme.type)
    data = CaseQuery.of(cache.run, state, store.data_version(state.case), access)
    return View(lang=lang, theme=theme, state=state, data=data, places=places, apply_filters=apply_filters,
                cases=tuple(cases), notices=tuple(notices))


# -- the sidebar ----------------------------------------------------------------------------


def _from_widgets() -> None:
    state = st.session_state[STATE_KEY]
    values = {name: st.session_state.get(key) for key, name in FILTER_WIDGETS.items()}
    try:
        apply_filters(dataclasses.replace(state, **values))
    except ValueError:
        pass  # reversed bounds: the sidebar says so and the filters stay as they were


def _case_changed() -> None:
    state = st.session_state[STATE_KEY]
    apply_filters(FilterState(case=st.session_state["f_case"], lang=state.lang, theme=state.theme))


def _lang_changed() -> None:
    apply_filters(dataclasses.replace(st.session_state[STATE_KEY], lang=st.session_state["f_lang"]))


def _reset(state: FilterState) -> None:
    apply_filters(FilterState(case=state.case, lang=state.lang, theme=state.theme))


def _remove_place(state: FilterState, code: str) -> None:
    apply_filters(dataclasses.replace(
        state,
        provinces=tuple(p for p in state.provinces if p != code),
        cities=tuple(c for c in state.cities if c != code),
    ))


def _remove_network(state: FilterState) -> None:
    apply_filters(dataclasses.replace(state, network=None))


def _widgets_problem(lang: str) -> str | None:
    low, high = st.session_state.get("f_from"), st.session_state.get("f_to")
    if low and high and low > high:
        return i18n.t("filter_reversed_dates", lang)
    for low_key, high_key, problem in (("f_min", "f_max", "filter_reversed_amounts"),
                                       ("f_pmin", "f_pmax", "filter_reversed_payments")):
        low, high = st.session_state.get(low_key), st.session_state.get(high_key)
        if low is not None and high is not None and low > high:
            return i18n.t(problem, lang)
    return None


def _filter_widgets(view: View) -> None:
    lang, places = view.lang, view.places
    names = cache.place_names(lang)
    name = lambda code: names.get(code, code)  # noqa: E731
    st.markdown(f"#### {i18n.t('filters', lang)}")
    st.date_input(i18n.t("filter_from", lang), key="f_from", help=i18n.t("filter_dates_help", lang),
                  format="YYYY-MM-DD", on_change=_from_widgets)
    st.date_input(i18n.t("filter_to", lang), key="f_to", format="YYYY-MM-DD", on_change=_from_widgets)
    provinces = sorted(places.loc[places["level"] == "province", "adcode"])
    st.multiselect(i18n.t("filter_provinces", lang), provinces, key="f_provinces", format_func=name,
                   placeholder=i18n.t("filter_any", lang), on_change=_from_widgets)
    chosen = set(st.session_state.get("f_provinces") or provinces) | set(st.session_state.get("f_cities") or ())
    city_rows = places[places["level"] == "city"]
    cities = sorted(city_rows.loc[city_rows["province_adcode"].isin(chosen) | city_rows["adcode"].isin(chosen), "adcode"])
    st.multiselect(i18n.t("filter_cities", lang), cities, key="f_cities", format_func=name,
                   placeholder=i18n.t("filter_any", lang), on_change=_from_widgets)
    for key, label, terms in (
        ("f_roles", "filter_roles", vocab.ROLES),
        ("f_statuses", "filter_statuses", vocab.STATUSES),
        ("f_channels", "filter_channels", vocab.CHANNELS),
    ):
        st.pills(i18n.t(label, lang), vocab.values(terms), selection_mode="multi", key=key, on_change=_from_widgets,
                 format_func=lambda value, terms=terms: vocab.label(terms, value, lang))
    # Free-text purposes from an import are options once chosen (a click on their bar, a link).
    purposes = list(dict.fromkeys((*vocab.values(vocab.PURPOSES), filters.NO_PURPOSE, *view.state.purposes)))
    st.pills(i18n.t("filter_purposes", lang), purposes, selection_mode="multi", key="f_purposes",
             on_change=_from_widgets, format_func=lambda value: i18n.purpose_label(value, lang))
    for low, high, help_key in (("min_amount", "max_amount", "filter_amount_help"),
                                ("min_payment", "max_payment", "filter_payment_help")):
        left, right = st.columns(2)
        for column, name in ((left, low), (right, high)):
            key = next(k for k, field in FILTER_WIDGETS.items() if field == name)
            column.number_input(i18n.t(f"filter_{name}", lang), min_value=0.0, step=1000.0, key=key,
                                format=i18n.AMOUNT_INPUT_FORMAT, help=i18n.t(help_key, lang), on_change=_from_widgets)
    problem = _widgets_problem(lang)
    if problem:
        st.warning(i18n.t("filter_rejected", lang, problem=problem))
    st.button(i18n.t("filter_reset", lang), on_click=_reset, args=(view.state,), width="stretch")


def url_query(state: FilterState, settings: dict[str, str]) -> dict[str, str]:
    """The query string of ``state`` and the page's ``settings``, with the front end's theme switch beside `theme`."""
    query = {**state.to_query(), **settings}
    if state.theme:
        query["embed_options"] = EMBED_THEME[state.theme]
    return query


def link_to_view(state: FilterState, lang: str, theme: str, settings: dict[str, str]) -> str:
    """The shareable URL of the current page, state and page settings, with the language and theme the sharer sees."""
    base = (st.context.url or "").split("?")[0]
    query = urlencode(url_query(dataclasses.replace(state, lang=lang, theme=theme), settings), safe=",")
    return f"{base}?{query}" if query else base


def _theme_links(view: View, settings: dict[str, str]) -> None:
    # The theme applies when a page loads, so switching it is a link that reloads the page.
    links = []
    for theme in ("light", "screen"):
        label = html.escape(i18n.t(f"theme_{theme}", view.lang))
        query = html.escape(urlencode(url_query(dataclasses.replace(view.state, theme=theme), settings), safe=","))
        weight = "700" if theme == view.theme else "400"
        links.append(f'<a href="?{query}" target="_self" style="font-weight:{weight}">{label}</a>')
    st.markdown(i18n.t("sidebar_theme", view.lang, links=" · ".join(links)), unsafe_allow_html=True)


def sidebar(view: View, settings: dict[str, str]) -> None:
    """The shared sidebar: case, language, filters, data-as-of, theme and the link to this view and its ``settings``."""
    lang = view.lang
    if "f_lang" not in st.session_state or st.session_state["f_lang"] is None:
        st.session_state["f_lang"] = lang
    with st.sidebar:
        st.markdown(f"### {i18n.t('app_title', lang)}")
        st.caption(i18n.t("app_tagline", lang))
        st.selectbox(i18n.t("sidebar_case", lang), list(view.cases), key="f_case", on_change=_case_changed,
                     format_func=lambda name: i18n.t("case_demo", lang) if name == "demo" else name)
        st.radio(i18n.t("sidebar_language", lang), list(i18n.LANGS), key="f_lang", horizontal=True,
                 on_change=_lang_changed, format_func=lambda code: {"en": "English", "zh": "简体中文"}[code])
        _filter_widgets(view)
        st.caption(i18n.t("sidebar_as_of", lang, date=i18n.format_date(view.data.data_as_of(), lang)))
        st.caption(i18n.t("sidebar_version", lang, version=view.version))
        _theme_links(view, settings)
        with st.expander(i18n.t("copy_link", lang), expanded=True):
            st.caption(i18n.t("copy_link_help", lang))
            st.code(link_to_view(view.state, lang, view.theme, settings), language=None, wrap_lines=True)


# -- above every page -------------------------------------------------------------------------


def chip_row_shown(state: FilterState) -> bool:
    """Whether the filter line has a row of removable chips below it (places, a network)."""
    return bool(state.provinces or state.cities or state.network is not None)


def _filter_bar(view: View) -> None:
    lang, state = view.lang, view.state
    names = cache.place_names(lang)
    name = lambda code: names.get(code, code)  # noqa: E731
    figures = view.data.headline()
    counts = {"suspects": figures["suspects"], "payments": figures["payments"]}
    # The line is Markdown: a suspect id from the link is escaped.
    described = i18n.describe_filters(state, lang, name, quote=markdown_escape)
    line = f"{described} — {i18n.t('summary_counts', lang, **counts)}"
    # One compact line above the page: the demo's badge (its full note on hover) and what is shown.
    badge = f"{_demo_badge(lang)} " if view.is_demo else ""
    st.container(key="filter-summary").caption(_local_badge(view) + badge + line,
                                               help=i18n.t("illustrative", lang) if badge else None)
    codes = (*state.provinces, *state.cities)
    if chip_row_shown(state):
        with st.container(horizontal=True):
            for code in codes:
                st.button(f"✕ {name(code)}", key=f"chip_{code}", on_click=_remove_place, args=(state, code),
                          help=i18n.t("chip_remove", lang, name=name(code)))
            if state.network is not None:
                label = i18n.t("summary_network", lang, person=markdown_escape(state.network, NOTICE_VALUE_LIMIT))
                st.button(f"✕ {label}", key="chip_network", on_click=_remove_network, args=(state,),
                          help=i18n.t("chip_remove", lang, name=label))


def notice_text(notices: tuple[Notice, ...], lang: str) -> str:
    """The Markdown of the ignored-parameters box: a line per notice, at most :data:`NOTICES_SHOWN` of them.

    Parameters and values come from the link, so they are escaped and cut to
    :data:`NOTICE_VALUE_LIMIT` characters: whatever a link carries shows as
    typed and can never become a link, an image or styled text.
    """
    lines = [
        "- " + i18n.t("param_ignored", lang, param=markdown_escape(n.param, NOTICE_VALUE_LIMIT),
                      value=markdown_escape(n.value, NOTICE_VALUE_LIMIT), reason=i18n.t(f"reason_{n.reason}", lang))
        for n in notices[:NOTICES_SHOWN]
    ]
    if len(notices) > NOTICES_SHOWN:
        lines.append("- " + i18n.t("param_ignored_more", lang, count=f"{len(notices) - NOTICES_SHOWN:,}"))
    return "\n".join(lines)


def frame(view: View, page: str) -> bool:
    """What every page shows around itself: the sidebar, link notices, and one line with the demo badge and filters.

    Returns whether to draw ``page`` itself: not when the filters leave
    nothing to show, where a message names them and offers a reset instead
    of zero cards and bare axes. The Data page is always drawn.
    """
    layout.load_css()
    layout.theme_sync(view.theme, i18n.t("theme_rerun", view.lang))
    settings, setting_notices = _page_settings(page, view.data)
    if page != "brief":  # a slide fills the screen: no sidebar and no filter line
        sidebar(view, settings)
    notices = view.notices + setting_notices
    if notices:  # one box, a line per ignored parameter
        st.warning(notice_text(notices, view.lang))
    problem = cache.reader_problem(view.state.case, view.version)
    if problem:
        st.warning(i18n.t("snapshot_unavailable", view.lang, path=markdown_escape(problem.path, 300),
                          reason=markdown_escape(problem.reason, 200)))
    if page in UNFILTERED_PAGES:  # about the case's files, its users or its log, not the filtered view
        badges = _local_badge(view) + (_demo_badge(view.lang) if view.is_demo else "")
        if badges:
            st.caption(badges, help=i18n.t("illustrative", view.lang) if view.is_demo else None)
        return True
    if page != "brief":
        _filter_bar(view)
    if not _nothing_shown(view):
        return True
    _empty(view, page)
    return False


def _local_badge(view: View) -> str:
    """The "local mode" badge while nobody is signed in (the person at the machine is served), else nothing."""
    return f":orange-badge[{i18n.t('signin_local_badge', view.lang)}] " if view.access.local else ""


def _demo_badge(lang: str) -> str:
    return f":blue-badge[{i18n.t('illustrative_badge', lang)}]"


def _nothing_shown(view: View) -> bool:
    """Whether filters are set and no suspect and no payment passes them."""
    if view.state == FilterState(case=view.state.case, lang=view.state.lang, theme=view.state.theme):
        return False
    figures = view.data.headline()
    return figures["suspects"] == 0 and figures["payments"] == 0


def _empty(view: View, page: str) -> None:
    names = cache.place_names(view.lang)
    filters_set = i18n.filter_phrases(view.state, view.lang, lambda code: names.get(code, code))
    st.title(i18n.t(f"nav_{page}", view.lang))
    with st.container(key="empty-view"):
        st.info(i18n.t("empty_view", view.lang, filters=markdown_escape(filters_set)))
        st.button(i18n.t("filter_reset", view.lang), on_click=_reset, args=(view.state,), key="empty_reset",
                  type="primary")


# -- links to the person view ------------------------------------------------------------------------


def person_href(state: FilterState, person: str) -> str:
    """The relative link to ``person``'s view with the filters of ``state``: ``person?person=S006&...``."""
    return "person?" + urlencode(url_query(state, {"person": person}), safe=",")


def person_link(view: View, person: str, label: str) -> None:
    """A link to ``person``'s view that keeps the filters, opened in this tab."""
    href = html.escape(person_href(view.state, person))
    # Markdown still runs inside the anchor: escape it, with HTML's own characters as entities.
    text = markdown_escape(label, NOTICE_VALUE_LIMIT)
    for escaped, entity in (("\\&", "&amp;"), ("\\<", "&lt;"), ("\\>", "&gt;"), ('\\"', "&quot;")):
        text = text.replace(escaped, entity)
    st.markdown(f'<a href="{href}" target="_self">{text}</a>', unsafe_allow_html=True)


def with_person_links(view: View, table: pd.DataFrame, ids) -> tuple[pd.DataFrame, dict]:
    """``table`` with a first column linking each row's suspect to their person view, and that column's config.

    ``ids`` gives each row's suspect id; a row whose id is None (an overseas account) gets no link.
    """
    header = i18n.t("tbl_person_view", view.lang)
    linked = table.copy()
    linked.insert(0, header, [None if pid is None else person_href(view.state, pid) for pid in ids])
    return linked, {header: st.column_config.LinkColumn(display_text=i18n.t("tbl_person_view_text", view.lang))}

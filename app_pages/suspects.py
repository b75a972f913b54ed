"""Suspects: the suspects shown, searched, sorted and paged in the database; a detail panel; exports on demand."""

from __future__ import annotations

import io
from functools import partial

import streamlit as st

from casemap import exporter, i18n, tables
from casemap.query import CaseQuery
from casemap.query.rows import SORTS, SuspectSearch
from casemap.ui import layout, shell, signin
from casemap.view import View

PAGE_SIZE = 100  # rows sent to the browser at a time
PAGE_KEY = "suspects_page"
SELECTED_KEY = "suspects_selected"  # the id of the suspect whose record shows; the shell keeps it in the URL
SORT_HEADERS = dict(tables.SUSPECT_COLUMNS)  # a sort is named by the header of its column


def _first_page() -> None:
    st.session_state[PAGE_KEY] = 1


def _export(data: CaseQuery, search: SuspectSearch, fmt: str, client: str) -> bytes:
    """The file, built when its button is clicked: the rows come from the database a chunk at a time."""
    if not data.access.can_export:  # the buttons are not offered to viewers; refuse all the same
        signin.record(data.access, "denied", client=client, outcome="export", kind="suspects")
        return b""
    signin.record(data.access, "export", client=client, kind="suspects", format=fmt, case=data.key.case,
                  search=str(search))
    out = io.BytesIO()
    exporter.write_export(out, "suspects", fmt, data.suspect_extra_keys(search), data.suspect_chunks(search))
    return out.getvalue()


def _choose_sort(lang: str) -> tuple[str, bool]:
    sort = st.selectbox(i18n.t("suspects_sort", lang), list(SORTS), key="suspects_sort", on_change=_first_page,
                        format_func=lambda name: tables.header(SORT_HEADERS[name], lang), width=260)
    descending = st.toggle(i18n.t("suspects_descending", lang), key="suspects_descending", on_change=_first_page)
    return sort, descending


def _choose_page(count: int, total: int, lang: str) -> int:
    pages = max(1, -(-count // PAGE_SIZE))
    if st.session_state.get(PAGE_KEY, 1) > pages:  # fewer rows since the last rerun
        st.session_state[PAGE_KEY] = pages
    controls = st.container(horizontal=True, vertical_alignment="bottom")
    page = controls.number_input(i18n.t("suspects_page", lang, pages=f"{pages:,}"), min_value=1, max_value=pages,
                                 step=1, key=PAGE_KEY, width=180)
    first, last = min(count, (page - 1) * PAGE_SIZE + 1), min(count, page * PAGE_SIZE)
    controls.caption(i18n.t("suspects_rows", lang, first=f"{first:,}", last=f"{last:,}", count=f"{count:,}") + " · "
                     + i18n.t("suspects_count", lang, shown=f"{count:,}", total=f"{total:,}"))
    return int(page)


def _select(rows, key: str) -> None:
    chosen = [i for i in st.session_state[key].selection.rows if i < len(rows)]
    st.session_state[SELECTED_KEY] = str(rows["suspect_id"].iloc[chosen[0]]) if chosen else None


def _detail(data: CaseQuery, selected: str | None, view: View) -> None:
    row = data.suspect(selected) if selected else None
    if row is None:
        st.info(i18n.t("suspects_pick_row", view.lang))
        return
    st.subheader(i18n.t("suspects_detail", view.lang))
    shell.person_link(view, row["suspect_id"], i18n.t("person_open", view.lang, name=tables.person_name(row)))
    detail = tables.suspect_detail(row, view.places, view.lang)
    st.dataframe(detail, hide_index=True, height=38 * (len(detail) + 1))


def _exports(data: CaseQuery, search: SuspectSearch, count: int, lang: str) -> None:
    st.subheader(i18n.t("suspects_export", lang))
    st.caption(i18n.t("suspects_export_help", lang, count=f"{count:,}"))
    too_many = count > exporter.XLSX_MAX_ROWS
    buttons = st.container(horizontal=True)
    for fmt in exporter.FORMATS:
        buttons.download_button(
            i18n.t(f"suspects_export_{fmt}", lang), partial(_export, data, search, fmt, signin.address()),
            file_name=f"suspects.{fmt}", mime=exporter.MIME[fmt], key=f"suspects_{fmt}", on_click="ignore",
            disabled=count == 0 or (fmt == "xlsx" and too_many),
        )
    if too_many:
        st.caption(i18n.t("suspects_xlsx_limit", lang, limit=f"{exporter.XLSX_MAX_ROWS:,}"))


def render(view: View) -> None:
    """Draw the suspects page of ``view``."""
    lang, data = view.lang, view.data
    st.title(i18n.t("suspects_title", lang))
    total = data.suspect_count()
    if total == 0:
        st.info(i18n.t("no_data", lang))
        return

    with st.container(horizontal=True, vertical_alignment="bottom"):
        query = st.text_input(i18n.t("suspects_search", lang), key="suspects_query", on_change=_first_page,
                              placeholder=i18n.t("suspects_search_placeholder", lang))
        sort, descending = _choose_sort(lang)
    search = SuspectSearch.parse(query, view.places)
    count = data.suspect_count(search)
    page = _choose_page(count, total, lang)
    rows = data.suspect_page(search, sort, descending, (page - 1) * PAGE_SIZE, PAGE_SIZE)

    selected = st.session_state.get(SELECTED_KEY)
    table_column, detail_column = layout.side_by_side([5, 2], "suspects")
    with table_column:
        # A new page, order or search is a new table, with the chosen suspect's row ticked if it is on it.
        key = f"suspects_table_{abs(hash((data.key, search, sort, descending, page)))}"
        table, links = shell.with_person_links(view, tables.suspects_table(rows, view.places, lang), rows["suspect_id"])
        st.dataframe(
            table, hide_index=True, height=min(620, 38 * (len(rows) + 1)),
            key=key, on_select=partial(_select, rows, key), selection_mode="single-row", placeholder="—",
            selection_default={"selection": {"rows": [i for i, s in enumerate(rows["suspect_id"]) if s == selected]}},
            column_config={
                tables.header("tbl_amount", lang): st.column_config.NumberColumn(format=i18n.AMOUNT_COLUMN_FORMATS[lang]),
                tables.header("tbl_arrest_date", lang): st.column_config.DateColumn(format="YYYY-MM-DD"),
                **links,
            },
        )
    with detail_column:
        _detail(data, selected, view)

    if view.access.can_export:  # a viewer is never offered person rows, even masked
        _exports(data, search, count, lang)

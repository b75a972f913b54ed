"""Suspects: a searchable, sortable table of the filtered suspects, a detail panel, and exports."""

import streamlit as st

from casemap import cache, exporter, i18n, tables

view = cache.current_view()
lang = view.lang
suspects = view.filtered.suspects

st.title(i18n.t("suspects_title", lang))
if suspects.empty:
    st.info(i18n.t("no_data", lang))
    st.stop()

query = st.text_input(i18n.t("suspects_search", lang), key="suspects_query",
                      placeholder=i18n.t("suspects_search_placeholder", lang))
rows = suspects[tables.search_suspects(suspects, query, view.places)].reset_index(drop=True)
st.caption(i18n.t("suspects_count", lang, shown=len(rows), total=len(suspects)))

table_column, detail_column = st.columns([5, 2])
with table_column:
    event = st.dataframe(
        tables.suspects_table(rows, view.places, lang), hide_index=True, key="suspects_table",
        height=min(620, 38 * (len(rows) + 1)),
        on_select="rerun", selection_mode="single-row", placeholder="—",
        column_config={
            tables.header("tbl_amount", lang): st.column_config.NumberColumn(format="localized"),
            tables.header("tbl_arrest_date", lang): st.column_config.DateColumn(format="YYYY-MM-DD"),
        },
    )
with detail_column:
    selected = [i for i in event.selection.rows if i < len(rows)]
    if selected:
        st.subheader(i18n.t("suspects_detail", lang))
        detail = tables.suspect_detail(rows.iloc[selected[0]], view.places, lang)
        st.dataframe(detail, hide_index=True, height=38 * (len(detail) + 1))
    else:
        st.info(i18n.t("suspects_pick_row", lang))

st.subheader(i18n.t("suspects_export", lang))
st.caption(i18n.t("suspects_export_help", lang, count=len(rows)))
buttons = st.container(horizontal=True)
for fmt in exporter.FORMATS:
    buttons.download_button(
        i18n.t(f"suspects_export_{fmt}", lang), exporter.export_bytes(rows, "suspects", fmt),
        file_name=f"suspects.{fmt}", mime=exporter.MIME[fmt], key=f"suspects_{fmt}", on_click="ignore",
    )

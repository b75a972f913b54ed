"""Cases (admins only): the stored cases with their data version and row counts, and deleting one."""

import pandas as pd
import streamlit as st

from casemap.exporter import markdown_escape as esc
from casemap.i18n import format_count, t
from casemap.store import DEMO_CASE, ReadOnlyCaseError, UnknownCaseError
from casemap.ui import cache, signin
from casemap.view import View


def cases_frame(found: list, lang: str) -> pd.DataFrame:
    """The stored cases as a table in ``lang``: name, created, data version, live suspects and payments."""
    return pd.DataFrame({
        t("cases_name", lang): [c.name + (f" ({t('cases_read_only', lang)})" if c.read_only else "") for c in found],
        t("cases_created", lang): [c.created_at for c in found],
        t("cases_version", lang): [c.version for c in found],
        t("cases_suspects", lang): [c.suspects for c in found],
        t("cases_payments", lang): [c.payments for c in found],
    })


def delete_case(view: View, case: str, typed: str) -> None:
    """Delete ``case`` when the admin typed its name; refuse the demo case, a mismatch and anyone not an admin."""
    lang = view.lang
    if not view.access.can_admin:  # the page is not offered to others; refuse all the same
        signin.record(view.access, "denied", outcome="not_admin", page="cases", case=case)
        return
    if case == DEMO_CASE:
        st.error(t("cases_demo_read_only", lang, case=esc(case)))
        return
    if typed.strip() != case:
        st.error(t("cases_mismatch", lang, case=esc(case)))
        return
    try:
        deleted = cache.get_store().delete_case(case, by=signin.who(view.access), address=signin.address())
    except ReadOnlyCaseError:
        st.error(t("cases_demo_read_only", lang, case=esc(case)))
    except UnknownCaseError:
        st.error(t("cases_gone", lang, case=esc(case)))
    else:
        st.success(t("cases_deleted", lang, case=esc(deleted.name), suspects=format_count(deleted.suspects, lang),
                     payments=format_count(deleted.payments, lang)))


def delete_form(view: View, names: list[str]) -> None:
    """Choose a case, type its name, delete it; the demo case is shown but refused."""
    lang = view.lang
    st.subheader(t("cases_delete_heading", lang))
    if names == [DEMO_CASE]:
        st.info(t("cases_only_demo", lang))
        return
    st.caption(t("cases_delete_warning", lang))
    deletable = [n for n in names if n != DEMO_CASE] + [n for n in names if n == DEMO_CASE]  # demo last
    with st.container(horizontal=True, vertical_alignment="bottom"):
        case = st.selectbox(t("cases_choose", lang), deletable, key="cases_choice", width=280,
                            format_func=lambda n: f"{n} ({t('cases_read_only', lang)})" if n == DEMO_CASE else n)
        read_only = case == DEMO_CASE
        typed = st.text_input(t("cases_confirm", lang), key="cases_confirm", width=280, disabled=read_only,
                              placeholder=None if read_only else case)
        clicked = st.button(t("cases_delete", lang), key="cases_delete", type="primary", disabled=read_only)
    if read_only:
        st.info(t("cases_demo_read_only", lang, case=esc(case)))
    elif clicked:
        delete_case(view, case, typed)


def render(view: View) -> None:
    """Draw the cases page."""
    lang = view.lang
    st.title(t("cases_title", lang))
    st.caption(t("cases_intro", lang))
    if not view.access.can_admin:  # the page is not offered to others; refuse all the same
        return
    table = st.container()  # drawn after the form, so that a deletion just made is already gone from it
    delete_form(view, cache.get_store().cases())
    found = cache.get_store().case_summaries()
    with table:
        st.dataframe(cases_frame(found, lang), hide_index=True)

"""Audit log (admins only): who did what, when and from where, newest first, with filters."""

import json
from datetime import datetime, time

import pandas as pd
import streamlit as st

from casemap.i18n import t
from casemap.store import users
from casemap.ui import cache
from casemap.view import View

SHOWN = 1_000  # newest entries sent to the browser; the command line prints them all


def audit_frame(entries: list, lang: str) -> pd.DataFrame:
    """Audit entries as a table in ``lang``; the detail as compact JSON."""
    return pd.DataFrame({
        t("audit_at", lang): [e.at for e in entries],
        t("audit_user", lang): [e.identity for e in entries],
        t("audit_address", lang): [e.address for e in entries],
        t("audit_action", lang): [e.action for e in entries],
        t("audit_detail", lang): [json.dumps(e.detail, ensure_ascii=False, sort_keys=True) for e in entries],
    })


def render(view: View) -> None:
    """Draw the audit log page."""
    lang = view.lang
    st.title(t("audit_title", lang))
    st.caption(t("audit_intro", lang))
    if not view.access.can_admin:  # the page is not offered to others; refuse all the same
        return
    engine = cache.get_store().engine
    with st.container(horizontal=True, vertical_alignment="bottom"):
        who = st.text_input(t("audit_user", lang), key="audit_user", width=280).strip()
        action = st.selectbox(t("audit_action", lang), [None, *users.ACTIONS], key="audit_action", width=200,
                              format_func=lambda a: t("audit_any", lang) if a is None else a)
        since = st.date_input(t("audit_since", lang), value=None, key="audit_since", format="YYYY-MM-DD", width=180)
    entries = users.read_audit(engine, identity=who or None, action=action,
                               since=datetime.combine(since, time()) if since else None, limit=SHOWN)
    if not entries:
        st.info(t("audit_none", lang))
        return
    st.dataframe(audit_frame(entries, lang), hide_index=True)
    st.caption(t("audit_shown", lang, shown=f"{len(entries):,}"))

"""Casemap: entry point. Page config, navigation and the frame around every page.

Run with ``streamlit run app.py``. The shell (casemap.ui.shell) reads the
filter state from the URL, and each page is a ``render(view)`` function that
draws what the query layer returns for it.
"""

from __future__ import annotations

import os
import sys
import time
from functools import partial
from pathlib import Path

import streamlit as st

from casemap import i18n
from casemap.access import Access
from casemap.ui import shell, signin
from casemap.view import View
from app_pages import audit, brief, cases, data, flows, network, overview, person, suspects, timeline, users
from app_pages import map as map_page

ROOT = Path(__file__).resolve().parent
ICON = ROOT / "data" / "icon.png"
PAGES = {
    "overview": overview,
    "map": map_page,
    "timeline": timeline,
    "flows": flows,
    "network": network,
    "suspects": suspects,
    "person": person,
    "data": data,
    "brief": brief,
    "users": users,
    "cases": cases,
    "audit": audit,
}


def offered(name: str, access: Access) -> bool:
    """Whether ``access`` gets page ``name``: the Data page to importers; users, cases and audit to admins."""
    if name == "data":
        return access.can_import
    if name in ("users", "cases", "audit"):
        return access.can_admin
    return True


def navigation(view: View):
    """The pages, titled in the viewer's language; each renders ``view``."""
    return st.navigation([
        st.Page(partial(module.render, view), title=i18n.t(f"nav_{name}", view.lang), url_path=name,
                default=name == "overview")
        for name, module in PAGES.items() if offered(name, view.access)
    ])


def main(started: float) -> None:
    """One rerun: configure the page, build the view, draw the frame and the chosen page."""
    st.set_page_config(
        page_title="Casemap",
        page_icon=str(ICON),  # a local file: an emoji or material icon would be fetched from a CDN
        layout="wide",
        initial_sidebar_state="auto",  # open on a screen, closed on a phone
    )
    access, mode = signin.admit()  # a request that is not served stops here, with a page saying why
    view = shell.prepare_view(access)
    page = navigation(view)
    name = page.url_path or "overview"  # the default page's path is ""
    with st.sidebar:
        signin.identity_box(access, mode, view.lang)
    signin.record_page_view(access, name, view.state.to_query(),
                            not_offered=[other for other in PAGES if not offered(other, access)])
    if shell.frame(view, name):
        page.run()
    if os.environ.get("CASEMAP_TIMING"):  # read by the benches
        print(f"casemap-rerun-ms {(time.perf_counter() - started) * 1000:.1f}", file=sys.stderr, flush=True)


main(time.perf_counter())

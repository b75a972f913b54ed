"""The one streamlit-aware module of the package: loaders behind Streamlit caches.

Everything that does not depend on the filters is prepared once per data
version here; filtering and aggregation run per rerun on the cached frames.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st
from streamlit.runtime.pages_manager import PagesManager

from casemap.charts import place_labels
from casemap.store import CaseData, Store
from geo import layers

@st.cache_resource(show_spinner=False)
def get_store() -> Store:
    """The process-wide store, its schema created and the demo case seeded."""
    store = Store()
    store.ensure()
    return store

@st.cache_data(show_spinner=False, max_entries=16)
def load_case(case: str, version: int) -> CaseData:
    """The case's frames; ``version`` is the cache key that a write changes."""
    return get_store().load(case)

@st.cache_data(show_spinner=False)
def places() -> pd.DataFrame:
    """Provinces and cities with names, pinyin and label points."""
    return layers.load_places().copy()

@st.cache_resource(show_spinner=False)
def place_names(lang: str) -> dict[str, str]:
    """Every province and city code with its display label in ``lang`` (shared, read-only).

    A resource, not data: it is looked up once per widget option, and cached
    data would be copied on every lookup.
    """
    table = places()
    codes = table["adcode"].drop_duplicates().tolist()
    return dict(zip(codes, place_labels(codes, table, lang)))

def current_view():
    """The ``View`` that app.py prepared for this rerun.

    On the very first run of a fresh server, Streamlit may run a page file
    straight from ``pages/`` (its older multipage mode) when the first visitor
    opens a page link. Switching that mode off and rerunning sends the same
    request through app.py, so the visitor stays on the page they asked for.
    """
    view = st.session_state.get("view")
    if view is None:
        # What st.navigation itself does to leave that mode; calling it here
        # would make Streamlit report the page as not found.
        PagesManager.uses_pages_directory = False
        st.rerun()
    return view

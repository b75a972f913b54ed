"""Streamlit caches: the store, the place tables, and query results keyed by (query, case, version, filters, scope).

Queries read a case's snapshot at the data version shown (a DuckDB copy,
:mod:`casemap.store.snapshot`), opened once per process and shared by every
session. Results are small, so ``st.cache_data`` copying them on every hit
costs nothing; a whole case is never cached or copied. A new data version is
a new key, so nothing is served past a write.
"""

from __future__ import annotations

import logging

import pandas as pd
import streamlit as st
from sqlalchemy import Engine

from casemap.charts import place_labels
from casemap.query import Key
from casemap.store import Store
from casemap.store.snapshot import SnapshotError
from geo import layers

log = logging.getLogger(__name__)


@st.cache_resource(show_spinner=False)
def get_store() -> Store:
    """The process-wide store, its schema created and the demo case seeded."""
    store = Store()
    store.ensure()
    return store


@st.cache_resource(show_spinner=False, max_entries=8)
def _reader(case: str, version: int) -> tuple[Engine, SnapshotError | None]:
    store = get_store()
    try:
        return store.snapshots.engine(case, version), None
    except SnapshotError as error:
        log.warning("reading case %r from the store: %s", case, error)
        return store.engine, error


def reader(case: str, version: int) -> Engine:
    """The engine the queries of ``case`` at ``version`` run on: its snapshot, built first if no process has.

    When no snapshot can be written (see ``CASEMAP_SNAPSHOT_DIR``) the
    queries read the store itself: slower on a large case, the same figures.
    """
    return _reader(case, version)[0]


def reader_problem(case: str, version: int) -> SnapshotError | None:
    """Why the queries of ``case`` at ``version`` read the store instead of a snapshot; None when they don't."""
    return _reader(case, version)[1]


@st.cache_data(show_spinner=False, max_entries=2048)
def _result(name: str, key: Key, args: tuple, _function):
    return _function(reader(key.case, key.version), key, *args)


def run(function, key: Key, *args):
    """Run a query function of :mod:`casemap.query` once per (function, key, arguments)."""
    return _result(f"{function.__module__}.{function.__qualname__}", key, args, function)


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

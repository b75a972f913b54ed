"""Accounts rented on the pages: the Overview's card and summary, the Map's metric, under a filter."""

from __future__ import annotations

import pytest
import streamlit as st

from casemap.filters import FilterState
from casemap.store import Store
from tests.apptest import page_test


@pytest.fixture(scope="module")
def database(tmp_path_factory):
    url = f"sqlite:///{tmp_path_factory.mktemp('accounts-pages') / 'casemap.sqlite'}"
    with Store(url) as store:
        store.ensure()
    return url


@pytest.fixture
def app(database, monkeypatch, tmp_path):
    monkeypatch.setenv("CASEMAP_DATABASE_URL", database)
    monkeypatch.setenv("CASEMAP_SNAPSHOT_DIR", str(tmp_path / "snap"))
    st.cache_data.clear()
    st.cache_resource.clear()

    def run(page, **params):
        at = page_test(page)
        for key, value in params.items():
            at.query_params[key] = value
        return at.run()

    return run


def expected(database, **filters) -> dict:
    from casemap.query import CaseQuery, direct_runner

    with Store(database) as store:
        version = store.data_version("demo")
        return CaseQuery.of(direct_runner(store.engine), FilterState(case="demo", **filters), version).accounts_rented()


@pytest.mark.parametrize(("lang", "label"), [("en", "Accounts rented"), ("zh", "出租号码账号")])
def test_the_overview_shows_accounts_rented_and_how_many_were_traced(app, database, lang, label):
    figures = expected(database)
    at = app("overview", lang=lang)
    assert not at.exception, at.exception
    cards = {m.label: m.value for m in at.metric}
    assert cards[label] == f"{figures['accounts_rented']:,}"
    assert 0 < figures["traced_overseas"] <= figures["accounts_rented"]
    text = " ".join(m.value for m in at.markdown)
    assert f"**{figures['traced_overseas']}**" in text and f"**{figures['accounts_rented']}**" in text


def test_the_card_follows_the_filters(app, database):
    figures = expected(database, provinces=("440000",))
    at = app("overview", lang="en", province="440000")
    assert {m.label: m.value for m in at.metric}["Accounts rented"] == f"{figures['accounts_rented']:,}"
    assert figures["accounts_rented"] < expected(database)["accounts_rented"]


def test_the_map_shades_by_accounts_rented(app, database):
    at = app("map", lang="en", metric="accounts_rented")
    assert not at.exception, at.exception
    assert at.segmented_control(key="map_metric").value == "accounts_rented"
    ranking = at.dataframe[0].value
    assert ranking.columns[2] == "Accounts rented"
    shown = ranking["Accounts rented"].astype(int).sum()
    assert shown == expected(database)["accounts_rented"]  # every rented account has a place in the demo

"""The link-analysis page under AppTest: each view from the link draws what it should, expansion and the path
stay in the URL, and a node the graph does not have is named and dropped."""

from __future__ import annotations

import pytest
import streamlit as st

from casemap.store import Store
from tests.apptest import page_test


@pytest.fixture(scope="module")
def database(tmp_path_factory):
    url = f"sqlite:///{tmp_path_factory.mktemp('links_page') / 'casemap.sqlite'}"
    with Store(url) as store:
        store.ensure()
    return url


@pytest.fixture
def page(database, monkeypatch):
    monkeypatch.setenv("CASEMAP_DATABASE_URL", database)
    st.cache_data.clear()
    st.cache_resource.clear()

    def run(**params):
        at = page_test("network")
        for key, value in params.items():
            at.query_params[key] = value
        return at.run()

    return run


def chart_keys(at) -> set[str]:
    return {chart.key for chart in at.get("plotly_chart")}


@pytest.mark.parametrize(("view", "chart"), [
    ("communities", "network_communities_chart"), ("shared", "network_shared_chart"), ("leads", "network_leads_chart"),
])
def test_each_view_from_the_link_draws_its_chart_and_table(page, view, chart):
    at = page(lang="zh", view=view)
    assert not at.exception, at.exception
    assert at.segmented_control(key="network_view").value == view
    assert chart in chart_keys(at) and at.dataframe
    assert at.query_params["view"] == view


def test_the_path_view_explains_the_path_from_zhou_to_xia(page):
    at = page(lang="en", view="path", path_from="S001", path_to="S006")
    assert not at.exception, at.exception
    text = " ".join(m.value for m in at.markdown).replace("\\", "")
    assert "周某 (S001, Mobile port) reaches 夏某 (S006, Payer)" in text
    assert "1. 周某 (S001, Mobile port) controls phone" in text and "****" in text
    assert "network_path_chart" in chart_keys(at)


def test_choosing_a_node_to_expand_adds_it_to_the_url(page):
    at = page(lang="en", person="S001")
    before = at.selectbox(key="network_expand_pick")
    first = before.options[0]
    at = before.select_index(0).run()
    assert not at.exception, at.exception
    assert at.query_params["person"] == "S001" and at.query_params["expand"]
    assert at.selectbox(key="network_expand_pick").value is None
    assert first not in at.selectbox(key="network_expand_pick").options  # expanded: no more to choose
    at = at.button(key="network_expand_clear").click().run()
    assert "expand" not in at.query_params


def test_a_path_end_the_graph_does_not_have_is_named_and_dropped(page):
    at = page(lang="en", view="path", path_from="NOPE", path_to="S006")
    assert not at.exception, at.exception
    warnings = " ".join(w.value for w in at.warning).replace("\\", "")
    assert "path_from=NOPE" in warnings
    assert at.selectbox(key="network_from").value is None and "path_from" not in at.query_params

"""The link-analysis page for a viewer and a scoped analyst on the demo: every view (links with a person chosen
and expanded, shortest path, communities, shared accounts, leads) names people and accounts by pseudonym only,
and shows nobody and no account of another province."""

from __future__ import annotations

import re

import pytest
import streamlit as st

from casemap import linkgraph
from casemap.access import ANALYST, VIEWER, Access, Scope
from casemap.accounts import mask_number
from casemap.filters import FilterState
from casemap.query import CaseQuery, direct_runner
from tests.apptest import page_test
from tests.test_access_pages import database, demo, page_text  # noqa: F401 (fixtures: the same demo store)

HUNAN = "430000"
SOURCE = {VIEWER: 'Access("v@unit", "viewer")', ANALYST: f'Access("a@unit", "analyst", Scope.of(["{HUNAN}"]))'}
ACCESS = {VIEWER: Access("v@unit", VIEWER), ANALYST: Access("a@unit", ANALYST, Scope.of([HUNAN]))}
REAL_ID = re.compile(r"\b(?:S\d{3}|A\d{4}|OVERSEAS-\d+)\b")


def as_seen(database, role: str):
    """The link graph the page of ``role`` gets (the same process: the same pseudonyms)."""
    store = database[1]
    query = CaseQuery.of(direct_runner(store.engine), FilterState(), store.data_version("demo"), ACCESS[role])
    return query.link_graph()


def settings(database, role: str, view: str) -> dict[str, str]:
    """The URL of ``view``: a person chosen and one neighbour expanded; a path between two people that meet."""
    found = as_seen(database, role)
    graph = found.graph
    people = [n for n in found.ranks.index if graph.nodes[n]["kind"] == "suspect"]
    if view == "graph":
        focus = people[0]
        return {"person": focus, "expand": sorted(graph.neighbors(focus))[0]}
    if view == "path":
        far = next(p for p in reversed(people) if (path := linkgraph.shortest_path(graph, people[0], p))
                   and len(path) > 2)
        return {"path_from": people[0], "path_to": far}
    return {}


@pytest.fixture
def show(database, monkeypatch, tmp_path):
    monkeypatch.setenv("CASEMAP_DATABASE_URL", database[0])
    monkeypatch.setenv("CASEMAP_SNAPSHOT_DIR", str(tmp_path / "snap"))
    st.cache_data.clear()
    st.cache_resource.clear()

    def run(role: str, view: str):
        at = page_test("network", access=SOURCE[role])
        for key, value in {"lang": "en", "view": view, **settings(database, role, view)}.items():
            at.query_params[key] = value
        at.run()
        assert not at.exception, at.exception
        assert not at.warning  # every node the URL names is one the page has
        return at

    return run


VIEWS = ("graph", "path", "communities", "shared", "leads")


@pytest.mark.parametrize("view", VIEWS)
def test_a_viewer_sees_no_name_id_or_number_in_any_view(show, demo, view):
    at = show(VIEWER, view)
    text = page_text(at)
    assert not sorted(set(REAL_ID.findall(text)))
    names = {n for n in demo.suspects["name"].dropna() if len(n) >= 2}
    assert not sorted(n for n in names if n in text)
    numbers = {*demo.accounts["number"], *(mask_number(k, n) for k, n in zip(demo.accounts["kind"],
                                                                             demo.accounts["number"]))}
    assert not sorted(n for n in numbers if n in text) and "****" not in text
    if view == "path":
        assert any(" reaches " in m.value for m in at.markdown)  # the path was found and told
    if view == "graph":
        assert at.query_params["expand"]  # the expansion held
        assert any("*" in row for row in at.dataframe[0].value.iloc[:, 1].astype(str))  # the person's name masked


@pytest.mark.parametrize("view", VIEWS)
def test_an_analyst_in_hunan_sees_no_person_or_account_of_another_province(show, demo, view):
    at = show(ANALYST, view)
    text = page_text(at)
    suspects = demo.suspects.set_index("suspect_id")
    outside = set(suspects.index[suspects["province_adcode"] != HUNAN])
    held_outside = set(demo.accounts.loc[demo.accounts["holder_id"].isin(outside), "account_id"])
    placed_outside = set(demo.accounts.loc[demo.accounts["province_adcode"].notna()
                                           & (demo.accounts["province_adcode"] != HUNAN)
                                           & ~demo.accounts["holder_id"].isin(suspects.index[
                                               suspects["province_adcode"] == HUNAN]), "account_id"])
    shown = set(REAL_ID.findall(text))
    assert shown or (view == "leads" and at.dataframe)  # an analyst sees ids (the leads: names)
    assert not sorted(shown & (outside | held_outside | placed_outside))

"""Every page as a scoped user: no figure from outside the scope, and for a viewer no id and no name.

The expected figures come from the pandas reference (tests/reference.py) on
the scope's subset of the demo case, not from the query layer under test.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import streamlit as st
from google.protobuf.text_format import MessageToString

from casemap import cli
from casemap.access import ANALYST, VIEWER, Access, Scope, pseudonym
from casemap.filters import FilterState
from casemap.store import Store, users
from tests import reference
from tests.apptest import page_test

ROOT = Path(__file__).resolve().parent.parent
PAGES = sorted(p.stem for p in (ROOT / "app_pages").glob("*.py") if p.stem != "data")  # Data: part of sign-in's roles
HUNAN = "430000"
ACCESS = {role: f'Access("{role}@unit", "{role}", Scope.of(["{HUNAN}"]))' for role in (VIEWER, ANALYST)}
SUSPECT_ID = re.compile(r"\bS\d{3}\b")


@pytest.fixture(scope="module")
def database(tmp_path_factory):
    url = f"sqlite:///{tmp_path_factory.mktemp('access') / 'casemap.sqlite'}"
    store = Store(url)
    store.ensure()
    return url, store


@pytest.fixture(scope="module")
def demo(database):
    return database[1].load("demo")


@pytest.fixture
def show(database, monkeypatch, tmp_path):
    monkeypatch.setenv("CASEMAP_DATABASE_URL", database[0])
    monkeypatch.setenv("CASEMAP_SNAPSHOT_DIR", str(tmp_path / "snap"))
    st.cache_data.clear()
    st.cache_resource.clear()

    def run(page: str, role: str, **params):
        at = page_test(page, access=ACCESS[role])
        for key, value in {"lang": "en", **params}.items():
            at.query_params[key] = value
        at.run()
        assert not at.exception, at.exception
        return at

    return run


def page_text(at) -> str:
    """Everything the page sent: element texts, table cells and chart specs, unescaped."""
    out: list[str] = []

    def walk(node):
        for child in (getattr(node, "children", None) or {}).values():
            walk(child)
        proto = getattr(node, "proto", None)
        if proto is None:
            return
        kind = getattr(node, "type", "")
        if kind in ("dataframe", "arrow_data_frame"):
            out.append(node.value.to_string())
        elif kind == "plotly_chart":
            out.append(json.dumps(json.loads(proto.spec), ensure_ascii=False))
        else:
            out.append(MessageToString(proto, as_utf8=True))

    walk(at.main)
    walk(at.sidebar)
    return "\n".join(out)


def in_hunan(demo):
    return reference.apply_in_scope(FilterState(), {HUNAN}, demo.suspects, demo.payments)


def hunan_person(demo) -> str:
    """The Hunan suspect with the most payments, so their view has something on it."""
    shown = in_hunan(demo)
    ids = set(shown.suspects["suspect_id"])
    parties = shown.payments["payer_id"].where(shown.payments["payer_id"].isin(ids), shown.payments["payee_id"])
    return parties.value_counts().index[0]


@pytest.mark.parametrize("page", PAGES)
def test_a_viewer_sees_no_id_and_no_name(show, demo, page):
    params = {"person": pseudonym("demo", hunan_person(demo))} if page == "person" else {}
    text = page_text(show(page, VIEWER, **params))
    assert not SUSPECT_ID.findall(text)
    names = {n for n in demo.suspects["name"].dropna() if len(n) >= 2}
    assert not sorted(n for n in names if n in text)
    if page == "person":
        person = demo.suspects.set_index("suspect_id").loc[hunan_person(demo), "name"]
        assert f"{person[0]}*" in text  # the person is shown, masked


@pytest.mark.parametrize("page", PAGES)
def test_an_analyst_in_hunan_sees_nobody_outside_it(show, demo, page):
    params = {"person": hunan_person(demo)} if page == "person" else {}
    text = page_text(show(page, ANALYST, **params))
    outside = set(demo.suspects.loc[demo.suspects["province_adcode"] != HUNAN, "suspect_id"])
    assert not sorted(set(SUSPECT_ID.findall(text)) & outside)


@pytest.mark.parametrize("role", [VIEWER, ANALYST])
def test_the_overview_shows_the_scopes_figures(show, demo, role):
    expected = reference.headline(in_hunan(demo).suspects, in_hunan(demo).payments)
    shown = {m.label: m.value for m in show("overview", role).metric}
    assert shown["Suspects"] == f"{expected['suspects']:,}"
    assert shown["Arrested"] == f"{expected['arrested']:,}"
    assert shown["Provinces"] == "1" and expected["provinces"] == 1
    assert shown["Cities"] == f"{expected['cities']:,}"
    assert shown["Payments traced"] == f"{expected['payments']:,}"


def test_a_viewer_cannot_open_a_person_by_id(show, demo):
    person = hunan_person(demo)
    at = show("person", VIEWER, person=person)  # a viewer names people by pseudonym only
    assert at.warning and person in at.warning[0].value  # "no suspect S006 you may see": what the link said
    name = demo.suspects.set_index("suspect_id").loc[person, "name"]
    assert name not in page_text(at) and not at.get("metric")  # no view of them, masked or not


def test_a_viewer_is_offered_no_export_of_rows(show):
    assert not show("suspects", VIEWER).get("download_button")
    assert show("suspects", ANALYST).get("download_button")


def test_the_command_lines_summary_agrees_with_the_scope(database, demo, monkeypatch, capsys):
    url, store = database
    monkeypatch.setenv("CASEMAP_DATABASE_URL", url)
    users.add_user(store.engine, "hunan@unit", ANALYST, [HUNAN], by=None, address=None)
    expected = reference.headline(in_hunan(demo).suspects, in_hunan(demo).payments)
    assert cli.main(["summary", "--as", "hunan@unit", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == expected
    assert cli.main(["summary", "--json"]) == 0  # without --as: the whole case
    assert json.loads(capsys.readouterr().out) == reference.headline(demo.suspects, demo.payments)
    assert cli.main(["summary", "--as", "nobody@unit"]) == 2
    assert "no user 'nobody@unit'" in capsys.readouterr().err
    for role in (VIEWER, ANALYST):  # a viewer's figures are the same: masking hides people, not totals
        got = cli.summary_figures(store, FilterState(), Access("someone", role, Scope.of([HUNAN])))
        assert got == expected

"""The briefing for each role: freezing and deleting snapshots are an analyst's writes, refused to a viewer in the
menu and in code, and audited; the pack and the chart PNG downloads are audited; a viewer's slides name nobody."""

from __future__ import annotations

import re
from types import SimpleNamespace

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from casemap import briefing
from casemap.access import ANALYST, VIEWER, Access, Scope
from casemap.filters import FilterState
from casemap.query import CaseQuery, direct_runner
from casemap.store import Store, users
from tests.apptest import page_test
from tests.test_access_pages import page_text

HUNAN = "430000"
SOURCE = {role: f'Access("{role}@unit", "{role}", Scope.of(["{HUNAN}"]))' for role in (VIEWER, ANALYST)}
SUSPECT_ID = re.compile(r"\bS\d{3}\b")

# The two writes called as the menu calls them, by whoever the page is shown to.
WRITES = """
from casemap.access import Access, Scope
from casemap.ui import frozen, shell

view = shell.prepare_view({access})
frozen.freeze(view, "by script")
frozen.delete(view, {snapshot})
"""


@pytest.fixture(scope="module")
def database(tmp_path_factory):
    url = f"sqlite:///{tmp_path_factory.mktemp('brief_roles') / 'casemap.sqlite'}"
    store = Store(url)
    store.ensure()
    return url, store


@pytest.fixture
def env(database, monkeypatch, tmp_path):
    monkeypatch.setenv("CASEMAP_DATABASE_URL", database[0])
    monkeypatch.setenv("CASEMAP_SNAPSHOT_DIR", str(tmp_path / "snap"))
    st.cache_data.clear()
    st.cache_resource.clear()
    return database[1]


def brief(role: str, **params) -> AppTest:
    at = page_test("brief", access=SOURCE[role])
    for key, value in {"lang": "en", **params}.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, at.exception
    return at


def audit(store: Store, user: str, action: str) -> list[dict]:
    return [entry.detail for entry in users.read_audit(store.engine, identity=user, action=action)]


def buttons(at) -> set[str]:
    return {b.label for b in at.button}


def test_a_viewer_is_offered_no_freeze_and_no_delete(env):
    made = env.freeze("demo", "for viewers", {"case": "demo"})
    try:
        viewer = brief(VIEWER)
        assert "Freeze for briefing" not in buttons(viewer) and not at_keys(viewer, "frozen_delete_")
        assert f"Snapshot {made.id}" in page_text(viewer) or "for viewers" in page_text(viewer)  # listed, to open
        analyst = brief(ANALYST)
        assert "Freeze for briefing" in buttons(analyst) and at_keys(analyst, "frozen_delete_")
    finally:
        env.delete_frozen(made.id)


def at_keys(at, prefix: str) -> list[str]:
    return [b.key for b in at.button if (b.key or "").startswith(prefix)]


def test_a_viewers_freeze_and_delete_are_refused_in_code_and_audited(env):
    made = env.freeze("demo", "kept", {"case": "demo"})
    try:
        at = AppTest.from_string(WRITES.format(access=SOURCE[VIEWER], snapshot=made.id), default_timeout=60)
        at.query_params["lang"] = "en"
        at.run()
        assert not at.exception, at.exception
        assert at.error and "nothing was stored" in at.error[0].value
        assert [s.id for s in env.frozen_snapshots("demo")] == [made.id]  # nothing frozen, nothing deleted
        refused = audit(env, "viewer@unit", "denied")
        assert {d["outcome"] for d in refused} >= {"snapshot_freeze", "snapshot_delete"}
        assert not audit(env, "viewer@unit", "snapshot_freeze") and not audit(env, "viewer@unit", "snapshot_delete")
    finally:
        env.delete_frozen(made.id)


def test_an_analysts_freeze_and_delete_are_audited(env):
    at = brief(ANALYST)
    at.text_input[0].set_value("Morning brief")
    next(b for b in at.button if b.label == "Freeze for briefing").click()
    at.run()
    assert not at.exception, at.exception
    made = [s for s in env.frozen_snapshots("demo") if s.name == "Morning brief"]
    assert len(made) == 1
    frozen = audit(env, "analyst@unit", "snapshot_freeze")
    assert frozen[0]["id"] == made[0].id and frozen[0]["name"] == "Morning brief" and frozen[0]["case"] == "demo"
    at.button(key=f"frozen_delete_{made[0].id}").click()
    at.run()
    assert not at.exception, at.exception
    assert not [s for s in env.frozen_snapshots("demo") if s.id == made[0].id]
    assert audit(env, "analyst@unit", "snapshot_delete")[0]["id"] == made[0].id


def test_the_pack_and_a_chart_png_are_audited_as_exports(env, monkeypatch):
    from casemap.ui import chart_png, frozen

    view = SimpleNamespace(access=Access("viewer@unit", VIEWER), state=FilterState(case="demo"), version=3,
                           lang="en", theme="light")
    pack = SimpleNamespace(pdf=b"%PDF", pptx=b"PK")
    assert frozen.pack_file(view, pack, "pdf", "10.0.0.1") == b"%PDF"
    assert frozen.pack_file(view, pack, "pptx", "10.0.0.1") == b"PK"
    handed: dict = {}
    monkeypatch.setattr(chart_png.st, "download_button", lambda label, data, **kwargs: handed.setdefault("data", data))
    monkeypatch.setattr(chart_png, "chart_png", lambda fig, theme: b"\x89PNG")
    chart_png.png_download(None, "png_x", view, "briefing-network")
    assert {d["kind"] for d in audit(env, "viewer@unit", "export")} == {"briefing_pack"}  # no PNG drawn yet
    assert handed["data"]() == b"\x89PNG"  # drawn (and audited) only when the button is clicked
    exports = audit(env, "viewer@unit", "export")
    assert {(d["kind"], d.get("format")) for d in exports} == {("briefing_pack", "pdf"), ("briefing_pack", "pptx"),
                                                               ("chart_png", None)}
    assert all(d["case"] == "demo" and d["version"] == 3 for d in exports)
    assert {e.address for e in users.read_audit(env.engine, identity="viewer@unit", action="export")
            if e.detail["kind"] == "briefing_pack"} == {"10.0.0.1"}


def test_a_viewers_key_persons_slide_and_pack_name_nobody(env):
    demo = env.load("demo")
    names = {n for n in demo.suspects["name"].dropna() if len(n) >= 2}
    text = page_text(brief(VIEWER, slide=str(briefing.SLIDE_KEYS.index("network") + 1)))
    assert "Key" in text or "key" in text
    assert not SUSPECT_ID.findall(text) and not sorted(n for n in names if n in text)
    # The pack is drawn from the slides of the viewer's queries: the same masking.
    viewer = CaseQuery.of(direct_runner(env.engine), FilterState(), env.data_version("demo"),
                          Access("v", VIEWER, Scope.of([HUNAN])))
    slide = briefing.build_slide("network", viewer, _places(), "en", "light")
    told = slide.headline + (slide.table.to_string() if slide.table is not None else "") + slide.figures[0].to_json()
    assert not SUSPECT_ID.findall(told) and not sorted(n for n in names if n in told)
    assert "*" in slide.table.iloc[:, 0].str.cat()  # the key persons are there, masked


def _places():
    from geo import layers

    return layers.load_places()

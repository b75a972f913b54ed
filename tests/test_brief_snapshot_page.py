"""The briefing page with ``?snapshot=ID``: the frozen figures under a banner, or a notice and the live figures."""

from __future__ import annotations

import pandas as pd
import pytest
import streamlit as st

from casemap.schema import validate_suspects
from casemap.store import ImportLog, Store
from tests.apptest import page_test


def suspects(*ids, city="431000"):
    return validate_suspects(pd.DataFrame({
        "suspect_id": list(ids), "role": ["mobile_port"] * len(ids), "status": ["arrested"] * len(ids),
        "province_adcode": [city[:2] + "0000"] * len(ids), "city_adcode": [city] * len(ids),
        "amount_yuan": [1000.0] * len(ids), "extra": ["{}"] * len(ids),
    }))


@pytest.fixture(scope="module")
def case(tmp_path_factory):
    """Case "c": two suspects frozen, then a third imported; the store's url and the snapshot."""
    url = f"sqlite:///{tmp_path_factory.mktemp('brief') / 'store.sqlite'}"
    with Store(url) as store:
        store.commit_import("c", [ImportLog("a.csv", "ab" * 32, "suspects", 2, 2, 0)], suspects=suspects("A", "B"))
        frozen = store.freeze("c", "brief", {"case": "c"})
        store.commit_import("c", [ImportLog("b.csv", "cd" * 32, "suspects", 1, 1, 0)], suspects=suspects("C"))
        counts = {"then": len(store.load("c", version=frozen.data_version).suspects), "now": len(store.load("c").suspects)}
    return url, frozen, counts


@pytest.fixture
def brief(case, monkeypatch, tmp_path):
    url, _, _ = case
    monkeypatch.setenv("CASEMAP_DATABASE_URL", url)
    monkeypatch.setenv("CASEMAP_SNAPSHOT_DIR", str(tmp_path / "snapshots"))
    st.cache_data.clear()
    st.cache_resource.clear()

    def run(**params):
        at = page_test("brief")
        for key, value in {"case": "c", "lang": "en", **params}.items():
            at.query_params[key] = value
        return at.run()

    return run


def shown_html(at) -> str:
    return " ".join(str(element.proto) for element in at.get("html")) + " ".join(m.value for m in at.markdown)


def kpi(count: int) -> str:
    return f'brief-kpi-value">{count}<'


def test_a_snapshot_link_shows_the_frozen_figures_under_its_banner(brief, case):
    _, frozen, counts = case
    assert counts["then"] < counts["now"]
    at = brief(snapshot=str(frozen.id))
    assert not at.exception and not at.warning
    text = shown_html(at)
    assert f"❄ Snapshot “brief” of" in text and f"data version {frozen.data_version}" in text
    assert kpi(counts["then"]) in text and kpi(counts["now"]) not in text


@pytest.mark.parametrize("value, words", [("999", "No snapshot 999"), ("x1", "not a snapshot ID")])
def test_a_bad_or_unknown_snapshot_gets_a_notice_and_the_live_figures(brief, case, value, words):
    _, _, counts = case
    at = brief(snapshot=value)
    assert not at.exception
    assert any(words in w.value for w in at.warning)
    text = shown_html(at)
    assert kpi(counts["now"]) in text and "❄" not in text  # no banner


def test_a_bad_snapshot_id_is_quoted_as_typed_never_as_markdown(brief):
    from casemap.exporter import markdown_escape

    at = brief(snapshot="[a](http://x)")
    notice = " ".join(w.value for w in at.warning)
    assert markdown_escape("[a](http://x)") in notice and "[a](http://x)" not in notice

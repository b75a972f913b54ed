"""Frozen briefing snapshots: stored, listed, deleted, and their figures fixed through later imports.

Every store test runs on SQLite and on PostgreSQL (``store_url``).
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
import sqlalchemy as sa

from casemap.filters import FilterState
from casemap.frozen_view import banner_text, pin, problem_text, snapshot_query
from casemap.query import CaseQuery, direct_runner
from casemap.schema import validate_suspects
from casemap.store import ImportLog, NothingToUndoError, Store, StoreError, UnknownCaseError, parse_snapshot_id
from casemap.store.frozen import FrozenSnapshot, SnapshotNameError
from casemap.store.snapshot import Snapshots

HUNAN, GUANGDONG = "430000", "440000"


@pytest.fixture
def store(store_url):
    with Store(store_url) as s:
        s.ensure()
        yield s


def suspects(*ids, city="431000", amount=1000.0):
    return validate_suspects(pd.DataFrame({
        "suspect_id": list(ids),
        "role": ["mobile_port"] * len(ids),
        "status": ["arrested"] * len(ids),
        "province_adcode": [city[:2] + "0000"] * len(ids),
        "city_adcode": [city] * len(ids),
        "amount_yuan": [amount] * len(ids),
        "extra": ["{}"] * len(ids),
    }))


def log(n):
    return ImportLog("f.csv", "ab" * 32, "suspects", n, n, 0)


def figures(store, folder, state, version):
    """The headline the pages would show for ``state`` at ``version``, read from a DuckDB snapshot file."""
    engine = Snapshots(store.engine, folder).engine(state.case, version)
    try:
        return CaseQuery.of(direct_runner(engine), state, version).headline()
    finally:
        engine.dispose()


def test_a_snapshot_keeps_its_figures_through_later_imports(store, tmp_path):
    store.commit_import("c", [log(2)], suspects=suspects("A", "B"))
    frozen = store.freeze("c", "Morning brief", snapshot_query(FilterState(case="c", provinces=(HUNAN,))))
    store.commit_import("c", [log(3)], suspects=suspects("C", "D", city="440300"))
    store.commit_import("c", [log(1)], suspects=suspects("E"))
    live_version = store.data_version("c")
    live = FilterState(case="c", provinces=(HUNAN,))
    # The live figures moved: E is a third suspect in Hunan (C and D are in Guangdong).
    assert figures(store, tmp_path, live, live_version)["suspects"] == 3
    # Built after the live file, which removed the case's older snapshot files: the old version is rebuilt.
    pinned = pin(str(frozen.id), store.frozen_snapshot, FilterState(case="demo", lang="zh"), live_version,
                 {HUNAN, GUANGDONG}, {"431000", "440300"})
    assert pinned.snapshot == frozen and pinned.version == frozen.data_version < live_version
    assert pinned.state == FilterState(case="c", provinces=(HUNAN,), lang="zh")
    then = figures(store, tmp_path, pinned.state, pinned.version)
    assert (then["suspects"], then["arrested"], then["amount_yuan"]) == (2, 2, 2000.0)
    assert figures(store, tmp_path, pinned.state, pinned.version) == then


def test_snapshots_are_listed_newest_first_and_deleted(store):
    store.save("c", suspects=suspects("A"))
    first = store.freeze("c", "first", {"province": HUNAN})
    second = store.freeze("c", " second ", {}, user="officer")
    store.freeze("demo", "of the demo", {})
    assert [s.id for s in store.frozen_snapshots("c")] == [second.id, first.id]
    assert len(store.frozen_snapshots()) == 3
    assert second.name == "second" and second.user == "officer"
    assert store.frozen_snapshot(first.id) == first
    assert first.query == {"province": HUNAN} and first.data_version == store.data_version("c")
    assert store.delete_frozen(first.id) is True
    assert store.delete_frozen(first.id) is False
    assert store.frozen_snapshot(first.id) is None
    assert [s.id for s in store.frozen_snapshots("c")] == [second.id]
    store.delete_frozen(second.id)
    assert store.freeze("c", "third", {}).id not in (first.id, second.id)  # an old link never shows another


def test_freezing_checks_the_case_the_version_and_the_name(store):
    store.save("c", suspects=suspects("A"))
    with pytest.raises(UnknownCaseError):
        store.freeze("nope", "x", {})
    with pytest.raises(StoreError, match="no data version"):
        store.freeze("c", "x", {}, version=store.data_version("c") + 1)
    for bad, code in (("", "blank"), ("   ", "blank"), ("x" * 101, "too_long"), ("a\nb", "control")):
        with pytest.raises(SnapshotNameError) as refused:
            store.freeze("c", bad, {})
        assert refused.value.code == code
    assert store.frozen_snapshots("c") == []


def test_undo_is_refused_while_a_snapshot_points_past_the_import(store):
    store.commit_import("c", [log(1)], suspects=suspects("A"))
    store.commit_import("c", [log(1)], suspects=suspects("B"))
    frozen = store.freeze("c", "brief", {})
    with pytest.raises(NothingToUndoError) as refused:
        store.undo_last_import("c")
    assert refused.value.reason == "frozen"
    assert store.load("c", version=frozen.data_version).suspects["suspect_id"].tolist() == ["A", "B"]
    store.delete_frozen(frozen.id)
    store.undo_last_import("c")
    assert store.load("c").suspects["suspect_id"].tolist() == ["A"]


def test_deleting_a_case_deletes_its_snapshots(store):
    store.save("c", suspects=suspects("A"))
    store.freeze("c", "brief", {})
    kept = store.freeze("demo", "demo brief", {})
    store.delete_case("c")
    assert store.frozen_snapshots() == [kept]


def test_reseeding_the_demo_keeps_the_rows_a_snapshot_points_at(store):
    frozen = store.freeze("demo", "brief", {})
    before = len(store.load("demo").suspects)
    store.reseed_demo()
    assert store.data_version("demo") > frozen.data_version
    assert len(store.load("demo", version=frozen.data_version).suspects) == before


def test_a_schema_3_database_gets_the_snapshot_table(store_url):
    with Store(store_url) as old:
        old.ensure()
        with old.engine.begin() as conn:
            conn.execute(sa.text("DROP TABLE frozen_snapshots"))
            conn.execute(sa.text("UPDATE schema_version SET version = 3"))
    with Store(store_url) as upgraded:
        upgraded.ensure()
        assert "frozen_snapshots" in sa.inspect(upgraded.engine).get_table_names()
        assert upgraded.freeze("demo", "after the upgrade", {}).id > 0


@pytest.mark.parametrize("text, expected", [
    ("1", 1), (" 42 ", 42), ("0", None), ("-3", None), ("1.5", None), ("abc", None), ("", None),
    ("٣", None), ("99999999999", None), (None, None),
])
def test_snapshot_ids_in_links(text, expected):
    assert parse_snapshot_id(text) == expected


SNAP = FrozenSnapshot(7, "Brief <b>", "c", {"province": HUNAN, "lang": "en", "role": "mobile_port"}, 5,
                      dt.datetime(2024, 8, 3, 9, 30))


@pytest.mark.parametrize("value, problem", [
    (None, None), ("", None), ("x<script>", "frozen_bad_id"), ("8", "frozen_unknown"), ("7", None),
])
def test_pin_shows_a_known_snapshot_and_otherwise_the_live_view(value, problem):
    live = FilterState(case="demo", lang="zh", theme="screen")
    pinned = pin(value, {7: SNAP}.get, live, 9, {HUNAN}, set())
    assert (pinned.problem or (None,))[0] == problem
    if value == "7":
        assert (pinned.version, pinned.state.case, pinned.state.provinces) == (5, "c", (HUNAN,))
        assert (pinned.state.lang, pinned.state.theme, pinned.state.roles) == ("zh", "screen", ("mobile_port",))
    else:
        assert (pinned.state, pinned.version, pinned.snapshot) == (live, 9, None)
        assert (problem_text(pinned, "en") is None) == (problem is None)


def test_pin_drops_a_place_no_longer_known_with_a_notice():
    pinned = pin("7", {7: SNAP}.get, FilterState(), 9, set(), set())
    assert pinned.state.provinces == () and [n.param for n in pinned.notices] == ["province"]


@pytest.mark.parametrize("lang, words", [("en", ("2024-08-03", "data version 5", "Brief <b>")),
                                         ("zh", ("2024年8月3日", "数据版本 5", "Brief <b>"))])
def test_the_banner_names_the_date_and_the_data_version(lang, words):
    text = banner_text(SNAP, lang)
    assert all(word in text for word in words)


def test_a_snapshot_stores_the_filters_without_the_viewers_language_and_theme():
    state = FilterState(case="c", provinces=(HUNAN,), lang="zh", theme="screen")
    assert snapshot_query(state) == {"case": "c", "province": HUNAN}


def test_the_command_line_lists_and_deletes_snapshots(store_url, monkeypatch, capsys):
    import json

    from casemap.cli import main

    monkeypatch.setenv("CASEMAP_DATABASE_URL", store_url)
    with Store(store_url) as s:
        frozen = s.freeze("demo", "晨会", {"province": HUNAN})
    assert main(["snapshot", "list", "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert [(row["id"], row["name"], row["query"]) for row in listed] == [(frozen.id, "晨会", {"province": HUNAN})]
    assert main(["snapshot", "delete", str(frozen.id)]) == 0
    assert main(["snapshot", "delete", str(frozen.id)]) == 2
    assert "no snapshot" in capsys.readouterr().err
    assert main(["snapshot", "list"]) == 0 and capsys.readouterr().out == ""

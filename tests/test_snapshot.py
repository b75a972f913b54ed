"""Snapshots: the DuckDB copies of a case at one data version that the pages' queries read.

That the query layer gives the same figures on a snapshot as on the store is
checked by every ``seeded_store`` test (its ``snapshot`` read path); these
tests check the copies themselves: which rows, which version, where, and
what happens when one cannot be written.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
import sqlalchemy
import streamlit as st

from casemap.filters import FilterState
from casemap.query import CaseQuery, direct_runner
from casemap.store import Store, StoreError
from casemap.store.snapshot import Snapshots, snapshot_folder
from tests import tiny_case
from tests.apptest import page_test

ROOT = Path(__file__).resolve().parent.parent


def _count(engine, table: str, case: str) -> int:
    with engine.connect() as conn:
        return conn.exec_driver_sql(f'SELECT count(*) FROM {table} WHERE "case" = ?', (case,)).scalar_one()


@pytest.fixture
def store(store_url):
    with Store(store_url) as store:
        store.ensure()
        yield store


def test_a_snapshot_holds_the_case_as_it_stood_at_its_version(store, tmp_path, demo_case):
    case = demo_case
    first = store.save("c", suspects=case.suspects, payments=case.payments, milestones=case.milestones)
    fewer = case.payments.iloc[: len(case.payments) // 2]
    second = store.save("c", payments=fewer, mode="replace")
    store.save("other", suspects=case.suspects)  # another case's rows stay out

    snapshots = Snapshots(store.engine, tmp_path)
    before, after = snapshots.engine("c", first), snapshots.engine("c", second)
    # building the newer version removed the older file; an engine already open on it still reads it
    assert not snapshots.path("c", first).exists()
    assert _count(before, "payments", "c") == len(case.payments)
    assert _count(after, "payments", "c") == len(fewer)
    for engine in (before, after):
        assert _count(engine, "suspects", "c") == len(case.suspects)
        assert _count(engine, "milestones", "c") == len(case.milestones)
        assert _count(engine, "suspects", "other") == 0
    # the replaced rows are history in the store, but the snapshot's rows are all live
    with after.connect() as conn:
        assert conn.exec_driver_sql("SELECT count(*) FROM payments WHERE removed_version IS NOT NULL").scalar_one() == 0
    # the figures agree with the same query on the store at the later version
    state = FilterState(case="c")
    on_store = CaseQuery.of(direct_runner(store.engine), state, second).headline()
    assert CaseQuery.of(direct_runner(after), state, second).headline() == on_store
    assert on_store["payments"] == len(fewer)


def test_dates_and_amounts_keep_their_types(store, tmp_path, demo_case):
    case = demo_case
    version = store.save("c", suspects=case.suspects, payments=case.payments, milestones=case.milestones)
    engine = Snapshots(store.engine, tmp_path).engine("c", version)
    with engine.connect() as conn:
        times = pd.read_sql('SELECT txn_id, time, amount_yuan FROM payments ORDER BY txn_id', conn)
    expected = case.payments.sort_values("txn_id").reset_index(drop=True)
    assert list(times["txn_id"]) == list(expected["txn_id"])
    assert list(pd.to_datetime(times["time"])) == list(pd.to_datetime(expected["time"]))
    assert times["amount_yuan"].tolist() == pytest.approx(expected["amount_yuan"].tolist())


def test_a_newer_version_replaces_the_older_file_and_leaves_nothing_half_written(store, tmp_path, tiny_case_data):
    case = tiny_case_data
    first = store.save("c", suspects=case.suspects)
    folder = tmp_path / "snapshots"
    snapshots = Snapshots(store.engine, folder)
    old = snapshots.build("c", first)
    second = store.save("c", payments=case.payments)
    new = snapshots.build("c", second)
    assert new != old and new.exists() and not old.exists()
    assert sorted(p.name for p in folder.iterdir()) == [new.name]  # no partial or journal file left
    other = Snapshots(store.engine, folder).build("other-case-name", first)  # unknown case: empty copy
    assert new.exists() and other.exists()


def test_a_snapshot_is_read_only_and_never_fetches_extensions(store, tmp_path):
    version = store.data_version("demo")
    engine = Snapshots(store.engine, tmp_path).engine("demo", version)
    with engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT current_setting('autoinstall_known_extensions')").scalar_one() is False
        assert conn.exec_driver_sql("SELECT current_setting('autoload_known_extensions')").scalar_one() is False
        with pytest.raises(sqlalchemy.exc.DBAPIError, match="read-only"):
            conn.exec_driver_sql("DELETE FROM payments")


def test_a_damaged_file_is_built_again(store, tmp_path):
    version = store.data_version("demo")
    snapshots = Snapshots(store.engine, tmp_path)
    path = snapshots.path("demo", version)
    path.write_bytes(b"not a database, a file cut short by a full disk")
    engine = snapshots.engine("demo", version)
    assert _count(engine, "suspects", "demo") == 170  # the demo's suspects, read from a fresh copy


def test_a_folder_that_cannot_be_made_is_named_in_the_error(store, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    snapshots = Snapshots(store.engine, blocker / "snapshots")
    with pytest.raises(StoreError, match="CASEMAP_SNAPSHOT_DIR") as caught:
        snapshots.engine("demo", store.data_version("demo"))
    assert str(blocker / "snapshots") in str(caught.value)


def test_the_folder_setting(monkeypatch, tmp_path):
    monkeypatch.setenv("CASEMAP_SNAPSHOT_DIR", str(tmp_path / "here"))
    assert snapshot_folder() == tmp_path / "here"
    monkeypatch.delenv("CASEMAP_SNAPSHOT_DIR")
    assert snapshot_folder() == ROOT / "data" / "snapshots"


def test_the_command_line_import_leaves_the_snapshot_the_pages_read(tmp_path):
    database = f"sqlite:///{tmp_path / 'casemap.sqlite'}"
    folder = tmp_path / "snapshots"
    source = tmp_path / "payments.csv"
    tiny_case.payments().to_csv(source, index=False)
    env = {**os.environ, "CASEMAP_DATABASE_URL": database, "CASEMAP_SNAPSHOT_DIR": str(folder),
           "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-m", "casemap", "import", str(source), "--case", "new", "--json"],
                          check=False, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    with Store(database) as store:
        version = store.data_version("new")
        expected = Snapshots(store.engine, folder).path("new", version)
        assert expected.exists()
        assert _count(Snapshots(store.engine, folder).engine("new", version), "payments", "new") == len(
            tiny_case.payments())


def test_the_app_reads_the_store_and_says_so_when_no_snapshot_can_be_written(tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("CASEMAP_DATABASE_URL", f"sqlite:///{tmp_path / 'casemap.sqlite'}")
    monkeypatch.setenv("CASEMAP_SNAPSHOT_DIR", str(blocker / "snapshots"))
    st.cache_data.clear()
    st.cache_resource.clear()
    try:
        at = page_test("overview")
        at.query_params["lang"] = "en"
        at.run()
        assert not at.exception, at.exception
        warnings = " ".join(w.value for w in at.warning).replace("\\", "")
        assert "read straight from the store" in warnings and "CASEMAP_SNAPSHOT_DIR" in warnings
        assert str(blocker / "snapshots") in warnings  # the folder it could not write
        shown = {m.label: m.value for m in at.metric}  # the public figures of the case
        assert (shown["Arrested"], shown["Provinces"]) == ("62", "18")
        at.query_params["lang"] = "zh"
        at.run()
        warnings = " ".join(w.value for w in at.warning).replace("\\", "")
        assert "数据直接从存储库读取" in warnings and "CASEMAP_SNAPSHOT_DIR" in warnings
    finally:
        st.cache_data.clear()
        st.cache_resource.clear()

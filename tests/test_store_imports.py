"""Imports in the store: each one logged as a version, all rows or none, undo, history, migration."""

from __future__ import annotations

import pandas as pd
import pytest
import sqlalchemy as sa

from casemap import importer
from casemap.store import (
    SCHEMA_VERSION,
    DuplicateKeyError,
    ImportLog,
    NothingToUndoError,
    ReadOnlyCaseError,
    Store,
)
from casemap.schema import validate_suspects


@pytest.fixture
def store(tmp_path):
    with Store(f"sqlite:///{tmp_path / 'casemap.sqlite'}") as s:
        s.ensure()
        yield s


def suspects(*ids, city="431000"):
    return validate_suspects(pd.DataFrame({
        "suspect_id": list(ids),
        "role": ["mobile_port"] * len(ids),
        "status": ["arrested"] * len(ids),
        "province_adcode": [city[:2] + "0000"] * len(ids),
        "city_adcode": [city] * len(ids),
        "extra": ['{"备注": "x"}'] * len(ids),
    }))


def log(n, name="f.csv"):
    return ImportLog(name, "ab" * 32, "suspects", n + 1, n, 1)


def ids(store, case):
    return store.load(case).suspects["suspect_id"].tolist()


def test_commit_logs_the_import_and_bumps_the_version(store):
    version = store.commit_import("c", [log(2)], suspects=suspects("A", "B"), user="analyst")
    assert store.data_version("c") == version
    history = store.import_history("c")
    row = history.iloc[0]
    assert (row["file_name"], row["kind"], row["rows"], row["accepted"], row["rejected"], row["user"]) == (
        "f.csv", "suspects", 3, 2, 1, "analyst",
    )
    assert (row["mode"], bool(row["undone"])) == ("append", False)
    assert row["sha256"] == "ab" * 32


def test_a_clash_stores_nothing_and_logs_nothing(store):
    store.commit_import("c", [log(1)], suspects=suspects("A"))
    version = store.data_version("c")
    with pytest.raises(DuplicateKeyError):
        store.commit_import("c", [log(2)], suspects=suspects("B", "A"))
    assert ids(store, "c") == ["A"]
    assert len(store.import_history("c")) == 1
    assert store.data_version("c") == version


def test_the_demo_case_refuses_imports_and_undo(store):
    with pytest.raises(ReadOnlyCaseError):
        store.commit_import("demo", [log(1)], suspects=suspects("A"))
    with pytest.raises(ReadOnlyCaseError):
        store.undo_last_import("demo")


def test_undo_removes_appended_rows_newest_first(store):
    store.commit_import("c", [log(2)], suspects=suspects("A", "B"))
    store.commit_import("c", [log(1)], suspects=suspects("C"))
    store.undo_last_import("c")
    assert ids(store, "c") == ["A", "B"]
    store.undo_last_import("c")
    assert ids(store, "c") == []
    with pytest.raises(NothingToUndoError) as raised:
        store.undo_last_import("c")
    assert raised.value.reason == "none"
    assert store.import_history("c")["undone"].tolist() == [True, True]


def test_undo_of_a_replace_restores_the_rows_exactly(store):
    store.commit_import("c", [log(2)], suspects=suspects("A", "B"))
    before = store.load("c").suspects
    store.commit_import("c", [log(1)], suspects=suspects("Z", city="440300"), mode="replace")
    assert ids(store, "c") == ["Z"]
    version = store.data_version("c")
    assert store.undo_last_import("c") > version
    pd.testing.assert_frame_equal(store.load("c").suspects, before)


def test_undo_is_refused_after_another_write(store):
    store.commit_import("c", [log(1)], suspects=suspects("A"))
    store.save("c", suspects=suspects("B"))
    with pytest.raises(NothingToUndoError) as raised:
        store.undo_last_import("c")
    assert raised.value.reason == "changed"
    assert ids(store, "c") == ["A", "B"]


def test_undo_undoes_every_list_of_one_commit(store, tmp_path):
    data = "编号,角色,状态,省份,城市\r\nS1,手机口,在逃,湖南,郴州\r\n".encode()
    more = "编号,角色,状态,省份,城市\r\nS2,号商,在逃,广东,深圳\r\n".encode()
    results = [importer.import_file(data, "a.csv"), importer.import_file(more, "b.csv")]
    importer.commit(store, "c", results)
    assert ids(store, "c") == ["S1", "S2"]
    assert sorted(store.import_history("c")["file_name"]) == ["a.csv", "b.csv"]
    store.undo_last_import("c")
    assert ids(store, "c") == []


def test_commit_refuses_an_id_in_two_lists(store):
    data = "编号,角色,状态,省份,城市\r\nS1,手机口,在逃,湖南,郴州\r\n".encode()
    results = [importer.import_file(data, "a.csv"), importer.import_file(data, "b.csv")]
    with pytest.raises(DuplicateKeyError):
        importer.commit(store, "c", results)
    assert "c" not in store.cases()


def test_replace_with_no_accepted_rows_keeps_the_stored_rows(store):
    store.commit_import("c", [log(1)], suspects=suspects("A"))
    all_bad = "编号,角色,状态,省份,城市\r\nS9,老板,在逃,湖南,郴州\r\n".encode()
    importer.commit(store, "c", [importer.import_file(all_bad, "bad.csv")], mode="replace")
    assert ids(store, "c") == ["A"]
    assert store.import_history("c").iloc[0]["rejected"] == 1


def test_deleting_a_case_keeps_the_log_but_not_the_undo(store):
    store.commit_import("c", [log(1)], suspects=suspects("A"))
    store.delete_case("c")
    store.save("c", suspects=suspects("B"))
    with pytest.raises(NothingToUndoError):
        store.undo_last_import("c")
    assert len(store.import_history("c")) == 1


def test_a_version_1_database_is_upgraded(tmp_path):
    url = f"sqlite:///{tmp_path / 'old.sqlite'}"
    Store(url).ensure()
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        conn.execute(sa.text("drop table import_undo"))
        conn.execute(sa.text("update schema_version set version = 1"))
    engine.dispose()
    upgraded = Store(url)
    upgraded.ensure()
    assert "import_undo" in sa.inspect(upgraded.engine).get_table_names()
    upgraded.commit_import("c", [log(1)], suspects=suspects("A"))
    upgraded.undo_last_import("c")
    assert ids(upgraded, "c") == []
    with upgraded.engine.connect() as conn:
        assert conn.execute(sa.text("select version from schema_version")).scalar() == SCHEMA_VERSION == 2

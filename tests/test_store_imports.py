"""Imports in the store: each one logged as a version, all rows or none, undo, history, upgrades.

Every test runs on SQLite and on PostgreSQL (``store_url``).
"""

from __future__ import annotations

import datetime as dt
import json

import pandas as pd
import pytest
import sqlalchemy as sa

from casemap import importer
from casemap.schema import validate_accounts, validate_links, validate_payments, validate_suspects
from casemap.store import (
    SCHEMA_VERSION,
    DuplicateKeyError,
    ImportLog,
    NothingToUndoError,
    ReadOnlyCaseError,
    Store,
    suspects_table,
)


@pytest.fixture
def store(store_url):
    with Store(store_url) as s:
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


def test_undo_of_a_replace_deletes_what_it_added_and_brings_back_what_it_removed(store):
    store.commit_import("c", [log(2)], suspects=suspects("A", "B"))
    replaced = store.commit_import("c", [log(2)], suspects=suspects("B", "Z", city="440300"), mode="replace")
    with store.engine.connect() as conn:
        removed = conn.execute(sa.select(sa.func.count()).where(suspects_table.c.removed_version == replaced)).scalar()
    assert removed == 2
    store.undo_last_import("c")
    with store.engine.connect() as conn:
        rows = conn.execute(sa.select(suspects_table.c.suspect_id, suspects_table.c.removed_version)
                            .where(suspects_table.c.case == "c").order_by(suspects_table.c.suspect_id)).all()
    assert [tuple(r) for r in rows] == [("A", None), ("B", None)]  # the replace's own rows are gone


# -- an import fed chunk by chunk ----------------------------------------------------

def test_chunks_of_one_import_are_one_version(store):
    with store.importing("c", user="analyst") as writer:
        writer.add("suspects", suspects("A", "B"))
        writer.add("suspects", suspects("C"))
        writer.log(log(3))
    assert ids(store, "c") == ["A", "B", "C"]
    assert store.data_version("c") == writer.version
    store.undo_last_import("c")
    assert ids(store, "c") == []


def test_a_replace_fed_in_chunks_keeps_its_own_earlier_chunks(store):
    store.commit_import("c", [log(1)], suspects=suspects("OLD"))
    with store.importing("c", mode="replace") as writer:
        writer.add("suspects", suspects("A"))
        writer.add("suspects", suspects("B"))
        writer.log(log(2))
    assert ids(store, "c") == ["A", "B"]


@pytest.mark.parametrize("failure", ["clash", "error"])
def test_a_failure_in_a_later_chunk_stores_nothing(store, failure):
    store.commit_import("c", [log(1)], suspects=suspects("A"))
    version = store.data_version("c")
    with pytest.raises(DuplicateKeyError if failure == "clash" else RuntimeError):
        with store.importing("c") as writer:
            writer.add("suspects", suspects("B", "C"))
            if failure == "clash":
                writer.add("suspects", suspects("D", "A"))
            raise RuntimeError("the file broke off")
    assert ids(store, "c") == ["A"]
    assert store.data_version("c") == version
    assert len(store.import_history("c")) == 1


def test_importing_is_refused_for_the_demo_and_bad_modes(store):
    with pytest.raises(ReadOnlyCaseError):
        with store.importing("demo"):
            pass
    with pytest.raises(ValueError):
        with store.importing("c", mode="merge"):
            pass
    assert "c" not in store.cases()


# -- databases built by older versions -----------------------------------------------------

def old_tables(version: int) -> sa.MetaData:
    """The table layout Casemap wrote at schema version 1 or 2, written out here independently."""
    meta = sa.MetaData()
    case = lambda: sa.Column("case", sa.String(100), sa.ForeignKey("cases.name"), primary_key=True)
    sa.Table("schema_version", meta, sa.Column("version", sa.Integer, primary_key=True),
             sa.Column("data_counter", sa.Integer, nullable=False))
    sa.Table("cases", meta, sa.Column("name", sa.String(100), primary_key=True),
             sa.Column("created_at", sa.DateTime, nullable=False), sa.Column("version", sa.Integer, nullable=False))
    sa.Table("suspects", meta, case(), sa.Column("suspect_id", sa.Text, primary_key=True), sa.Column("name", sa.Text),
             sa.Column("role", sa.String(32), nullable=False), sa.Column("status", sa.String(32), nullable=False),
             sa.Column("province_adcode", sa.String(6), nullable=False), sa.Column("city_adcode", sa.String(6)),
             sa.Column("address", sa.Text), sa.Column("arrest_date", sa.DateTime),
             sa.Column("amount_yuan", sa.Float(precision=53)), sa.Column("phone_cards", sa.Integer),
             sa.Column("wechat_accounts", sa.Integer), sa.Column("qq_accounts", sa.Text),
             sa.Column("extra", sa.Text, nullable=False))
    sa.Table("payments", meta, case(), sa.Column("txn_id", sa.Text, primary_key=True),
             sa.Column("time", sa.DateTime, nullable=False), sa.Column("payer_id", sa.Text, nullable=False),
             sa.Column("payee_id", sa.Text, nullable=False), sa.Column("channel", sa.String(32), nullable=False),
             sa.Column("amount_yuan", sa.Float(precision=53), nullable=False), sa.Column("purpose", sa.Text),
             sa.Column("extra", sa.Text, nullable=False))
    sa.Table("milestones", meta, case(), sa.Column("key", sa.String(64), primary_key=True),
             sa.Column("date", sa.DateTime, nullable=False), sa.Column("en", sa.Text, nullable=False),
             sa.Column("zh", sa.Text, nullable=False))
    sa.Table("imports", meta, sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
             sa.Column("case", sa.String(100), nullable=False), sa.Column("at", sa.DateTime, nullable=False),
             sa.Column("file_name", sa.Text, nullable=False), sa.Column("sha256", sa.String(64), nullable=False),
             sa.Column("kind", sa.String(16), nullable=False), sa.Column("rows", sa.Integer, nullable=False),
             sa.Column("accepted", sa.Integer, nullable=False), sa.Column("rejected", sa.Integer, nullable=False),
             sa.Column("user", sa.Text))
    if version >= 2:
        sa.Table("import_undo", meta, sa.Column("version", sa.Integer, primary_key=True),
                 sa.Column("kind", sa.String(16), primary_key=True),
                 sa.Column("case", sa.String(100), nullable=False, index=True),
                 sa.Column("mode", sa.String(16), nullable=False), sa.Column("import_ids", sa.Text, nullable=False),
                 sa.Column("added_keys", sa.Text, nullable=False), sa.Column("previous_rows", sa.Text),
                 sa.Column("undone_version", sa.Integer))
    return meta


def v2_records(frame: pd.DataFrame) -> list[dict]:
    """Rows as version 2 stored them: plain values, NA as None."""
    frame = frame.astype(object).where(frame.notna(), None)
    return [{k: (v.to_pydatetime() if isinstance(v, pd.Timestamp) else v) for k, v in row.items()}
            for row in frame.to_dict("records")]


def v2_json(frame: pd.DataFrame) -> str:
    """A replace's previous rows as version 2 kept them: JSON records, datetimes in ISO form."""
    rows = [{k: (v.isoformat() if isinstance(v, dt.datetime) else v) for k, v in r.items()} for r in v2_records(frame)]
    return json.dumps(rows, ensure_ascii=False)


def payments(*txns):
    return validate_payments(pd.DataFrame({
        "txn_id": list(txns), "time": [pd.Timestamp("2024-03-01 08:00:01")] * len(txns),
        "payer_id": ["A"] * len(txns), "payee_id": ["B"] * len(txns), "channel": ["alipay"] * len(txns),
        "amount_yuan": [100.5] * len(txns),
    }))


# The history the version-2 database holds for case "c":
#   v11 import: suspects A, B and payment P1 appended     v12 import: suspects replaced by Z
#   v13 import: suspect Y appended                         v14 import: X appended, undone at v15
FIRST = validate_suspects(suspects("A", "B").assign(
    name=["周某", None], amount_yuan=[1200.5, None], arrest_date=[pd.Timestamp("2024-08-02 09:30"), pd.NaT],
))
REPLACED, APPENDED = suspects("Z", city="440300"), suspects("Y")


def build_old_database(url: str, version: int) -> None:
    meta = old_tables(version)
    engine = sa.create_engine(url)
    now = dt.datetime(2024, 8, 1)
    with engine.begin() as conn:
        meta.create_all(conn)
        t = meta.tables
        conn.execute(t["schema_version"].insert().values(version=version, data_counter=15))
        conn.execute(t["cases"].insert().values(name="c", created_at=now, version=15))
        conn.execute(t["suspects"].insert(), [{"case": "c", **r} for r in v2_records(pd.concat([REPLACED, APPENDED]))])
        conn.execute(t["payments"].insert(), [{"case": "c", **r} for r in v2_records(payments("P1"))])
        for number, (kind, rows) in enumerate([("suspects", 3), ("suspects", 1), ("suspects", 1), ("suspects", 1)], 1):
            conn.execute(t["imports"].insert().values(case="c", at=now, file_name=f"f{number}.csv", sha256="ab" * 32,
                                                      kind=kind, rows=rows, accepted=rows, rejected=0))
        if version < 2:
            return
        undo = [
            (11, "suspects", "append", [1], ["A", "B"], None, None),
            (11, "payments", "append", [], ["P1"], None, None),
            (12, "suspects", "replace", [2], [], v2_json(FIRST), None),
            (13, "suspects", "append", [3], ["Y"], None, None),
            (14, "suspects", "append", [4], ["X"], None, 15),
        ]
        for v, kind, mode, imports, added, previous, undone in undo:
            conn.execute(t["import_undo"].insert().values(
                version=v, kind=kind, case="c", mode=mode, import_ids=json.dumps(imports),
                added_keys=json.dumps(added), previous_rows=previous, undone_version=undone))
    engine.dispose()


def test_a_version_2_database_is_upgraded_with_its_history(store_url):
    build_old_database(store_url, 2)
    with Store(store_url) as upgraded:
        upgraded.ensure()
        with upgraded.engine.connect() as conn:
            assert conn.execute(sa.text("select version from schema_version")).scalar() == SCHEMA_VERSION == 4
        assert "previous_rows" not in {c["name"] for c in sa.inspect(upgraded.engine).get_columns("import_undo")}
        assert ids(upgraded, "c") == ["Y", "Z"]
        assert upgraded.load("c").payments["txn_id"].tolist() == ["P1"]
        assert upgraded.import_history("c")["mode"].tolist() == ["append", "append", "replace", "append"]
        assert ids_at(upgraded, 11) == ["A", "B"] and ids_at(upgraded, 12) == ["Z"] and ids_at(upgraded, 13) == ["Y", "Z"]
        upgraded.undo_last_import("c")
        assert ids(upgraded, "c") == ["Z"]
        upgraded.undo_last_import("c")  # the replace: its JSON rows are back, exactly
        pd.testing.assert_frame_equal(upgraded.load("c").suspects, FIRST)
        upgraded.undo_last_import("c")
        assert ids(upgraded, "c") == [] and upgraded.load("c").payments.empty
        with pytest.raises(NothingToUndoError):
            upgraded.undo_last_import("c")
        assert "demo" in upgraded.cases()


def test_a_version_1_database_is_upgraded(store_url):
    build_old_database(store_url, 1)
    with Store(store_url) as upgraded:
        upgraded.ensure()
        assert "import_undo" in sa.inspect(upgraded.engine).get_table_names()
        assert ids(upgraded, "c") == ["Y", "Z"]
        with pytest.raises(NothingToUndoError):
            upgraded.undo_last_import("c")
        upgraded.commit_import("c", [log(1)], suspects=suspects("A"))
        upgraded.undo_last_import("c")
        assert ids(upgraded, "c") == ["Y", "Z"]
        with upgraded.engine.connect() as conn:
            assert conn.execute(sa.text("select version from schema_version")).scalar() == SCHEMA_VERSION


def ids_at(store, version):
    return store.load("c", version=version).suspects["suspect_id"].tolist()


# -- schema 3 -> 4: accounts and links ---------------------------------------------------

def make_version_3(url: str) -> None:
    """Turn a database of today's layout back into schema 3: no accounts, links or payment account columns."""
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        conn.execute(sa.text("DROP TABLE accounts"))
        conn.execute(sa.text("DROP TABLE links"))
        for column in ("payer_account", "payee_account"):
            conn.execute(sa.text(f"ALTER TABLE payments DROP COLUMN {column}"))
        conn.execute(sa.text("UPDATE schema_version SET version = 3"))
    engine.dispose()


def test_a_version_3_database_gains_accounts_and_links_and_keeps_every_case(store_url):
    with Store(store_url) as before:
        before.ensure()
        before.commit_import("c", [log(2)], suspects=suspects("A", "B"), payments=payments("P1", "P2"))
        before.commit_import("c", [log(1)], suspects=suspects("Z"), mode="replace")
        kept = before.load("c")
        demo_version = before.data_version("demo")
    make_version_3(store_url)
    with Store(store_url) as upgraded:
        upgraded.ensure()
        with upgraded.engine.connect() as conn:
            assert conn.execute(sa.text("select version from schema_version")).scalar() == SCHEMA_VERSION == 4
        names = set(sa.inspect(upgraded.engine).get_table_names())
        assert {"accounts", "links"} <= names
        loaded = upgraded.load("c")
        pd.testing.assert_frame_equal(loaded.suspects, kept.suspects)
        pd.testing.assert_frame_equal(loaded.payments, kept.payments)
        assert loaded.payments["payer_account"].isna().all() and loaded.accounts.empty and loaded.links.empty
        assert upgraded.data_version("demo") == demo_version  # the stored demo is kept, not re-seeded
        upgraded.undo_last_import("c")  # the history still works: the replace is undone
        assert ids(upgraded, "c") == ["A", "B"]
        upgraded.commit_import("c", [ImportLog("a.csv", "ab" * 32, "accounts", 1, 1, 0)], accounts=accounts("K1"))
        assert upgraded.load("c").accounts["account_id"].tolist() == ["K1"]


def accounts(*account_ids):
    return validate_accounts(pd.DataFrame({
        "account_id": list(account_ids), "kind": ["phone"] * len(account_ids),
        "number": [f"1380013800{i}" for i in range(len(account_ids))], "holder_id": ["A"] * len(account_ids),
    }))


def links(*pairs):
    return validate_links(pd.DataFrame({
        "link_id": [f"{a}>controls>{b}" for a, b in pairs], "from_id": [a for a, _ in pairs],
        "to_id": [b for _, b in pairs], "relation": ["controls"] * len(pairs),
    }))


def test_accounts_and_links_are_imported_replaced_and_undone_like_the_other_kinds(store):
    store.commit_import("c", [log(1)], suspects=suspects("A"), accounts=accounts("K1", "K2"), links=links(("A", "K1")))
    store.commit_import("c", [log(1)], accounts=accounts("K3"), mode="replace")
    case = store.load("c")
    assert case.accounts["account_id"].tolist() == ["K3"]
    assert case.links["link_id"].tolist() == ["A>controls>K1"]  # a replace touches only the kinds it brings
    with pytest.raises(DuplicateKeyError):
        store.commit_import("c", [log(1)], links=links(("A", "K1")))
    store.undo_last_import("c")
    assert store.load("c").accounts["account_id"].tolist() == ["K1", "K2"]
    store.undo_last_import("c")
    assert store.load("c").accounts.empty and store.load("c").links.empty

"""The store: round trips, append vs replace, read-only demo, atomic writes, data versions, versions as rows.

Every test runs on SQLite and on PostgreSQL (``store_url``).
"""

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest
import sqlalchemy as sa

import casemap.store as store_module
from casemap import schema
from casemap.demo import generate_demo
from casemap.schema import (
    SchemaError,
    validate_milestones,
    validate_payments,
    validate_suspects,
)
from casemap.store import (
    SCHEMA_VERSION,
    DuplicateKeyError,
    ReadOnlyCaseError,
    Store,
    StoreError,
    UnknownCaseError,
    as_of,
    database_url,
    live,
    payments_table,
    suspects_table,
)

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture
def store(store_url):
    with Store(store_url) as s:
        s.ensure()
        yield s


def suspects_frame(ids=("A1", "A2"), province="440000", city="440300"):
    return validate_suspects(pd.DataFrame({
        "suspect_id": list(ids),
        "name": ["王某"] + [None] * (len(ids) - 1),
        "role": ["number_vendor"] * len(ids),
        "status": ["at_large"] * len(ids),
        "province_adcode": [province] * len(ids),
        "city_adcode": [city] + [None] * (len(ids) - 1),
        "arrest_date": [pd.Timestamp("2024-08-02 09:30")] + [pd.NaT] * (len(ids) - 1),
        "amount_yuan": [1234.5] + [float("nan")] * (len(ids) - 1),
        "phone_cards": [3] + [None] * (len(ids) - 1),
        "extra": ['{"来源": "file.csv"}'] * len(ids),
    }))


def payments_frame(ids=("P1",)):
    return validate_payments(pd.DataFrame({
        "txn_id": list(ids),
        "time": [pd.Timestamp("2024-01-02 03:04:05")] * len(ids),
        "payer_id": ["A1"] * len(ids),
        "payee_id": ["A2"] * len(ids),
        "channel": ["alipay"] * len(ids),
        "amount_yuan": [99.99] * len(ids),
    }))


def milestones_frame():
    return validate_milestones(pd.DataFrame({
        "date": [pd.Timestamp("2024-01-01")], "key": ["custom"], "en": ["Custom"], "zh": ["自定义"],
    }))


def sort(frame, key):
    return frame.sort_values(key).reset_index(drop=True)


# -- setup ------------------------------------------------------------------

def test_ensure_creates_tables_and_seeds_demo(store):
    names = set(sa.inspect(store.engine).get_table_names())
    assert {"schema_version", "cases", "suspects", "payments", "milestones", "imports"} <= names
    assert store.cases() == ["demo"]


@pytest.mark.parametrize("table", ["suspects", "payments", "milestones", "imports"])
def test_every_row_table_has_a_case_column(store, table):
    assert "case" in {c["name"] for c in sa.inspect(store.engine).get_columns(table)}


def test_imports_table_columns(store):
    columns = {c["name"] for c in sa.inspect(store.engine).get_columns("imports")}
    assert columns == {"id", "case", "at", "file_name", "sha256", "kind", "rows", "accepted", "rejected", "user"}


def test_schema_version_recorded_and_ensure_idempotent(store):
    store.ensure()
    store.ensure()
    with store.engine.connect() as conn:
        assert conn.execute(sa.text("select version from schema_version")).scalars().all() == [SCHEMA_VERSION]
    assert store.cases() == ["demo"]


def test_newer_database_schema_is_refused(store):
    with store.engine.begin() as conn:
        conn.execute(sa.text("update schema_version set version = :v"), {"v": SCHEMA_VERSION + 1})
    with pytest.raises(StoreError, match="newer"):
        Store(store.url).ensure()


def test_first_use_without_ensure_creates_everything(tmp_path):  # SQLite: the file, in a folder that exists
    fresh = Store(f"sqlite:///{tmp_path / 'x.sqlite'}")
    assert fresh.cases() == ["demo"]
    assert (tmp_path / "x.sqlite").exists()


def test_in_memory_sqlite_works():
    with Store("sqlite://") as memory:
        assert len(memory.load("demo").suspects) == len(generate_demo().suspects)


def test_database_url_from_environment(monkeypatch):
    monkeypatch.setenv("CASEMAP_DATABASE_URL", "postgresql+psycopg://u@h/db")
    assert database_url() == "postgresql+psycopg://u@h/db"


def test_database_url_default_is_repo_data_sqlite(monkeypatch, tmp_path):
    monkeypatch.delenv("CASEMAP_DATABASE_URL", raising=False)
    monkeypatch.chdir(tmp_path)  # must not depend on the working directory
    url = database_url()
    assert url.startswith("sqlite:///")
    assert Path(url.removeprefix("sqlite:///")) == REPO / "data" / "casemap.sqlite"


def test_tables_compile_for_postgresql():
    from sqlalchemy.dialects import postgresql
    from sqlalchemy.schema import CreateTable

    for table in store_module.metadata.sorted_tables:
        ddl = str(CreateTable(table).compile(dialect=postgresql.dialect()))
        if "case" in table.c:
            assert '"case"' in ddl  # reserved word, must be quoted


# -- round trips --------------------------------------------------------------

def test_demo_round_trip_equals_generated(store):
    loaded, generated = store.load("demo"), generate_demo()
    for kind in ("suspects", "payments", "milestones"):
        pd.testing.assert_frame_equal(getattr(loaded, kind), getattr(generated, kind))


def test_save_then_load_round_trips_values_and_missing_values(store):
    store.save("c1", suspects=suspects_frame(), payments=payments_frame(), milestones=milestones_frame())
    loaded = store.load("c1")
    pd.testing.assert_frame_equal(loaded.suspects, sort(suspects_frame(), "suspect_id"))
    pd.testing.assert_frame_equal(loaded.payments, payments_frame())
    pd.testing.assert_frame_equal(loaded.milestones, milestones_frame())
    assert pd.isna(loaded.suspects.loc[1, "city_adcode"]) and pd.isna(loaded.suspects.loc[1, "amount_yuan"])
    assert loaded.suspects.loc[0, "arrest_date"] == pd.Timestamp("2024-08-02 09:30")


def test_new_case_without_frames_is_empty_but_listed(store):
    store.save("empty")
    assert store.cases() == ["demo", "empty"]
    loaded = store.load("empty")
    assert (len(loaded.suspects), len(loaded.payments), len(loaded.milestones)) == (0, 0, 0)
    assert list(loaded.suspects.columns) == list(suspects_frame().columns)


def test_append_adds_rows(store):
    store.save("c1", suspects=suspects_frame(["A1", "A2"]))
    store.save("c1", suspects=suspects_frame(["B1"]), mode="append")
    assert store.load("c1").suspects["suspect_id"].tolist() == ["A1", "A2", "B1"]


def test_append_refuses_stored_ids_and_changes_nothing(store):
    store.save("c1", suspects=suspects_frame(["A1", "A2"]))
    version = store.data_version("c1")
    with pytest.raises(DuplicateKeyError, match="A2"):
        store.save("c1", suspects=suspects_frame(["A2", "A3"]))
    assert store.load("c1").suspects["suspect_id"].tolist() == ["A1", "A2"]
    assert store.data_version("c1") == version


def test_replace_replaces_only_the_given_kinds(store):
    store.save("c1", suspects=suspects_frame(["A1", "A2"]), payments=payments_frame(["P1"]))
    store.save("c1", suspects=suspects_frame(["Z9"]), mode="replace")
    loaded = store.load("c1")
    assert loaded.suspects["suspect_id"].tolist() == ["Z9"]
    assert loaded.payments["txn_id"].tolist() == ["P1"]


def test_cases_are_isolated(store):
    store.save("c1", suspects=suspects_frame(["A1"]))
    store.save("c2", suspects=suspects_frame(["A1", "A2"]))  # same ids in another case are fine
    store.save("c1", suspects=suspects_frame(["Q1"]), mode="replace")
    assert store.load("c2").suspects["suspect_id"].tolist() == ["A1", "A2"]


def test_save_rejects_bad_mode_and_names(store):
    with pytest.raises(ValueError):
        store.save("c1", suspects=suspects_frame(), mode="merge")
    for bad in ["", " padded ", "x" * 101, None]:
        with pytest.raises(StoreError):
            store.save(bad, suspects=suspects_frame())


# -- demo is read-only ----------------------------------------------------------

@pytest.mark.parametrize(
    "write",
    [
        lambda s: s.save("demo", suspects=suspects_frame(["NEW"])),
        lambda s: s.save("demo", payments=payments_frame(["NEW"]), mode="replace"),
        lambda s: s.save("demo"),
        lambda s: s.delete_case("demo"),
    ],
    ids=["append", "replace", "empty-save", "delete"],
)
def test_demo_case_is_read_only(store, write):
    version = store.data_version("demo")
    with pytest.raises(ReadOnlyCaseError):
        write(store)
    assert store.data_version("demo") == version
    assert "NEW" not in store.load("demo").suspects["suspect_id"].tolist()


def test_reseed_demo_restores_and_bumps_version(store):
    before = store.data_version("demo")
    store.save("demo", suspects=suspects_frame(["X1"]), mode="replace", allow_demo=True)
    assert store.load("demo").suspects["suspect_id"].tolist() == ["X1"]
    store.reseed_demo()
    assert store.data_version("demo") > before
    pd.testing.assert_frame_equal(store.load("demo").suspects, generate_demo().suspects)


# -- atomicity ----------------------------------------------------------------

def test_invalid_frame_stores_nothing(store):
    bad = payments_frame().assign(channel=["paypal"])
    with pytest.raises(SchemaError):
        store.save("c1", suspects=suspects_frame(), payments=bad)
    assert store.cases() == ["demo"]


def test_failure_mid_transaction_rolls_back_everything(store, monkeypatch):
    store.save("c1", suspects=suspects_frame(["A1"]), payments=payments_frame(["P1"]))
    version = store.data_version("c1")
    real_add = store_module.rows.add_rows

    def failing_add(conn, kind, case, frame, version):
        if kind == "payments":
            raise RuntimeError("disk full")
        real_add(conn, kind, case, frame, version)

    monkeypatch.setattr(store_module.rows, "add_rows", failing_add)
    with pytest.raises(RuntimeError):
        store.save("c1", suspects=suspects_frame(["B1", "B2"]), payments=payments_frame(["P2"]), mode="replace")
    with pytest.raises(RuntimeError):
        store.save("c2", suspects=suspects_frame(["B1"]), payments=payments_frame(["P2"]))
    monkeypatch.undo()
    assert store.load("c1").suspects["suspect_id"].tolist() == ["A1"]
    assert store.data_version("c1") == version
    assert store.cases() == ["c1", "demo"]
    with store.engine.connect() as conn:  # the replace marked nothing removed either
        assert conn.execute(sa.select(sa.func.count()).where(suspects_table.c.case == "c1")).scalar() == 1


def test_duplicate_in_second_kind_rolls_back_first_kind(store):
    store.save("c1", payments=payments_frame(["P1"]))
    with pytest.raises(DuplicateKeyError):
        store.save("c1", suspects=suspects_frame(["A1"]), payments=payments_frame(["P1"]))
    assert store.load("c1").suspects.empty


# -- versions, deletion, unknown cases -------------------------------------------

def test_data_version_changes_on_every_write_and_never_repeats(store):
    seen = [store.data_version("demo")]
    seen.append(store.save("c1", suspects=suspects_frame(["A1"])))
    assert store.data_version("c1") == seen[-1]
    seen.append(store.save("c1", suspects=suspects_frame(["A2"])))
    seen.append(store.save("c1", payments=payments_frame(), mode="replace"))
    store.delete_case("c1")
    seen.append(store.save("c1", suspects=suspects_frame(["A1"])))  # re-created case
    seen.append(store.reseed_demo())
    assert len(set(seen)) == len(seen)
    assert seen == sorted(seen)
    assert store.load("c1").version == store.data_version("c1")


def test_delete_case_removes_its_rows_only(store):
    store.save("c1", suspects=suspects_frame(), payments=payments_frame(), milestones=milestones_frame())
    store.save("c2", suspects=suspects_frame())
    store.delete_case("c1")
    assert store.cases() == ["c2", "demo"]
    with store.engine.connect() as conn:
        for table in ("suspects", "payments", "milestones"):
            count = conn.execute(sa.text(f'select count(*) from {table} where "case" = :c'), {"c": "c1"}).scalar()
            assert count == 0, table


@pytest.mark.parametrize("operation", ["load", "data_version", "delete_case"])
def test_unknown_case_raises(store, operation):
    with pytest.raises(UnknownCaseError):
        getattr(store, operation)("no-such-case")
    with pytest.raises(KeyError):  # UnknownCaseError is also a KeyError
        getattr(store, operation)("no-such-case")


def test_loaded_case_data_is_frozen(store):
    data = store.load("demo")
    with pytest.raises(AttributeError):
        data.version = 99


# -- versions as rows ---------------------------------------------------------------

def stored_rows(store, table, case):
    with store.engine.connect() as conn:
        query = sa.select(table).where(table.c.case == case).order_by(table.c.added_version, table.c[table.c.keys()[1]])
        return [dict(row) for row in conn.execute(query).mappings()]


def test_rows_carry_the_version_that_added_them(store):
    version = store.save("c1", suspects=suspects_frame(["A1", "A2"]))
    rows = stored_rows(store, suspects_table, "c1")
    assert [(r["suspect_id"], r["added_version"], r["removed_version"]) for r in rows] == [
        ("A1", version, None), ("A2", version, None),
    ]


def test_a_replace_marks_the_old_rows_removed_and_keeps_them(store):
    first = store.save("c1", suspects=suspects_frame(["A1", "A2"]))
    second = store.save("c1", suspects=suspects_frame(["A2", "Z9"]), mode="replace")
    rows = stored_rows(store, suspects_table, "c1")
    assert [(r["suspect_id"], r["added_version"], r["removed_version"]) for r in rows] == [
        ("A1", first, second), ("A2", first, second), ("A2", second, None), ("Z9", second, None),
    ]
    assert store.load("c1").suspects["suspect_id"].tolist() == ["A2", "Z9"]


def test_the_case_as_it_stood_at_an_older_version(store):
    first = store.save("c1", suspects=suspects_frame(["A1", "A2"]), payments=payments_frame(["P1"]))
    second = store.save("c1", payments=payments_frame(["P2"]))
    store.save("c1", suspects=suspects_frame(["Z9"]), mode="replace")
    at_first, at_second = store.load("c1", version=first), store.load("c1", version=second)
    assert at_first.suspects["suspect_id"].tolist() == ["A1", "A2"]
    assert at_first.payments["txn_id"].tolist() == ["P1"]
    assert at_second.payments["txn_id"].tolist() == ["P1", "P2"]
    assert at_second.suspects["suspect_id"].tolist() == ["A1", "A2"]
    pd.testing.assert_frame_equal(at_first.suspects, sort(suspects_frame(["A1", "A2"]), "suspect_id"))
    assert store.load("c1").suspects["suspect_id"].tolist() == ["Z9"]
    assert (at_first.version, at_second.version) == (first, second)


def test_live_and_as_of_select_the_same_rows_as_load(store):
    first = store.save("c1", suspects=suspects_frame(["A1", "A2"]))
    store.save("c1", suspects=suspects_frame(["B1"]), mode="replace")
    table = suspects_table
    with store.engine.connect() as conn:
        ids = lambda clause: sorted(conn.execute(sa.select(table.c.suspect_id).where(table.c.case == "c1", clause)).scalars())
        assert ids(live(table)) == ["B1"]
        assert ids(as_of(table, first)) == ["A1", "A2"]
        assert ids(as_of(table, first - 1)) == []


def test_an_id_is_unique_among_live_rows_only(store):
    store.save("c1", payments=payments_frame(["P1"]))
    store.save("c1", payments=payments_frame(["P1"]), mode="replace")  # the removed P1 does not clash
    with pytest.raises(DuplicateKeyError, match="P1"):
        store.save("c1", payments=payments_frame(["P1"]))
    with pytest.raises(sa.exc.IntegrityError), store.engine.begin() as conn:  # the index itself, not only the store
        row = stored_rows(store, payments_table, "c1")[-1]
        conn.execute(sa.insert(payments_table).values({**row, "added_version": row["added_version"] + 1}))


def test_an_append_clash_names_every_stored_id_across_batches(store, monkeypatch):
    monkeypatch.setattr(store_module.rows, "INSERT_BATCH", 3)
    store.save("c1", payments=payments_frame(["P1", "P5", "P9"]))
    with pytest.raises(DuplicateKeyError) as raised:
        store.save("c1", payments=payments_frame([f"P{i}" for i in range(10)]))
    assert "3 txn_id value(s)" in str(raised.value) and "P1, P5, P9" in str(raised.value)
    assert store.load("c1").payments["txn_id"].tolist() == ["P1", "P5", "P9"]


# -- indexes -------------------------------------------------------------------------

EXPECTED_INDEXES = {
    "suspects": ["province_adcode", "city_adcode", "role", "status", "arrest_date"],
    "payments": ["time", "payer_id", "payee_id", "channel"],
}


@pytest.mark.parametrize("table, column", [(t, c) for t, columns in EXPECTED_INDEXES.items() for c in columns])
def test_every_filtered_or_grouped_column_is_indexed_after_the_case(store, table, column):
    indexes = sa.inspect(store.engine).get_indexes(table)
    assert ["case", column] in [index["column_names"] for index in indexes]


@pytest.mark.parametrize("table, key", [("suspects", "suspect_id"), ("payments", "txn_id"), ("milestones", "key")])
def test_the_live_id_index_is_unique_and_partial(store, table, key):
    (index,) = [i for i in sa.inspect(store.engine).get_indexes(table) if i["column_names"] == ["case", key]]
    assert index["unique"]
    options = index.get("dialect_options", {})
    where = " ".join(str(v) for k, v in options.items() if k.endswith("_where"))
    assert "removed_version" in where and "null" in where.lower()
    primary = sa.inspect(store.engine).get_pk_constraint(table)["constrained_columns"]
    assert primary == ["case", key, "added_version"]


# -- loading without validating again ---------------------------------------------------

def test_load_does_not_validate_again(store, monkeypatch):
    store.save("c1", suspects=suspects_frame(), payments=payments_frame(), milestones=milestones_frame())

    def refuse(*args, **kwargs):
        raise AssertionError("load validated the stored rows again")

    monkeypatch.setattr(schema, "_validate", refuse)
    loaded = store.load("c1")
    monkeypatch.undo()
    pd.testing.assert_frame_equal(loaded.suspects, sort(suspects_frame(), "suspect_id"))
    pd.testing.assert_frame_equal(loaded.payments, payments_frame())
    pd.testing.assert_frame_equal(loaded.milestones, milestones_frame())


def test_loaded_frames_are_what_validation_would_make_of_them(store):
    for kind in ("suspects", "payments", "milestones"):
        frame = getattr(store.load("demo"), kind)
        validate = getattr(schema, f"validate_{kind}")
        pd.testing.assert_frame_equal(frame, validate(frame))


def test_datetimes_keep_their_microseconds_and_compare_in_sql(store):
    times = [pd.Timestamp("2024-01-02 03:04:05.123456"), pd.Timestamp("2024-01-02 03:04:05")]
    frame = payments_frame(["P1", "P2"]).assign(time=times)
    store.save("c1", payments=frame)
    assert sorted(store.load("c1").payments["time"]) == sorted(times)
    with store.engine.connect() as conn:
        later = sa.select(payments_table.c.txn_id).where(
            payments_table.c.case == "c1", payments_table.c.time >= dt.datetime(2024, 1, 2, 3, 4, 5)
        )
        assert sorted(conn.execute(later).scalars()) == ["P1", "P2"]  # the whole second counts, stored as bound


# -- SQLite writers wait their turn -------------------------------------------------------

def test_a_sqlite_file_store_runs_in_wal_mode(tmp_path):
    with Store(f"sqlite:///{tmp_path / 'wal.sqlite'}") as store:
        store.ensure()
        with store.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"


def test_a_ready_store_reads_while_another_process_writes_and_writers_queue(tmp_path, monkeypatch):
    import sqlite3

    from casemap.store import engine as engine_module

    path = tmp_path / "busy.sqlite"
    with Store(f"sqlite:///{path}") as first:
        first.ensure()
    monkeypatch.setattr(engine_module, "SQLITE_BUSY_SECONDS", 0.2)
    writer = sqlite3.connect(path, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")  # another process mid-import
    try:
        with Store(f"sqlite:///{path}") as other:
            other.ensure()  # already current: no write lock needed
            assert other.cases() == ["demo"] and len(other.load("demo").suspects) > 0
            with pytest.raises(sa.exc.OperationalError, match="locked"):  # waited its turn, then gave up
                other.save("c1", suspects=suspects_frame())
    finally:
        writer.execute("ROLLBACK")
        writer.close()


# -- one-way imports -------------------------------------------------------------------------

STORE_MODULES = ["tables", "errors", "engine", "rows", "frozen", "users", "upgrade", "imports", "snapshot", "case_store"]


@pytest.mark.parametrize("position, name", list(enumerate(STORE_MODULES)))
def test_store_modules_import_only_the_modules_before_them(position, name):
    import ast

    tree = ast.parse((REPO / "casemap" / "store" / f"{name}.py").read_text(encoding="utf-8"))
    imported = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module == "casemap.store":
            imported.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("casemap.store."):
            imported.add(node.module.removeprefix("casemap.store."))
        elif isinstance(node, ast.Import):
            imported.update(a.name.removeprefix("casemap.store.") for a in node.names if a.name.startswith("casemap.store."))
    assert imported <= set(STORE_MODULES[:position]), imported - set(STORE_MODULES[:position])


def test_a_write_leaves_planner_statistics_for_the_rows_it_wrote(store_url):
    # Without statistics SQLite reads a large case through the `case` index row
    # by row and PostgreSQL plans nested loops: reads then take tens of seconds.
    from sqlalchemy import text

    from casemap.schema import validate_payments

    store = Store(store_url)
    store.ensure()
    payments = validate_payments(pd.DataFrame({
        "txn_id": [f"T{i}" for i in range(50)], "time": pd.Timestamp("2024-01-01"), "payer_id": "P1",
        "payee_id": "V1", "channel": "alipay", "amount_yuan": 10.0,
    }))
    store.save("stats", payments=payments)
    with store.engine.connect() as conn:
        if conn.dialect.name == "sqlite":
            analysed = conn.execute(text("SELECT count(*) FROM sqlite_stat1 WHERE tbl = 'payments'")).scalar()
        else:
            analysed = conn.execute(text(
                "SELECT count(*) FROM pg_stat_user_tables WHERE relname = 'payments' AND last_analyze IS NOT NULL"
            )).scalar()
    store.close()
    assert analysed > 0

"""The store: round trips, append vs replace, read-only demo, atomic writes, data versions."""

from pathlib import Path

import pandas as pd
import pytest
import sqlalchemy as sa

import casemap.store as store_module
from casemap.demo import generate_demo
from casemap.schema import SchemaError, validate_milestones, validate_payments, validate_suspects
from casemap.store import (
    SCHEMA_VERSION,
    DuplicateKeyError,
    ReadOnlyCaseError,
    Store,
    StoreError,
    UnknownCaseError,
    database_url,
)

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture
def store(tmp_path):
    with Store(f"sqlite:///{tmp_path / 'casemap.sqlite'}") as s:
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


def test_first_use_without_ensure_creates_everything(tmp_path):
    fresh = Store(f"sqlite:///{tmp_path / 'nested' / 'dir' / 'x.sqlite'}")
    assert fresh.cases() == ["demo"]
    assert (tmp_path / "nested" / "dir" / "x.sqlite").exists()


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
    real_write = store_module._write_frame

    def failing_write(conn, kind, case, frame, mode):
        if kind == "payments":
            raise RuntimeError("disk full")
        real_write(conn, kind, case, frame, mode)

    monkeypatch.setattr(store_module, "_write_frame", failing_write)
    with pytest.raises(RuntimeError):
        store.save("c1", suspects=suspects_frame(["B1", "B2"]), payments=payments_frame(["P2"]), mode="replace")
    with pytest.raises(RuntimeError):
        store.save("c2", suspects=suspects_frame(["B1"]), payments=payments_frame(["P2"]))
    monkeypatch.undo()
    assert store.load("c1").suspects["suspect_id"].tolist() == ["A1"]
    assert store.data_version("c1") == version
    assert store.cases() == ["c1", "demo"]


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

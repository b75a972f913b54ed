"""Case rows in and out: bulk inserts, replace by marking rows removed, undo by version, typed reads.

Inserts go in large batches of plain tuples: ``executemany`` on SQLite,
``COPY`` through the same transaction's connection on PostgreSQL (psycopg).
Appending an id that is already live in the case is refused by the live-id
unique index; the batch is rolled back to a savepoint and the clashing ids
are looked up to name them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence

import numpy as np
import pandas as pd
import pyarrow as pa
from sqlalchemy import (
    Connection,
    Table,
    Text,
    delete,
    func,
    insert,
    select,
    type_coerce,
    update,
)
from sqlalchemy.exc import IntegrityError

from casemap.store.errors import DuplicateKeyError, check_case_name
from casemap.store.tables import (
    ROW_KINDS,
    RowKind,
    as_of,
    cases_table,
    import_undo_table,
    live,
    schema_version_table,
)

__all__ = [
    "next_data_version", "check_new_case", "upsert_case", "case_version", "case_summaries", "delete_case_rows",
    "storage_values",
    "insert_rows", "add_rows", "live_ids", "all_live_ids", "mark_removed", "revert", "read_frame", "iter_frames", "distinct_extras",
]

INSERT_BATCH = 50_000
_LOOKUP_BATCH = 500  # ids per IN (...) lookup: under every driver's bound-parameter limit


def next_data_version(conn: Connection) -> int:
    """Hand out the next data version (global, never repeated)."""
    # The UPDATE takes a row lock, so concurrent writers get distinct versions.
    conn.execute(update(schema_version_table).values(data_counter=schema_version_table.c.data_counter + 1))
    return int(conn.execute(select(schema_version_table.c.data_counter)).scalar_one())


def case_version(conn: Connection, case: str) -> int | None:
    """The case's data version, or None when no such case is stored."""
    version = conn.execute(select(cases_table.c.version).where(cases_table.c.name == case)).scalar()
    return None if version is None else int(version)


def check_new_case(conn: Connection, case: str) -> None:
    """Refuse to create a case whose name looks like a stored case's ("Linwu" beside "linwu"); a stored case passes."""
    names = conn.execute(select(cases_table.c.name)).scalars().all()
    if case not in names:
        check_case_name(case, names)


def upsert_case(conn: Connection, case: str, version: int) -> None:
    """Create the case, or move it to ``version``."""
    updated = conn.execute(update(cases_table).where(cases_table.c.name == case).values(version=version))
    if updated.rowcount == 0:
        now = dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)
        conn.execute(insert(cases_table).values(name=case, created_at=now, version=version))


def case_summaries(conn: Connection, case: str | None = None) -> list[dict]:
    """Every stored case (or only ``case``), by name: its name, creation time, data version and live row counts.

    The counts are SQL counts (one scalar subquery per kind); no case is loaded.
    """
    counts = {
        kind: select(func.count()).select_from(ROW_KINDS[kind].table)
        .where(ROW_KINDS[kind].table.c.case == cases_table.c.name, live(ROW_KINDS[kind].table))
        .scalar_subquery().label(kind)
        for kind in ("suspects", "payments")
    }
    query = select(cases_table.c.name, cases_table.c.created_at, cases_table.c.version, *counts.values())
    if case is not None:
        query = query.where(cases_table.c.name == case)
    return [{"name": row.name, "created_at": row.created_at, "version": int(row.version),
             "suspects": int(row.suspects), "payments": int(row.payments)}
            for row in conn.execute(query.order_by(cases_table.c.name))]


def delete_case_rows(conn: Connection, case: str) -> bool:
    """Delete a case with all its rows and their history; return whether it existed."""
    for spec in ROW_KINDS.values():
        conn.execute(delete(spec.table).where(spec.table.c.case == case))
    # Undo data is meaningless once the rows are gone; the import log is kept.
    conn.execute(delete(import_undo_table).where(import_undo_table.c.case == case))
    return conn.execute(delete(cases_table).where(cases_table.c.name == case)).rowcount > 0


def storage_values(frame: pd.DataFrame, columns: tuple[str, ...]) -> dict[str, list]:
    """A validated frame's columns as lists of plain Python values, as the database stores them."""
    return {column: _stored(frame[column]) for column in columns}


def _stored(series: pd.Series) -> list:
    if pd.api.types.is_datetime64_dtype(series.dtype):
        # SQLAlchemy's own text form on SQLite (2024-08-03 14:05:06.000000), so that
        # stored and bound datetimes compare as text; PostgreSQL reads it as a timestamp.
        return pa.array(series.to_numpy(dtype="datetime64[us]")).cast(pa.string()).to_pylist()
    missing = series.isna().to_numpy()
    if pd.api.types.is_integer_dtype(series.dtype):
        values = np.array([int(v) for v in series.fillna(0)], dtype=object)
    else:
        values = series.to_numpy(dtype=object, copy=True)
    values[missing] = None
    return values.tolist()


def insert_rows(conn: Connection, table: Table, values: dict[str, list]) -> None:
    """Insert rows given column by column, in one bulk statement per call."""
    columns = list(values)
    rows = list(zip(*values.values()))
    if not rows:
        return
    dialect = conn.dialect
    quoted = ", ".join(dialect.identifier_preparer.quote(c) for c in columns)
    name = dialect.identifier_preparer.format_table(table)
    if dialect.name == "postgresql" and dialect.driver == "psycopg":
        with conn.connection.driver_connection.cursor() as cursor:
            with cursor.copy(f"COPY {name} ({quoted}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
    elif dialect.name == "sqlite":
        conn.exec_driver_sql(f"INSERT INTO {name} ({quoted}) VALUES ({', '.join('?' * len(columns))})", rows)
    else:
        conn.execute(insert(table), [dict(zip(columns, row)) for row in rows])


def add_rows(conn: Connection, kind: str, case: str, frame: pd.DataFrame, version: int) -> None:
    """Insert a validated frame's rows as added at ``version``; ``DuplicateKeyError`` if an id is live already."""
    spec = ROW_KINDS[kind]
    count = len(frame)
    values = {"case": [case] * count, **storage_values(frame, spec.columns), "added_version": [version] * count}
    for start in range(0, count, INSERT_BATCH):
        batch = {column: column_values[start : start + INSERT_BATCH] for column, column_values in values.items()}
        savepoint = conn.begin_nested()
        try:
            insert_rows(conn, spec.table, batch)
        except Exception as error:
            savepoint.rollback()
            if not _is_unique_violation(error):
                raise
            clashes = live_ids(conn, spec, case, values[spec.key][start:])
            if not clashes:
                raise
            shown = ", ".join(clashes[:5]) + (" ..." if len(clashes) > 5 else "")
            raise DuplicateKeyError(
                f"{kind}: {len(clashes)} {spec.key} value(s) already stored in case {case!r}: {shown}"
            ) from None
        savepoint.commit()


def _is_unique_violation(error: Exception) -> bool:
    # SQLite's arrives wrapped by SQLAlchemy; psycopg's COPY raises the driver's own error.
    return isinstance(error, IntegrityError) or getattr(error, "sqlstate", None) == "23505"


def live_ids(conn: Connection, spec: RowKind, case: str, ids: list[str]) -> list[str]:
    """Those of ``ids`` that are live in the case, sorted."""
    table, found = spec.table, []
    for start in range(0, len(ids), _LOOKUP_BATCH):
        batch = ids[start : start + _LOOKUP_BATCH]
        query = select(table.c[spec.key]).where(table.c.case == case, live(table), table.c[spec.key].in_(batch))
        found.extend(conn.execute(query).scalars())
    return sorted(found)


def all_live_ids(conn: Connection, kind: str, case: str) -> list[str]:
    """Every live id of ``kind`` in the case."""
    spec = ROW_KINDS[kind]
    table = spec.table
    return list(conn.execute(select(table.c[spec.key]).where(table.c.case == case, live(table))).scalars())


def mark_removed(conn: Connection, kind: str, case: str, version: int) -> None:
    """Mark every live row of ``kind`` in the case as removed at ``version`` (a replace)."""
    table = ROW_KINDS[kind].table
    conn.execute(update(table).where(table.c.case == case, live(table)).values(removed_version=version))


def revert(conn: Connection, case: str, version: int) -> None:
    """Put the case back as it was before the write at ``version``: its rows go, the rows it removed return."""
    for spec in ROW_KINDS.values():
        table = spec.table
        conn.execute(delete(table).where(table.c.case == case, table.c.added_version == version))
        restored = update(table).where(table.c.case == case, table.c.removed_version == version)
        conn.execute(restored.values(removed_version=None))


def _rows_query(spec: RowKind, case: str, version: int | None):
    table, dtypes = spec.table, spec.dtypes
    # Datetimes come back as SQLite's text and are parsed once per column, not once per value.
    columns = [
        type_coerce(table.c[c], Text).label(c) if dtypes[c].startswith("datetime") else table.c[c]
        for c in spec.columns
    ]
    visible = live(table) if version is None else as_of(table, version)
    return select(*columns).where(table.c.case == case, visible).order_by(*(table.c[c] for c in spec.order))


def _frame(spec: RowKind, rows: Sequence) -> pd.DataFrame:
    values = list(zip(*rows)) if rows else [()] * len(spec.columns)
    return pd.DataFrame({c: _typed(v, spec.dtypes[c]) for c, v in zip(spec.columns, values)}, columns=list(spec.columns))


def read_frame(conn: Connection, kind: str, case: str, version: int | None = None) -> pd.DataFrame:
    """The case's rows of ``kind`` (live, or as of ``version``) as a frame with the contract's dtypes.

    The rows were validated when written, so they are typed here, not validated again.
    """
    spec = ROW_KINDS[kind]
    return _frame(spec, conn.execute(_rows_query(spec, case, version)).all())


def iter_frames(conn: Connection, kind: str, case: str, size: int) -> Iterator[pd.DataFrame]:
    """The case's live rows of ``kind`` in load order, a typed frame of at most ``size`` rows at a time."""
    spec = ROW_KINDS[kind]
    result = conn.execution_options(yield_per=size).execute(_rows_query(spec, case, None))
    for part in result.partitions():
        yield _frame(spec, part)


def distinct_extras(conn: Connection, kind: str, case: str) -> list[str]:
    """The different ``extra`` texts of the case's live rows of ``kind``, in load order of first use."""
    spec = ROW_KINDS[kind]
    table = spec.table
    query = select(table.c.extra).where(table.c.case == case, live(table)).order_by(*(table.c[c] for c in spec.order))
    return list(dict.fromkeys(conn.execution_options(yield_per=50_000).execute(query).scalars()))


def _typed(values: tuple, dtype: str) -> pd.Series:
    if dtype.startswith("datetime"):
        parsed = pd.to_datetime(pd.Series(values, dtype=object), format="ISO8601")
        return parsed.astype(dtype)
    return pd.Series(values, dtype=dtype)

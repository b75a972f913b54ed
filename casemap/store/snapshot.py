"""Read-only analytical copies of one case at one data version, for the pages' queries.

The store (SQLite or PostgreSQL) stays the system of record; every write goes
there. A *snapshot* is a DuckDB file holding the case's rows as they stood at
one data version, in tables of the same names and columns, so the query
layer's SQLAlchemy Core runs on it unchanged. DuckDB scans and joins columns:
on a million payments a page's aggregates take tens of milliseconds instead
of seconds.

A snapshot never changes: a new data version is a new file, built from the
store's rows ``as_of`` that version (so a write going on meanwhile cannot
tear it), written under a temporary name and renamed into place. Any
process may build one (the command line does after an import, so the first
page after it is fast); the app opens it read-only. Files of a case's older
versions are deleted when a newer one is built; a process still reading one
keeps its open file.
"""

from __future__ import annotations

import hashlib
import os
import threading
import uuid
from collections.abc import Iterator
from contextlib import closing, suppress
from pathlib import Path

import duckdb
import duckdb_engine
import pyarrow as pa
from sqlalchemy import DateTime, Engine, Float, Integer, Table, create_engine, select
from sqlalchemy.engine import make_url
from sqlalchemy.pool import QueuePool

from casemap.store.engine import REPO_ROOT
from casemap.store.errors import StoreError
from casemap.store.tables import (
    accounts_table,
    as_of,
    links_table,
    milestones_table,
    payments_table,
    suspects_table,
)

__all__ = ["SNAPSHOT_TABLES", "Snapshots", "snapshot_folder"]

SNAPSHOT_TABLES: tuple[Table, ...] = (suspects_table, payments_table, milestones_table, accounts_table, links_table)
CHUNK_ROWS = 100_000
# What one open snapshot may use; the app shares one per case and version among all sessions.
READ_THREADS = 2
READ_MEMORY = "512MB"
# Offline: DuckDB would otherwise fetch an extension from the internet when a query asks for one.
OFFLINE = {"autoinstall_known_extensions": False, "autoload_known_extensions": False}
SUFFIX = ".duckdb"


class SnapshotError(StoreError):
    """A snapshot could not be written: the folder (``path``) and why (``reason``, from the system)."""

    def __init__(self, message: str, path: Path, reason: str):
        super().__init__(message)
        self.path, self.reason = path, reason


def snapshot_folder() -> Path:
    """Where snapshots go: ``CASEMAP_SNAPSHOT_DIR``, else data/snapshots beside the default store."""
    return Path(os.environ.get("CASEMAP_SNAPSHOT_DIR") or REPO_ROOT / "data" / "snapshots")


def _duckdb_type(column) -> str:
    kind = column.type
    if isinstance(kind, DateTime):
        return "TIMESTAMP"
    if isinstance(kind, Float):
        return "DOUBLE"
    if isinstance(kind, Integer):
        return "INTEGER"
    return "VARCHAR"


def _create_table(conn: duckdb.DuckDBPyConnection, table: Table) -> None:
    columns = ", ".join(f'"{c.name}" {_duckdb_type(c)}' for c in table.columns)
    conn.execute(f'CREATE TABLE "{table.name}" ({columns})')


# Columns the copy fills itself: every row of a snapshot is the case at one version.
_STAMPED = ("case", "added_version", "removed_version")
# Columns no query reads; left out of the copy (NULL there).
_UNREAD = {"payments": ("extra",), "accounts": ("extra",), "links": ("extra",)}


def _copied_columns(table: Table) -> list:
    skip = set(_STAMPED) | set(_UNREAD.get(table.name, ()))
    return [c for c in table.columns if c.name not in skip]


def _chunks(store: Engine, table: Table, case: str, version: int) -> Iterator[list[tuple]]:
    # The driver's own rows: dates come as it gives them (ISO text on SQLite,
    # datetimes on PostgreSQL) and DuckDB casts either, far faster than
    # converting a million of them in Python. PostgreSQL streams them from a
    # server-side cursor; SQLite's cursor reads as it goes anyway.
    query = select(*_copied_columns(table)).where(table.c.case == case, as_of(table, version))
    with store.connect() as conn:
        compiled = query.compile(dialect=conn.dialect)
        params = compiled.construct_params()
        if compiled.positional:
            params = tuple(params[name] for name in compiled.positiontup)
        driver = conn.connection.driver_connection
        server_side = conn.dialect.name == "postgresql"
        with closing(driver.cursor(name="snapshot") if server_side else driver.cursor()) as cursor:
            cursor.execute(str(compiled), params)
            while rows := cursor.fetchmany(CHUNK_ROWS):
                yield rows
        if server_side:
            driver.rollback()  # only read; end the transaction the cursor needed


def _copy_table(conn: duckdb.DuckDBPyConnection, store: Engine, table: Table, case: str, version: int) -> int:
    names = [c.name for c in _copied_columns(table)]
    stamps = {"case": "$case", "added_version": "$version"}
    values = ", ".join(
        f'CAST("{c.name}" AS {_duckdb_type(c)})' if c.name in names
        else f"CAST({stamps.get(c.name, 'NULL')} AS {_duckdb_type(c)})"
        for c in table.columns
    )
    count = 0
    for rows in _chunks(store, table, case, version):
        chunk = pa.table({name: pa.array(column) for name, column in zip(names, zip(*rows))})
        conn.register("chunk", chunk)
        conn.execute(f'INSERT INTO "{table.name}" SELECT {values} FROM chunk', {"case": case, "version": version})
        conn.unregister("chunk")
        count += len(rows)
    return count


class Snapshots:
    """The snapshots of the store behind ``store`` (an engine) in ``folder``.

    :meth:`engine` gives a read-only SQLAlchemy engine on (case, version),
    building the file first if no process has.
    """

    def __init__(self, store: Engine, folder: Path | None = None):
        self.store = store
        self.folder = Path(folder) if folder is not None else snapshot_folder()
        # The same store reached by another URL spelling gets other files; harmless.
        url = make_url(store.url).render_as_string(hide_password=True)
        self._prefix = hashlib.sha256(url.encode()).hexdigest()[:16]
        self._building = threading.Lock()

    def path(self, case: str, version: int) -> Path:
        """The file of ``case`` at data ``version``."""
        return self.folder / f"{self._case_stem(case)}-v{int(version)}{SUFFIX}"

    def _case_stem(self, case: str) -> str:
        return f"{self._prefix}-{hashlib.sha256(case.encode()).hexdigest()[:16]}"

    def _check_folder(self) -> None:
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise SnapshotError(
                f"cannot create the snapshot folder {self.folder} ({error.strerror}): "
                "set CASEMAP_SNAPSHOT_DIR to a folder this user may write", self.folder, str(error.strerror)) from error

    def build(self, case: str, version: int) -> Path:
        """Write the snapshot of ``case`` at ``version`` (if missing) and remove the case's older ones."""
        target = self.path(case, version)
        with self._building:
            if not target.exists():
                self._check_folder()
                partial = target.with_name(f".{target.name}.{uuid.uuid4().hex}.part")
                try:
                    conn = duckdb.connect(str(partial), config=OFFLINE)
                    try:
                        for table in SNAPSHOT_TABLES:
                            _create_table(conn, table)
                            _copy_table(conn, self.store, table, case, version)
                        conn.execute("CHECKPOINT")
                    finally:
                        conn.close()
                    os.replace(partial, target)
                except (duckdb.Error, OSError) as error:
                    raise SnapshotError(f"cannot write the snapshot {target} of case {case!r}: {error}", target,
                                        str(getattr(error, "strerror", None) or error)) from error
                finally:
                    for leftover in (partial, partial.with_name(partial.name + ".wal")):
                        leftover.unlink(missing_ok=True)
            self._remove_older(case, version)
        return target

    def _remove_older(self, case: str, version: int) -> None:
        for path in self.folder.glob(f"{self._case_stem(case)}-v*{SUFFIX}"):
            try:
                older = int(path.name[len(self._case_stem(case)) + 2:-len(SUFFIX)]) < version
            except ValueError:
                continue
            if older:
                path.unlink(missing_ok=True)

    def engine(self, case: str, version: int) -> Engine:
        """A read-only engine on the snapshot of ``case`` at ``version``, built first if needed.

        The engine holds the file open for as long as it lives, and hands each
        of its connections a cursor of that one open database: a newer
        version's build may delete the file meanwhile without harm.
        """
        path = self.path(case, version)
        try:
            database = _open(path)
        except duckdb.Error:  # not built yet, removed by a newer version's build since, or damaged
            with suppress(OSError):  # a folder that is not one is told by build()
                path.unlink(missing_ok=True)
            self.build(case, version)
            try:
                database = _open(path)
            except duckdb.Error as error:
                raise SnapshotError(f"cannot open the snapshot {path} of case {case!r}: {error}", path,
                                    str(error)) from error
        return create_engine(
            "duckdb://", creator=lambda: duckdb_engine.ConnectionWrapper(database.cursor()), poolclass=QueuePool,
        )


def _open(path: Path) -> duckdb.DuckDBPyConnection:
    if not path.exists():
        raise duckdb.IOException(f"no snapshot {path}")
    return duckdb.connect(str(path), read_only=True,
                          config={"threads": READ_THREADS, "memory_limit": READ_MEMORY, **OFFLINE})

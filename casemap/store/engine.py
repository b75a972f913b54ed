"""Connecting to the store: the database URL, the engine, and write transactions that wait their turn.

SQLite file databases run in WAL mode, so readers never wait for a writer,
and writers wait up to ``SQLITE_BUSY_SECONDS`` for each other. A write
transaction takes the write lock when it begins (``BEGIN IMMEDIATE``): two
writers never both read a version and then both try to write on top of it.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.pool import StaticPool

from casemap.store.errors import StoreError

__all__ = ["SQLITE_BUSY_SECONDS", "WRITE_OPTION", "database_url", "make_engine", "write_transaction"]

REPO_ROOT = Path(__file__).resolve().parent.parent.parent
# A large command-line import holds the write lock for most of a minute; a
# second writer queues behind it rather than failing.
SQLITE_BUSY_SECONDS = 300
_WRITE = WRITE_OPTION = "casemap_write"  # execution option: this connection writes (SQLite: BEGIN IMMEDIATE)
SQLITE_WRITE_CACHE_KB = 128 * 1024
SQLITE_READ_CACHE_KB = 2000  # SQLite's default


def database_url() -> str:
    """Return the store URL: ``CASEMAP_DATABASE_URL``, else a SQLite file under data/."""
    return os.environ.get("CASEMAP_DATABASE_URL") or f"sqlite:///{REPO_ROOT / 'data' / 'casemap.sqlite'}"


def make_engine(url: str) -> Engine:
    """An engine for ``url``; SQLite gets foreign keys, WAL, a busy timeout and explicit transactions."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return create_engine(url, pool_pre_ping=True)
    in_memory = parsed.database in (None, "", ":memory:")
    if in_memory:
        # One shared connection, or every connection would see an empty database.
        engine = create_engine(url, poolclass=StaticPool, connect_args={"check_same_thread": False})
    else:
        # A mistyped URL must not scatter databases over the disk: the folder has to exist.
        folder = Path(parsed.database).absolute().parent
        if not folder.is_dir():
            raise StoreError(f"no folder {folder} for the SQLite database {parsed.database}: create it, or fix the URL")
        engine = create_engine(url, connect_args={"timeout": SQLITE_BUSY_SECONDS})

    @event.listens_for(engine, "connect")
    def _prepare(dbapi_connection, _record):
        # The driver's own transaction handling would begin late and never IMMEDIATE; begin ourselves.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        if not in_memory:
            cursor.execute("PRAGMA journal_mode=WAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(conn: Connection):
        conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.get_execution_options().get(_WRITE) else "BEGIN")

    return engine


@contextmanager
def write_transaction(engine: Engine) -> Iterator[Connection]:
    """A transaction that writes: committed when the block ends, rolled back if it raises."""
    with engine.connect() as conn:
        conn.execution_options(**{_WRITE: True})
        sqlite = conn.dialect.name == "sqlite"
        if sqlite:
            # A bulk write touches every page of seven B-trees; with SQLite's
            # default 2 MB page cache it would read and spill them over and over.
            conn.connection.driver_connection.execute(f"PRAGMA cache_size=-{SQLITE_WRITE_CACHE_KB}")
        try:
            with conn.begin():
                yield conn
        finally:
            if sqlite:
                conn.connection.driver_connection.execute(f"PRAGMA cache_size=-{SQLITE_READ_CACHE_KB}")
    refresh_statistics(engine)


def refresh_statistics(engine: Engine) -> None:
    """Let the database's planner see the rows just written.

    Without statistics both planners misjudge a case-sized table: SQLite reads
    a million payments through the ``case`` index row by row instead of
    scanning them, and PostgreSQL plans nested loops over freshly copied
    tables until autovacuum comes round, turning sub-second queries into
    tens of seconds. SQLite's full analysis reads every index once (about
    half a second for a million payments); a sampled one (``analysis_limit``)
    misjudges how many rows a case holds and brings the row-by-row reads back.
    """
    if engine.dialect.name == "sqlite":
        # ANALYZE writes its tables: take the write lock first (BEGIN IMMEDIATE) and wait
        # for it like any writer, or a writer that came in meanwhile makes it fail at once.
        with engine.connect() as conn:
            conn.execution_options(**{_WRITE: True})
            with conn.begin():
                conn.exec_driver_sql("ANALYZE")
    else:
        with engine.connect() as conn:
            conn.execution_options(isolation_level="AUTOCOMMIT").exec_driver_sql(
                "ANALYZE suspects, payments, milestones")

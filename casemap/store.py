"""The case store: SQLAlchemy Core tables on SQLite (default) or PostgreSQL.

One database holds many cases; every row table carries a ``case`` column.
Writes go through ``Store.save`` in a single transaction and bump the case's
``version`` so callers can key caches on ``data_version(case)``.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from sqlalchemy import (
    Column,
    Connection,
    DateTime,
    Engine,
    Float,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    create_engine,
    delete,
    event,
    insert,
    select,
    update,
)
from sqlalchemy.engine import make_url
from sqlalchemy.exc import IntegrityError
from sqlalchemy.pool import StaticPool

from casemap import demo
from casemap.schema import (
    MILESTONE_COLUMNS,
    PAYMENT_COLUMNS,
    SUSPECT_COLUMNS,
    CaseData,
    validate_milestones,
    validate_payments,
    validate_suspects,
)

__all__ = [
    "SCHEMA_VERSION",
    "DEMO_CASE",
    "StoreError",
    "ReadOnlyCaseError",
    "UnknownCaseError",
    "DuplicateKeyError",
    "NothingToUndoError",
    "CaseData",
    "ImportLog",
    "Store",
    "database_url",
    "is_valid_case_name",
]

# Version of the table layout below. Migrations: the `schema_version` table
# holds the version a database was built with; `ensure()` runs UPGRADES[v]
# for v = stored, stored + 1, ... SCHEMA_VERSION - 1, each upgrading version v
# to v + 1 inside the same transaction, then records the new version. Adding a
# column means: bump SCHEMA_VERSION, change the table, add UPGRADES[old].
SCHEMA_VERSION = 2
UPGRADES: dict[int, Callable[[Connection], None]] = {
    # 1 -> 2: the import_undo table (what each import changed, so it can be undone).
    1: lambda conn: import_undo_table.create(conn, checkfirst=True),
}

DEMO_CASE = demo.DEMO_CASE
MAX_CASE_NAME = 100
REPO_ROOT = Path(__file__).resolve().parent.parent


class StoreError(Exception):
    """Base class for store errors."""


class ReadOnlyCaseError(StoreError):
    """The demo case is read-only."""


class UnknownCaseError(StoreError, KeyError):
    """No case of that name is stored."""


class DuplicateKeyError(StoreError, ValueError):
    """Appending rows whose ids already exist in the case."""


class NothingToUndoError(StoreError):
    """The case has no import left to undo (``reason="none"``) or was changed after it (``"changed"``)."""

    def __init__(self, message: str, reason: str):
        super().__init__(message)
        self.reason = reason


@dataclass(frozen=True)
class ImportLog:
    """One imported list as the ``imports`` table records it."""

    file_name: str
    sha256: str
    kind: str
    rows: int
    accepted: int
    rejected: int


def database_url() -> str:
    """Return the store URL: ``CASEMAP_DATABASE_URL``, else a SQLite file under data/."""
    return os.environ.get("CASEMAP_DATABASE_URL") or f"sqlite:///{REPO_ROOT / 'data' / 'casemap.sqlite'}"


metadata = MetaData()

schema_version_table = Table(
    "schema_version",
    metadata,
    Column("version", Integer, primary_key=True),
    # Last data version handed out; global so a deleted and re-created case
    # never repeats a version a cache may still hold.
    Column("data_counter", Integer, nullable=False, default=0),
)

cases_table = Table(
    "cases",
    metadata,
    Column("name", String(MAX_CASE_NAME), primary_key=True),
    Column("created_at", DateTime, nullable=False),
    Column("version", Integer, nullable=False),
)


def _case_column() -> Column:
    return Column("case", String(MAX_CASE_NAME), ForeignKey("cases.name"), primary_key=True)


suspects_table = Table(
    "suspects",
    metadata,
    _case_column(),
    Column("suspect_id", Text, primary_key=True),
    Column("name", Text),
    Column("role", String(32), nullable=False),
    Column("status", String(32), nullable=False),
    Column("province_adcode", String(6), nullable=False),
    Column("city_adcode", String(6)),
    Column("address", Text),
    Column("arrest_date", DateTime),
    Column("amount_yuan", Float(precision=53)),
    Column("phone_cards", Integer),
    Column("wechat_accounts", Integer),
    Column("qq_accounts", Text),
    Column("extra", Text, nullable=False),
)

payments_table = Table(
    "payments",
    metadata,
    _case_column(),
    Column("txn_id", Text, primary_key=True),
    Column("time", DateTime, nullable=False),
    Column("payer_id", Text, nullable=False),
    Column("payee_id", Text, nullable=False),
    Column("channel", String(32), nullable=False),
    Column("amount_yuan", Float(precision=53), nullable=False),
    Column("purpose", Text),
    Column("extra", Text, nullable=False),
)

milestones_table = Table(
    "milestones",
    metadata,
    _case_column(),
    Column("key", String(64), primary_key=True),
    Column("date", DateTime, nullable=False),
    Column("en", Text, nullable=False),
    Column("zh", Text, nullable=False),
)

# An audit log of imports; no foreign key so the log outlives a deleted case.
imports_table = Table(
    "imports",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("case", String(MAX_CASE_NAME), nullable=False),
    Column("at", DateTime, nullable=False),
    Column("file_name", Text, nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("kind", String(16), nullable=False),
    Column("rows", Integer, nullable=False),
    Column("accepted", Integer, nullable=False),
    Column("rejected", Integer, nullable=False),
    Column("user", Text),
)

# What one import changed in one kind, so undo_last_import can restore it. Rows
# of one import share `version`, the data version the import produced.
import_undo_table = Table(
    "import_undo",
    metadata,
    Column("version", Integer, primary_key=True),
    Column("kind", String(16), primary_key=True),
    Column("case", String(MAX_CASE_NAME), nullable=False, index=True),
    Column("mode", String(16), nullable=False),
    Column("import_ids", Text, nullable=False),  # JSON list of imports.id
    Column("added_keys", Text, nullable=False),  # JSON list of ids appended
    Column("previous_rows", Text),  # JSON records the replace removed
    Column("undone_version", Integer),  # data version of the undo, once undone
)

# kind -> (table, frame columns, key column, validator, read order)
_KINDS = {
    "suspects": (suspects_table, SUSPECT_COLUMNS, "suspect_id", validate_suspects, ("suspect_id",)),
    "payments": (payments_table, PAYMENT_COLUMNS, "txn_id", validate_payments, ("time", "txn_id")),
    "milestones": (milestones_table, MILESTONE_COLUMNS, "key", validate_milestones, ("date", "key")),
}
def _sql_value(value: object) -> object:
    """Turn a pandas/numpy cell into what a DB-API driver expects (NA -> None)."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    if isinstance(value, np.generic):
        return value.item()
    return value


def _records(case: str, frame: pd.DataFrame) -> list[dict]:
    columns = list(frame.columns)
    return [
        {"case": case, **{c: _sql_value(v) for c, v in zip(columns, row)}}
        for row in frame.itertuples(index=False, name=None)
    ]


def is_valid_case_name(case: object) -> bool:
    """Whether ``case`` can name a case: 1-100 characters, no surrounding spaces."""
    try:
        _check_case_name(case)
    except StoreError:
        return False
    return True


def _check_case_name(case: object) -> str:
    if not isinstance(case, str) or not case.strip() or case != case.strip() or len(case) > MAX_CASE_NAME:
        raise StoreError(f"invalid case name {case!r}: 1-{MAX_CASE_NAME} characters, no surrounding spaces")
    return case


class Store:
    """The case store at ``url`` (default: ``database_url()``).

    The schema is created, and the demo case seeded, on first use; ``ensure()``
    does it explicitly.
    """

    def __init__(self, url: str | None = None):
        self.url = url or database_url()
        self.engine = _make_engine(self.url)
        self._ready = False

    def __repr__(self) -> str:
        return f"Store({make_url(self.url).render_as_string(hide_password=True)!r})"

    def close(self) -> None:
        """Release the engine's connections."""
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -- schema -----------------------------------------------------------

    def ensure(self) -> None:
        """Create or upgrade the tables, then seed the demo case if it is missing."""
        with self.engine.begin() as conn:
            metadata.create_all(conn)
            stored = conn.execute(select(schema_version_table.c.version)).scalar()
            if stored is None:
                conn.execute(insert(schema_version_table).values(version=SCHEMA_VERSION, data_counter=0))
            elif stored > SCHEMA_VERSION:
                raise StoreError(
                    f"database schema version {stored} is newer than this code ({SCHEMA_VERSION}); upgrade Casemap"
                )
            elif stored < SCHEMA_VERSION:
                for version in range(stored, SCHEMA_VERSION):
                    UPGRADES[version](conn)
                conn.execute(update(schema_version_table).values(version=SCHEMA_VERSION))
        self._ready = True
        if not self._exists(DEMO_CASE):
            try:
                self.reseed_demo()
            except IntegrityError:
                # Another process seeded it between our check and our write.
                pass

    def _ensure_ready(self) -> None:
        if not self._ready:
            self.ensure()

    # -- reading ----------------------------------------------------------

    def cases(self) -> list[str]:
        """Return the stored case names, sorted."""
        self._ensure_ready()
        with self.engine.connect() as conn:
            return list(conn.execute(select(cases_table.c.name).order_by(cases_table.c.name)).scalars())

    def _exists(self, case: str) -> bool:
        with self.engine.connect() as conn:
            return conn.execute(select(cases_table.c.name).where(cases_table.c.name == case)).first() is not None

    def data_version(self, case: str) -> int:
        """Return the case's data version; it changes on every write to the case."""
        self._ensure_ready()
        with self.engine.connect() as conn:
            version = conn.execute(select(cases_table.c.version).where(cases_table.c.name == case)).scalar()
        if version is None:
            raise UnknownCaseError(case)
        return int(version)

    def load(self, case: str) -> CaseData:
        """Return the case's validated frames and the version they were read at."""
        self._ensure_ready()
        with self.engine.connect() as conn:
            version = conn.execute(select(cases_table.c.version).where(cases_table.c.name == case)).scalar()
            if version is None:
                raise UnknownCaseError(case)
            frames = {kind: _read_frame(conn, kind, case) for kind in _KINDS}
        return CaseData(**frames, version=int(version))

    # -- writing ----------------------------------------------------------

    def save(
        self,
        case: str,
        suspects: pd.DataFrame | None = None,
        payments: pd.DataFrame | None = None,
        milestones: pd.DataFrame | None = None,
        mode: str = "append",
        allow_demo: bool = False,
    ) -> int:
        """Store frames in ``case`` (created if new) in one transaction; return the new data version.

        ``mode="append"`` adds rows and refuses ids already stored in the case
        (``DuplicateKeyError``); ``mode="replace"`` replaces the stored rows of
        each kind given (kinds left as None are untouched). Frames are
        validated first; any failure leaves the store as it was. The demo case
        is read-only (``ReadOnlyCaseError``) unless ``allow_demo`` is set, which
        only the demo seeding does.
        """
        _check_case_name(case)
        if mode not in ("append", "replace"):
            raise ValueError(f"mode must be 'append' or 'replace', got {mode!r}")
        if case == DEMO_CASE and not allow_demo:
            raise ReadOnlyCaseError(f"the {DEMO_CASE!r} case is read-only; import into another case")
        frames = {"suspects": suspects, "payments": payments, "milestones": milestones}
        valid = {kind: _KINDS[kind][3](frame) for kind, frame in frames.items() if frame is not None}
        self._ensure_ready()
        with self.engine.begin() as conn:
            version = _next_data_version(conn)
            _upsert_case(conn, case, version)
            for kind, frame in valid.items():
                _write_frame(conn, kind, case, frame, mode)
        return version

    def delete_case(self, case: str, allow_demo: bool = False) -> None:
        """Delete a case and all its rows (the import log is kept)."""
        if case == DEMO_CASE and not allow_demo:
            raise ReadOnlyCaseError(f"the {DEMO_CASE!r} case is read-only")
        self._ensure_ready()
        with self.engine.begin() as conn:
            if not _delete_case_rows(conn, case):
                raise UnknownCaseError(case)

    def reseed_demo(self) -> int:
        """Replace the demo case with a freshly generated one; return its data version."""
        data = demo.generate_demo()
        self._ensure_ready()
        with self.engine.begin() as conn:
            _delete_case_rows(conn, DEMO_CASE)
            version = _next_data_version(conn)
            _upsert_case(conn, DEMO_CASE, version)
            for kind in _KINDS:
                _write_frame(conn, kind, DEMO_CASE, getattr(data, kind), "replace")
        return version

    # -- imports (versions of a case; in casemap.import_log) -------------------

    def commit_import(
        self,
        case: str,
        logs: Sequence[ImportLog],
        suspects: pd.DataFrame | None = None,
        payments: pd.DataFrame | None = None,
        mode: str = "append",
        user: str | None = None,
    ) -> int:
        """Store imported rows and log the import in one transaction; return the new data version.

        See :func:`casemap.import_log.commit_import`.
        """
        from casemap import import_log

        return import_log.commit_import(self, case, logs, suspects, payments, mode, user)

    def undo_last_import(self, case: str) -> int:
        """Undo the case's last import not undone yet; return the new data version.

        See :func:`casemap.import_log.undo_last_import`.
        """
        from casemap import import_log

        return import_log.undo_last_import(self, case)

    def import_history(self, case: str) -> pd.DataFrame:
        """The case's imports, newest first (see :func:`casemap.import_log.import_history`)."""
        from casemap import import_log

        return import_log.import_history(self, case)


def _make_engine(url: str) -> Engine:
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return create_engine(url, pool_pre_ping=True)
    if parsed.database in (None, "", ":memory:"):
        # One shared connection, or every connection would see an empty database.
        engine = create_engine(url, poolclass=StaticPool, connect_args={"check_same_thread": False})
    else:
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url)

    @event.listens_for(engine, "connect")
    def _enforce_foreign_keys(dbapi_connection, _record):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    return engine


def _next_data_version(conn: Connection) -> int:
    # The UPDATE takes a row lock, so concurrent writers get distinct versions.
    conn.execute(update(schema_version_table).values(data_counter=schema_version_table.c.data_counter + 1))
    return int(conn.execute(select(schema_version_table.c.data_counter)).scalar_one())


def _upsert_case(conn: Connection, case: str, version: int) -> None:
    updated = conn.execute(update(cases_table).where(cases_table.c.name == case).values(version=version))
    if updated.rowcount == 0:
        now = dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)
        conn.execute(insert(cases_table).values(name=case, created_at=now, version=version))


def _delete_case_rows(conn: Connection, case: str) -> bool:
    for table, *_ in _KINDS.values():
        conn.execute(delete(table).where(table.c.case == case))
    # Undo data is meaningless once the rows are gone; the import log is kept.
    conn.execute(delete(import_undo_table).where(import_undo_table.c.case == case))
    return conn.execute(delete(cases_table).where(cases_table.c.name == case)).rowcount > 0


def _write_frame(conn: Connection, kind: str, case: str, frame: pd.DataFrame, mode: str) -> None:
    table, _, key, _, _ = _KINDS[kind]
    if mode == "replace":
        conn.execute(delete(table).where(table.c.case == case))
    elif len(frame):
        stored = set(conn.execute(select(table.c[key]).where(table.c.case == case)).scalars())
        clashes = sorted(stored.intersection(frame[key]))
        if clashes:
            shown = ", ".join(clashes[:5]) + (" ..." if len(clashes) > 5 else "")
            raise DuplicateKeyError(f"{kind}: {len(clashes)} {key} value(s) already stored in case {case!r}: {shown}")
    if len(frame):
        conn.execute(insert(table), _records(case, frame))


def _read_frame(conn: Connection, kind: str, case: str) -> pd.DataFrame:
    table, columns, _, validate, order = _KINDS[kind]
    query = select(*(table.c[c] for c in columns)).where(table.c.case == case).order_by(*(table.c[c] for c in order))
    rows = conn.execute(query).all()
    return validate(pd.DataFrame([tuple(r) for r in rows], columns=list(columns), dtype=object))



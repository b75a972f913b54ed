"""Imports as versions of a case: all accepted rows or none, undo the last one, history.

Every import is one write transaction at one data version: its rows carry
that version, a replace marks the rows it replaces as removed at it, and the
``imports`` table logs each list (when, file, sha256, kind, counts, user).
``import_undo`` records which kinds the import touched, so undoing it is
deleting the rows added at that version and bringing back the rows removed
at it. A large file streams in through :func:`open_import`, chunk by chunk,
into the same single transaction.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, fields

import pandas as pd
from sqlalchemy import Connection, Engine, insert, select, update

from casemap.store.engine import write_transaction
from casemap.store.errors import (
    NothingToUndoError,
    UnknownCaseError,
    check_case_name,
    check_writable,
)
from casemap.store.rows import (
    add_rows,
    case_version,
    check_new_case,
    mark_removed,
    next_data_version,
    revert,
    upsert_case,
)
from casemap.store.tables import ROW_KINDS, import_undo_table, imports_table

__all__ = ["ImportLog", "ImportWriter", "open_import", "commit_import", "undo_last_import", "import_history"]

IMPORTED_KINDS = ("suspects", "payments", "accounts", "links")


@dataclass(frozen=True)
class ImportLog:
    """One imported list as the ``imports`` table records it."""

    file_name: str
    sha256: str
    kind: str
    rows: int
    accepted: int
    rejected: int


class ImportWriter:
    """One import being written: rows added kind by kind, chunk by chunk, then its log lines.

    The case is created, or moved to the import's version, with the first
    row stored: an import that stores no row (every row rejected) creates no
    case, moves no version and leaves nothing to undo; into an existing case
    it is still logged, so the history tells what was tried.
    """

    def __init__(self, conn: Connection, case: str, mode: str, version: int):
        self.conn, self.case, self.mode, self.version = conn, case, mode, version
        self.touched: list[str] = []
        self.logs: list[ImportLog] = []

    @property
    def stored(self) -> bool:
        """Whether any row has been stored."""
        return bool(self.touched)

    def add(self, kind: str, frame: pd.DataFrame) -> None:
        """Validate ``frame`` and store its rows; the first rows of a kind in a replace retire the stored ones."""
        if kind not in IMPORTED_KINDS:
            raise ValueError(f"kind must be one of {IMPORTED_KINDS}, got {kind!r}")
        valid = ROW_KINDS[kind].validate(frame)
        if not len(valid):
            return
        if not self.touched:
            check_new_case(self.conn, self.case)
            upsert_case(self.conn, self.case, self.version)
        if kind not in self.touched:
            if self.mode == "replace":
                mark_removed(self.conn, kind, self.case, self.version)
            self.touched.append(kind)
        add_rows(self.conn, kind, self.case, valid, self.version)

    def log(self, entry: ImportLog) -> None:
        """Record one imported list in the import's log."""
        self.logs.append(entry)

    def finish(self, user: str | None) -> None:
        """Write the log lines and what undo needs to know (nothing to undo when no row was stored)."""
        if not self.stored:
            if case_version(self.conn, self.case) is not None:
                self._write_logs(user)
            return
        import_ids = self._write_logs(user)
        for kind in sorted(set(self.touched) | set(import_ids)):
            self.conn.execute(insert(import_undo_table).values(
                version=self.version, kind=kind, case=self.case, mode=self.mode,
                import_ids=json.dumps(import_ids.get(kind, [])),
            ))

    def _write_logs(self, user: str | None) -> dict[str, list[int]]:
        now = dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)
        import_ids: dict[str, list[int]] = {}
        for entry in self.logs:
            values = {field.name: getattr(entry, field.name) for field in fields(ImportLog)}
            result = self.conn.execute(insert(imports_table).values(case=self.case, at=now, user=user, **values))
            import_ids.setdefault(entry.kind, []).append(int(result.inserted_primary_key[0]))
        return import_ids


@contextmanager
def open_import(engine: Engine, case: str, mode: str = "append", user: str | None = None) -> Iterator[ImportWriter]:
    """An import's transaction: add rows and logs to the writer; all is stored when the block ends, or nothing.

    Append refuses ids already live in the case (``DuplicateKeyError``);
    replace replaces only the kinds that get rows; the demo case is read-only.
    """
    check_case_name(case)
    if mode not in ("append", "replace"):
        raise ValueError(f"mode must be 'append' or 'replace', got {mode!r}")
    check_writable(case)
    with write_transaction(engine) as conn:
        writer = ImportWriter(conn, case, mode, next_data_version(conn))
        yield writer
        writer.finish(user)


def commit_import(
    engine: Engine,
    case: str,
    logs: Sequence[ImportLog],
    suspects: pd.DataFrame | None = None,
    payments: pd.DataFrame | None = None,
    mode: str = "append",
    user: str | None = None,
    accounts: pd.DataFrame | None = None,
    links: pd.DataFrame | None = None,
) -> int:
    """Store imported frames and log the import in one transaction; return the new data version.

    None when no row was stored: see :class:`ImportWriter`.
    """
    frames = (("suspects", suspects), ("payments", payments), ("accounts", accounts), ("links", links))
    with open_import(engine, case, mode, user) as writer:
        for kind, frame in frames:
            if frame is not None:
                writer.add(kind, frame)
        for entry in logs:
            writer.log(entry)
    return writer.version if writer.stored else None


def undo_last_import(engine: Engine, case: str) -> int:
    """Undo the case's last import that is not undone yet; return the new data version.

    Refused with ``NothingToUndoError`` when no import is left to undo, or when
    the case was written by anything but an import or an undo since: undoing
    then would throw that later change away.
    """
    check_writable(case)
    with write_transaction(engine) as conn:
        current = case_version(conn, case)
        if current is None:
            raise UnknownCaseError(case)
        records = conn.execute(select(import_undo_table).where(import_undo_table.c.case == case)).mappings().all()
        active = [r for r in records if r["undone_version"] is None]
        if not active:
            raise NothingToUndoError(f"no import left to undo in case {case!r}", "none")
        last = max(r["version"] for r in active)
        latest = max([last, *(r["undone_version"] for r in records if r["undone_version"] is not None)])
        if current != latest:
            raise NothingToUndoError(f"case {case!r} was changed after its last import; undo refused", "changed")
        version = next_data_version(conn)
        upsert_case(conn, case, version)
        revert(conn, case, last)
        conn.execute(
            update(import_undo_table)
            .where(import_undo_table.c.case == case, import_undo_table.c.version == last)
            .values(undone_version=version)
        )
    return version


def import_history(engine: Engine, case: str) -> pd.DataFrame:
    """The case's imports, newest first: when, file, kind, counts, user, mode and whether undone."""
    with engine.connect() as conn:
        logs = conn.execute(
            select(imports_table).where(imports_table.c.case == case).order_by(imports_table.c.id.desc())
        ).mappings().all()
        records = conn.execute(select(import_undo_table).where(import_undo_table.c.case == case)).mappings().all()
    batch = {i: r for r in records for i in json.loads(r["import_ids"])}
    rows = [
        {
            **dict(log),
            "mode": batch[log["id"]]["mode"] if log["id"] in batch else None,
            "undone": log["id"] in batch and batch[log["id"]]["undone_version"] is not None,
        }
        for log in logs
    ]
    columns = [*(c.name for c in imports_table.columns), "mode", "undone"]
    return pd.DataFrame(rows, columns=columns)

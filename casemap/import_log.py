"""Imports as versions of a case: commit all accepted rows or none, undo the last one, history.

Every import is logged in the ``imports`` table (when, file, sha256, kind,
counts, user); what it changed goes to ``import_undo`` so that
``undo_last_import`` can put it back. The ``Store`` methods of the same names
call these functions.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence

import pandas as pd
from sqlalchemy import Connection, delete, insert, select, update

from casemap.schema import MILESTONE_DTYPES, PAYMENT_DTYPES, SUSPECT_DTYPES
from casemap.store import (
    _KINDS,
    DEMO_CASE,
    ImportLog,
    NothingToUndoError,
    ReadOnlyCaseError,
    Store,
    UnknownCaseError,
    _check_case_name,
    _next_data_version,
    _read_frame,
    _records,
    _upsert_case,
    _write_frame,
    cases_table,
    import_undo_table,
    imports_table,
)

__all__ = ["commit_import", "undo_last_import", "import_history"]

_DTYPES = {"suspects": SUSPECT_DTYPES, "payments": PAYMENT_DTYPES, "milestones": MILESTONE_DTYPES}


def commit_import(
    store: Store,
    case: str,
    logs: Sequence[ImportLog],
    suspects: pd.DataFrame | None = None,
    payments: pd.DataFrame | None = None,
    mode: str = "append",
    user: str | None = None,
) -> int:
    """Store imported rows and log the import in one transaction; return the new data version.

    The frames follow ``save``'s rules (validated first; append refuses ids
    already stored; replace replaces only the kinds given; the demo case is
    read-only), so either every accepted row is stored or none is. Each
    ``ImportLog`` becomes a row of ``imports``; what the import changed is
    kept so ``undo_last_import`` can put it back.
    """
    _check_case_name(case)
    if mode not in ("append", "replace"):
        raise ValueError(f"mode must be 'append' or 'replace', got {mode!r}")
    if case == DEMO_CASE:
        raise ReadOnlyCaseError(f"the {DEMO_CASE!r} case is read-only; import into another case")
    frames = {"suspects": suspects, "payments": payments}
    valid = {kind: _KINDS[kind][3](frame) for kind, frame in frames.items() if frame is not None}
    store._ensure_ready()
    now = dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)
    with store.engine.begin() as conn:
        version = _next_data_version(conn)
        _upsert_case(conn, case, version)
        changes = {}
        for kind, frame in valid.items():
            previous = _read_frame(conn, kind, case) if mode == "replace" else None
            _write_frame(conn, kind, case, frame, mode)
            added = frame[_KINDS[kind][2]].tolist() if mode == "append" else []
            changes[kind] = (added, None if previous is None else _frame_to_json(previous))
        import_ids: dict[str, list[int]] = {}
        for log in logs:
            row = {field: getattr(log, field) for field in ImportLog.__dataclass_fields__}
            result = conn.execute(insert(imports_table).values(case=case, at=now, user=user, **row))
            import_ids.setdefault(log.kind, []).append(int(result.inserted_primary_key[0]))
        for kind in sorted(set(changes) | set(import_ids)):
            added, previous_rows = changes.get(kind, ([], None))
            conn.execute(
                insert(import_undo_table).values(
                    version=version, kind=kind, case=case, mode=mode,
                    import_ids=json.dumps(import_ids.get(kind, [])),
                    added_keys=json.dumps(added, ensure_ascii=False),
                    previous_rows=previous_rows,
                )
            )
    return version

def undo_last_import(store: Store, case: str) -> int:
    """Undo the case's last import that is not undone yet; return the new data version.

    Appended rows are deleted and replaced rows restored. Refused with
    ``NothingToUndoError`` when no import is left to undo, or when the case
    was written by anything but an import or an undo since: undoing then
    would throw that later change away.
    """
    if case == DEMO_CASE:
        raise ReadOnlyCaseError(f"the {DEMO_CASE!r} case is read-only")
    store._ensure_ready()
    with store.engine.begin() as conn:
        current = conn.execute(select(cases_table.c.version).where(cases_table.c.name == case)).scalar()
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
        version = _next_data_version(conn)
        _upsert_case(conn, case, version)
        for record in (r for r in active if r["version"] == last):
            _revert(conn, case, record)
        conn.execute(
            update(import_undo_table)
            .where(import_undo_table.c.case == case, import_undo_table.c.version == last)
            .values(undone_version=version)
        )
    return version

def import_history(store: Store, case: str) -> pd.DataFrame:
    """The case's imports, newest first: when, file, kind, counts, user, mode and whether undone."""
    store._ensure_ready()
    with store.engine.connect() as conn:
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


def _frame_to_json(frame: pd.DataFrame) -> str:
    """A validated frame as JSON records (datetimes in ISO form, NA as null)."""
    records = [
        {c: (v.isoformat() if isinstance(v, dt.datetime) else v) for c, v in row.items()}
        for row in _records("", frame)
    ]
    for record in records:
        del record["case"]
    return json.dumps(records, ensure_ascii=False)


def _frame_from_json(kind: str, text: str) -> pd.DataFrame:
    _, columns, _, validate, _ = _KINDS[kind]
    frame = pd.DataFrame(json.loads(text), columns=list(columns), dtype=object)
    for column in columns:
        if _DTYPES[kind][column].startswith("datetime"):
            frame[column] = pd.to_datetime(frame[column])
    return validate(frame)


def _revert(conn: Connection, case: str, record) -> None:
    """Put one kind back as it was before an import."""
    kind = record["kind"]
    table, _, key, _, _ = _KINDS[kind]
    if record["mode"] == "append":
        added = json.loads(record["added_keys"])
        for start in range(0, len(added), 500):  # stay under the driver's bound-parameter limit
            conn.execute(delete(table).where(table.c.case == case, table.c[key].in_(added[start : start + 500])))
    elif record["previous_rows"] is not None:
        conn.execute(delete(table).where(table.c.case == case))
        previous = _frame_from_json(kind, record["previous_rows"])
        if len(previous):
            conn.execute(insert(table), _records(case, previous))

"""Frozen briefing snapshots: a filter state pinned to one data version of a case.

A frozen snapshot holds no figures. It names the case, the filter state (its
URL query form, as JSON) and the data version it was taken at; whoever shows
it queries the case *as of* that version, which the row tables can answer
because rows are versioned (``tables.as_of``). So the store must keep the
rows of every pinned version: ``pinned_versions`` tells the writes that
would drop rows (undoing an import, reseeding the demo) which versions to
spare, and deleting a case deletes its snapshots with it.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

from sqlalchemy import Connection, Engine, delete, insert, select

from casemap.store.engine import write_transaction
from casemap.store.errors import StoreError, UnknownCaseError
from casemap.store.rows import case_version
from casemap.store.tables import frozen_snapshots_table as table

__all__ = [
    "MAX_SNAPSHOT_NAME", "FrozenSnapshot", "SnapshotNameError", "parse_snapshot_id", "freeze", "frozen_snapshots",
    "frozen_snapshot", "delete_frozen", "delete_case_frozen", "pinned_versions",
]

MAX_SNAPSHOT_NAME = 100
MAX_SNAPSHOT_ID = 2**31 - 1  # an INTEGER key on SQLite and PostgreSQL alike


class SnapshotNameError(StoreError, ValueError):
    """A snapshot name that is blank, too long or holds control characters; ``code`` says which
    (``"blank"``, ``"too_long"``, ``"control"``: the ``frozen_name_<code>`` string tells a person)."""

    def __init__(self, message: str, code: str):
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class FrozenSnapshot:
    """One stored snapshot: its id, name, case, filter query, data version and when (UTC) it was taken."""

    id: int
    name: str
    case: str
    query: dict[str, str | list[str]]
    data_version: int
    taken_at: dt.datetime
    user: str | None = None


def parse_snapshot_id(text: object) -> int | None:
    """The snapshot id a URL value names (a positive whole number), else None."""
    if not isinstance(text, str) or not text.strip().isascii() or not text.strip().isdigit():
        return None
    number = int(text.strip())
    return number if 0 < number <= MAX_SNAPSHOT_ID else None


def _check_name(name: object) -> str:
    if not isinstance(name, str) or not name.strip():
        raise SnapshotNameError("a snapshot needs a name", "blank")
    name = name.strip()
    if len(name) > MAX_SNAPSHOT_NAME:
        raise SnapshotNameError(f"a snapshot name has at most {MAX_SNAPSHOT_NAME} characters, got {len(name)}",
                                "too_long")
    if not name.isprintable():
        raise SnapshotNameError("a snapshot name cannot hold control characters", "control")
    return name


def _snapshot(row) -> FrozenSnapshot:
    return FrozenSnapshot(id=row.id, name=row.name, case=row.case, query=json.loads(row.query),
                          data_version=row.data_version, taken_at=row.taken_at, user=row.user)


def freeze(engine: Engine, case: str, name: str, query: dict, version: int | None = None,
           user: str | None = None, now: dt.datetime | None = None) -> FrozenSnapshot:
    """Store a snapshot of ``case`` under ``query`` at data ``version`` (default: the case's current one).

    ``version`` is the version the person saw; one above the case's current
    version, or a case that does not exist, is refused.
    """
    name = _check_name(name)
    taken_at = (now or dt.datetime.now(dt.UTC)).replace(tzinfo=None, microsecond=0)
    payload = json.dumps(dict(query), ensure_ascii=False, sort_keys=True)
    with write_transaction(engine) as conn:
        current = case_version(conn, case)
        if current is None:
            raise UnknownCaseError(case)
        version = current if version is None else int(version)
        if not 0 < version <= current:
            raise StoreError(f"case {case!r} has no data version {version} (its current one is {current})")
        values = dict(name=name, case=case, query=payload, data_version=version, taken_at=taken_at, user=user)
        new_id = conn.execute(insert(table).values(**values).returning(table.c.id)).scalar_one()
    return FrozenSnapshot(id=new_id, query=json.loads(payload), **{k: v for k, v in values.items() if k != "query"})


def frozen_snapshots(engine: Engine, case: str | None = None) -> list[FrozenSnapshot]:
    """The stored snapshots (of ``case``, or of every case), newest first."""
    query = select(table).order_by(table.c.taken_at.desc(), table.c.id.desc())
    if case is not None:
        query = query.where(table.c.case == case)
    with engine.connect() as conn:
        return [_snapshot(row) for row in conn.execute(query)]


def frozen_snapshot(engine: Engine, snapshot_id: int) -> FrozenSnapshot | None:
    """The snapshot of that id, or None."""
    with engine.connect() as conn:
        row = conn.execute(select(table).where(table.c.id == int(snapshot_id))).first()
    return None if row is None else _snapshot(row)


def delete_frozen(engine: Engine, snapshot_id: int) -> bool:
    """Delete one snapshot (its rows stay while the case's history needs them); whether it existed."""
    with write_transaction(engine) as conn:
        return conn.execute(delete(table).where(table.c.id == int(snapshot_id))).rowcount > 0


def delete_case_frozen(conn: Connection, case: str) -> int:
    """Delete a deleted case's snapshots, in its transaction; how many there were."""
    return conn.execute(delete(table).where(table.c.case == case)).rowcount


def pinned_versions(conn: Connection, case: str) -> set[int]:
    """The data versions of ``case`` that snapshots point at: their rows must stay."""
    return set(conn.execute(select(table.c.data_version).where(table.c.case == case).distinct()).scalars())

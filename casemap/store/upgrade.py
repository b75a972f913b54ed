"""Creating the tables, and upgrading a database built by an older Casemap.

The ``schema_version`` table holds the layout version a database was built
with; ``ensure_schema`` runs ``UPGRADES[v]`` for every v from the stored
version up to ``SCHEMA_VERSION - 1`` (each takes version v to v + 1) in the
caller's transaction, then creates whatever is missing.

- 1 -> 2: the import_undo table (what each import changed, so it can be undone).
- 2 -> 3: versions as rows. Each row table gains ``added_version`` and
  ``removed_version`` and a primary key that includes ``added_version``; the
  rows a replace kept as JSON in ``import_undo.previous_rows`` come back as
  rows removed at that import's version, so every stored undo still works.
- 3 -> 4: the "two-card" model. The accounts and links tables, and the
  payments' ``payer_account`` and ``payee_account`` columns (NULL for every
  stored payment).
"""

from __future__ import annotations

import json
from collections.abc import Callable

import pandas as pd
from sqlalchemy import (
    Column,
    Connection,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    insert,
    inspect,
    select,
    text,
    update,
)

from casemap.store.errors import StoreError
from casemap.store.rows import insert_rows, storage_values
from casemap.store.tables import (
    ROW_KINDS,
    SCHEMA_VERSION,
    accounts_table,
    import_undo_table,
    links_table,
    metadata,
    schema_version_table,
)

__all__ = ["ensure_schema", "schema_is_current", "UPGRADES"]

_REBUILT = ("suspects", "payments", "milestones", "import_undo")
_V3_KINDS = ("suspects", "payments", "milestones")  # the row kinds a version 2 or 3 database has
_PAYMENT_ACCOUNT_COLUMNS = ("payer_account", "payee_account")  # added by 3 -> 4


def ensure_schema(conn: Connection) -> None:
    """Create the tables of a new database, or bring an older one up to ``SCHEMA_VERSION``."""
    if conn.dialect.name == "postgresql":
        # Two servers starting at once on an empty database must not both create the tables.
        conn.exec_driver_sql("SELECT pg_advisory_xact_lock(7302201)")
    stored = None
    if inspect(conn).has_table(schema_version_table.name):
        stored = conn.execute(select(schema_version_table.c.version)).scalar()
    if stored is None:
        metadata.create_all(conn)
        conn.execute(insert(schema_version_table).values(version=SCHEMA_VERSION, data_counter=0))
        return
    if stored > SCHEMA_VERSION:
        raise StoreError(f"database schema version {stored} is newer than this code ({SCHEMA_VERSION}); upgrade Casemap")
    for version in range(stored, SCHEMA_VERSION):
        UPGRADES[version](conn)
    metadata.create_all(conn)
    conn.execute(update(schema_version_table).values(version=SCHEMA_VERSION))


def schema_is_current(conn: Connection) -> bool:
    """Whether the database already has this code's layout (checked without taking the write lock)."""
    if not inspect(conn).has_table(schema_version_table.name):
        return False
    return conn.execute(select(schema_version_table.c.version)).scalar() == SCHEMA_VERSION


def _import_undo_v2() -> Table:
    """The import_undo table as version 2 laid it out (rows kept as JSON)."""
    return Table(
        "import_undo",
        MetaData(),
        Column("version", Integer, primary_key=True),
        Column("kind", String(16), primary_key=True),
        Column("case", String(100), nullable=False, index=True),
        Column("mode", String(16), nullable=False),
        Column("import_ids", Text, nullable=False),
        Column("added_keys", Text, nullable=False),
        Column("previous_rows", Text),
        Column("undone_version", Integer),
    )


def _upgrade_1_to_2(conn: Connection) -> None:
    _import_undo_v2().create(conn, checkfirst=True)


def _upgrade_2_to_3(conn: Connection) -> None:
    quote = conn.dialect.identifier_preparer.quote
    for name in _REBUILT:
        conn.execute(text(f"ALTER TABLE {quote(name)} RENAME TO {quote(name + '_v2')}"))
    # The old table's index moved with it under its old name, which the new layout may reuse.
    conn.execute(text(f"DROP INDEX IF EXISTS {quote('ix_import_undo_case')}"))
    # Today's layout of these tables (a later step's columns included; that step then finds them there).
    metadata.create_all(conn, tables=[ROW_KINDS[kind].table for kind in _V3_KINDS] + [import_undo_table])
    records = conn.execute(text(f"SELECT * FROM {quote('import_undo_v2')}")).mappings().all()
    for kind in _V3_KINDS:
        _copy_kind(conn, kind, [r for r in records if r["kind"] == kind])
    for record in records:
        fields = ("version", "kind", "case", "mode", "import_ids", "undone_version")
        conn.execute(insert(import_undo_table).values({field: record[field] for field in fields}))
    for name in _REBUILT:
        conn.execute(text(f"DROP TABLE {quote(name + '_v2')}"))


def _copy_kind(conn: Connection, kind: str, records: list) -> None:
    """Copy one kind's rows into the versioned table, case by case, giving each row its added version."""
    spec = ROW_KINDS[kind]
    quote = conn.dialect.identifier_preparer.quote
    old = quote(f"{kind}_v2")
    copied = {c["name"] for c in inspect(conn).get_columns(f"{kind}_v2")}
    cases = conn.execute(text(f"SELECT DISTINCT {quote('case')} FROM {old}")).scalars().all()
    for case in sorted(set(cases) | {r["case"] for r in records}):
        active = sorted((r for r in records if r["case"] == case and r["undone_version"] is None), key=lambda r: r["version"])
        added, base, removed = _replay(kind, active)
        names = ", ".join(quote(c) for c in ("case", *spec.columns) if c in copied)
        conn.execute(
            text(f"INSERT INTO {quote(kind)} ({names}, added_version) SELECT {names}, :base FROM {old} WHERE {quote('case')} = :case"),
            {"base": base, "case": case},
        )
        table = spec.table
        for version in sorted(set(added.values())):
            ids = [key for key, at in added.items() if at == version]
            for start in range(0, len(ids), 500):
                chosen = table.c[spec.key].in_(ids[start : start + 500])
                conn.execute(update(table).where(table.c.case == case, chosen).values(added_version=version))
        for frame, at, version in removed:
            values = storage_values(frame, spec.columns)
            count = len(frame)
            insert_rows(conn, table, {"case": [case] * count, **values, "added_version": at, "removed_version": [version] * count})


def _replay(kind: str, active: list) -> tuple[dict[str, int], int, list]:
    """Walk a case's imports of one kind in order: who added each live id, and what each replace removed.

    Returns the ids appended since the last replace with their version, the
    version every other live row counts as added at (the last replace, else
    0: before any recorded import), and (rows, added versions, version) for
    each replace's removed rows.
    """
    key = ROW_KINDS[kind].key
    added: dict[str, int] = {}
    base, removed = 0, []
    for record in active:
        if record["mode"] == "append":
            added.update((k, record["version"]) for k in json.loads(record["added_keys"]))
        elif record["previous_rows"] is not None:
            frame = _frame_from_json(kind, record["previous_rows"])
            removed.append((frame, [added.get(k, base) for k in frame[key]], record["version"]))
            added, base = {}, record["version"]
    return added, base, removed


def _frame_from_json(kind: str, payload: str) -> pd.DataFrame:
    """Rows that version 2 kept as JSON records (datetimes in ISO form) as a validated frame."""
    spec = ROW_KINDS[kind]
    frame = pd.DataFrame(json.loads(payload), columns=list(spec.columns), dtype=object)
    for column in spec.columns:
        if spec.dtypes[column].startswith("datetime"):
            frame[column] = pd.to_datetime(frame[column])
    return spec.validate(frame)


def _upgrade_3_to_4_accounts_and_links(conn: Connection) -> None:
    """The "two-card" model: accounts and links tables, and the accounts a payment names (NULL when stored)."""
    quote = conn.dialect.identifier_preparer.quote
    present = {c["name"] for c in inspect(conn).get_columns("payments")}
    for column in _PAYMENT_ACCOUNT_COLUMNS:
        if column not in present:
            conn.execute(text(f"ALTER TABLE {quote('payments')} ADD COLUMN {quote(column)} TEXT"))
    metadata.create_all(conn, tables=[accounts_table, links_table])


UPGRADES: dict[int, Callable[[Connection], None]] = {
    1: _upgrade_1_to_2,
    2: _upgrade_2_to_3,
    3: _upgrade_3_to_4_accounts_and_links,
}

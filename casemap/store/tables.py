"""The store's tables: one database, many cases, every row stamped with the versions that added and removed it.

Rows of suspects, payments and milestones are never overwritten. A write at
data version V inserts rows with ``added_version = V``; a replace at V marks
the rows it replaces with ``removed_version = V`` instead of deleting them.
So the live case is ``removed_version IS NULL`` (:func:`live`), and the case
as it stood at version V is :func:`as_of`. An id is unique among live rows
only, which a partial unique index enforces.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd
from sqlalchemy import (
    Column,
    ColumnElement,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    PrimaryKeyConstraint,
    String,
    Table,
    Text,
    and_,
    or_,
)

from casemap.schema import (
    ACCOUNT_COLUMNS,
    ACCOUNT_DTYPES,
    LINK_COLUMNS,
    LINK_DTYPES,
    MILESTONE_COLUMNS,
    MILESTONE_DTYPES,
    PAYMENT_COLUMNS,
    PAYMENT_DTYPES,
    SUSPECT_COLUMNS,
    SUSPECT_DTYPES,
    validate_accounts,
    validate_links,
    validate_milestones,
    validate_payments,
    validate_suspects,
)

__all__ = [
    "SCHEMA_VERSION", "MAX_CASE_NAME", "metadata", "schema_version_table", "cases_table", "suspects_table",
    "payments_table", "milestones_table", "accounts_table", "links_table", "imports_table", "import_undo_table", "RowKind", "ROW_KINDS",
    "live", "as_of",
]

# Version of the table layout below; casemap.store.upgrade brings older databases up to it.
SCHEMA_VERSION = 4
MAX_CASE_NAME = 100

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


def _row_table(name: str, key: str, columns: list[Column], indexed: tuple[str, ...]) -> Table:
    """A versioned row table: case, the kind's columns, added/removed versions and its indexes."""
    table = Table(
        name,
        metadata,
        Column("case", String(MAX_CASE_NAME), ForeignKey("cases.name"), nullable=False),
        *columns,
        Column("added_version", Integer, nullable=False),
        Column("removed_version", Integer),
        PrimaryKeyConstraint("case", key, "added_version", name=f"pk_{name}_rows"),
    )
    Index(
        f"ux_{name}_live_{key}", table.c.case, table.c[key], unique=True,
        sqlite_where=live(table), postgresql_where=live(table),
    )
    for column in indexed:  # every column a filter or a GROUP BY uses, after the case
        Index(f"ix_{name}_{column}", table.c.case, table.c[column])
    return table


def live(table: Table) -> ColumnElement[bool]:
    """The rows of ``table`` that are in the case now (not removed by a later write)."""
    return table.c.removed_version.is_(None)


def as_of(table: Table, version: int) -> ColumnElement[bool]:
    """The rows of ``table`` as they stood at data version ``version``."""
    removed = table.c.removed_version
    return and_(table.c.added_version <= version, or_(removed.is_(None), removed > version))


suspects_table = _row_table(
    "suspects",
    "suspect_id",
    [
        Column("suspect_id", Text, nullable=False),
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
    ],
    ("province_adcode", "city_adcode", "role", "status", "arrest_date"),
)

payments_table = _row_table(
    "payments",
    "txn_id",
    [
        Column("txn_id", Text, nullable=False),
        Column("time", DateTime, nullable=False),
        Column("payer_id", Text, nullable=False),
        Column("payee_id", Text, nullable=False),
        Column("channel", String(32), nullable=False),
        Column("amount_yuan", Float(precision=53), nullable=False),
        Column("purpose", Text),
        Column("payer_account", Text),  # schema 4: the accounts a transfer went from and to
        Column("payee_account", Text),
        Column("extra", Text, nullable=False),
    ],
    ("time", "payer_id", "payee_id", "channel"),
)

# Schema 4, the "two-card" model: phone numbers and accounts, and the links between people and accounts.
accounts_table = _row_table(
    "accounts",
    "account_id",
    [
        Column("account_id", Text, nullable=False),
        Column("kind", String(32), nullable=False),
        Column("number", Text, nullable=False),
        Column("holder_id", Text),
        Column("status", String(32)),
        Column("province_adcode", String(6)),
        Column("city_adcode", String(6)),
        Column("address", Text),
        Column("first_seen", DateTime),
        Column("lead", String(32)),
        Column("extra", Text, nullable=False),
    ],
    ("kind", "holder_id", "province_adcode", "city_adcode"),
)

links_table = _row_table(
    "links",
    "link_id",
    [
        Column("link_id", Text, nullable=False),
        Column("from_id", Text, nullable=False),
        Column("to_id", Text, nullable=False),
        Column("relation", String(32), nullable=False),
        Column("source", String(32)),
        Column("date", DateTime),
        Column("note", Text),
        Column("extra", Text, nullable=False),
    ],
    ("from_id", "to_id", "relation"),
)

milestones_table = _row_table(
    "milestones",
    "key",
    [
        Column("key", String(64), nullable=False),
        Column("date", DateTime, nullable=False),
        Column("en", Text, nullable=False),
        Column("zh", Text, nullable=False),
    ],
    (),
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

# One row per kind an import touched; the rows themselves carry its version,
# so undoing it needs no copy of them.
import_undo_table = Table(
    "import_undo",
    metadata,
    Column("version", Integer, primary_key=True),
    Column("kind", String(16), primary_key=True),
    Column("case", String(MAX_CASE_NAME), nullable=False),
    Column("mode", String(16), nullable=False),
    Column("import_ids", Text, nullable=False),  # JSON list of imports.id
    Column("undone_version", Integer),  # data version of the undo, once undone
    Index("ix_import_undo_case_version", "case", "version"),
)


@dataclass(frozen=True)
class RowKind:
    """One kind of case row: its table, frame contract (columns, dtypes, validator), id column and load order."""

    name: str
    table: Table
    columns: tuple[str, ...]
    dtypes: dict[str, str]
    validate: Callable[[pd.DataFrame], pd.DataFrame]
    key: str
    order: tuple[str, ...]


ROW_KINDS: dict[str, RowKind] = {
    "suspects": RowKind(
        "suspects", suspects_table, SUSPECT_COLUMNS, SUSPECT_DTYPES, validate_suspects, "suspect_id", ("suspect_id",)
    ),
    "payments": RowKind(
        "payments", payments_table, PAYMENT_COLUMNS, PAYMENT_DTYPES, validate_payments, "txn_id", ("time", "txn_id")
    ),
    "milestones": RowKind(
        "milestones", milestones_table, MILESTONE_COLUMNS, MILESTONE_DTYPES, validate_milestones, "key", ("date", "key")
    ),
    "accounts": RowKind(
        "accounts", accounts_table, ACCOUNT_COLUMNS, ACCOUNT_DTYPES, validate_accounts, "account_id", ("account_id",)
    ),
    "links": RowKind("links", links_table, LINK_COLUMNS, LINK_DTYPES, validate_links, "link_id", ("link_id",)),
}

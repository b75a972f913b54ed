"""Who may use a hosted Casemap, and what they did: the users table and the append-only audit log.

A user is an identity (the OIDC email or subject, or the name a trusted
proxy sends), a role (viewer, analyst, admin) and the provinces they may
see (none listed: every province). The audit log only ever grows: this
module has no update or delete for it, and the database refuses both
(a trigger on SQLite and PostgreSQL), so not even a hand-written statement
through Casemap's connection rewrites history.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone

from sqlalchemy import (
    DDL,
    Column,
    Connection,
    DateTime,
    Engine,
    Index,
    Integer,
    String,
    Table,
    Text,
    delete,
    event,
    insert,
    select,
    update,
)

from casemap.access import ROLES
from casemap.schema import PROVINCE_ADCODES
from casemap.store.engine import WRITE_OPTION
from casemap.store.errors import StoreError
from casemap.store.tables import metadata

__all__ = [
    "ROLES", "ACTIONS", "users_table", "audit_table", "User", "AuditEntry", "UserError", "normalise_identity",
    "parse_provinces", "signed_in_before", "get_user", "list_users", "add_user", "set_user", "remove_user", "record",
    "record_in", "read_audit",
    "create_user_tables",
]

MAX_IDENTITY = 320  # the longest e-mail address
# What the audit log records (the ``action`` column).
ACTIONS = ("sign_in", "sign_out", "denied", "page_view", "export", "import", "undo", "user_add", "user_set",
           "user_remove", "snapshot_freeze", "snapshot_delete", "case_delete")

users_table = Table(
    "users",
    metadata,
    Column("identity", String(MAX_IDENTITY), primary_key=True),
    Column("role", String(16), nullable=False),
    Column("provinces", Text, nullable=False, default=""),  # comma-separated adcodes; empty: every province
    Column("created_at", DateTime, nullable=False),
    Column("updated_at", DateTime, nullable=False),
)

audit_table = Table(
    "audit_log",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("at", DateTime, nullable=False),
    Column("identity", Text),  # None: nobody signed in
    Column("address", Text),  # the client's address, "cli" for the command line
    Column("action", String(32), nullable=False),
    Column("detail", Text, nullable=False, default="{}"),  # JSON: page, filters, case, file, reason...
    Index("ix_audit_log_at", "at"),
)

_REFUSE = "audit log is append-only"
event.listen(audit_table, "after_create", DDL(
    f"CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log BEGIN SELECT RAISE(ABORT, '{_REFUSE}'); END"
).execute_if(dialect="sqlite"))
event.listen(audit_table, "after_create", DDL(
    f"CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log BEGIN SELECT RAISE(ABORT, '{_REFUSE}'); END"
).execute_if(dialect="sqlite"))
event.listen(audit_table, "after_create", DDL(
    "CREATE OR REPLACE FUNCTION audit_log_refuse() RETURNS trigger LANGUAGE plpgsql AS "
    f"$$ BEGIN RAISE EXCEPTION '{_REFUSE}'; END $$; "
    "CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON audit_log "
    "FOR EACH STATEMENT EXECUTE FUNCTION audit_log_refuse()"
).execute_if(dialect="postgresql"))


def create_user_tables(conn: Connection) -> None:
    """Schema 3 -> 4, users and audit: create the users table and the audit log (with its guards)."""
    users_table.create(conn, checkfirst=True)
    audit_table.create(conn, checkfirst=True)


class UserError(StoreError):
    """A bad user change: unknown role, unknown province, unknown or existing user."""


@dataclass(frozen=True)
class User:
    """One row of the users table."""

    identity: str
    role: str
    provinces: tuple[str, ...]  # empty: every province
    created_at: datetime
    updated_at: datetime

    def as_dict(self) -> dict:
        """The user as JSON-ready values."""
        return {"identity": self.identity, "role": self.role, "provinces": list(self.provinces),
                "created_at": self.created_at.isoformat(), "updated_at": self.updated_at.isoformat()}


@dataclass(frozen=True)
class AuditEntry:
    """One row of the audit log."""

    id: int
    at: datetime
    identity: str | None
    address: str | None
    action: str
    detail: dict

    def as_dict(self) -> dict:
        """The entry as JSON-ready values."""
        return {"id": self.id, "at": self.at.isoformat(), "identity": self.identity, "address": self.address,
                "action": self.action, "detail": self.detail}


@contextmanager
def _writing(engine: Engine) -> Iterator[Connection]:
    """A small write: it takes the write lock at once (SQLite) but, unlike a case write, refreshes no statistics."""
    with engine.connect() as conn:
        conn.execution_options(**{WRITE_OPTION: True})
        with conn.begin():
            yield conn


def _now() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)  # stored as UTC without a zone, like the other tables


def normalise_identity(identity: str) -> str:
    """An identity as stored: trimmed, lower case (e-mail addresses and subjects compare case-insensitively)."""
    cleaned = (identity or "").strip().lower()
    if not cleaned:
        raise UserError("a user needs an identity (the e-mail address or subject the sign-in gives)")
    if len(cleaned) > MAX_IDENTITY:
        raise UserError(f"identity longer than {MAX_IDENTITY} characters")
    return cleaned


def _check_role(role: str) -> str:
    if role not in ROLES:
        raise UserError(f"unknown role {role!r}: expected one of {', '.join(ROLES)}")
    return role


def parse_provinces(text: str | Iterable[str] | None) -> tuple[str, ...]:
    """Province adcodes from ``430000,450000`` (or a list); empty means every province. Unknown codes raise."""
    if text is None:
        return ()
    parts = text.replace("，", ",").split(",") if isinstance(text, str) else list(text)
    codes = [part.strip() for part in parts if part.strip()]
    unknown = [code for code in codes if code not in PROVINCE_ADCODES]
    if unknown:
        raise UserError(f"unknown province adcode {unknown[0]!r}: expected a 6-digit provincial code such as 430000")
    return tuple(sorted(set(codes)))


def _user(row) -> User:
    provinces = tuple(code for code in (row.provinces or "").split(",") if code)
    return User(row.identity, row.role, provinces, row.created_at, row.updated_at)


def get_user(engine: Engine, identity: str) -> User | None:
    """The user with ``identity``, or None when there is none."""
    try:
        key = normalise_identity(identity)
    except UserError:
        return None
    with engine.connect() as conn:
        row = conn.execute(select(users_table).where(users_table.c.identity == key)).first()
    return None if row is None else _user(row)


def list_users(engine: Engine) -> list[User]:
    """Every user, by identity."""
    with engine.connect() as conn:
        return [_user(row) for row in conn.execute(select(users_table).order_by(users_table.c.identity))]


def add_user(engine: Engine, identity: str, role: str, provinces: Iterable[str] = (), *, by: str | None,
             address: str | None) -> User:
    """Add a user; the change is audited as ``user_add`` by ``by`` from ``address``."""
    key, role, codes = normalise_identity(identity), _check_role(role), parse_provinces(list(provinces))
    now = _now()
    with _writing(engine) as conn:
        if conn.execute(select(users_table.c.identity).where(users_table.c.identity == key)).first():
            raise UserError(f"user {key!r} already exists: change it with `user set`")
        conn.execute(insert(users_table).values(identity=key, role=role, provinces=",".join(codes),
                                                created_at=now, updated_at=now))
        _record(conn, by, address, "user_add", {"user": key, "role": role, "provinces": list(codes)})
    return User(key, role, codes, now, now)


def set_user(engine: Engine, identity: str, *, role: str | None = None, provinces: Iterable[str] | None = None,
             by: str | None, address: str | None) -> User:
    """Change a user's role and/or provinces (an empty list: every province); audited as ``user_set``."""
    key = normalise_identity(identity)
    changes: dict = {}
    if role is not None:
        changes["role"] = _check_role(role)
    if provinces is not None:
        changes["provinces"] = ",".join(parse_provinces(list(provinces)))
    with _writing(engine) as conn:
        row = conn.execute(select(users_table).where(users_table.c.identity == key)).first()
        if row is None:
            raise UserError(f"no user {key!r}: add it with `user add`")
        conn.execute(update(users_table).where(users_table.c.identity == key).values(**changes, updated_at=_now()))
        detail = {"user": key, **changes}
        if "provinces" in detail:
            detail["provinces"] = [c for c in detail["provinces"].split(",") if c]
        _record(conn, by, address, "user_set", detail)
        row = conn.execute(select(users_table).where(users_table.c.identity == key)).first()
    return _user(row)


def remove_user(engine: Engine, identity: str, *, by: str | None, address: str | None) -> None:
    """Remove a user; audited as ``user_remove``."""
    key = normalise_identity(identity)
    with _writing(engine) as conn:
        if conn.execute(delete(users_table).where(users_table.c.identity == key)).rowcount == 0:
            raise UserError(f"no user {key!r}")
        _record(conn, by, address, "user_remove", {"user": key})


def _record(conn: Connection, identity: str | None, address: str | None, action: str, detail: dict) -> None:
    conn.execute(insert(audit_table).values(at=_now(), identity=identity, address=address, action=action,
                                            detail=json.dumps(detail, ensure_ascii=False, sort_keys=True, default=str)))


def record_in(conn: Connection, identity: str | None, address: str | None, action: str, detail: dict) -> None:
    """Append one audit entry inside the caller's transaction (a store change and its line commit together)."""
    _record(conn, identity, address, action, detail)


def record(engine: Engine, identity: str | None, address: str | None, action: str, **detail) -> None:
    """Append one entry to the audit log: who (``identity``), from where, what (``action`` and ``detail``)."""
    with _writing(engine) as conn:
        _record(conn, identity, address, action, detail)


def signed_in_before(engine: Engine, identity: str, token_issued: int) -> bool:
    """Whether a sign-in of ``identity`` with the token issued at ``token_issued`` is already in the log."""
    query = (select(audit_table.c.detail).where(audit_table.c.action == "sign_in", audit_table.c.identity == identity)
             .order_by(audit_table.c.id.desc()).limit(50))
    with engine.connect() as conn:
        return any(json.loads(detail).get("token_issued") == token_issued for detail in conn.execute(query).scalars())


def read_audit(engine: Engine, *, identity: str | None = None, action: str | None = None,
               since: datetime | None = None, limit: int | None = None) -> list[AuditEntry]:
    """Audit entries, newest first, optionally only one identity's, one action's, or those at or after ``since``."""
    query = select(audit_table).order_by(audit_table.c.id.desc())
    if identity:
        query = query.where(audit_table.c.identity == identity.strip().lower())
    if action:
        query = query.where(audit_table.c.action == action)
    if since is not None:
        query = query.where(audit_table.c.at >= since)
    if limit:
        query = query.limit(limit)
    with engine.connect() as conn:
        return [AuditEntry(row.id, row.at, row.identity, row.address, row.action, json.loads(row.detail or "{}"))
                for row in conn.execute(query)]

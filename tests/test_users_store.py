"""The users table and the audit log: changes, clear errors, and an audit log nothing can rewrite.

Every test runs on SQLite and on PostgreSQL (``store_url``).
"""

import ast
from datetime import datetime, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

from casemap.store import users
from casemap.store.engine import make_engine, write_transaction
from casemap.store.tables import SCHEMA_VERSION
from casemap.store.upgrade import ensure_schema

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture
def engine(store_url):
    engine = make_engine(store_url)
    with write_transaction(engine) as conn:
        ensure_schema(conn)
    yield engine
    engine.dispose()


def test_add_set_list_remove_and_every_change_audited(engine):
    users.add_user(engine, "  Zhou@Unit.GOV.cn ", "viewer", ["430000"], by="admin@unit", address="10.0.0.9")
    users.add_user(engine, "analyst@unit", "analyst", [], by="admin@unit", address="10.0.0.9")
    assert users.get_user(engine, "ZHOU@unit.gov.cn").provinces == ("430000",)  # identities compare case-insensitively
    changed = users.set_user(engine, "zhou@unit.gov.cn", role="analyst", provinces=["450000", "430000"], by="a", address="cli")
    assert (changed.role, changed.provinces) == ("analyst", ("430000", "450000"))
    kept = users.set_user(engine, "zhou@unit.gov.cn", role="admin", by="a", address="cli")
    assert kept.provinces == ("430000", "450000")  # a role change leaves the provinces alone
    assert [u.identity for u in users.list_users(engine)] == ["analyst@unit", "zhou@unit.gov.cn"]
    users.remove_user(engine, "zhou@unit.gov.cn", by="a", address="cli")
    assert users.get_user(engine, "zhou@unit.gov.cn") is None
    log = users.read_audit(engine)
    assert [e.action for e in log] == ["user_remove", "user_set", "user_set", "user_add", "user_add"]
    assert log[-1].identity == "admin@unit" and log[-1].address == "10.0.0.9"
    assert log[-1].detail == {"user": "zhou@unit.gov.cn", "role": "viewer", "provinces": ["430000"]}


@pytest.mark.parametrize("change, message", [
    (lambda e: users.add_user(e, "x@unit", "boss", [], by=None, address=None), "unknown role 'boss'"),
    (lambda e: users.add_user(e, "x@unit", "viewer", ["431000"], by=None, address=None), "unknown province adcode '431000'"),
    (lambda e: users.add_user(e, "   ", "viewer", [], by=None, address=None), "needs an identity"),
    (lambda e: users.add_user(e, "taken@unit", "viewer", [], by=None, address=None), "already exists"),
    (lambda e: users.set_user(e, "ghost@unit", role="viewer", by=None, address=None), "no user 'ghost@unit'"),
    (lambda e: users.remove_user(e, "ghost@unit", by=None, address=None), "no user 'ghost@unit'"),
])
def test_bad_changes_say_what_was_wrong_and_change_nothing(engine, change, message):
    users.add_user(engine, "taken@unit", "analyst", [], by=None, address=None)
    before = (users.list_users(engine), len(users.read_audit(engine)))
    with pytest.raises(users.UserError, match=message):
        change(engine)
    assert (users.list_users(engine), len(users.read_audit(engine))) == before


def test_audit_filters_by_user_action_and_time(engine):
    users.record(engine, "a@unit", "10.0.0.1", "page_view", page="map", filters={"province": "430000"})
    users.record(engine, "b@unit", "10.0.0.2", "export", kind="suspects")
    users.record(engine, None, "203.0.113.5", "denied", outcome="not_configured")
    assert [e.action for e in users.read_audit(engine, identity="A@unit")] == ["page_view"]
    assert [e.identity for e in users.read_audit(engine, action="denied")] == [None]
    assert users.read_audit(engine, since=datetime.utcnow() + timedelta(hours=1)) == []
    assert len(users.read_audit(engine, since=datetime.utcnow() - timedelta(hours=1))) == 3
    assert users.read_audit(engine, action="page_view")[0].detail == {"page": "map", "filters": {"province": "430000"}}


@pytest.mark.parametrize("statement", ["UPDATE audit_log SET action = 'nothing'", "DELETE FROM audit_log"])
def test_the_database_refuses_to_rewrite_the_audit_log(engine, statement):
    users.record(engine, "a@unit", "10.0.0.1", "sign_in")
    with pytest.raises(sa.exc.DBAPIError, match="append-only"):
        with engine.begin() as conn:
            conn.execute(sa.text(statement))
    assert [e.action for e in users.read_audit(engine)] == ["sign_in"]


def test_no_code_updates_or_deletes_audit_rows():
    """Append-only in the code too: no update() or delete() of the audit table anywhere in the package."""
    offenders = []
    for path in sorted((REPO / "casemap").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", "")) in ("update", "delete"):
                if any(isinstance(arg, ast.Name) and arg.id == "audit_table" for arg in node.args):
                    offenders.append(f"{path.name}:{node.lineno}")
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                text = " ".join(node.value.lower().split())
                if any(f"{verb} audit_log" in text for verb in ("update", "delete from", "truncate")):
                    offenders.append(f"{path.name}:{node.lineno}")
    assert offenders == []


def test_a_version_3_database_gains_the_users_and_audit_tables(store_url):
    engine = make_engine(store_url)
    with write_transaction(engine) as conn:
        ensure_schema(conn)
    with engine.begin() as conn:  # back to what a schema 3 database had
        conn.execute(sa.text("DROP TABLE users"))
        conn.execute(sa.text("DROP TABLE audit_log"))  # the triggers refuse DELETE, not DROP
        conn.execute(sa.text("UPDATE schema_version SET version = 3"))
    with write_transaction(engine) as conn:
        ensure_schema(conn)
    with engine.connect() as conn:
        assert conn.execute(sa.text("SELECT version FROM schema_version")).scalar() == SCHEMA_VERSION == 4
    users.record(engine, "a@unit", None, "sign_in")
    with pytest.raises(sa.exc.DBAPIError, match="append-only"):
        with engine.begin() as conn:
            conn.execute(sa.text("DELETE FROM audit_log"))
    engine.dispose()

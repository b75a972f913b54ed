"""The shared database fixtures: a real PostgreSQL server, fresh isolated databases, no silent skip in CI."""

import os
import pwd
import shutil
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import Column, Integer, MetaData, Table, create_engine, inspect, insert, make_url, select, text

from casemap.store import DEMO_CASE, Store
from tests import conftest


@contextmanager
def connected(url):
    engine = create_engine(url)
    try:
        with engine.begin() as conn:
            yield conn
    finally:
        engine.dispose()


def table_names(url):
    engine = create_engine(url)
    try:
        return inspect(engine).get_table_names()
    finally:
        engine.dispose()


def test_postgres_url_reaches_a_real_postgresql_server(postgres_url):
    url = make_url(postgres_url)
    assert (url.drivername, url.host, url.database) == ("postgresql+psycopg", "127.0.0.1", "casemap")
    with connected(postgres_url) as conn:
        assert conn.execute(text("select version()")).scalar_one().startswith("PostgreSQL ")
        assert conn.execute(text("select current_database()")).scalar_one() == "casemap"
        assert conn.execute(text("select inet_server_port()")).scalar_one() == url.port


def test_the_trust_auth_server_listens_on_loopback_only(postgres_url):
    with connected(postgres_url) as conn:
        assert conn.execute(text("show listen_addresses")).scalar_one() == "127.0.0.1"


def test_store_url_is_an_empty_database_of_its_backend(store_url, request):
    assert make_url(store_url).get_backend_name() == request.node.callspec.params["store_url"]
    assert table_names(store_url) == []


def test_two_fresh_databases_share_nothing(store_url, fresh_store_url):
    other_url = fresh_store_url(make_url(store_url).get_backend_name())
    assert other_url != store_url
    marker = Table("marker", MetaData(), Column("n", Integer))
    with connected(store_url) as conn:
        marker.create(conn)
        conn.execute(insert(marker).values(n=7))
    assert table_names(other_url) == []
    with connected(store_url) as conn:
        assert conn.execute(select(marker.c.n)).scalars().all() == [7]


def test_a_dropped_database_is_gone_even_with_a_connection_left_open(postgres_server):
    name = postgres_server.create_database()
    engine = create_engine(postgres_server.url(name))
    conn = engine.connect()
    conn.execute(text("select 1"))
    postgres_server.drop_database(name)
    assert not postgres_server.database_exists(name)
    engine.dispose()


def test_the_store_creates_its_schema_on_both_backends(store_url):
    with Store(store_url) as store:
        store.ensure()
        assert DEMO_CASE in store.cases()
    assert "cases" in table_names(store_url)


def test_bindir_prefers_the_newest_major_version(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))  # no pg_config, no initdb on the PATH
    for version in ("9.6", "13", "15"):
        for program in ("initdb", "pg_ctl"):
            path = tmp_path / version / "bin" / program
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text("")
    (tmp_path / "17" / "bin").mkdir(parents=True)  # a client-only install: no initdb
    assert conftest.find_postgres_bindir(tmp_path) == tmp_path / "15" / "bin"
    shutil.rmtree(tmp_path / "15")
    assert conftest.find_postgres_bindir(tmp_path) == tmp_path / "13" / "bin"


@pytest.mark.parametrize(
    "ci, outcome",
    [("true", pytest.fail.Exception), ("1", pytest.fail.Exception), ("", pytest.skip.Exception),
     ("false", pytest.skip.Exception), (None, pytest.skip.Exception)],
)
def test_missing_postgresql_fails_in_ci_and_skips_elsewhere(monkeypatch, ci, outcome):
    if ci is None:
        monkeypatch.delenv("CI", raising=False)
    else:
        monkeypatch.setenv("CI", ci)
    monkeypatch.setattr(conftest, "find_postgres_bindir", lambda: None)
    with pytest.raises(outcome, match="apt-get install postgresql"):
        conftest.start_postgres_server()


def test_the_session_server_folder_belongs_to_the_server(postgres_server):
    root = Path(postgres_server.root)
    assert (root / "data" / "PG_VERSION").is_file()
    if os.geteuid() == 0:
        assert root.stat().st_uid == pwd.getpwnam(conftest.PG_OS_USER).pw_uid

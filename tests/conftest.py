"""Fixtures shared by the whole test suite.

PostgreSQL is real, never mocked: one throw-away server per test session,
started from the installed PostgreSQL binaries in a temp folder and listening
only on 127.0.0.1. Where the binaries are missing, the PostgreSQL tests skip
locally but fail in CI (``CI`` set), so CI can never pass without them.

- ``store_url``: runs a test once per backend (ids ``sqlite`` and
  ``postgresql``), each time on a fresh, empty database, e.g. ``Store(store_url)``.
- ``fresh_store_url``: a factory, ``fresh_store_url("sqlite" | "postgresql")``,
  for a test that needs more than one empty database.
- ``postgres_url``: the session server's ``casemap`` database, shared by every
  test that asks for it; ``postgres_server`` is the server itself.

Cases, built once per session on first use (never at import):

- ``demo_case``, ``tiny_case_data`` (``tests/tiny_case.py``) and ``large_case``
  (2,000 suspects, 20,000 payments from ``bench/large_case.py``): frames.
- ``seeded_store``: once per read path (ids ``sqlite`` and ``postgresql``,
  queries on the store itself; ``snapshot``, queries on the DuckDB snapshots
  of a SQLite store, the app's path), a store holding the three cases as
  ``demo``, ``tiny`` and ``large`` (and ``tiny-twin``: the tiny case's ids
  with other rows), shared by the whole session. ``seeded_store.query(state, scope)`` is the query layer for
  ``state``'s case; ``seeded_store.put(name, frames)`` adds a test's own
  hand-made case, once. No case is ever changed after it is written.
"""

from __future__ import annotations

import functools
import itertools
import os
import pwd
import re
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import NoReturn

import pytest

from casemap.demo import DEMO_CASE
from casemap.schema import CaseData, empty_milestones

PG_LIB_ROOT = Path("/usr/lib/postgresql")
PG_SUPERUSER = "casemap"
PG_DATABASE = "casemap"
# PostgreSQL refuses to run as root; as root the server runs as this OS user,
# which Debian's postgresql package creates.
PG_OS_USER = "postgres"
# The server lives as long as one test session: durability only costs time.
# A trust-auth server must never listen beyond this machine.
PG_SETTINGS = {
    "listen_addresses": "'127.0.0.1'",
    "fsync": "off",
    "synchronous_commit": "off",
    "full_page_writes": "off",
    "shared_buffers": "'32MB'",
    "max_connections": "200",
}
PG_START_ATTEMPTS = 3
BACKENDS = ["sqlite", "postgresql"]


_SNAPSHOT_DIR = None


def pytest_configure(config):
    config.addinivalue_line("markers", "postgresql: runs against the session's throw-away PostgreSQL server")
    # Snapshots the tests' apps and commands build go to a folder of the session's own
    # (inherited by every app and command a test starts), never to data/snapshots.
    global _SNAPSHOT_DIR
    _SNAPSHOT_DIR = tempfile.mkdtemp(prefix="casemap-snapshots-")
    os.environ["CASEMAP_SNAPSHOT_DIR"] = _SNAPSHOT_DIR


def pytest_unconfigure(config):
    if _SNAPSHOT_DIR:
        shutil.rmtree(_SNAPSHOT_DIR, ignore_errors=True)


def running_in_ci() -> bool:
    """Whether the ``CI`` environment variable is set to something other than a "no"."""
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def postgres_unavailable(reason: str) -> NoReturn:
    """Skip the calling test because PostgreSQL can't run here; fail instead in CI."""
    if running_in_ci():
        pytest.fail(f"PostgreSQL is required in CI but {reason}", pytrace=False)
    pytest.skip(f"PostgreSQL tests need a local PostgreSQL server: {reason}")


def find_postgres_bindir(lib_root: Path = PG_LIB_ROOT) -> Path | None:
    """Return the folder holding ``initdb`` and ``pg_ctl``, or None.

    Looks at ``pg_config --bindir`` first, then Debian's ``/usr/lib/postgresql/<major>/bin``
    (newest major first), then ``initdb`` on the PATH. Debian's ``pg_config`` may
    come from libpq-dev without the server, hence the check for the binaries.
    """
    candidates = []
    pg_config = shutil.which("pg_config")
    if pg_config:
        found = subprocess.run([pg_config, "--bindir"], capture_output=True, text=True)
        if found.returncode == 0 and found.stdout.strip():
            candidates.append(Path(found.stdout.strip()))
    candidates += sorted(lib_root.glob("*/bin"), key=lambda path: _version_key(path.parent.name), reverse=True)
    initdb = shutil.which("initdb")
    if initdb:
        candidates.append(Path(initdb).resolve().parent)
    for folder in candidates:
        if (folder / "initdb").is_file() and (folder / "pg_ctl").is_file():
            return folder
    return None


def _version_key(name: str) -> tuple[int, ...]:
    # "9.6" < "15": compare numbers, not strings; non-versions sort first.
    return tuple(int(part) for part in name.split(".")) if re.fullmatch(r"\d+(\.\d+)*", name) else ()


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class PostgresServer:
    """A PostgreSQL server in its own temp folder, with trust auth on 127.0.0.1."""

    def __init__(self, bindir: Path, os_user: str | None):
        self.bindir = bindir
        self.os_user = os_user
        self.root = Path(tempfile.mkdtemp(prefix="casemap-postgres-"))
        self.data = self.root / "data"
        self.log = self.root / "server.log"
        self.port = 0
        self._names = itertools.count(1)
        if os_user:
            account = pwd.getpwnam(os_user)
            os.chown(self.root, account.pw_uid, account.pw_gid)

    def url(self, database: str = PG_DATABASE) -> str:
        """The SQLAlchemy URL of one of this server's databases."""
        return f"postgresql+psycopg://{PG_SUPERUSER}@127.0.0.1:{self.port}/{database}"

    def start(self) -> None:
        """initdb, then start on a free port; retry if another process took the port first."""
        self._run("initdb", "-D", self.data, "-U", PG_SUPERUSER, "--auth=trust",
                  "--encoding=UTF8", "--locale=C", "--no-sync")
        for attempt in range(1, PG_START_ATTEMPTS + 1):
            self.port = _free_port()
            self._write_settings()
            started = self._run("pg_ctl", "-D", self.data, "-l", self.log, "-w", "-t", "60", "start", check=False)
            if started.returncode == 0:
                break
            log = self.log.read_text(errors="replace") if self.log.exists() else ""
            if "could not bind" not in log or attempt == PG_START_ATTEMPTS:
                raise RuntimeError(f"pg_ctl start failed:\n{started.stdout}{started.stderr}\n{log[-3000:]}")
        self.execute(f'CREATE DATABASE "{PG_DATABASE}" TEMPLATE template0')

    def stop(self) -> None:
        """Stop the server and remove its folder."""
        try:
            if (self.data / "postmaster.pid").exists():
                self._run("pg_ctl", "-D", self.data, "-m", "immediate", "-w", "stop", check=False)
        finally:
            shutil.rmtree(self.root, ignore_errors=True)

    def execute(self, statement: str) -> None:
        """Run one statement outside a transaction, as the superuser, on the ``postgres`` database."""
        import psycopg

        with psycopg.connect(host="127.0.0.1", port=self.port, user=PG_SUPERUSER, dbname="postgres",
                             autocommit=True) as conn:
            conn.execute(statement)

    def database_exists(self, name: str) -> bool:
        """Whether a database of that name exists on this server."""
        import psycopg

        with psycopg.connect(host="127.0.0.1", port=self.port, user=PG_SUPERUSER, dbname="postgres") as conn:
            return conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone() is not None

    def create_database(self) -> str:
        """Create a new empty database with a name unique on this server; return the name."""
        name = f"casemap_test_{next(self._names)}"
        # template0 is the pristine template: nothing a test added to template1 leaks in.
        self.execute(f'CREATE DATABASE "{name}" TEMPLATE template0')
        return name

    def drop_database(self, name: str) -> None:
        """Drop a database, ending any connection a test left open to it."""
        self.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def _write_settings(self) -> None:
        settings = {**PG_SETTINGS, "port": str(self.port), "unix_socket_directories": f"'{self.root}'"}
        # Later lines win in postgresql.conf, so a retry's port overrides the earlier one.
        with (self.data / "postgresql.conf").open("a") as conf:
            conf.write("\n# test session\n" + "".join(f"{key} = {value}\n" for key, value in settings.items()))

    def _run(self, program: str, *args, check: bool = True) -> subprocess.CompletedProcess:
        command = [str(self.bindir / program), *map(str, args)]
        as_user = {}
        if self.os_user:
            as_user = {"user": self.os_user, "group": pwd.getpwnam(self.os_user).pw_gid, "extra_groups": []}
        # cwd: the server's OS user may not be allowed into the directory pytest runs from.
        done = subprocess.run(command, cwd=self.root, capture_output=True, text=True, timeout=120, **as_user)
        if check and done.returncode != 0:
            raise RuntimeError(f"{program} failed ({done.returncode}):\n{done.stdout}{done.stderr}")
        return done


def start_postgres_server() -> PostgresServer:
    """Start a throw-away server, or skip (fail in CI) when PostgreSQL can't run here."""
    try:
        import psycopg  # noqa: F401
    except ImportError:
        postgres_unavailable("the psycopg driver is not installed (see requirements.txt)")
    bindir = find_postgres_bindir()
    if bindir is None:
        postgres_unavailable(
            f"no initdb/pg_ctl found (pg_config --bindir, {PG_LIB_ROOT}/*/bin, PATH); "
            "on Debian: apt-get install postgresql"
        )
    os_user = None
    if os.geteuid() == 0:
        try:
            pwd.getpwnam(PG_OS_USER)
        except KeyError:
            postgres_unavailable(f"running as root and there is no '{PG_OS_USER}' OS user to run the server")
        os_user = PG_OS_USER
    server = PostgresServer(bindir, os_user)
    try:
        server.start()
    except Exception as error:
        server.stop()
        pytest.fail(f"the throw-away PostgreSQL server did not start: {error}", pytrace=False)
    return server


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    """The session's throw-away PostgreSQL server, stopped and removed at the end."""
    server = start_postgres_server()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def postgres_url(postgres_server: PostgresServer) -> str:
    """``postgresql+psycopg://casemap@127.0.0.1:PORT/casemap``: shared by the whole session."""
    return postgres_server.url()


@pytest.fixture
def fresh_store_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator:
    """A factory ``make(backend) -> url`` of new empty databases, dropped after the test."""
    created: list[tuple[PostgresServer, str]] = []
    sqlite_files = itertools.count(1)

    def make(backend: str) -> str:
        if backend == "sqlite":
            return f"sqlite:///{tmp_path / f'store-{next(sqlite_files)}.sqlite'}"
        if backend == "postgresql":
            # Asked for only here, so SQLite-only runs never start a server.
            server = request.getfixturevalue("postgres_server")
            name = server.create_database()
            created.append((server, name))
            return server.url(name)
        raise ValueError(f"unknown backend {backend!r}; expected one of {BACKENDS}")

    yield make
    for server, name in created:
        server.drop_database(name)


@pytest.fixture(params=[pytest.param("sqlite"), pytest.param("postgresql", marks=pytest.mark.postgresql)], ids=BACKENDS)
def store_url(request: pytest.FixtureRequest, fresh_store_url) -> str:
    """The URL of a fresh, empty database, once on SQLite and once on PostgreSQL."""
    return fresh_store_url(request.param)


# -- cases shared by the whole session ----------------------------------------------------------
#
# Frames are built on first use, never at import, so collection stays fast.
# They are shared: a test that changes one works on a copy.

# The generated case of the correctness test (issue 9): 20,000 payments.
LARGE_SUSPECTS, LARGE_PAYMENTS = 2_000, 20_000
TINY_CASE, TINY_TWIN, LARGE_CASE = "tiny", "tiny-twin", "large"


@functools.cache
def _demo_case() -> CaseData:
    from casemap.demo import generate_demo

    return generate_demo()


@functools.cache
def _tiny_case() -> CaseData:
    from tests import tiny_case

    return CaseData(suspects=tiny_case.suspects(), payments=tiny_case.payments(), milestones=empty_milestones())


@functools.cache
def _tiny_twin() -> CaseData:
    """The tiny case's ids and txn ids with other places, statuses, dates and amounts.

    Stored beside the tiny case, so a query that forgets to keep to its own
    case changes the tiny case's figures.
    """
    import pandas as pd

    tiny = _tiny_case()
    suspects = tiny.suspects.assign(province_adcode="110000", city_adcode="110100", status="at_large",
                                    role="other", arrest_date=pd.NaT, amount_yuan=tiny.suspects["amount_yuan"] * 10)
    payments = tiny.payments.assign(time=tiny.payments["time"] + pd.DateOffset(years=1), channel="bank",
                                    amount_yuan=tiny.payments["amount_yuan"] * 10, purpose="other")
    return CaseData(suspects=suspects, payments=payments, milestones=empty_milestones())


@functools.cache
def _large_case() -> CaseData:
    from bench.large_case import generate

    return generate(LARGE_SUSPECTS, LARGE_PAYMENTS)


@pytest.fixture(scope="session")
def demo_case() -> CaseData:
    """The demo case's frames, as ``Store.ensure()`` seeds them; generated once per session."""
    return _demo_case()


@pytest.fixture(scope="session")
def tiny_case_data() -> CaseData:
    """The hand-made case of ``tests/tiny_case.py`` (no milestones)."""
    return _tiny_case()


@pytest.fixture(scope="session")
def large_case() -> CaseData:
    """A generated case of 2,000 suspects and 20,000 payments (``bench/large_case.py``)."""
    return _large_case()


# Case name in a seeded store -> the frames stored under it (the demo is seeded by Store.ensure()).
SEEDED_CASES: dict[str, Callable[[], CaseData]] = {
    DEMO_CASE: _demo_case,
    TINY_CASE: _tiny_case,
    TINY_TWIN: _tiny_twin,
    LARGE_CASE: _large_case,
}


class SeededStore:
    """A store on one backend holding the demo, tiny and large cases, shared by many tests.

    A case other than the demo is written on its first use, so a test that
    needs only the tiny case never waits for the large one; the tiny case's
    twin (same ids, other rows) is there from the start. Each case is written
    once and never changed, so every test reads the same rows.
    """

    def __init__(self, backend: str, url: str, snapshots: Path | None = None):
        from casemap.store import Store
        from casemap.store.snapshot import Snapshots

        self.backend = backend
        self.store = Store(url)
        self.store.ensure()
        self.snapshots = Snapshots(self.store.engine, snapshots) if snapshots else None
        self._readers: dict[tuple[str, int], object] = {}
        self._saved = {DEMO_CASE}
        self.case(TINY_TWIN)

    def case(self, name: str) -> CaseData:
        """The frames of one of :data:`SEEDED_CASES`, stored under ``name`` on first use."""
        frames = SEEDED_CASES[name]()
        self.put(name, frames)
        return frames

    def put(self, name: str, frames: CaseData) -> None:
        """Store a test's own hand-made case under ``name``, once; later calls with that name do nothing."""
        if name not in self._saved:
            self.store.save(name, suspects=frames.suspects, payments=frames.payments, milestones=frames.milestones,
                            accounts=frames.accounts, links=frames.links)
            self._saved.add(name)
            self._analyze()

    def _analyze(self) -> None:
        # A freshly written PostgreSQL table has no planner statistics until
        # autovacuum comes round (a minute or more); until then joins may be
        # planned as nested loops that take seconds on the large case. These
        # tests check figures, not plans (bench/ measures those).
        if self.backend == "postgresql":
            with self.store.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                conn.exec_driver_sql("ANALYZE")

    def query(self, state, scope=None):
        """The query layer for ``state`` (its ``case`` names the case) at the case's current version."""
        from casemap.query import EVERYWHERE, CaseQuery, direct_runner

        if state.case not in self._saved:
            self.case(state.case)
        version = self.store.data_version(state.case)
        return CaseQuery.of(direct_runner(self.reader(state.case, version)), state, version,
                            EVERYWHERE if scope is None else scope)

    def reader(self, case: str, version: int):
        """The engine the queries of ``case`` run on: the store's, or the case's snapshot at ``version``."""
        if self.snapshots is None:
            return self.store.engine
        if (case, version) not in self._readers:
            self._readers[(case, version)] = self.snapshots.engine(case, version)
        return self._readers[(case, version)]

    def close(self) -> None:
        for engine in self._readers.values():
            engine.dispose()
        self.store.close()


@pytest.fixture(
    scope="session",
    params=[pytest.param("sqlite"), pytest.param("postgresql", marks=pytest.mark.postgresql), pytest.param("snapshot")],
    ids=[*BACKENDS, "snapshot"],
)
def seeded_store(request: pytest.FixtureRequest, tmp_path_factory) -> Iterator[SeededStore]:
    """One store per read path for the session with the demo, tiny and large cases; write only through ``put``."""
    snapshots = None
    if request.param in ("sqlite", "snapshot"):
        folder = tmp_path_factory.mktemp("seeded")
        url, drop = f"sqlite:///{folder / 'store.sqlite'}", None
        if request.param == "snapshot":
            snapshots = folder / "snapshots"
    else:
        server = request.getfixturevalue("postgres_server")
        name = server.create_database()
        url, drop = server.url(name), functools.partial(server.drop_database, name)
    seeded = SeededStore(request.param, url, snapshots)
    try:
        yield seeded
    finally:
        seeded.close()
        if drop:
            drop()

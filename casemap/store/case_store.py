"""The ``Store``: one object for the pages and the command line over the store's tables."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime

import pandas as pd
from sqlalchemy import select
from sqlalchemy.engine import make_url

from casemap import demo
from casemap.schema import CaseData
from casemap.store import frozen, imports, rows, users
from casemap.store.engine import database_url, make_engine, write_transaction
from casemap.store.errors import UnknownCaseError, check_case_name, check_writable
from casemap.store.snapshot import Snapshots
from casemap.store.tables import ROW_KINDS, cases_table
from casemap.store.upgrade import ensure_schema, schema_is_current

__all__ = ["Store", "CaseSummary"]

DEMO_CASE = demo.DEMO_CASE


@dataclass(frozen=True)
class CaseSummary:
    """One stored case as the Cases page and ``case list`` show it: counted in SQL, not loaded."""

    name: str
    created_at: datetime
    version: int  # the current data version
    suspects: int  # live rows
    payments: int

    @property
    def read_only(self) -> bool:
        """Whether this is the demo case, which is never deleted."""
        return self.name == DEMO_CASE

    def as_dict(self) -> dict:
        """The case as JSON-ready values."""
        return {"name": self.name, "created_at": self.created_at.isoformat(), "data_version": self.version,
                "suspects": self.suspects, "payments": self.payments, "read_only": self.read_only}


class Store:
    """The case store at ``url`` (default: ``database_url()``).

    The schema is created, and the demo case seeded, on first use; ``ensure()``
    does it explicitly.
    """

    def __init__(self, url: str | None = None):
        self.url = url or database_url()
        self.engine = make_engine(self.url)
        self._ready = False
        self._snapshots: Snapshots | None = None

    def __repr__(self) -> str:
        return f"Store({make_url(self.url).render_as_string(hide_password=True)!r})"

    @property
    def snapshots(self) -> Snapshots:
        """The read-only analytical copies of this store's cases (see :mod:`casemap.store.snapshot`)."""
        if self._snapshots is None:
            self._snapshots = Snapshots(self.engine)
        return self._snapshots

    def close(self) -> None:
        """Release the engine's connections."""
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def ensure(self) -> None:
        """Create or upgrade the tables, then seed the demo case if it is missing (one transaction)."""
        with self.engine.connect() as conn:
            # Every process starts here: when nothing is to be done, don't queue behind a writer.
            ready = schema_is_current(conn) and rows.case_version(conn, DEMO_CASE) is not None
        if not ready:
            with write_transaction(self.engine) as conn:
                ensure_schema(conn)
                if rows.case_version(conn, DEMO_CASE) is None:
                    _write_demo(conn)
        self._ready = True

    def _ensure_ready(self) -> None:
        if not self._ready:
            self.ensure()

    # -- reading ----------------------------------------------------------

    def cases(self) -> list[str]:
        """Return the stored case names, sorted."""
        self._ensure_ready()
        with self.engine.connect() as conn:
            return list(conn.execute(select(cases_table.c.name).order_by(cases_table.c.name)).scalars())

    def case_summaries(self) -> list[CaseSummary]:
        """Every stored case with its creation time, data version and live suspect and payment counts, by name."""
        self._ensure_ready()
        with self.engine.connect() as conn:
            return [CaseSummary(**found) for found in rows.case_summaries(conn)]

    def data_version(self, case: str) -> int:
        """Return the case's data version; it changes on every write to the case."""
        self._ensure_ready()
        with self.engine.connect() as conn:
            version = rows.case_version(conn, case)
        if version is None:
            raise UnknownCaseError(case)
        return version

    def load(self, case: str, version: int | None = None) -> CaseData:
        """Return the case's live frames, or as they stood at data ``version``; rows are not validated again."""
        self._ensure_ready()
        with self.engine.connect() as conn:
            current = rows.case_version(conn, case)
            if current is None:
                raise UnknownCaseError(case)
            frames = {kind: rows.read_frame(conn, kind, case, version) for kind in ROW_KINDS}
        return CaseData(**frames, version=current if version is None else version)

    def party_ids(self, case: str, ids: Sequence[str] | None = None) -> set[str]:
        """Those of ``ids`` (default: all) that are a live suspect or account of the case: the ends a link may name."""
        self._ensure_ready()
        with self.engine.connect() as conn:
            if ids is None:
                return {found for kind in ("suspects", "accounts") for found in rows.all_live_ids(conn, kind, case)}
            ids = list(dict.fromkeys(ids))
            return {found for kind in ("suspects", "accounts")
                    for found in rows.live_ids(conn, ROW_KINDS[kind], case, ids)}

    @contextmanager
    def export_rows(self, case: str, kind: str, size: int = 50_000) -> Iterator[tuple[list[str], Iterator[pd.DataFrame]]]:
        """The case's live rows of ``kind`` for an export, from one snapshot of the store.

        Gives the different ``extra`` texts (an export's extra columns come
        from them) and an iterator of typed frames of ``size`` rows in load order.
        """
        self._ensure_ready()
        with self.engine.connect() as conn:
            if conn.dialect.name == "postgresql":  # both reads see the same rows
                conn.execution_options(isolation_level="REPEATABLE READ")
            with conn.begin():
                if rows.case_version(conn, case) is None:
                    raise UnknownCaseError(case)
                yield rows.distinct_extras(conn, kind, case), rows.iter_frames(conn, kind, case, size)

    # -- writing ----------------------------------------------------------

    def save(
        self,
        case: str,
        suspects: pd.DataFrame | None = None,
        payments: pd.DataFrame | None = None,
        milestones: pd.DataFrame | None = None,
        mode: str = "append",
        allow_demo: bool = False,
        accounts: pd.DataFrame | None = None,
        links: pd.DataFrame | None = None,
    ) -> int:
        """Store frames in ``case`` (created if new) in one transaction; return the new data version.

        ``mode="append"`` adds rows and refuses ids already stored in the case
        (``DuplicateKeyError``); ``mode="replace"`` replaces the stored rows of
        each kind given (kinds left as None are untouched). Frames are
        validated first; any failure leaves the store as it was. The demo case
        is read-only (``ReadOnlyCaseError``) unless ``allow_demo`` is set.
        """
        check_case_name(case)
        if mode not in ("append", "replace"):
            raise ValueError(f"mode must be 'append' or 'replace', got {mode!r}")
        check_writable(case, allow_demo)
        frames = {"suspects": suspects, "payments": payments, "milestones": milestones, "accounts": accounts,
                  "links": links}
        valid = {kind: ROW_KINDS[kind].validate(frame) for kind, frame in frames.items() if frame is not None}
        self._ensure_ready()
        with write_transaction(self.engine) as conn:
            rows.check_new_case(conn, case)
            version = rows.next_data_version(conn)
            rows.upsert_case(conn, case, version)
            for kind, frame in valid.items():
                if mode == "replace":
                    rows.mark_removed(conn, kind, case, version)
                rows.add_rows(conn, kind, case, frame, version)
        return version

    def delete_case(self, case: str, allow_demo: bool = False, *, by: str | None = None,
                    address: str | None = None) -> CaseSummary:
        """Delete a case with all its rows, their history and its briefing snapshots (the import log is kept).

        The deletion is appended to the audit log as ``case_delete`` by ``by``
        from ``address``, in the same transaction; returns what was deleted.
        """
        check_writable(case, allow_demo)
        self._ensure_ready()
        with write_transaction(self.engine) as conn:
            found = rows.case_summaries(conn, case)
            if not found or not rows.delete_case_rows(conn, case):
                raise UnknownCaseError(case)
            snapshots = frozen.delete_case_frozen(conn, case)
            deleted = CaseSummary(**found[0])
            users.record_in(conn, by, address, "case_delete",
                            {"case": case, "data_version": deleted.version, "suspects": deleted.suspects,
                             "payments": deleted.payments, "snapshots": snapshots})
        return deleted

    def reseed_demo(self) -> int:
        """Replace the demo case with a freshly generated one; return its data version."""
        self._ensure_ready()
        with write_transaction(self.engine) as conn:
            return _write_demo(conn)

    # -- imports (casemap.store.imports) --------------------------------------

    @contextmanager
    def importing(self, case: str, mode: str = "append", user: str | None = None) -> Iterator[imports.ImportWriter]:
        """An import's single transaction, fed chunk by chunk (see :func:`casemap.store.imports.open_import`)."""
        self._ensure_ready()
        with imports.open_import(self.engine, case, mode, user) as writer:
            yield writer

    def commit_import(
        self,
        case: str,
        logs: Sequence[imports.ImportLog],
        suspects: pd.DataFrame | None = None,
        payments: pd.DataFrame | None = None,
        mode: str = "append",
        user: str | None = None,
        accounts: pd.DataFrame | None = None,
        links: pd.DataFrame | None = None,
    ) -> int:
        """Store imported rows and log the import in one transaction; return the new data version."""
        self._ensure_ready()
        return imports.commit_import(self.engine, case, logs, suspects, payments, mode, user, accounts, links)

    def undo_last_import(self, case: str) -> int:
        """Undo the case's last import not undone yet; return the new data version."""
        self._ensure_ready()
        return imports.undo_last_import(self.engine, case)

    def import_history(self, case: str) -> pd.DataFrame:
        """The case's imports, newest first (see :func:`casemap.store.imports.import_history`)."""
        self._ensure_ready()
        return imports.import_history(self.engine, case)

    # -- briefing snapshots (casemap.store.frozen) -----------------------------

    def freeze(self, case: str, name: str, query: dict, version: int | None = None,
               user: str | None = None) -> frozen.FrozenSnapshot:
        """Store a named briefing snapshot: ``query`` (a filter state's URL form) on ``case`` at ``version``."""
        self._ensure_ready()
        return frozen.freeze(self.engine, case, name, query, version, user)

    def frozen_snapshots(self, case: str | None = None) -> list[frozen.FrozenSnapshot]:
        """The briefing snapshots (of ``case``, or all), newest first."""
        self._ensure_ready()
        return frozen.frozen_snapshots(self.engine, case)

    def frozen_snapshot(self, snapshot_id: int) -> frozen.FrozenSnapshot | None:
        """The briefing snapshot of that id, or None."""
        self._ensure_ready()
        return frozen.frozen_snapshot(self.engine, snapshot_id)

    def delete_frozen(self, snapshot_id: int) -> bool:
        """Delete a briefing snapshot; whether it existed."""
        self._ensure_ready()
        return frozen.delete_frozen(self.engine, snapshot_id)


def _write_demo(conn) -> int:
    """Write a freshly generated demo case in place of any stored one; return its data version."""
    data = demo.generate_demo()
    # Briefing snapshots of the demo point at its stored versions: replace the rows, keeping their history.
    keep_history = bool(frozen.pinned_versions(conn, DEMO_CASE))
    if not keep_history:
        rows.delete_case_rows(conn, DEMO_CASE)
    version = rows.next_data_version(conn)
    rows.upsert_case(conn, DEMO_CASE, version)
    for kind in ROW_KINDS:
        if keep_history:
            rows.mark_removed(conn, kind, DEMO_CASE, version)
        rows.add_rows(conn, kind, DEMO_CASE, getattr(data, kind), version)
    return version

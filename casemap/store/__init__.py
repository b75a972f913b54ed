"""The case store: SQLAlchemy Core tables on SQLite (default) or PostgreSQL.

One database holds many cases; every row table carries a ``case`` column and
the data versions that added and removed each row (``tables``). Writes go
through ``Store`` in single transactions and move the case to a new data
version, so callers can key caches on ``data_version(case)``. The query layer
reads live rows with :func:`live` and a past state with :func:`as_of`.

Modules, each importing only those before it: ``tables`` -> ``errors`` ->
``engine`` -> ``rows`` -> ``upgrade``, ``imports``, ``snapshot`` -> ``case_store``.

The pages read through ``snapshot``: a DuckDB copy of a case at one data
version, built from the store and never written to.
"""

from casemap.schema import CaseData
from casemap.store.case_store import DEMO_CASE, Store
from casemap.store.engine import SQLITE_BUSY_SECONDS, database_url
from casemap.store.errors import (
    CaseNameError,
    DuplicateKeyError,
    NothingToUndoError,
    ReadOnlyCaseError,
    StoreError,
    UnknownCaseError,
    UnknownLinkEndError,
    case_name_problem,
    is_valid_case_name,
)
from casemap.store.imports import ImportLog, ImportWriter
from casemap.store.tables import (
    MAX_CASE_NAME,
    ROW_KINDS,
    SCHEMA_VERSION,
    accounts_table,
    as_of,
    cases_table,
    import_undo_table,
    imports_table,
    links_table,
    live,
    metadata,
    milestones_table,
    payments_table,
    schema_version_table,
    suspects_table,
)

__all__ = [
    "SCHEMA_VERSION", "MAX_CASE_NAME", "DEMO_CASE", "SQLITE_BUSY_SECONDS", "StoreError", "ReadOnlyCaseError",
    "UnknownCaseError", "UnknownLinkEndError", "DuplicateKeyError", "NothingToUndoError", "CaseNameError", "CaseData", "ImportLog",
    "ImportWriter",
    "Store", "database_url", "case_name_problem", "is_valid_case_name", "live", "as_of", "metadata", "ROW_KINDS",
    "schema_version_table", "cases_table", "suspects_table", "payments_table", "milestones_table",
    "accounts_table", "links_table", "imports_table", "import_undo_table",
]

"""Case-file import: which column is which field, cell parsing, row validation (CASE.md).

``import_file(data, file_name)`` reads a CSV or workbook and returns an
``ImportResult``: one ``ParsedList`` per list (a CSV, or a workbook sheet),
each with its kind, its column mapping, a validated frame of accepted rows
and the rejected rows with their original cells, row number and reasons.
A file that cannot be read, or whose headers match neither kind, raises
``ImportFileError``; nothing else escapes. ``commit`` stores the accepted
rows of several lists in one transaction. The rows themselves are parsed by
:class:`casemap.list_parser.ListParser`, which :mod:`casemap.file_import`
also uses to stream a file of any size from disk.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from casemap import cells as parse
from casemap.fields import KEYS, KINDS, TEMPLATE_HEADERS, field_label, find_header
from casemap.i18n import t
from casemap.list_parser import ListParser
from casemap.readers import MAX_BYTES, ImportFileError, RawTable, read_tables
from casemap.rejects import Problem, Reject, cell_text
from casemap.store import DuplicateKeyError, ImportLog, Store

__all__ = [
    "MAX_BYTES", "CHUNK_ROWS", "KINDS", "KEYS", "TEMPLATE_HEADERS", "ImportFileError", "Problem", "Reject",
    "ParsedList", "ImportResult", "import_file", "parse_table", "commit", "history_frame", "field_label",
]

# Rows parsed and validated at a time: bounds the memory of a large list.
CHUNK_ROWS = 50_000


@dataclass(frozen=True, eq=False)
class ParsedList:
    """One list of a file, validated: accepted rows as a frame, rejected rows with reasons."""

    file_name: str
    sheet: str | None
    kind: str
    header_row: int
    headers: tuple[str, ...]
    mapping: dict[str, str]  # header -> field
    unused: tuple[str, ...]  # headers kept in `extra`
    rows: int  # non-blank data rows
    frame: pd.DataFrame
    rejects: tuple[Reject, ...]

    @property
    def accepted(self) -> int:
        return len(self.frame)

    @property
    def rejected(self) -> int:
        return len(self.rejects)

    @property
    def label(self) -> str:
        """File name, and the sheet for a workbook: "cases.xlsx › 嫌疑人"."""
        return f"{self.file_name} › {self.sheet}" if self.sheet else self.file_name

    def rejects_frame(self, lang: str) -> pd.DataFrame:
        """The rejected rows as a table: row, column, reason, then the original cells."""
        head = [t("col_row", lang), t("col_column", lang), t("col_reason", lang)]
        rows = [
            [r.row, r.column, r.reason(lang), *(cell_text(r.cells.get(h)) for h in self.headers)]
            for r in self.rejects
        ]
        return pd.DataFrame(rows, columns=pd.Index([*head, *self.headers]), dtype=object)

    def mapping_frame(self, lang: str) -> pd.DataFrame:
        """Which column became which field; unused columns are marked as kept in `extra`."""
        kept = t("mapping_extra", lang)
        fields = [
            f"{field_label(self.mapping[h], lang)} ({self.mapping[h]})" if h in self.mapping else kept
            for h in self.headers
            if h in self.mapping or h in self.unused
        ]
        columns = [h for h in self.headers if h in self.mapping or h in self.unused]
        return pd.DataFrame({t("col_file_column", lang): columns, t("col_field", lang): fields})


@dataclass(frozen=True, eq=False)
class ImportResult:
    """A file's lists, and the sheets that could not be read as a list (sheet, error)."""

    file_name: str
    sha256: str
    lists: tuple[ParsedList, ...]
    skipped: tuple[tuple[str, ImportFileError], ...] = ()


def import_file(
    data: bytes, file_name: str = "", kind: str | None = None, gazetteer=None, max_bytes: int | None = MAX_BYTES
) -> ImportResult:
    """Read and validate a case file; raise ``ImportFileError`` if no list in it can be imported.

    ``kind`` ("suspects" or "payments") forces the kind; by default each list's
    headers decide. Blank sheets are ignored; a sheet whose headers match
    neither kind is listed in ``skipped`` when another sheet could be read.
    ``max_bytes`` is the upload limit (None: no limit).
    """
    if kind not in (None, *KINDS):
        raise ValueError(f"kind must be one of {KINDS}, got {kind!r}")
    tables = [table for table in read_tables(data, file_name, max_bytes) if _nonblank(table.rows)]
    if not tables:
        raise ImportFileError("empty")
    lists, skipped = [], []
    for table in tables:
        try:
            lists.append(parse_table(table, file_name, kind, gazetteer))
        except ImportFileError as error:
            skipped.append((table.sheet or file_name, error))
    if not lists:
        raise skipped[0][1]
    return ImportResult(file_name, hashlib.sha256(data).hexdigest(), tuple(lists), tuple(skipped))


def _nonblank(rows: list[tuple[int, list[object]]]) -> list[tuple[int, list[object]]]:
    return [(number, cells) for number, cells in rows if any(parse.clean(c) is not None for c in cells)]


def parse_table(table: RawTable, file_name: str = "", kind: str | None = None, gazetteer=None) -> ParsedList:
    """Validate one list: find its header row and kind, then accept or reject each non-blank row."""
    rows = _nonblank(table.rows)
    if not rows:
        raise ImportFileError("empty")
    header_at, match = find_header(rows, kind)
    header_number, header_cells = rows[header_at]
    parser = ListParser(match, header_cells, gazetteer)
    data_rows = rows[header_at + 1 :]
    chunks = [parser.parse(data_rows[i : i + CHUNK_ROWS]) for i in range(0, len(data_rows), CHUNK_ROWS)]
    chunks = chunks or [parser.parse([])]
    frame = pd.concat([chunk.frame for chunk in chunks], ignore_index=True)
    rejects = tuple(reject for chunk in chunks for reject in chunk.rejects)
    mapping = {parser.headers[p]: name for p, name in match.columns.items()}
    return ParsedList(
        file_name, table.sheet, match.kind, header_number, parser.headers, mapping, parser.unused, parser.rows, frame, rejects
    )


def commit(store: Store, case: str, results: Sequence[ImportResult], mode: str = "append", user: str | None = None) -> int:
    """Store the accepted rows of every list of ``results`` in ``case`` in one transaction; return the new version.

    Each list is logged in the store's import history. An id that appears in
    two lists of the same kind refuses the whole commit (``DuplicateKeyError``),
    as does appending ids already stored. In replace mode only the kinds with
    accepted rows are replaced, so a file whose rows were all rejected never
    empties a case.
    """
    lists = [(result.sha256, parsed) for result in results for parsed in result.lists]
    frames: dict[str, pd.DataFrame] = {}
    for kind in KINDS:
        parts = [parsed.frame for _, parsed in lists if parsed.kind == kind and parsed.accepted]
        if not parts:
            continue
        frame = pd.concat(parts, ignore_index=True)
        repeated = frame[KEYS[kind]][frame[KEYS[kind]].duplicated()].unique().tolist()
        if repeated:
            raise DuplicateKeyError(f"{kind}: {KEYS[kind]} in more than one list: {', '.join(map(str, repeated[:5]))}")
        frames[kind] = frame
    logs = [ImportLog(p.label, sha, p.kind, p.rows, p.accepted, p.rejected) for sha, p in lists]
    return store.commit_import(case, logs, suspects=frames.get("suspects"), payments=frames.get("payments"), mode=mode, user=user)


def history_frame(store: Store, case: str, lang: str) -> pd.DataFrame:
    """The case's import history as a display table in ``lang``, newest first."""
    history = store.import_history(case)
    return pd.DataFrame({
        t("col_at", lang): history["at"],
        t("col_file", lang): history["file_name"],
        t("col_kind", lang): [t(f"kind_{k}", lang) for k in history["kind"]],
        t("col_rows", lang): history["rows"],
        t("col_accepted", lang): history["accepted"],
        t("col_rejected", lang): history["rejected"],
        t("col_mode", lang): [t(f"mode_{m}", lang) if m else "" for m in history["mode"]],
        t("col_undone", lang): [t("yes" if u else "no", lang) for u in history["undone"]],
        t("col_user", lang): history["user"].fillna("—"),
    })

"""Case-file import: which column is which field, cell parsing, row validation (CASE.md).

``import_file(data, file_name)`` reads a CSV or workbook and returns an
``ImportResult``: one ``ParsedList`` per list (a CSV, or a workbook sheet),
each with its kind, its column mapping, validated frames of accepted rows
and the rejected rows with their original cells, row number and reasons.
A CSV is parsed as it is read, a chunk of rows at a time, so an upload costs
a few times its size at most.
A file that cannot be read, or whose headers match neither kind, raises
``ImportFileError``; nothing else escapes. ``commit`` stores the accepted
rows of several lists in one transaction. The rows themselves are parsed by
:class:`casemap.list_parser.ListParser`, which :mod:`casemap.file_import`
also uses to stream a file of any size from disk.
"""

from __future__ import annotations

import hashlib
import itertools
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

import pandas as pd

from casemap import cells as parse
from casemap.fields import HEADER_SCAN, KEYS, KINDS, TEMPLATE_HEADERS, field_label, find_header
from casemap.i18n import t
from casemap.list_parser import ListParser
from casemap.readers import MAX_BYTES, ImportFileError, RawTable, read_lists
from casemap.rejects import Problem, Reject, Rejects, cell_text
from casemap.store import DuplicateKeyError, ImportLog, Store, UnknownLinkEndError

__all__ = [
    "MAX_BYTES", "CHUNK_ROWS", "CHUNK_CELLS", "STREAM_CHUNK_CELLS", "KINDS", "KEYS", "TEMPLATE_HEADERS",
    "ImportFileError", "Problem", "Reject", "ParsedList", "ImportResult", "import_file", "parse_records",
    "parse_table", "split_header", "chunks", "chunk_size", "commit", "history_frame", "field_label",
]

# Rows parsed and validated at a time: bounds the memory of a large list.
CHUNK_ROWS = 50_000
# ... and cells: a chunk's raw cells are Python strings, several times their
# bytes in the file. An upload is parsed in small chunks, so that its peak
# stays a few times its size (tests/test_hardening.py measures it); the
# command line, which stores each chunk as it goes, takes larger ones for speed.
CHUNK_CELLS = 10_000
STREAM_CHUNK_CELLS = 500_000


@dataclass(frozen=True, eq=False)
class ParsedList:
    """One list of a file, validated: accepted rows as frames (a chunk each), rejected rows with reasons.

    The accepted rows stay in the chunks they were parsed in, and are stored
    chunk by chunk (:func:`commit`): joining them would hold them twice.
    """

    file_name: str
    sheet: str | None
    kind: str
    header_row: int
    headers: tuple[str, ...]
    mapping: dict[str, str]  # header -> field
    unused: tuple[str, ...]  # headers kept in `extra`
    rows: int  # non-blank data rows
    frames: tuple[pd.DataFrame, ...]  # accepted rows, chunk by chunk
    rejects: Rejects

    @property
    def frame(self) -> pd.DataFrame:
        """Every accepted row in one frame (joined on each call: for reading, not for storing)."""
        return self.frames[0] if len(self.frames) == 1 else pd.concat(self.frames, ignore_index=True)

    @property
    def accepted(self) -> int:
        return sum(len(frame) for frame in self.frames)

    @property
    def rejected(self) -> int:
        return len(self.rejects)

    @property
    def label(self) -> str:
        """File name, and the sheet for a workbook: "cases.xlsx › 嫌疑人"."""
        return f"{self.file_name} › {self.sheet}" if self.sheet else self.file_name

    def rejects_frame(self, lang: str, limit: int | None = None) -> pd.DataFrame:
        """The rejected rows as a table: row, column, reason, then the original cells; the first ``limit`` only."""
        head = [t("col_row", lang), t("col_column", lang), t("col_reason", lang)]
        rows = [
            [r.row, r.column, r.reason(lang), *(cell_text(r.cells.get(h)) for h in self.headers)]
            for r in self.rejects[:limit]
        ]
        return pd.DataFrame(rows, columns=pd.Index([*head, *self.headers]), dtype=object)

    def mapping_frame(self, lang: str) -> pd.DataFrame:
        """Which column became which field; unused columns are marked as kept in `extra`."""
        kept, unused = t("mapping_extra", lang), set(self.unused)
        fields = [
            f"{field_label(self.mapping[h], lang)} ({self.mapping[h]})" if h in self.mapping else kept
            for h in self.headers
            if h in self.mapping or h in unused
        ]
        columns = [h for h in self.headers if h in self.mapping or h in unused]
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
    ``max_bytes`` is the upload limit (None: no limit). A CSV is parsed as it
    is read, a chunk of rows at a time (:func:`parse_records`), so what stays
    in memory is its bytes and the lists it became.
    """
    if kind not in (None, *KINDS):
        raise ValueError(f"kind must be one of {KINDS}, got {kind!r}")
    lists, skipped = [], []
    for sheet, records in read_lists(data, file_name, max_bytes):
        try:
            lists.append(parse_records(records, file_name, sheet, kind, gazetteer))
        except ImportFileError as error:
            if error.code != "empty":  # a blank sheet is no list
                skipped.append((sheet or file_name, error))
    if not lists:
        raise skipped[0][1] if skipped else ImportFileError("empty")
    return ImportResult(file_name, hashlib.sha256(data).hexdigest(), tuple(lists), tuple(skipped))


def split_header(records: Iterable[tuple[int, list[object]]]):
    """The first non-blank records (where the header row is), and a way to go on after the header row.

    ``data_rows(header_number)`` yields every record after the header row:
    the ones already read, then the rest.
    """
    records = iter(records)
    read, nonblank = [], []
    for record in records:
        read.append(record)
        if any(parse.clean(cell) is not None for cell in record[1]):
            nonblank.append(record)
            if len(nonblank) == HEADER_SCAN:
                break

    def data_rows(header_number: int) -> Iterator[tuple[int, list[object]]]:
        return itertools.chain((r for r in read if r[0] > header_number), records)

    return nonblank, data_rows


def chunks(records: Iterable, size: int) -> Iterator[list]:
    """``records`` in lists of ``size``."""
    iterator = iter(records)
    while chunk := list(itertools.islice(iterator, size)):
        yield chunk


def chunk_size(width: int, chunk_rows: int = CHUNK_ROWS, cells: int = CHUNK_CELLS) -> int:
    """Rows parsed at a time in a list ``width`` columns wide: ``chunk_rows``, or fewer to keep to ``cells`` cells."""
    return max(1, min(chunk_rows, cells // max(width, 1)))


def parse_records(
    records: Iterable[tuple[int, list[object]]],
    file_name: str = "",
    sheet: str | None = None,
    kind: str | None = None,
    gazetteer=None,
    chunk_rows: int = CHUNK_ROWS,
) -> ParsedList:
    """Validate one list from its records (row number, cells): find the header row and kind, then each row.

    Records are consumed a chunk at a time (:func:`chunk_size`); raises
    ``ImportFileError("empty")`` for a list with no non-blank row.
    """
    header_rows, data_rows = split_header(records)
    if not header_rows:
        raise ImportFileError("empty")
    header_at, match = find_header(header_rows, kind)
    header_number, header_cells = header_rows[header_at]
    parser = ListParser(match, header_cells, gazetteer)
    frames, rejects = [], Rejects()
    for chunk in chunks(data_rows(header_number), chunk_size(parser.width, chunk_rows)):
        parsed = parser.parse(chunk)
        frames.append(parsed.frame)
        rejects.extend(parsed.rejects)
        del chunk, parsed
    frames = [frame for frame in frames if len(frame)] or [parser.parse([]).frame]
    mapping = {parser.headers[p]: name for p, name in match.columns.items()}
    return ParsedList(
        file_name, sheet, match.kind, header_number, parser.headers, mapping, parser.unused, parser.rows,
        tuple(frames), rejects,
    )


def parse_table(table: RawTable, file_name: str = "", kind: str | None = None, gazetteer=None) -> ParsedList:
    """Validate one list read whole (see :func:`parse_records`)."""
    return parse_records(table.rows, file_name, table.sheet, kind, gazetteer)


def commit(
    store: Store, case: str, results: Sequence[ImportResult], mode: str = "append", user: str | None = None
) -> int | None:
    """Store the accepted rows of every list of ``results`` in ``case`` in one transaction; return the new version.

    Each list is logged in the store's import history. An id that appears in
    two lists of the same kind refuses the whole commit (``DuplicateKeyError``),
    as does appending ids already stored. In replace mode only the kinds with
    accepted rows are replaced, so a file whose rows were all rejected never
    empties a case. Rows go in a chunk at a time. When no row was accepted
    nothing is stored: no case is created and there is nothing to undo; the
    result is None.
    """
    lists = [(result.sha256, parsed) for result in results for parsed in result.lists]
    for kind in KINDS:
        keys = [frame[KEYS[kind]] for _, parsed in lists if parsed.kind == kind for frame in parsed.frames]
        if keys:
            ids = pd.concat(keys, ignore_index=True)
            repeated = ids[ids.duplicated()].unique().tolist()
            if repeated:
                shown = ", ".join(map(str, repeated[:5]))
                raise DuplicateKeyError(f"{kind}: {KEYS[kind]} in more than one list: {shown}")
    _check_link_ends(store, case, lists)
    with store.importing(case, mode, user) as writer:
        for kind in KINDS:
            for _, parsed in lists:
                if parsed.kind == kind:
                    for frame in parsed.frames:
                        if len(frame):
                            writer.add(kind, frame)
        for sha, parsed in lists:
            writer.log(ImportLog(parsed.label, sha, parsed.kind, parsed.rows, parsed.accepted, parsed.rejected))
    return writer.version if writer.stored else None


def _check_link_ends(store: Store, case: str, lists: list) -> None:
    """Refuse links whose ends are neither in the case nor among this commit's suspects and accounts.

    A list parsed without knowing its case (an upload, read before the case
    is chosen) could not reject those rows one by one; storing them would
    leave links to nobody. ``UnknownLinkEndError`` names the ids.
    """
    ends = [frame[column] for _, parsed in lists if parsed.kind == "links" for frame in parsed.frames
            for column in ("from_id", "to_id")]
    if not ends:
        return
    here = {key for _, parsed in lists if parsed.kind in ("suspects", "accounts")
            for frame in parsed.frames for key in frame[KEYS[parsed.kind]]}
    wanted = set(pd.concat(ends, ignore_index=True).dropna()) - here
    missing = wanted - store.party_ids(case, sorted(wanted)) if wanted else set()
    if missing:
        rows = sum(int((frame["from_id"].isin(missing) | frame["to_id"].isin(missing)).sum())
                   for _, parsed in lists if parsed.kind == "links" for frame in parsed.frames)
        raise UnknownLinkEndError(case, sorted(missing), rows)


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

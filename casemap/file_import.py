"""Importing a case file from disk into a case, for the command line: any size, all rows or none.

A CSV streams: it is checked in one pass (hash, encoding), its header row is
found among the first rows, then its data rows are parsed and validated
``CHUNK_ROWS`` at a time and each chunk's accepted rows go into the case in
one transaction that is committed only after the last chunk, so a failure
stores nothing. Rejected rows are written to the rejects file as they come.
A workbook is read whole (as the page reads it, without the upload limit).
Either way the contract is CASE.md's: the same reasons and counts, accepted
+ rejected = the non-blank rows, an id repeated anywhere in the file rejected.
"""

from __future__ import annotations

import gc
import itertools
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from casemap import cells as parse
from casemap import exporter, importer, readers
from casemap.fields import find_header
from casemap.list_parser import ListParser
from casemap.readers import ImportFileError
from casemap.rejects import RejectsFile
from casemap.store import ImportLog, Store

__all__ = ["FileImport", "import_path", "rejects_path"]

_HEADER_SCAN = 10  # non-blank rows searched for the header row, as find_header does


@dataclass(frozen=True)
class FileImport:
    """What importing one file did: kinds, counts, the new data version, where the rejects went."""

    file_name: str
    kinds: tuple[str, ...]
    rows: int
    accepted: int
    rejected: int
    version: int
    rejects_file: Path | None
    skipped: tuple[tuple[str, ImportFileError], ...] = ()


def import_path(
    store: Store,
    path: Path,
    case: str,
    kind: str | None = None,
    mode: str = "append",
    user: str | None = None,
    chunk_rows: int = importer.CHUNK_ROWS,
    gazetteer=None,
) -> FileImport:
    """Validate the file at ``path`` and store its accepted rows in ``case``; rejected rows go beside it.

    Raises ``ImportFileError`` when the file cannot be read or its headers
    match neither kind, and the store's errors (``DuplicateKeyError``,
    ``ReadOnlyCaseError``) when the rows cannot be stored; nothing is stored then.
    """
    path = Path(path)
    with open(path, "rb") as raw:
        head = raw.read(4)
    if readers.is_workbook(head):
        return _import_workbook(store, path, case, kind, mode, user, gazetteer)
    return _import_csv(store, path, case, kind, mode, user, chunk_rows, gazetteer)


def _import_workbook(store, path: Path, case, kind, mode, user, gazetteer) -> FileImport:
    result = importer.import_file(path.read_bytes(), path.name, kind=kind, gazetteer=gazetteer, max_bytes=None)
    version = importer.commit(store, case, [result], mode=mode, user=user)
    lists = result.lists
    target = None
    if any(parsed.rejected for parsed in lists):
        target = rejects_path(path)
        target.write_bytes(exporter.rejects_csv(lists, "en"))
    return FileImport(
        path.name, tuple(dict.fromkeys(p.kind for p in lists)), sum(p.rows for p in lists),
        sum(p.accepted for p in lists), sum(p.rejected for p in lists), version, target, result.skipped,
    )


def _import_csv(store, path: Path, case, kind, mode, user, chunk_rows: int, gazetteer) -> FileImport:
    source = readers.open_csv(path)
    header_rows, data_rows = _split_header(source.records())
    if not header_rows:
        raise ImportFileError("empty")
    header_at, match = find_header(header_rows, kind)
    parser = ListParser(match, header_rows[header_at][1], gazetteer)
    rejects = RejectsFile("en")
    try:
        with store.importing(case, mode, user) as writer, _collecting_between_chunks():
            for chunk in _chunks(data_rows(header_rows[header_at][0]), chunk_rows):
                parsed = parser.parse(chunk)
                rejects.add(parsed.rejects, parser.headers)
                if len(parsed.frame):  # a replace leaves the stored rows alone until a row is accepted
                    writer.add(match.kind, parsed.frame)
                del chunk, parsed
                gc.collect(1)
            writer.log(ImportLog(path.name, source.sha256, match.kind, parser.rows, parser.accepted, parser.rejected))
        target = None
        if rejects.count:
            target = rejects_path(path)
            rejects.save(target, parser.headers)
    finally:
        rejects.close()
    return FileImport(path.name, (match.kind,), parser.rows, parser.accepted, parser.rejected, writer.version, target)


@contextmanager
def _collecting_between_chunks() -> Iterator[None]:
    """Collect young cyclic garbage once per chunk instead of every few hundred allocations.

    A chunk makes millions of short-lived lists and tuples; Python's collector
    would walk them again and again, which costs more than the parsing itself.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _split_header(records: Iterator[tuple[int, list[str]]]):
    """The first non-blank records (where the header row is), and a way to go on after the header row.

    ``data_rows(header_number)`` yields every record after the header row:
    the ones already read, then the rest of the file.
    """
    read, nonblank = [], []
    for record in records:
        read.append(record)
        if any(parse.clean(cell) is not None for cell in record[1]):
            nonblank.append(record)
            if len(nonblank) == _HEADER_SCAN:
                break

    def data_rows(header_number: int) -> Iterator[tuple[int, list[str]]]:
        return itertools.chain((r for r in read if r[0] > header_number), records)

    return nonblank, data_rows


def _chunks(records: Iterable, size: int) -> Iterator[list]:
    iterator = iter(records)
    while chunk := list(itertools.islice(iterator, size)):
        yield chunk


def rejects_path(path: Path) -> Path:
    """Where the rejected rows of ``path`` go: beside it, or in the temp folder if that is read-only."""
    target = path.with_name(f"{path.stem}.rejects.csv")
    try:
        with open(target, "ab"):
            pass
    except OSError:
        handle, name = tempfile.mkstemp(prefix=f"{path.stem}.", suffix=".rejects.csv")
        with open(handle, "wb"):
            pass
        target = Path(name)
    return target.resolve()

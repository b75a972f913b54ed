"""Importing a case file from disk into a case, for the command line: any size, all rows or none.

A CSV streams: it is checked in one pass (hash, encoding), its header row is
found among the first rows, then its data rows are parsed and validated
``CHUNK_ROWS`` at a time and each chunk's accepted rows go into the case in
one transaction that is committed only after the last chunk, so a failure
stores nothing. Rejected rows are spooled as they come and written to the
rejects file at the end, never through a link left at its path.
A workbook is read as the page reads it, within the limits of :mod:`casemap.workbook`
(the upload limit aside).
Either way the contract is CASE.md's: the same reasons and counts, accepted
+ rejected = the non-blank rows, an id repeated anywhere in the file rejected.
"""

from __future__ import annotations

import errno
import gc
import os
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from casemap import exporter, importer, readers, workbook
from casemap.fields import find_header
from casemap.list_parser import ListParser
from casemap.readers import ImportFileError
from casemap.rejects import RejectsFile
from casemap.store import ImportLog, Store

__all__ = ["FileImport", "import_path", "rejects_path", "check_rejects_target", "write_rejects"]


@dataclass(frozen=True)
class FileImport:
    """What importing one file did: kinds, counts, the new data version, where the rejects went.

    ``version`` is None when no row was accepted: nothing was stored, and no case was created.
    """

    file_name: str
    kinds: tuple[str, ...]
    rows: int
    accepted: int
    rejected: int
    version: int | None
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
    rejects: Path | None = None,
) -> FileImport:
    """Validate the file at ``path`` and store its accepted rows in ``case``; rejected rows go to a CSV.

    The rejects CSV goes to ``rejects`` when given, else beside the file
    (:func:`rejects_path`), or to the temp folder when that folder cannot be
    written; it is never written through a link (:func:`write_rejects`).
    Raises ``ImportFileError`` when the file cannot be read or its headers
    match neither kind, and the store's errors (``DuplicateKeyError``,
    ``ReadOnlyCaseError``) when the rows cannot be stored; nothing is stored then.
    """
    path = Path(path)
    with open(path, "rb") as raw:
        head = raw.read(4)
    target = Path(rejects) if rejects is not None else rejects_path(path)
    chosen = rejects is not None
    if readers.is_workbook(head):
        return _import_workbook(store, path, case, kind, mode, user, gazetteer, target, chosen)
    return _import_csv(store, path, case, kind, mode, user, chunk_rows, gazetteer, target, chosen)


def _import_workbook(store, path: Path, case, kind, mode, user, gazetteer, target: Path, chosen: bool) -> FileImport:
    if path.stat().st_size > workbook.MAX_UNZIPPED:  # a zip is about as large as its parts at most
        raise workbook.too_large()
    result = importer.import_file(path.read_bytes(), path.name, kind=kind, gazetteer=gazetteer, max_bytes=None)
    version = importer.commit(store, case, [result], mode=mode, user=user)
    lists = result.lists
    written = None
    if any(parsed.rejected for parsed in lists):
        written = write_rejects(target, lambda out: out.write(exporter.rejects_csv(lists, "en")), fallback=not chosen)
    return FileImport(
        path.name, tuple(dict.fromkeys(p.kind for p in lists)), sum(p.rows for p in lists),
        sum(p.accepted for p in lists), sum(p.rejected for p in lists), version, written, result.skipped,
    )


def _import_csv(store, path: Path, case, kind, mode, user, chunk_rows: int, gazetteer, target: Path,
                chosen: bool) -> FileImport:
    source = readers.open_csv(path)
    header_rows, data_rows = importer.split_header(source.records())
    if not header_rows:
        raise ImportFileError("empty")
    header_at, match = find_header(header_rows, kind)
    # The case is known here, so a link naming an end it lacks is rejected row by row.
    known = store.party_ids(case) if match.kind == "links" else None
    parser = ListParser(match, header_rows[header_at][1], gazetteer, known_ids=known)
    rejects = RejectsFile("en")
    size = importer.chunk_size(parser.width, chunk_rows, importer.STREAM_CHUNK_CELLS)
    try:
        with store.importing(case, mode, user) as writer, _collecting_between_chunks():
            for chunk in importer.chunks(data_rows(header_rows[header_at][0]), size):
                parsed = parser.parse(chunk)
                rejects.add(parsed.rejects, parser.headers)
                if len(parsed.frame):  # a replace leaves the stored rows alone until a row is accepted
                    writer.add(match.kind, parsed.frame)
                del chunk, parsed
                gc.collect(1)
            writer.log(ImportLog(path.name, source.sha256, match.kind, parser.rows, parser.accepted, parser.rejected))
        written = None
        if rejects.count:
            written = write_rejects(target, lambda out: rejects.save(out, parser.headers), fallback=not chosen)
    finally:
        rejects.close()
    version = writer.version if writer.stored else None
    return FileImport(path.name, (match.kind,), parser.rows, parser.accepted, parser.rejected, version, written)


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


def rejects_path(path: Path) -> Path:
    """Where the rejected rows of ``path`` go unless told otherwise: ``NAME.rejects.csv`` beside it."""
    return path.with_name(f"{path.stem}.rejects.csv")


def check_rejects_target(target: Path) -> None:
    """Raise ``OSError`` unless a rejects file can be written at ``target``: a folder that exists, not a folder itself.

    For a target named on the command line, checked before anything is stored.
    """
    target = Path(target)
    if target.is_dir():
        raise IsADirectoryError(errno.EISDIR, "is a folder", str(target))
    folder = target.parent
    if not folder.is_dir():
        raise FileNotFoundError(errno.ENOENT, "no such folder", str(folder))
    if not os.access(folder, os.W_OK | os.X_OK):
        raise PermissionError(errno.EACCES, "folder cannot be written", str(folder))


def write_rejects(target: Path, write: Callable[[BinaryIO], None], fallback: bool = True) -> Path:
    """Write a rejects file at ``target`` with ``write(out)``; return where it went.

    The rows go to a new file in ``target``'s folder that then takes
    ``target``'s place (``os.replace``): a symlink or hard link someone left
    at ``target`` is replaced, never written through. When the folder cannot
    be written and ``fallback`` is set, the file goes to the temp folder.
    The file is readable by its owner only: it holds the rejected rows' cells.
    """
    target = Path(target)
    try:
        out = tempfile.NamedTemporaryFile("wb", dir=target.parent, prefix=f".{target.name}.", delete=False)
    except OSError:
        if not fallback:
            raise
        out = tempfile.NamedTemporaryFile("wb", prefix=f"{target.stem}.", suffix=".csv", delete=False)
        target = Path(out.name)
    try:
        with out:
            write(out)
        os.replace(out.name, target)
    except BaseException:
        Path(out.name).unlink(missing_ok=True)
        raise
    return target.absolute()

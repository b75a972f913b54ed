"""Reading case files: CSV (UTF-8 with or without BOM, GB18030) and Excel workbooks.

``read_tables(data, file_name)`` turns the bytes of an upload into one
``RawTable`` per list: a CSV is one list, a workbook one list per sheet.
Cells come back as read (text untrimmed, Excel numbers and dates as Python
values), each row with the row number a spreadsheet shows. Anything that
cannot be read raises ``ImportFileError``, never another exception.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

__all__ = ["MAX_BYTES", "ImportFileError", "RawTable", "read_tables", "is_workbook", "sniff_delimiter", "decode", "looks_binary", "CsvFile", "open_csv"]

MAX_BYTES = 50 * 1024 * 1024
# A workbook is a zip: refuse one that inflates to far more than any case file needs.
_MAX_UNZIPPED = 400 * 1024 * 1024
_DELIMITERS = (",", "\t", ";", "|")
_ENCODINGS = ("utf-8-sig", "gb18030")
_OLD_EXCEL = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_BLOCK = 1 << 20  # bytes read at a time when checking a file on disk


class ImportFileError(Exception):
    """A file cannot be imported as a whole: unreadable, too large, or headers that match neither kind.

    ``code`` names the problem (an ``import_error_<code>`` string in
    :mod:`casemap.import_strings`) and ``params`` fills its placeholders.
    """

    def __init__(self, code: str, **params):
        self.code = code
        self.params = params
        super().__init__(code + (f" {params}" if params else ""))

    def message(self, lang: str) -> str:
        """The problem in the user's language, one line."""
        from casemap.i18n import t  # late: i18n pulls in the whole string table

        shown = {}
        for name, value in self.params.items():
            if name == "kind":
                value = t(f"kind_{value}", lang)
            elif isinstance(value, tuple):  # field names
                value = ("、" if lang == "zh" else ", ").join(t(f"field_{field}", lang) for field in value)
            shown[name] = value
        return t(f"import_error_{self.code}", lang, **shown)


@dataclass(frozen=True)
class RawTable:
    """One list of a file: its sheet name (None for a CSV) and its rows as (row number, cells)."""

    sheet: str | None
    rows: list[tuple[int, list[object]]]


def read_tables(data: bytes, file_name: str = "", max_bytes: int | None = MAX_BYTES) -> list[RawTable]:
    """Read a CSV or .xlsx file's bytes into one ``RawTable`` per list.

    The format is told by content (a zip is a workbook), not by the name;
    legacy .xls and other binary files are refused with ``ImportFileError``.
    ``max_bytes`` is the upload limit of the page; None reads a file of any size.
    """
    if not isinstance(data, (bytes, bytearray)):
        raise ImportFileError("unreadable", detail="not bytes")
    if max_bytes is not None and len(data) > max_bytes:
        raise ImportFileError("too_large", size_mb=f"{len(data) / 1024 / 1024:.1f}", limit_mb=max_bytes // 1024 // 1024)
    if not data.strip():
        raise ImportFileError("empty")
    if is_workbook(data):
        return _read_workbook(bytes(data))
    if data[:8] == _OLD_EXCEL:
        raise ImportFileError("old_excel")
    return [RawTable(None, _read_csv(decode(bytes(data))))]


def is_workbook(head: bytes) -> bool:
    """Whether a file starting with ``head`` is a workbook (.xlsx is a zip)."""
    return head[:4] == b"PK\x03\x04"


def decode(data: bytes) -> str:
    """The text of a CSV's bytes: UTF-8 (BOM or not), else GB18030; ``not_text`` for anything else."""
    if b"\x00" in data:
        # UTF-16 text and binary files both carry NULs; neither is an accepted CSV.
        raise ImportFileError("not_text")
    for encoding in _ENCODINGS:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if looks_binary(text):
            break
        return text
    raise ImportFileError("not_text")


def looks_binary(text: str) -> bool:
    """Whether decoded text has the control characters of a binary file."""
    # GB18030 decodes most byte soup; control characters give binary files away.
    sample = text[:20000]
    controls = sum(1 for ch in sample if ord(ch) < 32 and ch not in "\t\r\n\f")
    return controls > max(2, len(sample) // 200)


def sniff_delimiter(text: str) -> str:
    """The delimiter of a CSV's text: the most frequent of , tab ; | in its first non-blank line."""
    first = next((line for line in text.splitlines() if line.strip()), "")
    counts = {d: first.count(d) for d in _DELIMITERS}
    best = max(_DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] else ","


def _read_csv(text: str) -> list[tuple[int, list[object]]]:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sniff_delimiter(text))
    try:
        # The record number is the spreadsheet row number (a quoted cell may span lines).
        return [(number, list(cells)) for number, cells in enumerate(reader, start=1)]
    except csv.Error as exc:
        raise ImportFileError("bad_csv", detail=str(exc)) from None


def _read_workbook(data: bytes) -> list[RawTable]:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            if sum(info.file_size for info in archive.infolist()) > _MAX_UNZIPPED:
                raise ImportFileError("too_large_unzipped")
    except zipfile.BadZipFile as exc:
        raise ImportFileError("bad_workbook", detail=str(exc)) from None
    try:
        return _read_sheets(data)
    except ImportFileError:
        raise
    except Exception as exc:  # openpyxl raises many types on a damaged workbook
        detail = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise ImportFileError("bad_workbook", detail=detail[:200]) from None


def _read_sheets(data: bytes) -> list[RawTable]:
    import openpyxl  # late: only workbooks need it

    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        tables = []
        for sheet in book.worksheets:
            if hasattr(sheet, "reset_dimensions"):
                # The stored dimension is often wrong; read every row there is.
                sheet.reset_dimensions()
            rows = [(number, list(cells)) for number, cells in enumerate(sheet.iter_rows(values_only=True), start=1)]
            tables.append(RawTable(sheet.title, rows))
        return tables
    finally:
        book.close()


@dataclass(frozen=True)
class CsvFile:
    """A CSV on disk, checked and ready to stream: its encoding, delimiter and the sha256 of its bytes."""

    path: Path
    encoding: str
    delimiter: str
    sha256: str

    def records(self) -> Iterator[tuple[int, list[str]]]:
        """Every record with its spreadsheet row number, read as the file streams past."""
        with open(self.path, encoding=self.encoding, newline="") as text:
            try:
                yield from enumerate(csv.reader(text, delimiter=self.delimiter), start=1)
            except csv.Error as exc:
                raise ImportFileError("bad_csv", detail=str(exc)) from None


def open_csv(path: Path) -> CsvFile:
    """Check a CSV on disk as ``read_tables`` checks bytes, reading it in blocks, never whole.

    Raises ``ImportFileError`` for an empty, legacy Excel or non-text file;
    a workbook is the caller's to tell apart first (``is_workbook``).
    """
    digest, utf8 = hashlib.sha256(), codecs.getincrementaldecoder("utf-8-sig")()
    head, blank, nul, is_utf8 = b"", True, False, True
    with open(path, "rb") as raw:
        while block := raw.read(_BLOCK):
            digest.update(block)
            head += block[: max(0, _BLOCK - len(head))]
            blank = blank and not block.strip()
            nul = nul or b"\x00" in block
            is_utf8 = is_utf8 and _decodes(utf8, block)
    if blank:
        raise ImportFileError("empty")
    if head[:8] == _OLD_EXCEL:
        raise ImportFileError("old_excel")
    encoding = "utf-8-sig" if is_utf8 and _decodes(utf8, b"", final=True) else "gb18030"
    if nul or (encoding == "gb18030" and not _decodes_whole(path, encoding)):
        raise ImportFileError("not_text")
    text = codecs.getincrementaldecoder(encoding)().decode(head)
    if looks_binary(text):
        raise ImportFileError("not_text")
    return CsvFile(Path(path), encoding, sniff_delimiter(text), digest.hexdigest())


def _decodes(decoder, block: bytes, final: bool = False) -> bool:
    try:
        decoder.decode(block, final=final)
    except UnicodeDecodeError:
        return False
    return True


def _decodes_whole(path: Path, encoding: str) -> bool:
    decoder = codecs.getincrementaldecoder(encoding)()
    with open(path, "rb") as raw:
        while block := raw.read(_BLOCK):
            if not _decodes(decoder, block):
                return False
    return _decodes(decoder, b"", final=True)

"""Reading case files: CSV (UTF-8 with or without BOM, GB18030) and Excel workbooks.

``read_lists(data, file_name)`` turns the bytes of an upload into its lists:
a CSV is one list, its records read as they are consumed, never the whole
text at once; a workbook is one list per sheet, each read row by row within
the limits of :mod:`casemap.workbook` (``read_tables`` has every row at hand). Cells come back as read (text untrimmed, Excel numbers and dates as Python
values), each row with the row number a spreadsheet shows. Anything that
cannot be read raises ``ImportFileError``, never another exception.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

__all__ = [
    "UPLOAD_LIMIT_MB", "MAX_BYTES", "ImportFileError", "RawTable", "read_lists", "read_tables", "is_workbook",
    "sniff_delimiter", "looks_binary", "CsvFile", "open_csv", "CsvBytes", "check_csv_bytes",
]

# The one upload limit: the Data page's uploader, the size check on an
# upload's bytes and Streamlit's server.maxUploadSize (.streamlit/config.toml,
# checked by tests/test_hardening.py) all say this. The command line reads
# files of any size.
UPLOAD_LIMIT_MB = 50
MAX_BYTES = UPLOAD_LIMIT_MB * 1024 * 1024
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

    def __reduce__(self):  # pickled with its code and params (a worker process sends it back)
        return _import_file_error, (self.code, self.params)

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


def _import_file_error(code: str, params: dict) -> ImportFileError:
    return ImportFileError(code, **params)


@dataclass(frozen=True)
class RawTable:
    """One list of a file: its sheet name (None for a CSV) and its rows as (row number, cells)."""

    sheet: str | None
    rows: list[tuple[int, list[object]]]


def read_lists(
    data: bytes, file_name: str = "", max_bytes: int | None = MAX_BYTES
) -> Iterable[tuple[str | None, Iterable[tuple[int, list[object]]]]]:
    """The lists of a CSV or .xlsx file's bytes: (sheet name or None for a CSV, its records).

    A CSV's records are decoded and split as they are consumed (see
    :class:`CsvBytes`); a workbook is measured, then its sheets are read a row
    at a time as they are consumed, in turn (see :mod:`casemap.workbook`). The format is told
    by content (a zip is a workbook), not by the name; legacy .xls and other
    binary files are refused with ``ImportFileError``. ``max_bytes`` is the
    upload limit of the page; None reads a file of any size.
    """
    if not isinstance(data, (bytes, bytearray)):
        raise ImportFileError("unreadable", detail="not bytes")
    if max_bytes is not None and len(data) > max_bytes:
        raise ImportFileError("too_large", size_mb=f"{len(data) / 1024 / 1024:.1f}", limit_mb=max_bytes // 1024 // 1024)
    if not data or data.isspace():  # not data.strip(): that would copy the whole file
        raise ImportFileError("empty")
    if is_workbook(data):
        from casemap.workbook import read_workbook  # late: it needs this module's ImportFileError

        return read_workbook(io.BytesIO(data))
    if data[:8] == _OLD_EXCEL:
        raise ImportFileError("old_excel")
    return [(None, check_csv_bytes(bytes(data)).records())]


def read_tables(data: bytes, file_name: str = "", max_bytes: int | None = MAX_BYTES) -> list[RawTable]:
    """Read a CSV or .xlsx file's bytes into one ``RawTable`` per list, every row at hand (see :func:`read_lists`)."""
    return [RawTable(sheet, list(records)) for sheet, records in read_lists(data, file_name, max_bytes)]


def is_workbook(head: bytes) -> bool:
    """Whether a file starting with ``head`` is a workbook (.xlsx is a zip)."""
    return head[:4] == b"PK\x03\x04"


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


@dataclass(frozen=True, eq=False)
class CsvBytes:
    """A CSV's bytes, checked and ready to stream: records are decoded and split as they are read.

    Reading the records never holds the whole text or every row at once, so
    an upload costs little more than its bytes.
    """

    data: bytes
    encoding: str
    delimiter: str

    def records(self) -> Iterator[tuple[int, list[str]]]:
        """Every record with its spreadsheet row number."""
        with io.TextIOWrapper(io.BytesIO(self.data), encoding=self.encoding, newline="") as text:
            try:
                yield from enumerate(csv.reader(text, delimiter=self.delimiter), start=1)
            except csv.Error as exc:
                raise ImportFileError("bad_csv", detail=str(exc)) from None


def check_csv_bytes(data: bytes) -> CsvBytes:
    """Check a CSV's bytes without decoding them whole: UTF-8 (BOM or not), else GB18030; else ``not_text``."""
    if b"\x00" in data:
        # UTF-16 text and binary files both carry NULs; neither is an accepted CSV.
        raise ImportFileError("not_text")
    for encoding in _ENCODINGS:
        if not _decodes_blocks(encoding, data):
            continue
        head = codecs.getincrementaldecoder(encoding)().decode(data[:_BLOCK])
        if looks_binary(head):
            break
        return CsvBytes(data, encoding, sniff_delimiter(head))
    raise ImportFileError("not_text")


def _decodes_blocks(encoding: str, data: bytes) -> bool:
    decoder = codecs.getincrementaldecoder(encoding)()
    view = memoryview(data)
    for start in range(0, len(data), _BLOCK):
        if not _decodes(decoder, view[start:start + _BLOCK]):
            return False
    return _decodes(decoder, b"", final=True)


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

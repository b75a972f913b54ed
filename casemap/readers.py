"""Reading case files: CSV (UTF-8 with or without BOM, GB18030) and Excel workbooks.

``read_tables(data, file_name)`` turns the bytes of an upload into one
``RawTable`` per list: a CSV is one list, a workbook one list per sheet.
Cells come back as read (text untrimmed, Excel numbers and dates as Python
values), each row with the row number a spreadsheet shows. Anything that
cannot be read raises ``ImportFileError``, never another exception.
"""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass

__all__ = ["MAX_BYTES", "ImportFileError", "RawTable", "read_tables"]

MAX_BYTES = 50 * 1024 * 1024
# A workbook is a zip: refuse one that inflates to far more than any case file needs.
_MAX_UNZIPPED = 400 * 1024 * 1024
_DELIMITERS = (",", "\t", ";", "|")
_ENCODINGS = ("utf-8-sig", "gb18030")


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


def read_tables(data: bytes, file_name: str = "") -> list[RawTable]:
    """Read a CSV or .xlsx file's bytes into one ``RawTable`` per list.

    The format is told by content (a zip is a workbook), not by the name;
    legacy .xls and other binary files are refused with ``ImportFileError``.
    """
    if not isinstance(data, (bytes, bytearray)):
        raise ImportFileError("unreadable", detail="not bytes")
    if len(data) > MAX_BYTES:
        raise ImportFileError("too_large", size_mb=f"{len(data) / 1024 / 1024:.1f}", limit_mb=MAX_BYTES // 1024 // 1024)
    if not data.strip():
        raise ImportFileError("empty")
    if data[:4] == b"PK\x03\x04":
        return _read_workbook(bytes(data))
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise ImportFileError("old_excel")
    return [RawTable(None, _read_csv(_decode(bytes(data))))]


def _decode(data: bytes) -> str:
    if b"\x00" in data:
        # UTF-16 text and binary files both carry NULs; neither is an accepted CSV.
        raise ImportFileError("not_text")
    for encoding in _ENCODINGS:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if _looks_binary(text):
            break
        return text
    raise ImportFileError("not_text")


def _looks_binary(text: str) -> bool:
    # GB18030 decodes most byte soup; control characters give binary files away.
    sample = text[:20000]
    controls = sum(1 for ch in sample if ord(ch) < 32 and ch not in "\t\r\n\f")
    return controls > max(2, len(sample) // 200)


def _sniff_delimiter(text: str) -> str:
    first = next((line for line in text.splitlines() if line.strip()), "")
    counts = {d: first.count(d) for d in _DELIMITERS}
    best = max(_DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] else ","


def _read_csv(text: str) -> list[tuple[int, list[object]]]:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_sniff_delimiter(text))
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

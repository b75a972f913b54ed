"""Exports: stored rows, rejected rows and templates as CSV or Excel, safe to open in a spreadsheet.

Text is stored as given; here, where it leaves, a cell that a spreadsheet
would run as a formula (starting with = + - @, tab or carriage return) gets an
apostrophe in front. The importer takes that apostrophe off again, so an
export imports back to the same stored rows.

Files are written row by row to a binary file (:func:`write_csv`,
:func:`write_xlsx`, :func:`write_export`), so a large export can be fed a
chunk of rows at a time and never holds a whole case; ``to_csv``,
``to_xlsx`` and ``export_bytes`` are the same writers for a table at hand.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import math
import re
import string
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from typing import BinaryIO

import pandas as pd

from casemap.cells import FORMULA_STARTS
from casemap.fields import TEMPLATE_HEADERS
from casemap.i18n import t
from casemap.accounts import luhn_ok
from casemap.schema import ACCOUNT_COLUMNS, LINK_COLUMNS, PAYMENT_COLUMNS, SUSPECT_COLUMNS

__all__ = [
    "FORMATS",
    "MIME",
    "XLSX_MAX_ROWS",
    "ExportTooLarge",
    "neutralise",
    "markdown_escape",
    "extra_keys",
    "export_header",
    "export_rows",
    "export_frame",
    "export_bytes",
    "write_csv",
    "write_xlsx",
    "write_export",
    "to_csv",
    "to_xlsx",
    "template_csv",
    "rejects_csv",
]

FORMATS = ("csv", "xlsx")
_COLUMNS = {"suspects": SUSPECT_COLUMNS, "payments": PAYMENT_COLUMNS, "accounts": ACCOUNT_COLUMNS,
            "links": LINK_COLUMNS}
# An accounts export carries, after the number, whether a bank card passes the Luhn check (blank for other kinds).
_LUHN_AFTER = "number"
MIME = {"csv": "text/csv", "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
# An .xlsx is built as one zip at the end and takes far longer to write than
# CSV; beyond this many rows only CSV is offered.
XLSX_MAX_ROWS = 100_000


class ExportTooLarge(ValueError):
    """More rows than an .xlsx export allows (:data:`XLSX_MAX_ROWS`)."""


def neutralise(value: object) -> object:
    """Prefix text a spreadsheet would run as a formula with an apostrophe; other values unchanged.

    Text that already starts with apostrophes before such a character gets one
    more, so the importer's un-prefixing gives back exactly the stored text.
    """
    if isinstance(value, str) and value.lstrip("'")[:1] in FORMULA_STARTS:
        return "'" + value
    return value


# Every ASCII punctuation mark: CommonMark lets each be backslash-escaped, and
# together they cover links, images, emphasis, code spans, HTML, maths, tables
# and autolinks, and Streamlit's own :colour[...] and :icon: directives.
_MARKDOWN_SPECIALS = frozenset(string.punctuation)
# Bidirectional controls reorder the text around them (a value could show a
# different file name than the one it is); they are shown as U+FFFD.
_BIDI_CONTROLS = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


# Escapes do not stop GitHub-style autolinks: Streamlit's front end finds
# "https://", "www." and "name@host" in the text after the Markdown is read.
# An invisible word joiner (U+2060) at each of those spots breaks the match.
_AUTOLINK_SPOTS = re.compile(r"(?<=:)(?=//)|(?i:(?<=www))(?=\.)|(?<=@)")
WORD_JOINER = "\u2060"


def _visible(ch: str) -> str:
    if ch in _BIDI_CONTROLS:
        return "\ufffd"
    if unicodedata.category(ch) in ("Cc", "Zl", "Zp"):  # line breaks, tabs and other control characters
        return " "
    return ch


def markdown_escape(text: object, limit: int | None = None) -> str:
    """Text from a URL, a file or the database, safe to put in Streamlit markdown: shown as typed.

    Every ASCII punctuation mark is backslash-escaped, so a name like
    ``![x](http://...)``, ``:red[...]`` or a back-tick shows as typed instead
    of fetching an image, linking out or changing colour; a web or mail
    address is kept from becoming a link by an invisible word joiner; line
    breaks and control characters become spaces, and bidirectional controls
    show as U+FFFD. With ``limit``, text longer than that many characters is
    cut with "…".
    """
    text = str(text)
    if limit is not None and len(text) > limit:
        text = text[: max(limit - 1, 0)] + "…"
    text = _AUTOLINK_SPOTS.sub(WORD_JOINER, "".join(_visible(ch) for ch in text))
    return "".join("\\" + ch if ch in _MARKDOWN_SPECIALS else ch for ch in text)


def _cell(value: object) -> object:
    """A stored value as an export cell: NA blank, whole amounts without ".0", datetimes as datetimes."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float):
        if math.isnan(value):
            return None
        return int(value) if value.is_integer() and abs(value) < 1e15 else value
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    if hasattr(value, "item"):  # numpy scalars
        return _cell(value.item())
    return neutralise(value)


def _extra(text: object) -> dict:
    """The ``extra`` JSON object of a stored row; anything else counts as no extra fields."""
    if not isinstance(text, str):
        return {}
    try:
        fields = json.loads(text)
    except ValueError:
        return {}
    return fields if isinstance(fields, dict) else {}


def extra_keys(texts: Iterable[object]) -> list[str]:
    """The keys of ``extra`` JSON objects, in order of first appearance: an export's extra columns."""
    keys: dict[str, None] = {}
    for text in texts:
        keys.update(dict.fromkeys(_extra(text)))
    return list(keys)


def export_header(kind: str, keys: Sequence[str]) -> list[str]:
    """An export's header: the stored columns of ``kind`` but ``extra``, then one column per extra key."""
    return [*_stored_header(kind), *(neutralise(k) for k in keys)]


def _stored_header(kind: str) -> list[str]:
    columns = [c for c in _COLUMNS[kind] if c != "extra"]
    if kind == "accounts":
        columns.insert(columns.index(_LUHN_AFTER) + 1, "luhn_ok")
    return columns


def _luhn_cells(frame: pd.DataFrame) -> list:
    return [luhn_ok(number) if kind == "bank_card" and str(number).isdigit() else None
            for kind, number in zip(frame["kind"], frame["number"])]


def export_rows(frame: pd.DataFrame, kind: str, keys: Sequence[str]) -> Iterator[list]:
    """The stored rows of ``kind`` in ``frame`` as export rows under :func:`export_header`, cells neutralised."""
    columns = [c for c in _COLUMNS[kind] if c != "extra"]
    extras = frame["extra"] if "extra" in frame else [None] * len(frame)
    if kind == "accounts":
        frame = frame.assign(luhn_ok=_luhn_cells(frame))
        columns = _stored_header(kind)
    for row, text in zip(frame[columns].itertuples(index=False, name=None), extras):
        fields = _extra(text)
        yield [_cell(v) for v in row] + [neutralise(fields.get(key)) for key in keys]


def export_frame(frame: pd.DataFrame, kind: str) -> pd.DataFrame:
    """The stored rows of ``kind`` as an export table: the frame's columns, then one column per extra key.

    Cells are neutralised; the ``extra`` JSON is spread back into the columns it came from.
    """
    keys = extra_keys(frame["extra"]) if "extra" in frame else []
    return pd.DataFrame(list(export_rows(frame, kind, keys)), columns=pd.Index(export_header(kind, keys)),
                        dtype=object)


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ") if value.time() != dt.time() else value.date().isoformat()
    return str(value)


def write_csv(header: Sequence, rows: Iterable[Sequence], out: BinaryIO, bom: bool = True) -> int:
    """Write a header and rows to ``out`` as CSV (UTF-8, BOM by default, CRLF); return the rows written.

    Rows are encoded and written as they come, so ``rows`` may be a generator
    over a table of any size.
    """
    text = io.TextIOWrapper(out, encoding="utf-8-sig" if bom else "utf-8", newline="", write_through=True)
    try:
        writer = csv.writer(text, lineterminator="\r\n")
        writer.writerow([_text(c) for c in header])
        count = 0
        for row in rows:
            writer.writerow([_text(v) for v in row])
            count += 1
        text.flush()
    finally:
        text.detach()  # leave ``out`` open for the caller
    return count


def write_xlsx(header: Sequence, rows: Iterable[Sequence], out: BinaryIO, sheet: str = "Sheet1",
               max_rows: int | None = XLSX_MAX_ROWS) -> int:
    """Write a header and rows to ``out`` as an .xlsx workbook of one sheet; return the rows written.

    The workbook is written in openpyxl's write-only mode, a row at a time;
    dates become Excel date cells and the header is always text.
    ``ExportTooLarge`` is raised, with nothing written to ``out``, once there
    are more than ``max_rows`` rows.
    """
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    book = Workbook(write_only=True)
    worksheet = book.create_sheet(sheet[:31])

    def cell(value, *, text: bool = False):
        if isinstance(value, str):
            # Control characters cannot be stored in a workbook at all.
            value = ILLEGAL_CHARACTERS_RE.sub("\ufffd", value)
        if not (text or isinstance(value, dt.datetime)):
            return value
        written = WriteOnlyCell(worksheet, value=value)
        if text:
            written.data_type = "s"  # a header is never a formula
        else:
            written.number_format = "yyyy-mm-dd hh:mm:ss" if value.time() != dt.time() else "yyyy-mm-dd"
        return written

    count = 0
    try:
        worksheet.append([cell(str(c), text=True) for c in header])
        for row in rows:
            count += 1
            if max_rows is not None and count > max_rows:
                raise ExportTooLarge(f"an .xlsx export holds at most {max_rows:,} rows")
            worksheet.append([cell(v) for v in row])
    except BaseException:
        _discard(worksheet)
        raise
    book.save(out)
    return count


def _discard(worksheet) -> None:
    """Close a write-only sheet that will never be saved, and remove the temporary file openpyxl wrote it to."""
    worksheet.close()
    writer = getattr(worksheet, "_writer", None)
    if writer is not None:
        writer.cleanup()


def write_export(out: BinaryIO, kind: str, fmt: str, keys: Sequence[str], chunks: Iterable[pd.DataFrame],
                 bom: bool = True, xlsx_max_rows: int | None = XLSX_MAX_ROWS) -> int:
    """Write stored rows of ``kind``, given a chunk at a time, to ``out`` as CSV or .xlsx; return the rows written.

    ``keys`` are the extra columns (:func:`extra_keys` of every row to come),
    needed for the header before the first chunk is read. An .xlsx of more
    than ``xlsx_max_rows`` rows raises ``ExportTooLarge``; CSV has no limit.
    """
    if fmt not in FORMATS:
        raise ValueError(f"format must be one of {FORMATS}, got {fmt!r}")
    header = export_header(kind, keys)
    rows = (row for chunk in chunks for row in export_rows(chunk, kind, keys))
    if fmt == "csv":
        return write_csv(header, rows, out, bom=bom)
    return write_xlsx(header, rows, out, sheet=kind, max_rows=xlsx_max_rows)


def to_csv(table: pd.DataFrame, bom: bool = True) -> bytes:
    """A table as CSV bytes: UTF-8, with a BOM by default so Excel reads Chinese correctly."""
    buffer = io.BytesIO()
    write_csv(table.columns, table.itertuples(index=False, name=None), buffer, bom=bom)
    return buffer.getvalue()


def to_xlsx(table: pd.DataFrame, sheet: str = "Sheet1") -> bytes:
    """A table as an .xlsx workbook of one sheet; dates as Excel date cells."""
    buffer = io.BytesIO()
    write_xlsx(table.columns, table.itertuples(index=False, name=None), buffer, sheet=sheet, max_rows=None)
    return buffer.getvalue()


def export_bytes(frame: pd.DataFrame, kind: str, fmt: str = "csv", bom: bool = True) -> bytes:
    """The stored rows of ``kind`` as a CSV or .xlsx file."""
    if fmt not in FORMATS:
        raise ValueError(f"format must be one of {FORMATS}, got {fmt!r}")
    table = export_frame(frame, kind)
    return to_csv(table, bom=bom) if fmt == "csv" else to_xlsx(table, sheet=kind)


def template_csv(kind: str, lang: str) -> bytes:
    """An empty list of ``kind`` with the template headers in English or Chinese."""
    return to_csv(pd.DataFrame(columns=pd.Index(TEMPLATE_HEADERS[kind][lang])))


def rejects_csv(lists: Sequence, lang: str) -> bytes:
    """The rejected rows of one or more parsed lists as CSV: [list,] row, column, reason, original cells."""
    frames = []
    for parsed in lists:
        frame = parsed.rejects_frame(lang)
        if len(lists) > 1:
            frame.insert(0, t("col_file", lang), parsed.label)
        frames.append(frame)
    table = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
    table = table.astype(object).where(table.notna(), None)
    return to_csv(table.map(neutralise).rename(columns=neutralise))

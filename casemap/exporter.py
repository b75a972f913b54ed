"""Exports: stored rows, rejected rows and templates as CSV or Excel, safe to open in a spreadsheet.

Text is stored as given; here, where it leaves, a cell that a spreadsheet
would run as a formula (starting with = + - @, tab or carriage return) gets an
apostrophe in front. The importer takes that apostrophe off again, so an
export imports back to the same stored rows.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import math
from collections.abc import Sequence

import pandas as pd

from casemap.cells import FORMULA_STARTS
from casemap.fields import TEMPLATE_HEADERS
from casemap.i18n import t
from casemap.schema import PAYMENT_COLUMNS, SUSPECT_COLUMNS

__all__ = ["FORMATS", "MIME", "neutralise", "markdown_escape", "export_frame", "export_bytes", "to_csv", "to_xlsx", "template_csv", "rejects_csv"]

FORMATS = ("csv", "xlsx")
_COLUMNS = {"suspects": SUSPECT_COLUMNS, "payments": PAYMENT_COLUMNS}
MIME = {"csv": "text/csv", "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


def neutralise(value: object) -> object:
    """Prefix text a spreadsheet would run as a formula with an apostrophe; other values unchanged.

    Text that already starts with apostrophes before such a character gets one
    more, so the importer's un-prefixing gives back exactly the stored text.
    """
    if isinstance(value, str) and value.lstrip("'")[:1] in FORMULA_STARTS:
        return "'" + value
    return value


_MARKDOWN_SPECIALS = frozenset("\\`*_{}[]()#+-.!|<>~$:=\"'&%^")


def markdown_escape(text: object) -> str:
    """Text from a file, safe to put in Streamlit markdown: every ASCII punctuation mark backslash-escaped.

    A name like ``![x](http://...)`` or ``:red[...]`` then shows as typed
    instead of fetching an image or changing colour.
    """
    return "".join("\\" + ch if ch in _MARKDOWN_SPECIALS else ch for ch in str(text)).replace("\n", " ")


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


def export_frame(frame: pd.DataFrame, kind: str) -> pd.DataFrame:
    """The stored rows of ``kind`` as an export table: the frame's columns, then one column per extra key.

    Cells are neutralised; the ``extra`` JSON is spread back into the columns it came from.
    """
    columns = [c for c in _COLUMNS[kind] if c != "extra"]
    extras = [json.loads(text) if isinstance(text, str) else {} for text in frame["extra"]] if "extra" in frame else []
    keys = list(dict.fromkeys(key for extra in extras for key in extra))
    rows = []
    for position, row in enumerate(frame[columns].itertuples(index=False, name=None)):
        extra = extras[position] if extras else {}
        rows.append([_cell(v) for v in row] + [neutralise(extra.get(key)) for key in keys])
    return pd.DataFrame(rows, columns=pd.Index([*columns, *(neutralise(k) for k in keys)]), dtype=object)


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ") if value.time() != dt.time() else value.date().isoformat()
    return str(value)


def to_csv(table: pd.DataFrame, bom: bool = True) -> bytes:
    """A table as CSV bytes: UTF-8, with a BOM by default so Excel reads Chinese correctly."""
    text = table.map(_text).to_csv(index=False, lineterminator="\r\n")
    return text.encode("utf-8-sig" if bom else "utf-8")


def to_xlsx(table: pd.DataFrame, sheet: str = "Sheet1") -> bytes:
    """A table as an .xlsx workbook of one sheet; dates as Excel date cells."""
    from openpyxl import Workbook
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    def safe(value):
        # Control characters cannot be stored in a workbook at all.
        return ILLEGAL_CHARACTERS_RE.sub("\ufffd", value) if isinstance(value, str) else value

    book = Workbook()
    worksheet = book.active
    worksheet.title = sheet[:31]
    worksheet.append([safe(str(c)) for c in table.columns])
    for row in table.itertuples(index=False, name=None):
        worksheet.append([safe(v) for v in row])
    for cell in worksheet[1]:
        cell.data_type = "s"  # a header is never a formula
    for column in worksheet.iter_cols(min_row=2):
        for cell in column:
            if isinstance(cell.value, dt.datetime):
                cell.number_format = "yyyy-mm-dd hh:mm:ss" if cell.value.time() != dt.time() else "yyyy-mm-dd"
    buffer = io.BytesIO()
    book.save(buffer)
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

"""Parsing the cells of a case file: text, dates and times, amounts in yuan, counts.

Each parser takes a cell as read (text, or an Excel number or date) and returns
the stored value, or raises ``CellError`` whose ``code`` names the problem
(``bad_date``, ``bad_amount``, ``negative_amount``, ``bad_count``).
"""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from decimal import Decimal, DecimalException

import pandas as pd

__all__ = ["CellError", "FORMULA_STARTS", "clean", "as_text", "parse_datetime", "parse_amount", "parse_count"]

# A cell starting with one of these runs as a formula in a spreadsheet; exports
# put an apostrophe in front, and the importer takes that apostrophe off again.
FORMULA_STARTS = frozenset("=+-@\t\r")

_FIRST_YEAR, _LAST_YEAR = 1900, 2100
_EXCEL_EPOCH = dt.datetime(1899, 12, 30)
_DATETIME = re.compile(
    r"(?P<y>\d{4})"
    r"(?:(?P<sep>[-/.])(?P<m>\d{1,2})(?P=sep)(?P<d>\d{1,2})"
    r"|年(?P<zm>\d{1,2})月(?P<zd>\d{1,2})日?"
    r"|(?P<cm>\d{2})(?P<cd>\d{2}))"
    r"(?:(?:\s*|T)(?P<H>\d{1,2})[:时](?P<M>\d{1,2})(?:[:分](?P<S>\d{1,2})(?:\.(?P<f>\d{1,6}))?)?[分秒]?)?"
)
_NUMBER = r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?:e[+-]?\d+)?|\.\d+"
_AMOUNT = re.compile(rf"(?P<sign>-)?¥?(?P<number>{_NUMBER})(?P<unit>万元|万|亿元|亿|元)?")
_UNIT_SCALE = {"": 1, "元": 1, "万": 10_000, "万元": 10_000, "亿": 100_000_000, "亿元": 100_000_000}
_COUNT = re.compile(r"\d+(?:\.0+)?")


class CellError(ValueError):
    """A cell that does not parse; ``code`` names the reason."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


def clean(value: object) -> object:
    """Trim text, drop the export's formula-guard apostrophe, and turn blanks into None.

    Non-text cells (Excel numbers, dates) come back unchanged; NaN is blank.
    """
    if value is None:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if not isinstance(value, str):
        return value
    text = value.strip()
    if text[:1] == "'" and text[1:].lstrip("'")[:1] in FORMULA_STARTS:
        text = text[1:]
    return text or None


def as_text(value: object) -> str | None:
    """A cleaned cell as text: whole Excel numbers without ".0", dates in ISO form."""
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e16:
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    return str(value)


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text).strip()


def parse_datetime(value: object) -> pd.Timestamp:
    """A date with optional time: 2024-08-03, 2024/8/3, 2024.08.05, 20240803, 2024年8月3日, Excel dates."""
    if isinstance(value, (dt.datetime, dt.date)):
        stamp = pd.Timestamp(value)
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        stamp = _from_number(value)
    elif isinstance(value, str):
        stamp = _from_text(_fold(value))
    else:
        raise CellError("bad_date")
    if not _FIRST_YEAR <= stamp.year <= _LAST_YEAR:
        raise CellError("bad_date")
    return stamp


def _from_number(value: float) -> pd.Timestamp:
    if not math.isfinite(value) or value <= 0:
        raise CellError("bad_date")
    if float(value).is_integer() and 10_000_000 <= value <= 99_999_999:
        return _from_text(str(int(value)))  # 20240803 typed as a number
    if value > 2_958_465:  # Excel's last day, 9999-12-31
        raise CellError("bad_date")
    return pd.Timestamp(_EXCEL_EPOCH + dt.timedelta(days=float(value))).round("s")


def _from_text(text: str) -> pd.Timestamp:
    match = _DATETIME.fullmatch(text)
    if not match:
        raise CellError("bad_date")
    part = match.groupdict()
    month = part["m"] or part["zm"] or part["cm"]
    day = part["d"] or part["zd"] or part["cd"]
    fraction = (part["f"] or "").ljust(6, "0")
    try:
        return pd.Timestamp(
            dt.datetime(
                int(part["y"]), int(month), int(day),
                int(part["H"] or 0), int(part["M"] or 0), int(part["S"] or 0), int(fraction or 0),
            )
        )
    except ValueError:
        raise CellError("bad_date") from None


def parse_amount(value: object, unit: str = "") -> float:
    """An amount in yuan: 12500, 12,500, ¥12500, 12500元, 1.25万, 1.2万元, Excel numbers.

    ``unit`` is the header's bracketed unit: under "金额（万元）" a bare 1.2 is
    12,000 yuan; a value with its own unit keeps it.
    """
    header_scale = _UNIT_SCALE.get(_fold(unit).replace(" ", ""), 1)
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise CellError("bad_amount")
    if isinstance(value, (int, float)):
        if not math.isfinite(value):
            raise CellError("bad_amount")
        amount, scale = Decimal(repr(value) if isinstance(value, float) else value), header_scale
    else:
        match = _AMOUNT.fullmatch(_fold(value).replace(" ", "").replace("−", "-").lower())
        if not match:
            raise CellError("bad_amount")
        amount = Decimal(match["number"].replace(",", ""))
        amount = -amount if match["sign"] else amount
        scale = _UNIT_SCALE[match["unit"]] if match["unit"] else header_scale
    try:
        result = float(amount * scale)
    except DecimalException:  # an exponent past what a float can hold
        raise CellError("bad_amount") from None
    if not math.isfinite(result):
        raise CellError("bad_amount")
    if result < 0:
        raise CellError("negative_amount")
    return result + 0.0  # no negative zero


def parse_count(value: object) -> int:
    """A whole, non-negative count (phone cards, WeChat accounts)."""
    if isinstance(value, bool):
        raise CellError("bad_count")
    if isinstance(value, (int, float)):
        if not math.isfinite(value) or not float(value).is_integer():
            raise CellError("bad_count")
        number = int(value)
    elif isinstance(value, str) and _COUNT.fullmatch(_fold(value)):
        number = int(Decimal(_fold(value)))
    else:
        raise CellError("bad_count")
    if number < 0:
        raise CellError("bad_count")
    return number

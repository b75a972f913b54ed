"""The importable fields of each kind of case file, and the headers they go by (CASE.md).

``match_headers(cells, kind)`` says which column is which field; headers match
ignoring case, spaces, underscores, full-/half-width forms and a bracketed
unit, so ``涉案金额（元）`` is ``amount_yuan``. ``find_header`` finds the header
row (title lines may sit above it) and the kind it matches.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from casemap import cells
from casemap.i18n import t
from casemap.readers import ImportFileError

__all__ = [
    "KINDS", "KEYS", "HEADER_SCAN", "MAX_COLUMNS", "MAX_HEADER_CHARS", "Field", "FIELDS", "TEMPLATE_HEADERS",
    "HeaderMatch",
    "fold_header", "field_label", "match_headers", "find_header", "check_width", "column_names",
]

KINDS = ("suspects", "payments", "accounts", "links")
KEYS = {"suspects": "suspect_id", "payments": "txn_id", "accounts": "account_id", "links": "link_id"}
HEADER_SCAN = 10  # non-blank rows searched for the header row: title lines above it are common
# A case file has a dozen fields and perhaps a few dozen more columns kept as
# extra; a file far wider, or with a header far longer, is refused with a
# message naming the limit rather than costing the server minutes of work.
MAX_COLUMNS = 1_000
MAX_HEADER_CHARS = 200


@dataclass(frozen=True)
class Field:
    """One importable field: its name, whether it is required, and the other headers it goes by."""

    name: str
    required: bool = False
    headers: tuple[str, ...] = ()


FIELDS: dict[str, tuple[Field, ...]] = {
    "suspects": (
        Field("suspect_id", True, ("编号", "嫌疑人编号", "id")),
        Field("name", False, ("姓名",)),
        Field("role", True, ("角色", "类型")),
        Field("status", True, ("状态",)),
        Field("province", False, ("省份", "省")),
        Field("city", False, ("城市", "市", "地市")),
        Field("address", False, ("地址", "所在地")),
        Field("arrest_date", False, ("抓获日期", "抓获时间")),
        Field("amount_yuan", False, ("涉案金额", "金额", "amount")),
        # Columns of Casemap's own export, read back by their field names only.
        Field("province_adcode"),
        Field("city_adcode"),
        Field("phone_cards"),
        Field("wechat_accounts"),
        Field("qq_accounts"),
    ),
    "payments": (
        Field("txn_id", True, ("交易编号", "流水号")),
        Field("time", True, ("时间", "交易时间")),
        Field("payer_id", True, ("付款方", "付款人")),
        Field("payee_id", True, ("收款方", "收款人")),
        Field("channel", True, ("渠道", "支付方式")),
        Field("amount_yuan", True, ("金额", "amount")),
        Field("purpose", False, ("用途",)),
        # The accounts a transfer went from and to (account_id), when the file names them.
        Field("payer_account", False, ("付款账号", "付款账户")),
        Field("payee_account", False, ("收款账号", "收款账户")),
    ),
    "accounts": (
        Field("account_id", True, ("账号编号", "账户编号")),
        Field("kind", True, ("类型", "账号类型")),
        # "地址" is a wallet's address here; the account's place goes by 所在地 or the field name.
        Field("number", True, ("号码", "账号", "卡号", "地址")),
        Field("holder_id", False, ("持有人", "户主", "使用人")),
        Field("status", False, ("状态",)),
        Field("province", False, ("省份", "省")),
        Field("city", False, ("城市", "市", "地市")),
        Field("address", False, ("所在地",)),
        Field("first_seen", False, ("首次发现", "发现日期")),
        Field("lead", False, ("线索来源", "来源")),
        Field("province_adcode"),
        Field("city_adcode"),
        Field("luhn_ok"),  # the export's flag, worked out again from the number
    ),
    "links": (
        Field("from_id", True, ("起点", "甲方")),
        Field("to_id", True, ("终点", "乙方")),
        Field("relation", True, ("关系",)),
        Field("source", False, ("来源", "线索来源")),
        Field("date", False, ("日期",)),
        Field("note", False, ("备注", "证据")),
        Field("link_id"),  # Casemap's export; made again from the ends and the relation
    ),
}

# The template's headers: CASE.md's fields, in English (field names) or Chinese.
TEMPLATE_HEADERS: dict[str, dict[str, tuple[str, ...]]] = {
    "suspects": {
        "en": ("suspect_id", "name", "role", "status", "province", "city", "address", "arrest_date", "amount_yuan"),
        "zh": ("嫌疑人编号", "姓名", "角色", "状态", "省份", "城市", "地址", "抓获日期", "涉案金额（元）"),
    },
    "payments": {
        "en": ("txn_id", "time", "payer_id", "payee_id", "channel", "amount_yuan", "purpose"),
        "zh": ("交易编号", "交易时间", "付款方", "收款方", "支付方式", "金额（元）", "用途"),
    },
    "accounts": {
        "en": ("account_id", "kind", "number", "holder_id", "status", "province", "city", "first_seen", "lead"),
        "zh": ("账号编号", "账号类型", "号码", "持有人", "状态", "省份", "城市", "首次发现", "线索来源"),
    },
    "links": {
        "en": ("from_id", "to_id", "relation", "source", "date", "note"),
        "zh": ("起点", "终点", "关系", "来源", "日期", "备注"),
    },
}

_UNIT = re.compile(r"[(\[【〔]([^()\[\]【】〔〕]*)[)\]】〕]$")
_IGNORED_IN_HEADERS = re.compile(r"[\s_]+")


def fold_header(text: object) -> tuple[str, str]:
    """Return (key, unit) of a header: case, spaces, width and a bracketed unit ignored.

    ``fold_header("涉案金额（元）") == ("涉案金额", "元")``.
    """
    folded = unicodedata.normalize("NFKC", "" if text is None else str(text)).strip()
    unit = ""
    match = _UNIT.search(folded)
    if match and folded[: match.start()].strip():
        unit, folded = match.group(1).strip(), folded[: match.start()]
    return _IGNORED_IN_HEADERS.sub("", folded).casefold(), unit


def _spellings(kind: str) -> dict[str, str]:
    return {fold_header(s)[0]: f.name for f in FIELDS[kind] for s in (f.name, *f.headers)}


def field_label(name: str, lang: str) -> str:
    """Display name of an import field, e.g. "Suspect ID" / "嫌疑人编号"."""
    return t(f"field_{name}", lang)


@dataclass(frozen=True)
class HeaderMatch:
    """How one header row matches one kind: the field of each column, units, required fields missing."""

    kind: str
    columns: dict[int, str]  # column position -> field
    units: dict[str, str]
    missing: tuple[str, ...]  # required fields with no column


def match_headers(header: list[object], kind: str) -> HeaderMatch:
    """Match a header row against the fields of ``kind``; the first column for a field wins."""
    table, columns, units = _spellings(kind), {}, {}
    for position, cell in enumerate(header):
        if isinstance(cell, str) and len(cell) > MAX_HEADER_CHARS:
            continue  # no field goes by a header that long (find_header refuses it in the header row)
        key, unit = fold_header(cell)
        name = table.get(key)
        if name and name not in columns.values():  # a second column for a field is kept as extra
            columns[position] = name
            units[name] = unit
    missing = tuple(f.name for f in FIELDS[kind] if f.required and f.name not in columns.values())
    return HeaderMatch(kind, columns, units, missing)


def check_width(width: int) -> None:
    """Refuse a list wider than :data:`MAX_COLUMNS` columns (``ImportFileError("too_many_columns")``)."""
    if width > MAX_COLUMNS:
        raise ImportFileError("too_many_columns", count=f"{width:,}", limit=f"{MAX_COLUMNS:,}")


def _check_header_lengths(header: list[object]) -> None:
    for position, cell in enumerate(header):
        text = cells.as_text(cells.clean(cell))
        if text is not None and len(text) > MAX_HEADER_CHARS:
            raise ImportFileError("header_too_long", column=_column_letter(position), limit=MAX_HEADER_CHARS)


def find_header(rows: list[tuple[int, list[object]]], kind: str | None) -> tuple[int, HeaderMatch]:
    """Return the position of the header row among ``rows`` and its match; ``ImportFileError`` if none matches.

    A list wider than :data:`MAX_COLUMNS`, or whose header row has a header
    longer than :data:`MAX_HEADER_CHARS` characters, is refused too.
    """
    kinds = (kind,) if kind else KINDS
    scanned = rows[:HEADER_SCAN]
    check_width(max((len(row) for _, row in scanned), default=0))
    for position, (_, header) in enumerate(scanned):
        complete = [m for m in (match_headers(header, k) for k in kinds) if not m.missing]
        if complete:
            _check_header_lengths(header)
            return position, max(complete, key=lambda m: len(m.columns))
    first = {k: match_headers(rows[0][1], k).missing for k in kinds}
    if kind:
        raise ImportFileError("headers_missing", kind=kind, missing=first[kind])
    raise ImportFileError("headers_unmatched", **{f"missing_{k}": first[k] for k in KINDS})


def column_names(header: list[object], width: int) -> tuple[str, ...]:
    """Unique display names of the columns: the header text, "column F" for a blank one.

    A repeated name gets a number, "amount (2)", "amount (3)"; each base name
    remembers the last number it gave, so naming n columns takes time in
    proportion to n however many repeat.
    """
    names: list[str] = []
    taken: set[str] = set()
    next_copy: dict[str, int] = {}
    for position in range(width):
        cell = header[position] if position < len(header) else None
        base = cells.as_text(cells.clean(cell)) or f"column {_column_letter(position)}"
        name = base
        if name in taken:
            copy = next_copy.get(base, 2)
            name = f"{base} ({copy})"
            while name in taken:  # a header of the file may already read "amount (2)"
                copy += 1
                name = f"{base} ({copy})"
            next_copy[base] = copy + 1
        taken.add(name)
        names.append(name)
    return tuple(names)


def _column_letter(position: int) -> str:
    letters = ""
    position += 1
    while position:
        position, rest = divmod(position - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters

"""Accepting or rejecting the rows of one list, a chunk at a time and a column at a time (CASE.md).

``ListParser(match, header_cells)`` parses the data rows of one list in
chunks of any size: each chunk gives a validated frame of accepted rows and
the rejected rows with their problems. It remembers every id it has seen, so
an id repeated in a later chunk is rejected like one repeated in the same
chunk. Columns are converted whole: the common spellings of dates and
amounts in bulk, every other cell by the rules of :mod:`casemap.cells`, which
also name what is wrong with a cell.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from casemap import cells as parse
from casemap import vocab
from casemap.fields import KEYS, HeaderMatch, column_names
from casemap.rejects import VOCABS, Problem, Reject
from casemap.schema import validate_payments, validate_suspects

__all__ = ["ListParser", "Chunk", "clean_column"]

PLACE_FIELDS = ("province", "city", "address", "province_adcode", "city_adcode")
_FAST_DATE = r"[0-9]{4}-[0-9]{2}-[0-9]{2}"
_FAST_FORMATS = ((re.compile(_FAST_DATE + r" [0-9]{2}:[0-9]{2}:[0-9]{2}"), "%Y-%m-%d %H:%M:%S"), (re.compile(_FAST_DATE), "%Y-%m-%d"))
_FAST_AMOUNT = re.compile(r"[0-9]{1,15}(?:\.[0-9]{1,15})?")
_FIRST_YEAR, _LAST_YEAR = 1900, 2100
_COLUMNS = {
    "payments": ("txn_id", "time", "payer_id", "payee_id", "channel", "amount_yuan", "purpose"),
    "suspects": (
        "suspect_id", "name", "role", "status", "province_adcode", "city_adcode", "address",
        "arrest_date", "amount_yuan", "phone_cards", "wechat_accounts", "qq_accounts",
    ),
}


@dataclass(frozen=True, eq=False)
class Chunk:
    """One parsed chunk: the accepted rows as a validated frame, and the rejected rows."""

    frame: pd.DataFrame
    rejects: tuple[Reject, ...]
    rows: int  # non-blank rows in the chunk


def _all_text(column: pd.Series) -> bool:
    return pd.api.types.infer_dtype(column, skipna=True) in ("string", "empty")


def clean_column(column: pd.Series) -> pd.Series:
    """A column's cells as :func:`casemap.cells.clean` leaves them: trimmed text or None; other cells as read."""
    if not _all_text(column):
        return column.map(parse.clean).astype(object)
    text = column.str.strip()
    guarded = text.str.startswith("'", na=False)
    if guarded.any():  # the export's formula guard, rare: cell by cell
        text[guarded] = [parse.clean(value) for value in text[guarded]]
    return text.where(text.str.len() > 0, None).astype(object)


def _as_text(column: pd.Series) -> pd.Series:
    return column if _all_text(column) else column.map(parse.as_text).astype(object)


class ListParser:
    """Parses the data rows of one list, chunk after chunk, against its header match."""

    def __init__(self, match: HeaderMatch, header_cells: Sequence[object], gazetteer=None):
        self.match, self.kind = match, match.kind
        self.header_cells = list(header_cells)
        self.width = len(self.header_cells)
        self.headers = column_names(self.header_cells, self.width)
        self.positions = {name: p for p, name in match.columns.items()}
        self.first_row_of: dict[str, int] = {}
        self.rows = self.accepted = self.rejected = 0
        self._gazetteer = gazetteer
        self._places: dict[tuple, tuple] = {}
        self._used = {p for p, cell in enumerate(self.header_cells) if p not in match.columns and parse.clean(cell) is not None}

    @property
    def unused(self) -> tuple[str, ...]:
        """Headers of the columns kept in ``extra``: unmatched, with a header or a value in some row."""
        return tuple(self.headers[p] for p in sorted(self._used))

    def header(self, name: str) -> str:
        """The file's header for field ``name`` (the field name when the list has no such column)."""
        position = self.positions.get(name)
        return self.headers[position] if position is not None else name

    def parse(self, rows: Sequence[tuple[int, Sequence[object]]]) -> Chunk:
        """Accept or reject a chunk of data rows (row number, cells); blank rows are skipped, not counted."""
        self._widen(max((len(cells) for _, cells in rows), default=0))
        padded = [list(cells) + [None] * (self.width - len(cells)) for _, cells in rows]
        columns = list(zip(*padded)) if padded else [()] * self.width
        cleaned = [clean_column(pd.Series(column, dtype=object)) for column in columns]
        kept = ~np.logical_and.reduce([c.isna().to_numpy() for c in cleaned])
        kept_at = np.flatnonzero(kept)
        cleaned = [c[kept].reset_index(drop=True) for c in cleaned]
        numbers = [rows[i][0] for i in kept_at]
        self._used.update(p for p, c in enumerate(cleaned) if p not in self.match.columns and c.notna().any())
        values, problems = (self._suspects if self.kind == "suspects" else self._payments)(cleaned)
        repeats = self._repeats(values[KEYS[self.kind]], numbers)
        rejects, accepted = [], []
        for i in range(len(numbers)):
            found = [p for p in (repeats.get(i), *(field.get(i) for field in problems)) if p is not None]
            if found:
                rejects.append(Reject(numbers[i], dict(zip(self.headers, padded[kept_at[i]])), tuple(found)))
            else:
                accepted.append(i)
        frame = self._frame(values, cleaned, accepted)
        self.rows += len(numbers)
        self.accepted += len(accepted)
        self.rejected += len(rejects)
        return Chunk(frame, tuple(rejects), len(numbers))

    def _widen(self, width: int) -> None:
        if width > self.width:
            self.width = width
            self.headers = column_names(self.header_cells, width)

    def _frame(self, values: dict[str, pd.Series], cleaned: list[pd.Series], accepted: list[int]) -> pd.DataFrame:
        frame = pd.DataFrame({name: values[name].iloc[accepted].reset_index(drop=True) for name in _COLUMNS[self.kind]})
        frame = frame.astype(object).where(frame.notna(), None)
        frame["extra"] = self._extra([c.iloc[accepted].reset_index(drop=True) for c in cleaned])
        return (validate_suspects if self.kind == "suspects" else validate_payments)(frame)

    def _extra(self, cleaned: list[pd.Series]) -> list[str]:
        """Each row's unmatched cells as a JSON object (header -> text), "{}" for most rows."""
        count = len(cleaned[0]) if cleaned else 0
        extra = [(self.headers[p], _as_text(c)) for p, c in enumerate(cleaned) if p not in self.match.columns]
        extra = [(header, column) for header, column in extra if column.notna().any()]
        if not extra:
            return ["{}"] * count
        texts = zip(*(column.tolist() for _, column in extra))
        names = [header for header, _ in extra]
        return [json.dumps({n: v for n, v in zip(names, row) if v is not None}, ensure_ascii=False) for row in texts]

    def _repeats(self, ids: pd.Series, numbers: list[int]) -> dict[int, Problem]:
        """Rows whose id an earlier row (of this or an earlier chunk) already had; the earlier one is kept."""
        header, seen, found = self.header(KEYS[self.kind]), self.first_row_of, {}
        for i, (key, number) in enumerate(zip(ids.tolist(), numbers)):
            if key is None:
                continue
            first = seen.setdefault(key, number)
            if first != number:
                found[i] = Problem(header, "duplicate_id", {"value": key, "first": first})
        return found

    # -- fields ---------------------------------------------------------------------

    def _column(self, cleaned: list[pd.Series], name: str) -> pd.Series:
        position = self.positions.get(name)
        if position is None:
            return pd.Series([None] * (len(cleaned[0]) if cleaned else 0), dtype=object)
        return cleaned[position]

    def _text(self, cleaned, name, problems: list, required: bool = False) -> pd.Series:
        values = _as_text(self._column(cleaned, name))
        if required:
            problems.append(dict.fromkeys(np.flatnonzero(values.isna().to_numpy()), Problem(self.header(name), "missing")))
        return values

    def _term(self, cleaned, name, problems: list) -> pd.Series:
        raw = self._text(cleaned, name, problems, required=True)
        lookup = {text: vocab.normalize(VOCABS[name], text) for text in raw.dropna().unique()}
        canonical = raw.map(lookup).astype(object)
        unknown = np.flatnonzero((raw.notna() & canonical.isna()).to_numpy())
        header = self.header(name)
        problems.append({i: Problem(header, f"unknown_{name}", {"value": raw[i], "vocab": name}) for i in unknown})
        return canonical

    def _convert(self, cleaned, name, problems: list, bulk, convert, required=False, **options) -> pd.Series:
        """Convert a column: ``bulk`` takes what it can at once, ``convert`` each remaining cell."""
        values = self._column(cleaned, name)
        header, found = self.header(name), {}
        if required:
            found.update(dict.fromkeys(np.flatnonzero(values.isna().to_numpy()), Problem(header, "missing")))
        out = bulk(values) if _all_text(values) else pd.Series([None] * len(values), dtype=object)
        out = out.astype(object).where(out.notna(), None)
        for i in np.flatnonzero((values.notna() & out.isna()).to_numpy()):
            try:
                out[i] = convert(values[i], **options)
            except parse.CellError as error:
                found[i] = Problem(header, error.code, {"value": parse.as_text(values[i])})
        problems.append(found)
        return out

    def _payments(self, cleaned: list[pd.Series]) -> tuple[dict[str, pd.Series], list[dict]]:
        problems: list[dict] = []
        unit = self.match.units.get("amount_yuan", "")
        values = {
            "txn_id": self._text(cleaned, "txn_id", problems, required=True),
            "time": self._convert(cleaned, "time", problems, _bulk_datetimes, parse.parse_datetime, required=True),
            "payer_id": self._text(cleaned, "payer_id", problems, required=True),
            "payee_id": self._text(cleaned, "payee_id", problems, required=True),
            "channel": self._term(cleaned, "channel", problems),
            "amount_yuan": self._convert(
                cleaned, "amount_yuan", problems, _bulk_amounts(unit), parse.parse_amount, required=True, unit=unit
            ),
        }
        purpose = self._text(cleaned, "purpose", problems)
        lookup = {text: vocab.normalize(vocab.PURPOSES, text) or text for text in purpose.dropna().unique()}
        values["purpose"] = purpose.map(lookup).astype(object)
        return values, problems

    def _suspects(self, cleaned: list[pd.Series]) -> tuple[dict[str, pd.Series], list[dict]]:
        problems: list[dict] = []
        unit = self.match.units.get("amount_yuan", "")
        values = {
            "suspect_id": self._text(cleaned, "suspect_id", problems, required=True),
            "name": self._text(cleaned, "name", problems),
            "role": self._term(cleaned, "role", problems),
            "status": self._term(cleaned, "status", problems),
        }
        values["province_adcode"], values["city_adcode"] = self._place(cleaned, problems)
        values["address"] = self._text(cleaned, "address", problems)
        values["arrest_date"] = self._convert(cleaned, "arrest_date", problems, _bulk_datetimes, parse.parse_datetime)
        values["amount_yuan"] = self._convert(
            cleaned, "amount_yuan", problems, _bulk_amounts(unit), parse.parse_amount, unit=unit
        )
        for name in ("phone_cards", "wechat_accounts"):
            values[name] = self._convert(cleaned, name, problems, _nothing_in_bulk, parse.parse_count)
        values["qq_accounts"] = self._text(cleaned, "qq_accounts", problems)
        return values, problems

    def _place(self, cleaned, problems: list) -> tuple[pd.Series, pd.Series]:
        """Resolve each row's place to adcodes; each distinct spelling goes to the gazetteer once."""
        given = [self._text(cleaned, name, []).tolist() for name in PLACE_FIELDS]
        found, provinces, cities = {}, [], []
        for i, place in enumerate(zip(*given)):
            if place not in self._places:
                self._places[place] = self._resolve(place)
            province, city, problem = self._places[place]
            provinces.append(province)
            cities.append(city)
            if problem is not None:
                found[i] = problem
        problems.append(found)
        return pd.Series(provinces, dtype=object), pd.Series(cities, dtype=object)

    def _resolve(self, place: tuple) -> tuple[str | None, str | None, Problem | None]:
        given = dict(zip(PLACE_FIELDS, place))
        if not any(place):
            present = [name for name in PLACE_FIELDS if name in self.positions]
            column = "/".join(self.header(n) for n in present) or "/".join(PLACE_FIELDS[:3])
            return None, None, Problem(column, "place_missing")
        province, city, address, province_code, city_code = place
        if province_code or city_code:  # Casemap's own export: resolved once already
            result = self.gazetteer.resolve(province=province_code, city=city_code)
        else:
            result = self.gazetteer.resolve(province=province, city=city, address=address)
        if result.error is None and result.province_adcode:
            return result.province_adcode, result.city_adcode, None
        return None, None, self._place_problem(result, given)

    def _place_problem(self, found, given: dict[str, str | None]) -> Problem:
        code = found.error if found.error in ("ambiguous", "not_in_province") else "unknown"
        if code in ("ambiguous", "not_in_province"):
            names = [n for n in ("city", "city_adcode", "address") if given[n]][:1]
        else:  # the gazetteer's detail is the text it could not place, when it can tell
            names = [n for n in PLACE_FIELDS if given[n] and given[n] == found.detail.strip()]
            names = names or [n for n in PLACE_FIELDS if given[n]]
        column = "/".join(self.header(n) for n in names)
        value = " / ".join(given[n] for n in names)
        province = given["province"] or given["province_adcode"] or ""
        return Problem(column, f"place_{code}", {"value": value, "province": province, "detail": found.detail})

    @property
    def gazetteer(self):
        if self._gazetteer is None:
            from geo.gazetteer import get_gazetteer  # late: loads the place tables on first use

            self._gazetteer = get_gazetteer()
        return self._gazetteer


def _nothing_in_bulk(values: pd.Series) -> pd.Series:
    return pd.Series([None] * len(values), dtype=object)


def _bulk_datetimes(values: pd.Series) -> pd.Series:
    """The cells written 2024-08-03 or 2024-08-03 14:05:06, parsed at once; NaT for every other cell."""
    out = pd.Series(pd.NaT, index=values.index, dtype="datetime64[ns]")
    present = values.dropna()
    for pattern, fmt in _FAST_FORMATS:
        chosen = present[present.str.fullmatch(pattern.pattern)]
        if len(chosen):
            out[chosen.index] = pd.to_datetime(chosen, format=fmt, errors="coerce")
    in_range = (out.dt.year >= _FIRST_YEAR) & (out.dt.year <= _LAST_YEAR)
    return out.where(in_range)


def _bulk_amounts(unit: str):
    """Plain amounts (12500, 12500.5) parsed at once when the header's unit leaves them in yuan."""

    def bulk(values: pd.Series) -> pd.Series:
        out = pd.Series(np.nan, index=values.index, dtype="float64")
        if parse.parse_amount("1", unit=unit) != 1.0:  # 万元 and the like: cell by cell, exactly
            return out
        present = values.dropna()
        chosen = present[present.str.fullmatch(_FAST_AMOUNT.pattern)]
        if len(chosen):
            out[chosen.index] = chosen.astype("float64") + 0.0
        return out

    return bulk

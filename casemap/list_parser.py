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
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from casemap import cells as parse
from casemap import vocab
from casemap.accounts import check_number, make_link_id
from casemap.fields import KEYS, HeaderMatch, check_width, column_names
from casemap.rejects import VOCABS, Problem, Reject
from casemap.schema import validate_accounts, validate_links, validate_payments, validate_suspects
from casemap.seen_ids import SeenIds

__all__ = ["ListParser", "Chunk", "clean_column"]

PLACE_FIELDS = ("province", "city", "address", "province_adcode", "city_adcode")
# Distinct place spellings remembered: most lists repeat a few hundred, but
# addresses are often one per row, and a memo of every one would grow with the file.
PLACE_MEMO_SIZE = 5_000
# Distinct problems a parser remembers to share among rows (ListParser._problem).
SHARED_LIMIT = 20_000
# The spellings parsed in bulk: exactly these shapes, so the bulk parser can
# only ever agree with the cell parser; every other spelling goes cell by cell.
_FAST_DATE = r"[0-9]{4}-[0-9]{2}-[0-9]{2}"
_FAST_FORMATS = ((_FAST_DATE + r" [0-9]{2}:[0-9]{2}:[0-9]{2}", "%Y-%m-%d %H:%M:%S"), (_FAST_DATE, "%Y-%m-%d"))
_FAST_AMOUNT = r"[0-9]{1,15}(?:\.[0-9]{1,15})?"
_FIRST_YEAR, _LAST_YEAR = 1900, 2100
_COLUMNS = {
    "payments": (
        "txn_id", "time", "payer_id", "payee_id", "channel", "amount_yuan", "purpose", "payer_account", "payee_account",
    ),
    "suspects": (
        "suspect_id", "name", "role", "status", "province_adcode", "city_adcode", "address",
        "arrest_date", "amount_yuan", "phone_cards", "wechat_accounts", "qq_accounts",
    ),
    "accounts": (
        "account_id", "kind", "number", "holder_id", "status", "province_adcode", "city_adcode", "address",
        "first_seen", "lead",
    ),
    "links": ("link_id", "from_id", "to_id", "relation", "source", "date", "note"),
}
_VALIDATE = {
    "suspects": validate_suspects, "payments": validate_payments, "accounts": validate_accounts,
    "links": validate_links,
}


@dataclass(frozen=True, eq=False)
class Chunk:
    """One parsed chunk: the accepted rows as a validated frame, and the rejected rows."""

    frame: pd.DataFrame
    rejects: tuple[Reject, ...]
    rows: int  # non-blank rows in the chunk


def _all_text(values) -> bool:
    return pd.api.types.infer_dtype(values, skipna=True) in ("string", "empty")


def clean_column(values: Sequence[object]) -> np.ndarray:
    """A column's cells as :func:`casemap.cells.clean` leaves them (trimmed text or None; other cells as read)."""
    # Text that needs nothing but trimming, the common case, stays out of the per-cell function.
    return np.array(
        [text if type(v) is str and (text := v.strip()) and text[0] != "'" else parse.clean(v) for v in values],
        dtype=object,
    )


def _as_text(values: np.ndarray) -> np.ndarray:
    return values if _all_text(values) else np.array([parse.as_text(v) for v in values], dtype=object)


class ListParser:
    """Parses the data rows of one list, chunk after chunk, against its header match."""

    def __init__(self, match: HeaderMatch, header_cells: Sequence[object], gazetteer=None, known_ids=None):
        """``known_ids``: for a links list, the ids its ends may name (None: not checked here, see importer)."""
        self.match, self.kind = match, match.kind
        self.known_ids = known_ids
        self.header_cells = list(header_cells)
        self.width = len(self.header_cells)
        self.headers = column_names(self.header_cells, self.width)
        self.positions = {name: p for p, name in match.columns.items()}
        self.seen_ids = SeenIds()
        self.rows = self.accepted = self.rejected = 0
        self._gazetteer = gazetteer
        self._places: dict[tuple, tuple] = {}
        self._shared: dict[tuple, object] = {}  # see _problem and _problems
        self._used = {p for p, cell in enumerate(self.header_cells) if p not in match.columns and parse.clean(cell) is not None}

    def _problem(self, column: str, code: str, **params) -> Problem:
        """One object for every equal problem of the list.

        A list whose rows fail alike (a role nobody spelled right, a
        thousand times) then holds that problem once instead of once a row,
        until the list is stored or dropped. Distinct problems beyond
        ``SHARED_LIMIT`` are not remembered, so the table stays small.
        """
        key = (column, code, *params.items())
        found = self._shared.get(key)
        if found is None:
            found = Problem(column, code, params)
            if len(self._shared) < SHARED_LIMIT:
                self._shared[key] = found
        return found

    def _problems(self, problems: tuple[Problem, ...]) -> tuple[Problem, ...]:
        """One tuple for every equal row of problems (the problems are shared ones when their ids match)."""
        key = ("row", *map(id, problems))
        found = self._shared.get(key)
        if found is not None and all(a is b for a, b in zip(found, problems)):
            return found
        if len(self._shared) < SHARED_LIMIT:
            self._shared[key] = problems
        return problems

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
        width = self.width
        padded = [cells if len(cells) == width else [*cells, *[None] * (width - len(cells))] for _, cells in rows]
        cleaned = [clean_column(column) for column in (zip(*padded) if padded else [()] * width)]
        kept_at = np.flatnonzero(~np.logical_and.reduce([pd.isna(column) for column in cleaned]))
        cleaned = [column[kept_at] for column in cleaned]
        numbers = [rows[i][0] for i in kept_at.tolist()]
        self._used.update(p for p, c in enumerate(cleaned) if p not in self.match.columns and pd.notna(c).any())
        values, problems = getattr(self, f"_{self.kind}")(cleaned)
        problems.insert(0, self._repeats(values[KEYS[self.kind]], numbers))
        rejected = sorted(set().union(*problems))
        rejects = tuple(
            Reject.of(numbers[i], self.headers, padded[kept_at[i]], self._problems(tuple(f[i] for f in problems if i in f)))
            for i in rejected
        )
        keep = np.ones(len(numbers), dtype=bool)
        keep[rejected] = False
        accepted = np.flatnonzero(keep)
        frame = self._frame(values, cleaned, accepted)
        self.rows += len(numbers)
        self.accepted += len(accepted)
        self.rejected += len(rejects)
        return Chunk(frame, rejects, len(numbers))

    def _widen(self, width: int) -> None:
        if width > self.width:
            check_width(width)  # a data row may be wider than the header row
            self.width = width
            self.headers = column_names(self.header_cells, width)

    def _frame(self, values: dict[str, object], cleaned: list[np.ndarray], accepted: np.ndarray) -> pd.DataFrame:
        frame = pd.DataFrame({name: _take(values[name], accepted) for name in _COLUMNS[self.kind]})
        frame["extra"] = self._extra([column[accepted] for column in cleaned])
        return _VALIDATE[self.kind](frame)

    def _extra(self, cleaned: list[np.ndarray]) -> list[str]:
        """Each row's unmatched cells as a JSON object (header -> text), "{}" for most rows."""
        count = len(cleaned[0]) if cleaned else 0
        extra = [(self.headers[p], _as_text(c)) for p, c in enumerate(cleaned) if p not in self.match.columns]
        extra = [(header, column) for header, column in extra if pd.notna(column).any()]
        if not extra:
            return ["{}"] * count
        names = [header for header, _ in extra]
        rows = zip(*(column.tolist() for _, column in extra))
        return [json.dumps({n: v for n, v in zip(names, row) if v is not None}, ensure_ascii=False) for row in rows]

    def _repeats(self, ids: np.ndarray, numbers: list[int]) -> dict[int, Problem]:
        """Rows whose id an earlier row (of this or an earlier chunk) already had; the earlier one is kept."""
        header = self.header(KEYS[self.kind])
        code = "duplicate_id"
        if self.kind == "links":  # a link's id is its ends and relation: the same relation given twice
            header, code = self.header("relation"), "duplicate_link"
        return {
            i: self._problem(header, code, value=key, first=first)
            for i, (key, first) in self.seen_ids.repeats(ids, np.asarray(numbers, dtype=np.int64)).items()
        }

    # -- fields ---------------------------------------------------------------------

    def _column(self, cleaned: list[np.ndarray], name: str) -> np.ndarray:
        position = self.positions.get(name)
        if position is None:
            return np.full(len(cleaned[0]), None, dtype=object)
        return cleaned[position]

    def _text(self, cleaned, name, problems: list, required: bool = False) -> np.ndarray:
        values = _as_text(self._column(cleaned, name))
        if required:
            problems.append(dict.fromkeys(np.flatnonzero(pd.isna(values)).tolist(), Problem(self.header(name), "missing")))
        return values

    def _term(self, cleaned, name, problems: list) -> np.ndarray:
        raw = self._text(cleaned, name, problems, required=True)
        lookup = {text: vocab.normalize(VOCABS[name], text) for text in pd.unique(raw[pd.notna(raw)])}
        canonical = np.array([lookup.get(text) for text in raw], dtype=object)
        header = self.header(name)
        unknown = np.flatnonzero(pd.notna(raw) & pd.isna(canonical)).tolist()
        problems.append({i: self._problem(header, f"unknown_{name}", value=raw[i], vocab=name) for i in unknown})
        return canonical

    def _convert(self, cleaned, name, problems: list, bulk, convert, required=False, **options) -> pd.Series:
        """Convert a column: ``bulk`` takes what it can at once, ``convert`` each remaining cell."""
        values = self._column(cleaned, name)
        header, found = self.header(name), {}
        present = pd.notna(values)
        if required:
            found.update(dict.fromkeys(np.flatnonzero(~present).tolist(), Problem(header, "missing")))
        out = bulk(values, present if _all_text(values) else np.zeros(len(values), bool))
        for i in np.flatnonzero(present & pd.isna(out).to_numpy()).tolist():
            try:
                out.iloc[i] = convert(values[i], **options)
            except parse.CellError as error:
                found[i] = self._problem(header, error.code, value=parse.as_text(values[i]))
        problems.append(found)
        return out

    def _payments(self, cleaned: list[np.ndarray]) -> tuple[dict[str, object], list[dict]]:
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
        lookup = {text: vocab.normalize(vocab.PURPOSES, text) or text for text in pd.unique(purpose[pd.notna(purpose)])}
        values["purpose"] = np.array([lookup.get(text) for text in purpose], dtype=object)
        for name in ("payer_account", "payee_account"):
            values[name] = self._text(cleaned, name, problems)
        return values, problems

    def _suspects(self, cleaned: list[np.ndarray]) -> tuple[dict[str, object], list[dict]]:
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
            values[name] = self._convert(cleaned, name, problems, _counts_one_by_one, parse.parse_count)
        values["qq_accounts"] = self._text(cleaned, "qq_accounts", problems)
        return values, problems

    def _optional_term(self, cleaned, name: str, vocab_key: str, problems: list) -> np.ndarray:
        """A column of terms of ``VOCABS[vocab_key]`` where a blank means unknown."""
        raw = self._text(cleaned, name, problems)
        lookup = {text: vocab.normalize(VOCABS[vocab_key], text) for text in pd.unique(raw[pd.notna(raw)])}
        canonical = np.array([lookup.get(text) for text in raw], dtype=object)
        header = self.header(name)
        unknown = np.flatnonzero(pd.notna(raw) & pd.isna(canonical)).tolist()
        problems.append({i: self._problem(header, f"unknown_{vocab_key}", value=raw[i], vocab=vocab_key) for i in unknown})
        return canonical

    def _accounts(self, cleaned: list[np.ndarray]) -> tuple[dict[str, object], list[dict]]:
        problems: list[dict] = []
        values = {
            "account_id": self._text(cleaned, "account_id", problems, required=True),
            "kind": self._term(cleaned, "kind", problems),
        }
        values["number"] = self._numbers(cleaned, values["kind"], problems)
        values["holder_id"] = self._text(cleaned, "holder_id", problems)
        values["status"] = self._optional_term(cleaned, "status", "account_status", problems)
        values["province_adcode"], values["city_adcode"] = self._place(cleaned, problems, required=False)
        values["address"] = self._text(cleaned, "address", problems)
        values["first_seen"] = self._convert(cleaned, "first_seen", problems, _bulk_datetimes, parse.parse_datetime)
        values["lead"] = self._optional_term(cleaned, "lead", "lead_source", problems)
        return values, problems

    def _numbers(self, cleaned, kinds: np.ndarray, problems: list) -> np.ndarray:
        """Each row's number normalised for its kind; one failing its kind's check is a problem (Luhn is not)."""
        raw = self._text(cleaned, "number", problems, required=True)
        header, found = self.header("number"), {}
        out = np.full(len(raw), None, dtype=object)
        for i, (kind, text) in enumerate(zip(kinds.tolist(), raw.tolist())):
            if kind is None or text is None:
                continue
            check = check_number(kind, text)
            out[i] = check.number
            if not check.ok:
                found[i] = self._problem(header, f"number_{check.problem}", value=text)
        problems.append(found)
        return out

    def _links(self, cleaned: list[np.ndarray]) -> tuple[dict[str, object], list[dict]]:
        problems: list[dict] = []
        values = {
            "from_id": self._text(cleaned, "from_id", problems, required=True),
            "to_id": self._text(cleaned, "to_id", problems, required=True),
            "relation": self._term(cleaned, "relation", problems),
        }
        ends = zip(values["from_id"].tolist(), values["relation"].tolist(), values["to_id"].tolist())
        values["link_id"] = np.array([make_link_id(*end) if None not in end else None for end in ends], dtype=object)
        values["source"] = self._optional_term(cleaned, "source", "lead_source", problems)
        values["date"] = self._convert(cleaned, "date", problems, _bulk_datetimes, parse.parse_datetime)
        values["note"] = self._text(cleaned, "note", problems)
        if self.known_ids is not None:
            for name in ("from_id", "to_id"):
                header, ids = self.header(name), values[name]
                problems.append({
                    i: self._problem(header, "link_end_unknown", value=ids[i])
                    for i in np.flatnonzero(pd.notna(ids)).tolist() if ids[i] not in self.known_ids
                })
        return values, problems

    def _place(self, cleaned, problems: list, required: bool = True) -> tuple[np.ndarray, np.ndarray]:
        """Resolve each row's place to adcodes; each distinct spelling goes to the gazetteer once."""
        given = [self._text(cleaned, name, []).tolist() for name in PLACE_FIELDS]
        found, provinces, cities = {}, [], []
        for i, place in enumerate(zip(*given)):
            if not required and not any(place):
                provinces.append(None)
                cities.append(None)
                continue
            if place not in self._places:
                if len(self._places) >= PLACE_MEMO_SIZE:
                    self._places.clear()
                self._places[place] = self._resolve(place)
            province, city, problem = self._places[place]
            provinces.append(province)
            cities.append(city)
            if problem is not None:
                found[i] = problem
        problems.append(found)
        return np.array(provinces, dtype=object), np.array(cities, dtype=object)

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
        return self._problem(column, f"place_{code}", value=value, province=province, detail=found.detail)

    @property
    def gazetteer(self):
        if self._gazetteer is None:
            # Late: the gazetteer loads the place tables on first use.
            from geo.gazetteer import get_gazetteer

            self._gazetteer = get_gazetteer()
        return self._gazetteer


def _take(values, rows: np.ndarray):
    return values.iloc[rows].reset_index(drop=True) if isinstance(values, pd.Series) else values[rows]


def _counts_one_by_one(values: np.ndarray, _present: np.ndarray) -> pd.Series:
    return pd.Series(np.full(len(values), None, dtype=object), dtype=object)


def _bulk_datetimes(values: np.ndarray, present: np.ndarray) -> pd.Series:
    """The text cells written 2024-08-03 or 2024-08-03 14:05:06, parsed at once; NaT for every other cell."""
    out = pd.Series(pd.NaT, index=range(len(values)), dtype="datetime64[ns]")
    text = pd.Series(values[present], index=np.flatnonzero(present), dtype="str")
    for pattern, fmt in _FAST_FORMATS:
        chosen = text[text.str.fullmatch(pattern).to_numpy(dtype=bool)]
        if len(chosen):
            out[chosen.index] = pd.to_datetime(chosen, format=fmt, errors="coerce").astype("datetime64[ns]")
    in_range = ((out.dt.year >= _FIRST_YEAR) & (out.dt.year <= _LAST_YEAR)).to_numpy(dtype=bool)
    return out.where(in_range)


def _bulk_amounts(unit: str):
    """Plain amounts (12500, 12500.5) parsed at once when the header's unit leaves them in yuan."""
    in_yuan = parse.parse_amount("1", unit=unit) == 1.0  # under 万元 and the like: cell by cell, exactly

    def bulk(values: np.ndarray, present: np.ndarray) -> pd.Series:
        out = pd.Series(np.nan, index=range(len(values)), dtype="float64")
        if not in_yuan or not present.any():
            return out
        text = pd.Series(values[present], index=np.flatnonzero(present), dtype="str")
        chosen = text[text.str.fullmatch(_FAST_AMOUNT).to_numpy(dtype=bool)]
        # float() of each text, as the cell parser gets: numpy converts text objects that way.
        out[chosen.index] = np.array(chosen.tolist(), dtype=object).astype(np.float64) + 0.0
        return out

    return bulk

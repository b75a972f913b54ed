"""Case-file import: which column is which field, cell parsing, row validation (CASE.md).

``import_file(data, file_name)`` reads a CSV or workbook and returns an
``ImportResult``: one ``ParsedList`` per list (a CSV, or a workbook sheet),
each with its kind, its column mapping, a validated frame of accepted rows
and the rejected rows with their original cells, row number and reasons.
A file that cannot be read, or whose headers match neither kind, raises
``ImportFileError``; nothing else escapes. ``commit`` stores the accepted
rows of several lists in one transaction.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass, field

import pandas as pd

from casemap import cells as parse
from casemap import vocab
from casemap.fields import KEYS, KINDS, TEMPLATE_HEADERS, HeaderMatch, column_names, field_label, find_header
from casemap.i18n import t
from casemap.readers import MAX_BYTES, ImportFileError, RawTable, read_tables
from casemap.schema import validate_payments, validate_suspects
from casemap.store import DuplicateKeyError, ImportLog, Store

__all__ = [
    "MAX_BYTES", "KINDS", "KEYS", "TEMPLATE_HEADERS", "ImportFileError", "Problem", "Reject",
    "ParsedList", "ImportResult", "import_file", "parse_table", "commit", "history_frame", "field_label",
]

_PLACE_FIELDS = ("province", "city", "address", "province_adcode", "city_adcode")
_VOCABS = {"role": vocab.ROLES, "status": vocab.STATUSES, "channel": vocab.CHANNELS}


@dataclass(frozen=True)
class Problem:
    """What is wrong with one cell: the column's header, a reason code and its values."""

    column: str
    code: str
    params: dict = field(default_factory=dict)

    def text(self, row: int, lang: str) -> str:
        """The reason in ``lang``, naming the row and the column."""
        params = dict(self.params)
        if "vocab" in params:
            terms = _VOCABS[params.pop("vocab")]
            params["expected"] = ("、" if lang == "zh" else ", ").join(vocab.label(terms, v, lang) for v in vocab.values(terms))
        return t(f"reject_{self.code}", lang, row=row, column=self.column, **params)


@dataclass(frozen=True)
class Reject:
    """A rejected row: its row number in the file, its original cells and what was wrong."""

    row: int
    cells: dict[str, object]
    problems: tuple[Problem, ...]

    @property
    def column(self) -> str:
        """The column(s) at fault, comma-separated."""
        return ", ".join(dict.fromkeys(p.column for p in self.problems))

    def reason(self, lang: str) -> str:
        """Every problem of the row in ``lang``, one sentence each."""
        return " ".join(p.text(self.row, lang) for p in self.problems)


@dataclass(frozen=True, eq=False)
class ParsedList:
    """One list of a file, validated: accepted rows as a frame, rejected rows with reasons."""

    file_name: str
    sheet: str | None
    kind: str
    header_row: int
    headers: tuple[str, ...]
    mapping: dict[str, str]  # header -> field
    unused: tuple[str, ...]  # headers kept in `extra`
    rows: int  # non-blank data rows
    frame: pd.DataFrame
    rejects: tuple[Reject, ...]

    @property
    def accepted(self) -> int:
        return len(self.frame)

    @property
    def rejected(self) -> int:
        return len(self.rejects)

    @property
    def label(self) -> str:
        """File name, and the sheet for a workbook: "cases.xlsx › 嫌疑人"."""
        return f"{self.file_name} › {self.sheet}" if self.sheet else self.file_name

    def rejects_frame(self, lang: str) -> pd.DataFrame:
        """The rejected rows as a table: row, column, reason, then the original cells."""
        head = [t("col_row", lang), t("col_column", lang), t("col_reason", lang)]
        rows = [
            [r.row, r.column, r.reason(lang), *(_cell_text(r.cells.get(h)) for h in self.headers)]
            for r in self.rejects
        ]
        return pd.DataFrame(rows, columns=pd.Index([*head, *self.headers]), dtype=object)

    def mapping_frame(self, lang: str) -> pd.DataFrame:
        """Which column became which field; unused columns are marked as kept in `extra`."""
        kept = t("mapping_extra", lang)
        fields = [
            f"{field_label(self.mapping[h], lang)} ({self.mapping[h]})" if h in self.mapping else kept
            for h in self.headers
            if h in self.mapping or h in self.unused
        ]
        columns = [h for h in self.headers if h in self.mapping or h in self.unused]
        return pd.DataFrame({t("col_file_column", lang): columns, t("col_field", lang): fields})


@dataclass(frozen=True, eq=False)
class ImportResult:
    """A file's lists, and the sheets that could not be read as a list (sheet, error)."""

    file_name: str
    sha256: str
    lists: tuple[ParsedList, ...]
    skipped: tuple[tuple[str, ImportFileError], ...] = ()


def import_file(data: bytes, file_name: str = "", kind: str | None = None, gazetteer=None) -> ImportResult:
    """Read and validate a case file; raise ``ImportFileError`` if no list in it can be imported.

    ``kind`` ("suspects" or "payments") forces the kind; by default each list's
    headers decide. Blank sheets are ignored; a sheet whose headers match
    neither kind is listed in ``skipped`` when another sheet could be read.
    """
    if kind not in (None, *KINDS):
        raise ValueError(f"kind must be one of {KINDS}, got {kind!r}")
    tables = [table for table in read_tables(data, file_name) if _nonblank(table.rows)]
    if not tables:
        raise ImportFileError("empty")
    lists, skipped = [], []
    for table in tables:
        try:
            lists.append(parse_table(table, file_name, kind, gazetteer))
        except ImportFileError as error:
            skipped.append((table.sheet or file_name, error))
    if not lists:
        raise skipped[0][1]
    return ImportResult(file_name, hashlib.sha256(data).hexdigest(), tuple(lists), tuple(skipped))


def _nonblank(rows: list[tuple[int, list[object]]]) -> list[tuple[int, list[object]]]:
    return [(number, cells) for number, cells in rows if any(parse.clean(c) is not None for c in cells)]


def parse_table(table: RawTable, file_name: str = "", kind: str | None = None, gazetteer=None) -> ParsedList:
    """Validate one list: find its header row and kind, then accept or reject each non-blank row."""
    rows = _nonblank(table.rows)
    if not rows:
        raise ImportFileError("empty")
    header_at, match = find_header(rows, kind)
    header_number, header_cells = rows[header_at]
    data_rows = rows[header_at + 1 :]
    width = max(len(cells) for _, cells in rows[header_at:])
    headers = column_names(header_cells, width)
    mapping = {headers[p]: name for p, name in match.columns.items()}
    used_positions = [p for p in range(width) if p not in match.columns and _column_has_values(data_rows, p, header_cells)]
    unused = tuple(headers[p] for p in used_positions)
    rows_parser = _SuspectRows(match, headers, gazetteer) if match.kind == "suspects" else _PaymentRows(match, headers)
    key_name = KEYS[match.kind]
    records, rejects, first_row_of = [], [], {}
    for number, cells in data_rows:
        padded = list(cells) + [None] * (width - len(cells))
        record, problems = rows_parser.parse(padded)
        key = record[key_name]
        if key is not None and key in first_row_of:
            repeat = Problem(rows_parser.header(key_name), "duplicate_id", {"value": key, "first": first_row_of[key]})
            problems.insert(0, repeat)
        elif key is not None:
            first_row_of[key] = number
        if problems:
            rejects.append(Reject(number, dict(zip(headers, padded)), tuple(problems)))
        else:
            record["extra"] = _extra(padded, headers, used_positions)
            records.append(record)
    validate = validate_suspects if match.kind == "suspects" else validate_payments
    frame = validate(pd.DataFrame.from_records(records, columns=rows_parser.columns))
    return ParsedList(
        file_name, table.sheet, match.kind, header_number, headers, mapping, unused, len(data_rows), frame, tuple(rejects)
    )


def _column_has_values(rows, position: int, header_cells: list[object]) -> bool:
    if position < len(header_cells) and parse.clean(header_cells[position]) is not None:
        return True
    return any(position < len(cells) and parse.clean(cells[position]) is not None for _, cells in rows)


def _header_of(match: HeaderMatch, headers: tuple[str, ...], name: str) -> str:
    positions = [p for p, f in match.columns.items() if f == name]
    return headers[positions[0]] if positions else name


def _extra(cells: list[object], headers: tuple[str, ...], positions: list[int]) -> str:
    values = {headers[p]: parse.as_text(parse.clean(cells[p])) for p in positions}
    return json.dumps({k: v for k, v in values.items() if v is not None}, ensure_ascii=False)


def _cell_text(value: object) -> str:
    return "" if value is None else str(value)


class _Rows:
    """Shared cell access for one list: cleaned values and column names by field."""

    columns: tuple[str, ...] = ()

    def __init__(self, match: HeaderMatch, headers: tuple[str, ...]):
        self.match, self.headers = match, headers
        self.positions = {name: p for p, name in match.columns.items()}

    def header(self, name: str) -> str:
        return _header_of(self.match, self.headers, name)

    def value(self, cells: list[object], name: str) -> object:
        position = self.positions.get(name)
        return None if position is None else parse.clean(cells[position])

    def text(self, cells, name, problems, required=False) -> str | None:
        value = parse.as_text(self.value(cells, name))
        if value is None and required:
            problems.append(Problem(self.header(name), "missing"))
        return value

    def term(self, cells, name, problems) -> str | None:
        raw = self.text(cells, name, problems, required=True)
        if raw is None:
            return None
        canonical = vocab.normalize(_VOCABS[name], raw)
        if canonical is None:
            problems.append(Problem(self.header(name), f"unknown_{name}", {"value": raw, "vocab": name}))
        return canonical

    def convert(self, cells, name, convert, problems, required=False, **options):
        value = self.value(cells, name)
        if value is None:
            if required:
                problems.append(Problem(self.header(name), "missing"))
            return None
        try:
            return convert(value, **options)
        except parse.CellError as error:
            problems.append(Problem(self.header(name), error.code, {"value": parse.as_text(value)}))
            return None


class _PaymentRows(_Rows):
    columns = ("txn_id", "time", "payer_id", "payee_id", "channel", "amount_yuan", "purpose", "extra")

    def parse(self, cells: list[object]) -> tuple[dict, list[Problem]]:
        problems: list[Problem] = []
        record = {
            "txn_id": self.text(cells, "txn_id", problems, required=True),
            "time": self.convert(cells, "time", parse.parse_datetime, problems, required=True),
            "payer_id": self.text(cells, "payer_id", problems, required=True),
            "payee_id": self.text(cells, "payee_id", problems, required=True),
            "channel": self.term(cells, "channel", problems),
            "amount_yuan": self.convert(
                cells, "amount_yuan", parse.parse_amount, problems, required=True, unit=self.match.units.get("amount_yuan", "")
            ),
        }
        purpose = self.text(cells, "purpose", problems)
        record["purpose"] = vocab.normalize(vocab.PURPOSES, purpose) or purpose
        return record, problems


class _SuspectRows(_Rows):
    columns = (
        "suspect_id", "name", "role", "status", "province_adcode", "city_adcode", "address",
        "arrest_date", "amount_yuan", "phone_cards", "wechat_accounts", "qq_accounts", "extra",
    )

    def __init__(self, match: HeaderMatch, headers: tuple[str, ...], gazetteer=None):
        super().__init__(match, headers)
        self._gazetteer = gazetteer
        self._resolved: dict[tuple, object] = {}

    def parse(self, cells: list[object]) -> tuple[dict, list[Problem]]:
        problems: list[Problem] = []
        record = {
            "suspect_id": self.text(cells, "suspect_id", problems, required=True),
            "name": self.text(cells, "name", problems),
            "role": self.term(cells, "role", problems),
            "status": self.term(cells, "status", problems),
        }
        record["province_adcode"], record["city_adcode"] = self.place(cells, problems)
        record["address"] = self.text(cells, "address", problems)
        record["arrest_date"] = self.convert(cells, "arrest_date", parse.parse_datetime, problems)
        unit = self.match.units.get("amount_yuan", "")
        record["amount_yuan"] = self.convert(cells, "amount_yuan", parse.parse_amount, problems, unit=unit)
        for name in ("phone_cards", "wechat_accounts"):
            record[name] = self.convert(cells, name, parse.parse_count, problems)
        record["qq_accounts"] = self.text(cells, "qq_accounts", problems)
        return record, problems

    def place(self, cells, problems: list[Problem]) -> tuple[str | None, str | None]:
        """Resolve the row's province and city to adcodes through the gazetteer."""
        given = {name: self.text(cells, name, problems) for name in _PLACE_FIELDS}
        present = [name for name in _PLACE_FIELDS if name in self.positions]
        if not any(given.values()):
            column = "/".join(self.header(n) for n in present) or "/".join(_PLACE_FIELDS[:3])
            problems.append(Problem(column, "place_missing"))
            return None, None
        found = self.resolve(tuple(given[name] for name in _PLACE_FIELDS))
        if found.error is None and found.province_adcode:
            return found.province_adcode, found.city_adcode
        problems.append(self.place_problem(found, given))
        return None, None

    def resolve(self, place: tuple[str | None, ...]):
        # Lists repeat the same few places; resolve each spelling once.
        if place not in self._resolved:
            province, city, address, province_code, city_code = place
            if province_code or city_code:  # Casemap's own export: resolved once already
                found = self.gazetteer.resolve(province=province_code, city=city_code)
            else:
                found = self.gazetteer.resolve(province=province, city=city, address=address)
            self._resolved[place] = found
        return self._resolved[place]

    def place_problem(self, found, given: dict[str, str | None]) -> Problem:
        code = found.error if found.error in ("ambiguous", "not_in_province") else "unknown"
        if code in ("ambiguous", "not_in_province"):
            names = [n for n in ("city", "city_adcode", "address") if given[n]][:1]
        else:  # the gazetteer's detail is the text it could not place, when it can tell
            names = [n for n in _PLACE_FIELDS if given[n] and given[n] == found.detail.strip()]
            names = names or [n for n in _PLACE_FIELDS if given[n]]
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


def commit(store: Store, case: str, results: Sequence[ImportResult], mode: str = "append", user: str | None = None) -> int:
    """Store the accepted rows of every list of ``results`` in ``case`` in one transaction; return the new version.

    Each list is logged in the store's import history. An id that appears in
    two lists of the same kind refuses the whole commit (``DuplicateKeyError``),
    as does appending ids already stored. In replace mode only the kinds with
    accepted rows are replaced, so a file whose rows were all rejected never
    empties a case.
    """
    lists = [(result.sha256, parsed) for result in results for parsed in result.lists]
    frames: dict[str, pd.DataFrame] = {}
    for kind in KINDS:
        parts = [parsed.frame for _, parsed in lists if parsed.kind == kind and parsed.accepted]
        if not parts:
            continue
        frame = pd.concat(parts, ignore_index=True)
        repeated = frame[KEYS[kind]][frame[KEYS[kind]].duplicated()].unique().tolist()
        if repeated:
            raise DuplicateKeyError(f"{kind}: {KEYS[kind]} in more than one list: {', '.join(map(str, repeated[:5]))}")
        frames[kind] = frame
    logs = [ImportLog(p.label, sha, p.kind, p.rows, p.accepted, p.rejected) for sha, p in lists]
    return store.commit_import(case, logs, suspects=frames.get("suspects"), payments=frames.get("payments"), mode=mode, user=user)


def history_frame(store: Store, case: str, lang: str) -> pd.DataFrame:
    """The case's import history as a display table in ``lang``, newest first."""
    history = store.import_history(case)
    return pd.DataFrame({
        t("col_at", lang): history["at"],
        t("col_file", lang): history["file_name"],
        t("col_kind", lang): [t(f"kind_{k}", lang) for k in history["kind"]],
        t("col_rows", lang): history["rows"],
        t("col_accepted", lang): history["accepted"],
        t("col_rejected", lang): history["rejected"],
        t("col_mode", lang): [t(f"mode_{m}", lang) if m else "" for m in history["mode"]],
        t("col_undone", lang): [t("yes" if u else "no", lang) for u in history["undone"]],
        t("col_user", lang): history["user"].fillna("—"),
    })

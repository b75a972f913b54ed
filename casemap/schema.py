"""Column contracts of the three case frames, and a small validator for them.

Every frame that crosses a boundary (store, demo, import) goes through
``validate_suspects``, ``validate_payments`` or ``validate_milestones``: a
malformed frame raises ``SchemaError`` naming the column and the problem; a
good one comes back with canonical column order, dtypes and a fresh index.

Rules shared by all frames:

- A missing *required* column is an error; a missing optional column is added
  filled with its default (NA, or ``"{}"`` for ``extra``).
- A column not in the contract is an error (it belongs in ``extra``).
- Values are checked, not parsed: text columns hold ``str``, numbers hold
  numbers, dates hold datetimes. Parsing user input is the importer's job.
"""

from __future__ import annotations

import datetime as dt
import json
import numbers
import re
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from casemap import vocab
from casemap.vocab import Term

__all__ = [
    "SchemaError",
    "CaseData",
    "PROVINCE_ADCODES",
    "SUSPECT_COLUMNS",
    "SUSPECT_DTYPES",
    "PAYMENT_COLUMNS",
    "PAYMENT_DTYPES",
    "MILESTONE_COLUMNS",
    "MILESTONE_DTYPES",
    "ACCOUNT_COLUMNS",
    "ACCOUNT_DTYPES",
    "LINK_COLUMNS",
    "LINK_DTYPES",
    "province_of_city",
    "validate_suspects",
    "validate_payments",
    "validate_milestones",
    "validate_accounts",
    "validate_links",
    "empty_suspects",
    "empty_payments",
    "empty_milestones",
    "empty_accounts",
    "empty_links",
]

# The 34 provincial-level units of GB/T 2260 (incl. Taiwan, Hong Kong, Macao).
PROVINCE_ADCODES: frozenset[str] = frozenset(
    """110000 120000 130000 140000 150000 210000 220000 230000 310000 320000
    330000 340000 350000 360000 370000 410000 420000 430000 440000 450000
    460000 500000 510000 520000 530000 540000 610000 620000 630000 640000
    650000 710000 810000 820000""".split()
)

_ADCODE = re.compile(r"[0-9]{6}")

_DTYPE_OF_KIND = {
    "text": "str",
    "adcode": "str",
    "vocab": "str",
    "json": "str",
    "float": "float64",
    "int": "Int64",
    "datetime": "datetime64[ns]",
}


class SchemaError(ValueError):
    """A frame does not match its contract; ``problems`` lists (column, message)."""

    def __init__(self, frame: str, problems: list[tuple[str, str]]):
        self.frame = frame
        self.problems = problems
        detail = "; ".join(f"column {col!r}: {msg}" for col, msg in problems)
        super().__init__(f"{frame}: {detail}")


@dataclass(frozen=True, eq=False)
class CaseData:
    """The validated frames of one case, and the store version they were read at.

    Accounts and links (the "two-card" model) default to empty frames, so a
    case without them is built as before.
    """

    suspects: pd.DataFrame
    payments: pd.DataFrame
    milestones: pd.DataFrame
    version: int = 0
    accounts: pd.DataFrame = field(default_factory=lambda: empty_accounts())
    links: pd.DataFrame = field(default_factory=lambda: empty_links())


@dataclass(frozen=True)
class _Column:
    name: str
    kind: str
    required: bool = True  # must the column be present?
    nullable: bool = False  # may a value be NA?
    unique: bool = False
    terms: tuple[Term, ...] | None = None  # for kind == "vocab"

    @property
    def dtype(self) -> str:
        return _DTYPE_OF_KIND[self.kind]


_SUSPECTS = (
    _Column("suspect_id", "text", unique=True),
    _Column("name", "text", required=False, nullable=True),
    _Column("role", "vocab", terms=vocab.ROLES),
    _Column("status", "vocab", terms=vocab.STATUSES),
    _Column("province_adcode", "adcode"),
    _Column("city_adcode", "adcode", required=False, nullable=True),
    _Column("address", "text", required=False, nullable=True),
    _Column("arrest_date", "datetime", required=False, nullable=True),
    _Column("amount_yuan", "float", required=False, nullable=True),
    _Column("phone_cards", "int", required=False, nullable=True),
    _Column("wechat_accounts", "int", required=False, nullable=True),
    _Column("qq_accounts", "text", required=False, nullable=True),
    _Column("extra", "json", required=False),
)

_PAYMENTS = (
    _Column("txn_id", "text", unique=True),
    _Column("time", "datetime"),
    _Column("payer_id", "text"),
    _Column("payee_id", "text"),
    _Column("channel", "vocab", terms=vocab.CHANNELS),
    _Column("amount_yuan", "float"),
    _Column("purpose", "text", required=False, nullable=True),
    # The accounts a payment went from and to, when the file names them (account_id).
    _Column("payer_account", "text", required=False, nullable=True),
    _Column("payee_account", "text", required=False, nullable=True),
    _Column("extra", "json", required=False),
)

_ACCOUNTS = (
    _Column("account_id", "text", unique=True),
    _Column("kind", "vocab", terms=vocab.ACCOUNT_KINDS),
    _Column("number", "text"),  # normalised (casemap.accounts)
    _Column("holder_id", "text", required=False, nullable=True),  # a suspect_id
    _Column("status", "vocab", required=False, nullable=True, terms=vocab.ACCOUNT_STATUSES),
    _Column("province_adcode", "adcode", required=False, nullable=True),
    _Column("city_adcode", "adcode", required=False, nullable=True),
    _Column("address", "text", required=False, nullable=True),
    _Column("first_seen", "datetime", required=False, nullable=True),
    _Column("lead", "vocab", required=False, nullable=True, terms=vocab.LEAD_SOURCES),
    _Column("extra", "json", required=False),
)

_LINKS = (
    # A file's link has no id of its own: the importer makes one of its ends and relation.
    _Column("link_id", "text", unique=True),
    _Column("from_id", "text"),  # a suspect_id or account_id
    _Column("to_id", "text"),
    _Column("relation", "vocab", terms=vocab.RELATIONS),
    _Column("source", "vocab", required=False, nullable=True, terms=vocab.LEAD_SOURCES),
    _Column("date", "datetime", required=False, nullable=True),
    _Column("note", "text", required=False, nullable=True),
    _Column("extra", "json", required=False),
)

_MILESTONES = (
    _Column("date", "datetime"),
    _Column("key", "text", unique=True),
    _Column("en", "text"),
    _Column("zh", "text"),
)

SUSPECT_COLUMNS: tuple[str, ...] = tuple(c.name for c in _SUSPECTS)
SUSPECT_DTYPES: dict[str, str] = {c.name: c.dtype for c in _SUSPECTS}
PAYMENT_COLUMNS: tuple[str, ...] = tuple(c.name for c in _PAYMENTS)
PAYMENT_DTYPES: dict[str, str] = {c.name: c.dtype for c in _PAYMENTS}
MILESTONE_COLUMNS: tuple[str, ...] = tuple(c.name for c in _MILESTONES)
MILESTONE_DTYPES: dict[str, str] = {c.name: c.dtype for c in _MILESTONES}
ACCOUNT_COLUMNS: tuple[str, ...] = tuple(c.name for c in _ACCOUNTS)
ACCOUNT_DTYPES: dict[str, str] = {c.name: c.dtype for c in _ACCOUNTS}
LINK_COLUMNS: tuple[str, ...] = tuple(c.name for c in _LINKS)
LINK_DTYPES: dict[str, str] = {c.name: c.dtype for c in _LINKS}


def province_of_city(city_adcode: str) -> str:
    """Return the provincial adcode of a 6-digit city adcode (first two digits + "0000")."""
    return city_adcode[:2] + "0000"


class _Problem(Exception):
    """One column's problem; collected into a SchemaError."""


def _is_missing(value: object) -> bool:
    return value is None or (pd.api.types.is_scalar(value) and bool(pd.isna(value)))


def _first_bad(series: pd.Series, bad) -> str:
    position = int(np.flatnonzero(np.asarray(bad, dtype=bool))[0])
    value = series.iloc[position]
    if isinstance(value, np.generic):
        value = value.item()
    return f"{value!r} at position {position}"


def _check_types(series: pd.Series, accept, expected: str) -> list[object]:
    values = series.astype(object).tolist()
    bad = [not _is_missing(v) and not accept(v) for v in values]
    if any(bad):
        raise _Problem(f"expected {expected}, got {_first_bad(series, bad)}")
    return [None if _is_missing(v) else v for v in values]


def _is_text(value: object) -> bool:
    return isinstance(value, str)


def _is_number(value: object) -> bool:
    return isinstance(value, numbers.Real) and not isinstance(value, (bool, np.bool_))


def _is_datetime(value: object) -> bool:
    return isinstance(value, (dt.date, np.datetime64))


def _inferred(series: pd.Series) -> str:
    """What the non-missing values of a column are, told by pandas in one pass ("string", "integer", ...)."""
    return pd.api.types.infer_dtype(series, skipna=True)


def _as_text(series: pd.Series) -> pd.Series:
    if isinstance(series.dtype, pd.StringDtype) or _inferred(series) in ("string", "empty"):
        return series.astype("str")
    return pd.Series(_check_types(series, _is_text, "text"), dtype=object).astype("str")


def _as_float(series: pd.Series) -> pd.Series:
    if pd.api.types.is_bool_dtype(series.dtype):
        raise _Problem("expected numbers, got booleans")
    if pd.api.types.is_numeric_dtype(series.dtype):
        out = series.astype("float64")
    elif _inferred(series) in ("integer", "floating", "mixed-integer-float", "empty"):
        out = pd.to_numeric(series).astype("float64")
    else:
        values = _check_types(series, _is_number, "a number")
        out = pd.Series([np.nan if v is None else float(v) for v in values], dtype="float64")
    infinite = np.isinf(out.to_numpy())
    if infinite.any():
        raise _Problem(f"expected a finite number, got {_first_bad(out, infinite)}")
    return out


def _as_int(series: pd.Series) -> pd.Series:
    floats = _as_float(series)
    fractional = (floats.notna() & (floats != np.floor(floats))).to_numpy()
    if fractional.any():
        raise _Problem(f"expected whole numbers, got {_first_bad(floats, fractional)}")
    return floats.astype("Int64")


def _as_datetime(series: pd.Series) -> pd.Series:
    if isinstance(series.dtype, pd.DatetimeTZDtype):
        raise _Problem("expected naive datetimes (local time), got timezone-aware values")
    if pd.api.types.is_datetime64_dtype(series.dtype):
        return series.astype("datetime64[ns]")
    if _inferred(series) in ("datetime", "datetime64", "date", "empty"):
        values = series.astype(object)
    else:
        values = pd.Series(_check_types(series, _is_datetime, "dates or datetimes"), dtype=object)
    try:
        out = pd.to_datetime(values)
    except (ValueError, TypeError, OverflowError) as exc:
        raise _Problem(f"dates out of range or with mixed time zones ({exc})") from None
    if isinstance(out.dtype, pd.DatetimeTZDtype):
        raise _Problem("expected naive datetimes (local time), got timezone-aware values")
    try:
        return out.astype("datetime64[ns]")
    except (ValueError, OverflowError) as exc:
        raise _Problem(f"dates out of range ({exc})") from None


def _is_json_object(value: str) -> bool:
    try:
        return isinstance(json.loads(value), dict)
    except ValueError:
        return False


def _coerce(column: _Column, series: pd.Series) -> pd.Series:
    if column.kind in ("text", "adcode", "vocab"):
        out = _as_text(series)
    elif column.kind == "json":
        out = _as_text(series).fillna("{}")
    elif column.kind == "float":
        out = _as_float(series)
    elif column.kind == "int":
        out = _as_int(series)
    else:
        out = _as_datetime(series)
    _check_values(column, out)
    return out


def _check_values(column: _Column, series: pd.Series) -> None:
    present = series.notna().to_numpy()
    missing = ~present
    if column.kind == "text" and not column.nullable:
        missing = missing | (series.fillna("").str.strip() == "").to_numpy()
    if not column.nullable and missing.any():
        position = int(np.flatnonzero(missing)[0])
        raise _Problem(f"missing or blank value at position {position}")
    if column.kind == "adcode":
        bad = present & ~series.fillna("").str.fullmatch(_ADCODE).to_numpy(dtype=bool)
        if bad.any():
            raise _Problem(f"expected a 6-digit adcode, got {_first_bad(series, bad)}")
    elif column.kind == "vocab":
        allowed = vocab.values(column.terms)
        bad = present & ~series.isin(allowed).to_numpy()
        if bad.any():
            raise _Problem(
                f"unknown value {_first_bad(series, bad)}; expected one of {', '.join(allowed)}"
            )
    elif column.kind == "json":
        # Most rows carry no extra fields; parse each distinct other text once.
        others = series[series != "{}"].unique()
        bad = series.isin([text for text in others if not _is_json_object(text)]).to_numpy(dtype=bool)
        if bad.any():
            raise _Problem(f"expected a JSON object, got {_first_bad(series, bad)}")
    elif column.kind in ("float", "int"):
        bad = present & (series.fillna(0) < 0).to_numpy(dtype=bool)
        if bad.any():
            raise _Problem(f"expected a non-negative number, got {_first_bad(series, bad)}")
    if column.unique:
        dup = present & series.duplicated().to_numpy()
        if dup.any():
            raise _Problem(f"duplicate value {_first_bad(series, dup)}")


def _validate(frame_name: str, columns: tuple[_Column, ...], df: pd.DataFrame) -> pd.DataFrame:
    if not isinstance(df, pd.DataFrame):
        raise SchemaError(frame_name, [("*", f"expected a DataFrame, got {type(df).__name__}")])
    if df.columns.duplicated().any():
        duplicated = sorted({str(name) for name in df.columns[df.columns.duplicated()]})
        raise SchemaError(frame_name, [(name, "column appears more than once") for name in duplicated])
    known = {c.name for c in columns}
    problems = [
        (str(name), "unexpected column (unused import columns belong in 'extra')")
        for name in df.columns
        if name not in known
    ]
    out: dict[str, pd.Series] = {}
    for column in columns:
        if column.name not in df.columns:
            if column.required:
                problems.append((column.name, "missing column"))
                continue
            fill = "{}" if column.kind == "json" else None
            series = pd.Series([fill] * len(df), dtype=object)
        else:
            series = df[column.name].reset_index(drop=True)
        try:
            out[column.name] = _coerce(column, series)
        except _Problem as problem:
            problems.append((column.name, str(problem)))
    if problems:
        raise SchemaError(frame_name, problems)
    return pd.DataFrame(out, columns=[c.name for c in columns])


def _check_places(frame_name: str, out: pd.DataFrame) -> None:
    """Provinces are provincial-level units, and a known city lies in its province."""
    problems = []
    province = out["province_adcode"]
    unknown = (province.notna() & ~province.isin(PROVINCE_ADCODES)).to_numpy(dtype=bool)
    if unknown.any():
        problems.append(("province_adcode", f"not a provincial-level adcode, {_first_bad(province, unknown)}"))
    city = out["city_adcode"]
    outside = (city.notna() & (city.str[:2] != province.str[:2])).to_numpy(dtype=bool)
    if outside.any():
        problems.append(("city_adcode", f"city outside its province, {_first_bad(city, outside)}"))
    if problems:
        raise SchemaError(frame_name, problems)


def validate_suspects(df: pd.DataFrame) -> pd.DataFrame:
    """Validate a suspects frame and return it with canonical columns and dtypes.

    Beyond the column rules, ``province_adcode`` must be one of the 34
    provincial-level units and ``city_adcode`` (when known) must lie in it.
    """
    out = _validate("suspects", _SUSPECTS, df)
    problems = []
    unknown = ~out["province_adcode"].isin(PROVINCE_ADCODES).to_numpy()
    if unknown.any():
        bad = _first_bad(out["province_adcode"], unknown)
        problems.append(("province_adcode", f"not a provincial-level adcode, {bad}"))
    city = out["city_adcode"]
    outside = (city.notna() & (city.str[:2] != out["province_adcode"].str[:2])).to_numpy()
    if outside.any():
        problems.append(("city_adcode", f"city outside its province, {_first_bad(city, outside)}"))
    if problems:
        raise SchemaError("suspects", problems)
    return out


def validate_payments(df: pd.DataFrame) -> pd.DataFrame:
    """Validate a payments frame and return it with canonical columns and dtypes."""
    return _validate("payments", _PAYMENTS, df)


def validate_milestones(df: pd.DataFrame) -> pd.DataFrame:
    """Validate a milestones frame and return it with canonical columns and dtypes."""
    return _validate("milestones", _MILESTONES, df)


def validate_accounts(df: pd.DataFrame) -> pd.DataFrame:
    """Validate an accounts frame; a known city lies in the province (which a city implies)."""
    out = _validate("accounts", _ACCOUNTS, df)
    city_only = (out["city_adcode"].notna() & out["province_adcode"].isna()).to_numpy(dtype=bool)
    if city_only.any():
        raise SchemaError("accounts", [("province_adcode", f"missing for a known city, "
                                        f"{_first_bad(out['city_adcode'], city_only)}")])
    _check_places("accounts", out)
    return out


def validate_links(df: pd.DataFrame) -> pd.DataFrame:
    """Validate a links frame and return it with canonical columns and dtypes."""
    return _validate("links", _LINKS, df)


def empty_accounts() -> pd.DataFrame:
    """Return an empty accounts frame with canonical dtypes."""
    return validate_accounts(pd.DataFrame({c: [] for c in ACCOUNT_COLUMNS}, dtype=object))


def empty_links() -> pd.DataFrame:
    """Return an empty links frame with canonical dtypes."""
    return validate_links(pd.DataFrame({c: [] for c in LINK_COLUMNS}, dtype=object))


def empty_suspects() -> pd.DataFrame:
    """Return an empty suspects frame with canonical dtypes."""
    return validate_suspects(pd.DataFrame({c: [] for c in SUSPECT_COLUMNS}, dtype=object))


def empty_payments() -> pd.DataFrame:
    """Return an empty payments frame with canonical dtypes."""
    return validate_payments(pd.DataFrame({c: [] for c in PAYMENT_COLUMNS}, dtype=object))


def empty_milestones() -> pd.DataFrame:
    """Return an empty milestones frame with canonical dtypes."""
    return validate_milestones(pd.DataFrame({c: [] for c in MILESTONE_COLUMNS}, dtype=object))

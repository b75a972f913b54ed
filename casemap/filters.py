"""The shared filter state: one frozen dataclass, to and from URL query params.

``FilterState.from_query`` never raises on bad input: each bad part is dropped
and reported as a ``Notice`` with a stable ``reason`` code (see ``REASONS``).
Unknown query keys are ignored silently, because the host page (Streamlit's
own ``embed`` options, page links) shares the query string with us.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from dataclasses import dataclass, field, replace

from casemap import vocab
from casemap.schema import province_of_city

__all__ = [
    "DEFAULT_CASE",
    "LANGS",
    "THEMES",
    "REASONS",
    "Notice",
    "FilterState",
    "NO_PURPOSE",
    "apply_click",
]

DEFAULT_CASE = "demo"
LANGS = vocab.LANGS
THEMES = ("light", "screen")  # style.PALETTES has one palette per theme
MAX_CASE_NAME = 100
MAX_PURPOSE = 100  # characters of a free-text purpose in a filter
NO_PURPOSE = "unrecorded"  # the purpose filter's value for payments whose purpose is blank
MAX_SUSPECT_ID = 100  # characters of a suspect id in a link (the network filter)

# Stable reason codes for dropped query parts.
REASONS = {
    "unknown_code": "province or city adcode not known",
    "bad_date": "not an ISO date (YYYY-MM-DD)",
    "reversed_dates": "'from' is after 'to'; both dropped",
    "bad_number": "not a finite, non-negative number",
    "reversed_amounts": "'min_amount' is above 'max_amount'; both dropped",
    "reversed_payments": "'min_payment' is above 'max_payment'; both dropped",
    "unknown_value": "not an accepted value for this parameter",
    "too_long": "longer than a page setting's text may be",
    "bad_id": "not a suspect id (at most 100 printable characters)",
}

_MULTI = {"province": "provinces", "city": "cities", "role": "roles", "status": "statuses", "channel": "channels"}
_VOCABS = {"roles": vocab.ROLES, "statuses": vocab.STATUSES, "channels": vocab.CHANNELS}


@dataclass(frozen=True)
class Notice:
    """A query part that was dropped: which parameter, its raw value, and a reason code."""

    param: str
    value: str
    reason: str


def _as_tuple(values) -> tuple[str, ...]:
    if isinstance(values, str):
        values = (values,)
    return tuple(sorted(set(values)))


def _is_adcode(value: object) -> bool:
    return isinstance(value, str) and len(value) == 6 and value.isascii() and value.isdigit()


def _is_case_name(value: object) -> bool:
    return isinstance(value, str) and bool(value) and value == value.strip() and len(value) <= MAX_CASE_NAME


def _is_suspect_id(value: object) -> bool:
    return (isinstance(value, str) and bool(value) and value == value.strip() and len(value) <= MAX_SUSPECT_ID
            and value.isprintable())


def _format_amount(value: float) -> str:
    return str(int(value)) if value.is_integer() else repr(value)


@dataclass(frozen=True)
class FilterState:
    """What the investigator is looking at; hashable, so usable as a cache key.

    Multi-valued fields are stored sorted and de-duplicated; an empty tuple
    means "no filter". Construction raises ValueError for impossible states
    (reversed ranges, unknown vocabulary values, malformed adcodes).
    """

    case: str = DEFAULT_CASE
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    provinces: tuple[str, ...] = ()
    cities: tuple[str, ...] = ()
    roles: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()
    channels: tuple[str, ...] = ()
    purposes: tuple[str, ...] = ()
    min_amount: float | None = None
    max_amount: float | None = None
    min_payment: float | None = None
    max_payment: float | None = None
    lang: str | None = None
    theme: str | None = None
    # One suspect's network: that suspect and their counterparts, and the payments between them (see where.py).
    network: str | None = None

    def __post_init__(self) -> None:
        if not _is_case_name(self.case):
            raise ValueError(f"invalid case name {self.case!r}")
        for name in ("date_from", "date_to"):
            value = getattr(self, name)
            if isinstance(value, dt.datetime):
                self._set(name, value.date())
            elif value is not None and not isinstance(value, dt.date):
                raise ValueError(f"{name} must be a date, got {value!r}")
        if self.date_from and self.date_to and self.date_from > self.date_to:
            raise ValueError(f"date_from {self.date_from} is after date_to {self.date_to}")
        for name in ("provinces", "cities", *_VOCABS):
            self._set(name, _as_tuple(getattr(self, name)))
        for name in ("provinces", "cities"):
            bad = [v for v in getattr(self, name) if not _is_adcode(v)]
            if bad:
                raise ValueError(f"{name} must be 6-digit adcodes, got {bad!r}")
        for name, terms in _VOCABS.items():
            bad = [v for v in getattr(self, name) if v not in vocab.values(terms)]
            if bad:
                raise ValueError(f"unknown {name} {bad!r}; expected {vocab.values(terms)}")
        self._set("purposes", _as_tuple(self.purposes))
        bad = [v for v in self.purposes if not is_purpose(v)]
        if bad:
            raise ValueError(f"purposes must be non-blank text of at most {MAX_PURPOSE} characters "
                             f"without commas, got {bad!r}")
        for low, high in (("min_amount", "max_amount"), ("min_payment", "max_payment")):
            for name in (low, high):
                value = getattr(self, name)
                if value is not None:
                    value = float(value) + 0.0  # also turns -0.0 into 0.0
                    if not math.isfinite(value) or value < 0:
                        raise ValueError(f"{name} must be a finite non-negative number, got {value!r}")
                    self._set(name, value)
            if getattr(self, low) is not None and getattr(self, high) is not None and getattr(self, low) > getattr(self, high):
                raise ValueError(f"{low} {getattr(self, low)} is above {high} {getattr(self, high)}")
        if self.lang not in (None, *LANGS):
            raise ValueError(f"lang must be one of {LANGS}, got {self.lang!r}")
        if self.theme not in (None, *THEMES):
            raise ValueError(f"theme must be one of {THEMES}, got {self.theme!r}")
        if self.network is not None and not _is_suspect_id(self.network):
            raise ValueError(f"network must be a suspect id, got {self.network!r}")

    def _set(self, name: str, value: object) -> None:
        # Canonicalise a field of this frozen instance during __post_init__.
        object.__setattr__(self, name, value)

    @property
    def filters_suspects(self) -> bool:
        """True when a suspect-level filter (place, role, status, amount involved, network) is set.

        The payments shown are then those of the suspects shown. The date range
        is not one: it keeps the suspects active in it and the payments made
        in it, each by its own date.
        """
        return bool(self.provinces or self.cities or self.roles or self.statuses
                    or self.min_amount is not None or self.max_amount is not None
                    or self.network is not None)

    def to_query(self) -> dict[str, str]:
        """Return URL query params; defaults and empty filters are left out."""
        query: dict[str, str] = {}
        if self.case != DEFAULT_CASE:
            query["case"] = self.case
        if self.date_from:
            query["from"] = self.date_from.isoformat()
        if self.date_to:
            query["to"] = self.date_to.isoformat()
        for param, name in _MULTI.items():
            if getattr(self, name):
                query[param] = ",".join(sorted(getattr(self, name)))
        if self.min_amount is not None:
            query["min_amount"] = _format_amount(self.min_amount)
        if self.max_amount is not None:
            query["max_amount"] = _format_amount(self.max_amount)
        if self.min_payment is not None:
            query["min_payment"] = _format_amount(self.min_payment)
        if self.max_payment is not None:
            query["max_payment"] = _format_amount(self.max_payment)
        if self.purposes:
            query["purpose"] = ",".join(self.purposes)
        if self.network is not None:
            query["network"] = self.network
        if self.lang:
            query["lang"] = self.lang
        if self.theme:
            query["theme"] = self.theme
        return query

    @classmethod
    def from_query(
        cls,
        params: Mapping[str, str | list[str]],
        known_provinces: set[str],
        known_cities: set[str],
    ) -> tuple[FilterState, list[Notice]]:
        """Read a state from URL query params, dropping each bad part with a ``Notice``.

        Multi-valued params may be comma-joined, repeated (a list), or both;
        single-valued ones use their last non-empty value. Roles, statuses and
        channels accept any spelling the vocabulary accepts. Never raises.
        """
        reader = _QueryReader(params)
        fields: dict = {}
        case = reader.single("case")
        if case is not None:
            if len(case) <= MAX_CASE_NAME:
                fields["case"] = case
            else:
                reader.notice("case", case, "unknown_value")
        fields["date_from"], fields["date_to"] = reader.range("from", "to", _parse_date, "bad_date", "reversed_dates")
        fields["min_amount"], fields["max_amount"] = reader.range(
            "min_amount", "max_amount", _parse_amount, "bad_number", "reversed_amounts"
        )
        fields["min_payment"], fields["max_payment"] = reader.range(
            "min_payment", "max_payment", _parse_amount, "bad_number", "reversed_payments"
        )
        fields["provinces"] = reader.codes("province", known_provinces)
        fields["cities"] = reader.codes("city", known_cities)
        for param, name in (("role", "roles"), ("status", "statuses"), ("channel", "channels")):
            fields[name] = reader.terms(param, _VOCABS[name])
        fields["purposes"] = reader.purposes("purpose")
        fields["lang"] = reader.choice("lang", LANGS)
        fields["theme"] = reader.choice("theme", THEMES)
        fields["network"] = reader.suspect_id("network")
        return cls(**fields), reader.notices


def is_purpose(value: object) -> bool:
    """Whether ``value`` can be a purpose filter's value: trimmed text up to MAX_PURPOSE characters, no comma."""
    return (isinstance(value, str) and bool(value) and value == value.strip() and len(value) <= MAX_PURPOSE
            and "," not in value)


def _parse_date(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return None


def _parse_amount(text: str) -> float | None:
    try:
        value = float(text)
    except ValueError:
        return None
    return value if math.isfinite(value) and value >= 0 else None


@dataclass
class _QueryReader:
    params: Mapping[str, str | list[str]]
    notices: list[Notice] = field(default_factory=list)

    def notice(self, param: str, value: str, reason: str) -> None:
        self.notices.append(Notice(param, value, reason))

    def _raw(self, param: str) -> list[str]:
        value = self.params.get(param)
        if value is None:
            return []
        values = [value] if isinstance(value, str) else list(value)
        return [v.strip() for v in values if isinstance(v, str) and v.strip()]

    def single(self, param: str) -> str | None:
        values = self._raw(param)
        return values[-1] if values else None

    def multi(self, param: str) -> list[str]:
        return [part.strip() for value in self._raw(param) for part in value.split(",") if part.strip()]

    def range(self, low_param, high_param, parse, bad_reason, reversed_reason):
        bounds = []
        for param in (low_param, high_param):
            text = self.single(param)
            value = None if text is None else parse(text)
            if text is not None and value is None:
                self.notice(param, text, bad_reason)
            bounds.append(value)
        low, high = bounds
        if low is not None and high is not None and low > high:
            self.notice(high_param, self.single(high_param), reversed_reason)
            return None, None
        return low, high

    def codes(self, param: str, known: set[str]) -> tuple[str, ...]:
        kept = []
        for code in self.multi(param):
            if code in known and _is_adcode(code):
                kept.append(code)
            else:
                self.notice(param, code, "unknown_code")
        return tuple(kept)

    def terms(self, param: str, terms: tuple[vocab.Term, ...]) -> tuple[str, ...]:
        kept = []
        for text in self.multi(param):
            value = vocab.normalize(terms, text)
            if value is None:
                self.notice(param, text, "unknown_value")
            else:
                kept.append(value)
        return tuple(kept)

    def purposes(self, param: str) -> tuple[str, ...]:
        kept = []
        for text in self.multi(param):
            value = vocab.normalize(vocab.PURPOSES, text) or text
            if is_purpose(value):
                kept.append(value)
            else:
                self.notice(param, text, "unknown_value")
        return tuple(kept)

    def suspect_id(self, param: str) -> str | None:
        text = self.single(param)
        if text is not None and not _is_suspect_id(text):
            self.notice(param, text, "bad_id")
            return None
        return text

    def choice(self, param: str, allowed: tuple[str, ...]) -> str | None:
        text = self.single(param)
        if text is None:
            return None
        if text.casefold() in allowed:
            return text.casefold()
        self.notice(param, text, "unknown_value")
        return None


def select_place(state: FilterState, adcode: str) -> FilterState:
    """The state after a click on a place: a province drills down, a city narrows to itself.

    Clicking the place that is already the only selection removes it again.
    """
    if adcode.endswith("0000"):
        if state.provinces == (adcode,) and not state.cities:
            return replace(state, provinces=())
        return replace(state, provinces=(adcode,), cities=())
    province = province_of_city(adcode)
    if state.cities == (adcode,):
        return replace(state, cities=())
    return replace(state, provinces=(province,), cities=(adcode,))


def select_term(state: FilterState, field_name: str, value: str) -> FilterState:
    """The state after a click on a role, status, channel or purpose bar: that one value, or none again."""
    current = getattr(state, field_name)
    chosen = () if current == (value,) else (value,)
    return replace(state, **{field_name: chosen})


def select_period(state: FilterState, first: dt.date, last: dt.date) -> FilterState:
    """The state after a click on a period's bar: the date range becomes that period, or is cleared again."""
    if (state.date_from, state.date_to) == (first, last):
        return replace(state, date_from=None, date_to=None)
    return replace(state, date_from=first, date_to=last)


def apply_click(state: FilterState, target: str) -> FilterState:
    """The state after a click on what ``target`` names; the one rule behind every clickable chart and row.

    ``target`` is what a chart point or a table row carries: a 6-digit
    adcode (:func:`select_place`), ``"channel:<value>"``, ``"purpose:<value>"``,
    ``"role:<value>"``, ``"status:<value>"`` (:func:`select_term`) or
    ``"period:<first day>/<last day>"`` (:func:`select_period`). Clicking
    the only value already chosen clears it. Raises ValueError for anything else.
    """
    if _is_adcode(target):
        return select_place(state, target)
    kind, _, value = target.partition(":")
    if kind == "period":
        first, _, last = value.partition("/")
        return select_period(state, dt.date.fromisoformat(first), dt.date.fromisoformat(last))
    field_name = {"channel": "channels", "purpose": "purposes", "role": "roles", "status": "statuses"}.get(kind)
    if field_name is None or not value:
        raise ValueError(f"not a click target: {target!r}")
    return select_term(state, field_name, value)


def click_target(kind: str, value: object) -> str:
    """What a chart point or a table row carries for :func:`apply_click`: ``"<kind>:<value>"``."""
    return f"{kind}:{value}"

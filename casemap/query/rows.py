"""The suspects table in SQL: one searched, sorted page of the suspects shown, one suspect, the rows of an export.

A search keeps the suspects that match *every* word of the query, a word
matching (ignoring case) a suspect's id, name, address or QQ accounts, or the
label of its place, role or status in English or Chinese. Labels are not
stored, so a word is first turned, in Python, into the codes whose labels
contain it (the places table and the vocabularies are small); the database
then compares codes, and runs ``LIKE`` on the stored text only, with ``%``
and ``_`` in a word taken literally. Two fine points of the labels as the
table shows them: the "·" between a province and its city is punctuation,
not a place, and a city code missing from the places table is shown, and so
found, by its digits. In the stored text, case is ignored as the database's
``lower()`` ignores it: for ASCII letters everywhere (Chinese has no case),
for other alphabets as far as the database's locale goes.

Every function takes an engine and a :class:`~casemap.query.where.Key` and
returns a small result: a page of rows, a count, one row, or one chunk of an
export, so a large case is read a chunk at a time and never whole.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pandas as pd
from sqlalchemy import ColumnElement, Engine, and_, false, func, or_, select, true

from casemap import vocab
from casemap.charts import place_labels
from casemap.query.where import Key, live, suspect_clause
from casemap.schema import SUSPECT_COLUMNS
from casemap.store import suspects_table

__all__ = [
    "SORTS",
    "PAGE_COLUMNS",
    "EXPORT_CHUNK",
    "SearchWord",
    "SuspectSearch",
    "NO_SEARCH",
    "suspect_count",
    "suspect_page",
    "suspect_row",
    "suspect_extra_keys",
    "suspect_chunk",
    "keyset_chunks",
    "suspect_chunks",
]

S = suspects_table.c
# The columns a sort can use, by name; a place sorts by province, then city code.
SORTS = {
    "suspect_id": (S.suspect_id,),
    "name": (S.name,),
    "place": (S.province_adcode, S.city_adcode),
    "amount_yuan": (S.amount_yuan,),
    "arrest_date": (S.arrest_date,),
}
PAGE_COLUMNS = ("suspect_id", "name", "role", "status", "province_adcode", "city_adcode", "amount_yuan", "arrest_date")
EXPORT_CHUNK = 5_000
_TEXT_COLUMNS = (S.suspect_id, S.name, S.address, S.qq_accounts)
_LIKE_ESCAPE = "/"


@dataclass(frozen=True)
class SearchWord:
    """One word of a search and the codes whose labels contain it.

    ``text`` is matched in the stored text columns; ``places``, ``roles``
    and ``statuses`` are codes whose English or Chinese label contains the
    word; ``listed_codes`` are the place codes containing the word's digits
    that the places table names (they show as names, so their digits are
    not what a person sees).
    """

    text: str
    places: tuple[str, ...] = ()
    roles: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()
    listed_codes: tuple[str, ...] | None = None  # None: the word is not all digits

    def clause(self, masked: bool = False) -> ColumnElement[bool]:
        """Suspects matching this word anywhere; for a viewer (``masked``) in the labels only.

        A viewer's search never looks into ids, names, addresses or QQ
        accounts: a match would tell what the masking hides.
        """
        pattern = _contains_pattern(self.text)
        options = [] if masked else [func.lower(column).like(pattern, escape=_LIKE_ESCAPE) for column in _TEXT_COLUMNS]
        for column in (S.province_adcode, S.city_adcode):
            if self.places:
                options.append(column.in_(self.places))
            if self.listed_codes is not None:
                options.append(and_(column.like(pattern, escape=_LIKE_ESCAPE), column.not_in(self.listed_codes)))
        if self.roles:
            options.append(S.role.in_(self.roles))
        if self.statuses:
            options.append(S.status.in_(self.statuses))
        return or_(false(), *options)


@dataclass(frozen=True)
class SuspectSearch:
    """A parsed search box: hashable, so a cache can key results by it."""

    words: tuple[SearchWord, ...] = ()

    @classmethod
    def parse(cls, query: str | None, places: pd.DataFrame) -> SuspectSearch:
        """The search for ``query``: its words (split on spaces), each with the codes its labels match."""
        words = (query or "").split()
        if not words:
            return cls()
        labels = _place_labels(places)
        return cls(tuple(_parse_word(word, labels) for word in dict.fromkeys(words)))

    def clause(self, masked: bool = False) -> ColumnElement[bool]:
        """Suspects matching every word (all suspects for an empty search); ``masked``: see :meth:`SearchWord.clause`."""
        return and_(true(), *(word.clause(masked) for word in self.words))


NO_SEARCH = SuspectSearch()


def _place_labels(places: pd.DataFrame) -> dict[str, str]:
    codes = places["adcode"].astype(str).drop_duplicates().tolist()
    english, chinese = place_labels(codes, places, "en"), place_labels(codes, places, "zh")
    return {code: f"{en}\n{zh}".casefold() for code, en, zh in zip(codes, english, chinese)}


def _terms_containing(word: str, terms: tuple[vocab.Term, ...]) -> tuple[str, ...]:
    return tuple(t.value for t in terms if word in t.en.casefold() or word in t.zh.casefold())


def _parse_word(word: str, labels: dict[str, str]) -> SearchWord:
    folded = word.casefold()
    digits = word.isascii() and word.isdigit()
    return SearchWord(
        text=word.lower(),
        places=tuple(code for code, label in labels.items() if folded in label),
        roles=_terms_containing(folded, vocab.ROLES),
        statuses=_terms_containing(folded, vocab.STATUSES),
        listed_codes=tuple(code for code in labels if word in code) if digits else None,
    )


def _contains_pattern(text: str) -> str:
    # A typed % or _ means itself, never a wildcard.
    for special in (_LIKE_ESCAPE, "%", "_"):
        text = text.replace(special, _LIKE_ESCAPE + special)
    return f"%{text}%"


def _shown(key: Key, search: SuspectSearch) -> ColumnElement[bool]:
    return and_(suspect_clause(key), search.clause(key.access.masked))


def _visible(key: Key) -> ColumnElement[bool]:
    """Any live suspect of the case within the scope, filters aside."""
    parts = [S.case == key.case, live(suspects_table)]
    if key.scope.limited:
        parts.append(S.province_adcode.in_(sorted(key.scope.provinces)))
    return and_(*parts)


def _frame(engine: Engine, query, columns) -> pd.DataFrame:
    """Rows as a frame with the dtypes of the stored case (dates as datetimes, unknown numbers as NA)."""
    with engine.connect() as conn:
        frame = pd.DataFrame([tuple(row) for row in conn.execute(query)], columns=list(columns), dtype=object)
    if "arrest_date" in frame:
        frame["arrest_date"] = pd.to_datetime(frame["arrest_date"])
    if "amount_yuan" in frame:
        frame["amount_yuan"] = frame["amount_yuan"].astype("float64")
    for column in ("phone_cards", "wechat_accounts"):
        if column in frame:
            frame[column] = frame[column].astype("Int64")
    return frame


def suspect_count(engine: Engine, key: Key, search: SuspectSearch = NO_SEARCH) -> int:
    """How many suspects pass the filters and match the search."""
    query = select(func.count()).select_from(suspects_table).where(_shown(key, search))
    with engine.connect() as conn:
        return int(conn.execute(query).scalar_one())


def _order(sort: str, descending: bool) -> list:
    if sort not in SORTS:
        raise ValueError(f"sort must be one of {tuple(SORTS)}, got {sort!r}")
    # Unknown values come last either way; suspect_id breaks ties, so paging never skips or repeats a row.
    order = [(column.desc() if descending else column.asc()).nulls_last() for column in SORTS[sort]]
    if sort != "suspect_id":
        order.append(S.suspect_id.asc())
    return order


def suspect_page(engine: Engine, key: Key, search: SuspectSearch = NO_SEARCH, sort: str = "suspect_id",
                 descending: bool = False, offset: int = 0, limit: int = 100) -> pd.DataFrame:
    """One page of the suspects shown: :data:`PAGE_COLUMNS` of rows ``offset`` to ``offset + limit``, by ``sort``."""
    query = (
        select(*(S[c] for c in PAGE_COLUMNS))
        .where(_shown(key, search))
        .order_by(*_order(sort, descending))
        .offset(max(0, int(offset)))
        .limit(max(0, int(limit)))
    )
    return _frame(engine, query, PAGE_COLUMNS)


def suspect_row(engine: Engine, key: Key, suspect_id: str) -> pd.Series | None:
    """Every stored column of one suspect of the case (within the scope, filters aside); None if there is none."""
    query = select(*(S[c] for c in SUSPECT_COLUMNS)).where(_visible(key), S.suspect_id == suspect_id)
    frame = _frame(engine, query, SUSPECT_COLUMNS)
    return frame.iloc[0] if len(frame) else None


def suspect_extra_keys(engine: Engine, key: Key, search: SuspectSearch = NO_SEARCH) -> tuple[str, ...]:
    """The keys of the ``extra`` fields of the suspects shown, in order of first appearance by suspect_id.

    An export needs them for its header before its first row; the texts are
    read a chunk at a time and only the keys are kept.
    """
    query = (
        select(S.extra)
        .where(_shown(key, search), S.extra.is_not(None), S.extra != "{}")
        .order_by(S.suspect_id)
        .execution_options(yield_per=EXPORT_CHUNK)
    )
    keys: dict[str, None] = {}
    with engine.connect() as conn:
        for (text,) in conn.execute(query):
            try:
                fields = json.loads(text)
            except ValueError:
                continue
            if isinstance(fields, dict):
                keys.update(dict.fromkeys(fields))
    return tuple(keys)


def suspect_chunk(engine: Engine, key: Key, search: SuspectSearch = NO_SEARCH, after: str | None = None,
                  size: int = EXPORT_CHUNK) -> pd.DataFrame:
    """Up to ``size`` suspects shown whose id comes after ``after``, every stored column, in suspect_id order.

    Keyset paging: the next chunk starts after the last id of this one, so
    each chunk is an index range scan, however deep into the case.
    """
    query = select(*(S[c] for c in SUSPECT_COLUMNS)).where(_shown(key, search))
    if after is not None:
        query = query.where(S.suspect_id > after)
    return _frame(engine, query.order_by(S.suspect_id).limit(size), SUSPECT_COLUMNS)


def keyset_chunks(fetch: Callable[[str | None], pd.DataFrame], size: int) -> Iterator[pd.DataFrame]:
    """The chunks ``fetch(after)`` gives, each starting after the last ``suspect_id`` of the one before.

    Stops after the first chunk shorter than ``size``; empty chunks are not yielded.
    """
    after = None
    while True:
        chunk = fetch(after)
        if len(chunk):
            yield chunk
        if len(chunk) < size:
            return
        after = chunk["suspect_id"].iloc[-1]


def suspect_chunks(engine: Engine, key: Key, search: SuspectSearch = NO_SEARCH,
                   size: int = EXPORT_CHUNK) -> Iterator[pd.DataFrame]:
    """Every suspect shown, ``size`` rows at a time (see :func:`suspect_chunk`)."""
    return keyset_chunks(lambda after: suspect_chunk(engine, key, search, after, size), size)

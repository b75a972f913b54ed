"""A filter state and a user's scope as SQL: the ``WHERE`` clauses every query shares.

The meaning of each filter is the one the pages have always shown:

- suspects: active in the date range, that is arrested in it or paying or
  paid in it (CASE.md, "Filters"); place, role, status; amount involved in
  the amount range (an unknown amount passes only when no bound is set); and
  the scope;
- payments: time in the date range, amount in the payment-amount range,
  channel; and when a suspect-level filter (place, role, status, amount
  involved) or a scope is set, only payments whose payer or payee is among
  the suspects that pass; under a scope, never a payment with an end among
  the suspects outside it (:func:`payment_clause`);
- the network of one suspect (``network``): the suspects are that suspect
  and everyone who paid them or was paid by them in a payment that passes
  the payment-level filters (date, payment amount, channel); the payments
  are those between that suspect and those counterparts, that is every
  payment the suspect made or received. It is a suspect-level filter, so the
  other suspect-level filters narrow it further.

Only live rows count (rows a later import removed keep their history in the
store but are never read here).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from sqlalchemy import ColumnElement, Engine, Select, String, and_, case, func, literal, null, or_, select, union
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement

from casemap.access import EVERYWHERE, LOCAL, Access, Scope
from casemap.filters import NO_PURPOSE, FilterState
from casemap.schema import province_of_city
from casemap.store import live, payments_table, suspects_table

__all__ = ["Scope", "EVERYWHERE", "Access", "LOCAL", "Key", "as_access", "live", "suspect_clause", "payment_clause",
           "arrest_in_period", "day_of", "scan_key",
           "filtered_suspect_ids", "outside_scope_ids", "network_members", "fetch_rows"]

S = suspects_table.c
P = payments_table.c


@dataclass(frozen=True)
class Key:
    """What a query result depends on: case, data version, filters and who asks; hashable, a cache key.

    ``access`` (:class:`~casemap.access.Access`) carries the user's scope and
    whether personal data is masked, so two users never share a cached
    result. Language and theme are dropped from the filter state: they change
    how a result is drawn, never the result.
    """

    case: str
    version: int
    state: FilterState
    access: Access = LOCAL

    @property
    def scope(self) -> Scope:
        """The provinces the user may see."""
        return self.access.scope

    @classmethod
    def of(cls, state: FilterState, version: int, access: Access | Scope = LOCAL) -> Key:
        """The key of ``state``'s case at ``version`` for ``access`` (a bare scope: an unmasked reader of it)."""
        return cls(state.case, version, replace(state, lang=None, theme=None), as_access(access))


def as_access(access: Access | Scope) -> Access:
    """``access``, or for a bare :class:`Scope` the local (unmasked) access limited to it."""
    return replace(LOCAL, scope=access) if isinstance(access, Scope) else access


class day_of(FunctionElement):
    """The calendar day of a timestamp column as 'YYYY-MM-DD' text, on SQLite, PostgreSQL and DuckDB."""

    type = String()
    inherit_cache = True


@compiles(day_of)
def _day_of_sqlite(element, compiler, **kw):
    # SQLite keeps timestamps as ISO text: the day is its first ten characters.
    return f"substr({compiler.process(element.clauses, **kw)}, 1, 10)"


@compiles(day_of, "postgresql")
def _day_of_postgresql(element, compiler, **kw):
    return f"to_char({compiler.process(element.clauses, **kw)}, 'YYYY-MM-DD')"


@compiles(day_of, "duckdb")
def _day_of_duckdb(element, compiler, **kw):
    return f"strftime({compiler.process(element.clauses, **kw)}, '%Y-%m-%d')"


class scan_key(FunctionElement):
    """A column to group a whole case's rows by, read by scanning the table rather than through an index.

    SQLite would otherwise walk the column's index to get the groups in
    order and fetch every row from the table one by one: for a million
    payments several times slower than a scan and a sort. ``+column`` keeps
    the index out of it; PostgreSQL and DuckDB plan this well on their own.
    """

    type = String()  # ids and vocabulary values
    inherit_cache = True


@compiles(scan_key)
def _scan_key_sqlite(element, compiler, **kw):
    return f"+{compiler.process(element.clauses, **kw)}"


@compiles(scan_key, "postgresql")
@compiles(scan_key, "duckdb")
def _scan_key_as_is(element, compiler, **kw):
    return compiler.process(element.clauses, **kw)


def _day_bounds(state: FilterState) -> tuple[dt.datetime | None, dt.datetime | None]:
    start = dt.datetime.combine(state.date_from, dt.time()) if state.date_from else None
    end = dt.datetime.combine(state.date_to, dt.time()) + dt.timedelta(days=1) if state.date_to else None
    return start, end


def _in_range(column, low, high, *, exclusive_high: bool = False) -> list[ColumnElement[bool]]:
    parts = []
    if low is not None:
        parts.append(column >= low)
    if high is not None:
        parts.append(column < high if exclusive_high else column <= high)
    return parts


def _places(state: FilterState, columns) -> list[ColumnElement[bool]]:
    # A city narrows its own province; a province with no city chosen is kept whole.
    if not (state.provinces or state.cities):
        return []
    narrowed = {province_of_city(c) for c in state.cities}
    whole = [p for p in state.provinces if p not in narrowed]
    options = []
    if state.cities:
        options.append(columns.city_adcode.in_(state.cities))
    if whole:
        options.append(columns.province_adcode.in_(whole))
    return [or_(*options)]


def suspect_clause(key: Key, table=suspects_table) -> ColumnElement[bool]:
    """The suspects of ``key``'s case that pass its filters and scope (``table`` may be an alias)."""
    state, c = key.state, table.c
    start, end = _day_bounds(state)
    parts = [c.case == key.case, live(table)]
    if start is not None or end is not None:
        parts.append(_active(key, c, start, end))
    parts += _places(state, c)
    if state.roles:
        parts.append(c.role.in_(state.roles))
    if state.statuses:
        parts.append(c.status.in_(state.statuses))
    parts += _in_range(c.amount_yuan, state.min_amount, state.max_amount)
    if key.scope.limited:
        parts.append(c.province_adcode.in_(sorted(key.scope.provinces)))
    if state.network is not None:
        parts.append(c.suspect_id.in_(network_members(key)))
    return and_(*parts)


def network_members(key: Key):
    """The ids of the network filter's suspect and of everyone they paid or were paid by, as a subquery."""
    person = key.state.network
    paid = and_(*_payment_parts(key))
    members = union(
        select(literal(person, String).label("party_id")),
        select(P.payee_id).where(paid, P.payer_id == person),
        select(P.payer_id).where(paid, P.payee_id == person),
    ).subquery("network")
    return select(members.c.party_id)


def _active(key: Key, c, start, end) -> ColumnElement[bool]:
    """Suspects arrested in [start, end), or paying or paid in it."""
    paid = [P.case == key.case, live(payments_table), *_within_scope(key),
            *_in_range(P.time, start, end, exclusive_high=True)]
    return or_(
        and_(*_in_range(c.arrest_date, start, end, exclusive_high=True)),
        c.suspect_id.in_(select(P.payer_id).where(*paid)),
        c.suspect_id.in_(select(P.payee_id).where(*paid)),
    )


def arrest_in_period(key: Key, table=suspects_table) -> ColumnElement:
    """A suspect's arrest date when it lies in the date range (any, with no range set), else NULL.

    Counts over time use it: a suspect active in August but arrested in
    October is shown, and was still free in August.
    """
    start, end = _day_bounds(key.state)
    bounds = _in_range(table.c.arrest_date, start, end, exclusive_high=True)
    return case((and_(*bounds), table.c.arrest_date), else_=null()) if bounds else table.c.arrest_date


def follows_suspects(key: Key) -> bool:
    """Whether payments are limited to those of the suspects that pass."""
    return key.state.filters_suspects or key.scope.limited


def filtered_suspect_ids(key: Key) -> Select:
    """``SELECT suspect_id`` of the suspects that pass ``key``."""
    return select(S.suspect_id).where(suspect_clause(key))


def purpose_text() -> ColumnElement[str]:
    """A payment's purpose as it is grouped and filtered: trimmed, a missing one blank."""
    return func.trim(func.coalesce(P.purpose, ""))


def _payment_parts(key: Key) -> list[ColumnElement[bool]]:
    """The payment-level filters: case, live, date range, payment amount, channel, purpose."""
    state = key.state
    start, end = _day_bounds(state)
    parts = [P.case == key.case, live(payments_table), *_within_scope(key)]
    parts += _in_range(P.time, start, end, exclusive_high=True)
    parts += _in_range(P.amount_yuan, state.min_payment, state.max_payment)
    if state.channels:
        parts.append(P.channel.in_(state.channels))
    if state.purposes:
        parts.append(purpose_text().in_(["" if p == NO_PURPOSE else p for p in state.purposes]))
    return parts


def outside_scope_ids(key: Key) -> Select:
    """``SELECT suspect_id`` of the case's live suspects outside ``key``'s scope (none when it is not limited)."""
    return select(S.suspect_id).where(
        S.case == key.case, live(suspects_table), S.province_adcode.not_in(sorted(key.scope.provinces or ())),
    )


def _within_scope(key: Key) -> list[ColumnElement[bool]]:
    """No end of the payment among the suspects outside the scope (see :func:`payment_clause`)."""
    if not key.scope.limited:
        return []
    outside = outside_scope_ids(key)
    return [P.payer_id.not_in(outside), P.payee_id.not_in(outside)]


def payment_clause(key: Key, *, follow_suspects: bool = True) -> ColumnElement[bool]:
    """The payments of ``key``'s case that pass its filters.

    ``follow_suspects=False`` leaves out the "payer or payee among the
    suspects shown" part, for queries that join the suspects themselves.

    Under a limited scope a payment counts only when neither end is a
    suspect outside the scope: a payment between a Hunan payer and a
    Guangdong vendor is invisible to a Hunan-only user, so no figure (a
    total, a flow, a top party, a counterpart) carries an amount, an id or a
    place from outside the scope. An end that is no suspect of the case (an
    overseas account) belongs to no province and does not hide a payment.
    The same holds wherever payments decide who is shown: activity in a date
    range, the members of a network.
    """
    parts = _payment_parts(key)
    if key.state.network is not None:
        parts.append(or_(P.payer_id == key.state.network, P.payee_id == key.state.network))
    if follow_suspects and follows_suspects(key):
        ids = filtered_suspect_ids(key)
        parts.append(or_(P.payer_id.in_(ids), P.payee_id.in_(ids)))
    return and_(*parts)


def fetch_rows(engine: Engine, query) -> list[tuple]:
    """Run ``query`` on ``engine`` and return its rows as tuples."""
    with engine.connect() as conn:
        return [tuple(row) for row in conn.execute(query)]

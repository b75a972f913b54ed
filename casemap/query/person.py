"""One person's money: whom they paid and were paid by, where those counterparts are, and when.

Every query reads the payments shown (:func:`~casemap.query.where.payment_clause`:
the date range, channels, payment amounts, suspect-level filters and the
scope, like every other page) that the person made or received. A
counterpart's record is looked up among the case's live suspects within the
scope, filters aside, as :mod:`casemap.query.money` does; a counterpart that
is no suspect (an overseas account) has no name, role or place. The person's
own record is :func:`casemap.query.rows.suspect_row`.
"""

from __future__ import annotations

import pandas as pd
from sqlalchemy import Engine, and_, case, func, literal, or_, select
from sqlalchemy.orm import aliased

from casemap.query.money import counterpart_context
from casemap.query.periods import PANDAS_PERIODS
from casemap.query.where import Key, day_of, fetch_rows, payment_clause
from casemap.store import payments_table, suspects_table

__all__ = ["PAID", "RECEIVED", "DIRECTIONS", "FREQS", "counterparts", "payments_by_day", "by_place",
           "payments_over_time"]

P = payments_table.c
PAID, RECEIVED = "paid", "received"
DIRECTIONS = (PAID, RECEIVED)
FREQS = ("D", "W", "MS")
COUNTERPART_COLUMNS = ["counterpart_id", "name", "role", "status", "province_adcode", "city_adcode",
                       "counterpart_amount_yuan", "direction", "amount_yuan", "payments", "first_time", "last_time"]


def _sides(person: str):
    """The person's payments, and for each its counterpart and direction (a payment to oneself is paid)."""
    pays = P.payer_id == person
    counterpart = case((pays, P.payee_id), else_=P.payer_id)
    direction = case((pays, literal(PAID)), else_=literal(RECEIVED))
    return or_(pays, P.payee_id == person), counterpart, direction


def counterparts(engine: Engine, key: Key, person: str) -> pd.DataFrame:
    """Everyone ``person`` paid or was paid by in the payments shown, a row per counterpart and direction.

    Columns :data:`COUNTERPART_COLUMNS`: the counterpart's id, name, role,
    status, province and city adcodes and amount involved (missing for a
    party that is no suspect); ``direction`` (:data:`PAID` or
    :data:`RECEIVED`), ``amount_yuan``, ``payments``, ``first_time`` and
    ``last_time`` of the payments that way. Largest amount first.
    """
    own, counterpart, direction = _sides(person)
    moved = (
        select(counterpart.label("counterpart_id"), direction.label("direction"),
               func.sum(P.amount_yuan).label("amount_yuan"), func.count().label("payments"),
               func.min(P.time).label("first_time"), func.max(P.time).label("last_time"))
        .where(payment_clause(key), own)
        .group_by(counterpart, direction)
        .subquery()
    )
    m, people = moved.c, aliased(suspects_table)
    query = select(
        m.counterpart_id, people.c.name, people.c.role, people.c.status, people.c.province_adcode,
        people.c.city_adcode, people.c.amount_yuan, m.direction, m.amount_yuan, m.payments, m.first_time, m.last_time,
    ).select_from(moved.outerjoin(people, and_(people.c.suspect_id == m.counterpart_id, *counterpart_context(key, people))))
    frame = pd.DataFrame(fetch_rows(engine, query), columns=COUNTERPART_COLUMNS)
    frame = frame.astype({"counterpart_amount_yuan": "float64", "amount_yuan": "float64", "payments": "int64"})
    for column in ("first_time", "last_time"):
        frame[column] = pd.to_datetime(frame[column]).astype("datetime64[ns]")
    for column in (*COUNTERPART_COLUMNS[:6], "direction"):  # text as objects, a missing one as None
        frame[column] = frame[column].astype(object).where(frame[column].notna(), None)
    return frame.sort_values(["amount_yuan", "counterpart_id", "direction"], ascending=[False, True, True],
                             ignore_index=True)


def payments_by_day(engine: Engine, key: Key, person: str) -> pd.DataFrame:
    """The person's payments shown per day and direction: ``day``, ``direction``, ``payments``, ``amount_yuan``."""
    own, _, direction = _sides(person)
    day = day_of(P.time)
    query = (
        select(day, direction, func.count(), func.sum(P.amount_yuan))
        .where(payment_clause(key), own)
        .group_by(day, direction)
        .order_by(day, direction)
    )
    frame = pd.DataFrame(fetch_rows(engine, query), columns=["day", "direction", "payments", "amount_yuan"])
    return frame.astype({"day": "datetime64[ns]", "direction": "object", "payments": "int64", "amount_yuan": "float64"})


def by_place(found: pd.DataFrame, level: str) -> pd.DataFrame:
    """:func:`counterparts` summed by the counterparts' province (``level="province"``) or city.

    Indexed by adcode, with the map's metrics: ``suspects`` and ``arrested``
    (counterparts there), ``amount_yuan`` (their amount involved),
    ``payments_out_yuan`` (paid to them) and ``payments_in_yuan`` (received
    from them). Counterparts with no place (overseas) are left out.
    """
    column = f"{level}_adcode"
    placed = found[found[column].notna()]
    people = placed.drop_duplicates("counterpart_id")
    groups = people.groupby(column)
    out = pd.DataFrame({
        "suspects": groups.size(),
        "arrested": groups["status"].apply(lambda s: int((s == "arrested").sum())),
        "amount_yuan": groups["counterpart_amount_yuan"].sum(),
    })
    for metric, direction in (("payments_out_yuan", PAID), ("payments_in_yuan", RECEIVED)):
        moved = placed[placed["direction"] == direction].groupby(column)["amount_yuan"].sum()
        out[metric] = moved.reindex(out.index, fill_value=0.0)
    out.index = pd.Index(out.index, name=column, dtype="object")
    return out.astype({"suspects": "int64", "arrested": "int64", "amount_yuan": "float64",
                       "payments_out_yuan": "float64", "payments_in_yuan": "float64"}).sort_index()


def payments_over_time(daily: pd.DataFrame, freq: str) -> pd.DataFrame:
    """:func:`payments_by_day` per day (``"D"``), week (``"W"``) or month (``"MS"``), every period present.

    Columns ``period`` (start), then ``paid``, ``paid_yuan``, ``received``,
    ``received_yuan`` (counts and sums of the payments each way).
    """
    if freq not in FREQS:
        raise ValueError(f"freq must be one of {FREQS}, got {freq!r}")
    columns = ["period", "paid", "paid_yuan", "received", "received_yuan"]
    if daily.empty:
        return pd.DataFrame({c: pd.Series([], dtype="datetime64[ns]" if c == "period" else "float64") for c in columns})
    period = pd.to_datetime(daily["day"]).dt.to_period(PANDAS_PERIODS.get(freq, freq))
    full = pd.period_range(period.min(), period.max(), freq=period.dt.freq)
    out = pd.DataFrame(index=full)
    for direction in DIRECTIONS:
        way = daily["direction"].to_numpy() == direction
        grouped = daily[way].groupby(period[way].to_numpy())
        out[direction] = grouped["payments"].sum().reindex(full, fill_value=0).astype("int64")
        out[f"{direction}_yuan"] = grouped["amount_yuan"].sum().reindex(full, fill_value=0.0).astype("float64")
    out.insert(0, "period", full.start_time.astype("datetime64[ns]"))
    return out.reset_index(drop=True)[columns]

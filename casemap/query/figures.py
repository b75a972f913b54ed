"""Headline figures, per-place aggregates and dated counts, computed in the database.

Every function takes an engine (or connection) and a :class:`~casemap.query.where.Key`
and returns a small result: a dict, or a frame of at most a few thousand rows.
"""

from __future__ import annotations

import pandas as pd
from sqlalchemy import Engine, case, func, select
from sqlalchemy.orm import aliased

from casemap import vocab
from casemap.query.where import (
    Key,
    arrest_in_period,
    day_of,
    fetch_rows,
    payment_clause,
    scan_key,
    suspect_clause,
)
from casemap.store import live, milestones_table, payments_table, suspects_table

__all__ = [
    "headline",
    "place_groups",
    "by_place",
    "arrests_by_day",
    "payments_by_day",
    "date_span",
    "milestones",
]

S = suspects_table.c
P = payments_table.c
STATUSES = vocab.values(vocab.STATUSES)
PLACE_COLUMNS = ("suspects", *STATUSES, "amount_yuan")
PAYMENT_COLUMNS = ("payments_out_yuan", "payments_in_yuan")


def headline(engine: Engine, key: Key) -> dict:
    """The headline figures: counts as ints, yuan as floats rounded to 2 dp.

    ``provinces`` and ``cities`` count distinct places among the suspects that
    pass; an unknown amount adds nothing to ``amount_yuan``.
    """
    people = select(
        func.count(),
        func.coalesce(func.sum(case((S.status == "arrested", 1), else_=0)), 0),
        func.count(S.province_adcode.distinct()),
        func.count(S.city_adcode.distinct()),
        func.coalesce(func.sum(S.amount_yuan), 0.0),
    ).where(suspect_clause(key))
    paid = select(func.count(), func.coalesce(func.sum(P.amount_yuan), 0.0)).where(payment_clause(key))
    (suspects, arrested, provinces, cities, amount), = fetch_rows(engine, people)
    (payments, payments_yuan), = fetch_rows(engine, paid)
    return {
        "suspects": int(suspects),
        "arrested": int(arrested),
        "provinces": int(provinces),
        "cities": int(cities),
        "amount_yuan": round(float(amount), 2),
        "payments": int(payments),
        "payments_yuan": round(float(payments_yuan), 2),
    }


def _people_groups(engine: Engine, key: Key) -> pd.DataFrame:
    query = (
        select(
            S.province_adcode,
            S.city_adcode,
            func.count(),
            *(func.sum(case((S.status == status, 1), else_=0)) for status in STATUSES),
            func.coalesce(func.sum(S.amount_yuan), 0.0),
        )
        .where(suspect_clause(key))
        .group_by(S.province_adcode, S.city_adcode)
    )
    return pd.DataFrame(fetch_rows(engine, query), columns=["province_adcode", "city_adcode", *PLACE_COLUMNS])


def _paid_groups(engine: Engine, key: Key, party: str) -> pd.DataFrame:
    # A payment counts for the place of its payer (payee) when that party is
    # among the suspects shown. Summing per party first and joining the few
    # parties to their places afterwards is several times faster than
    # looking up a place for every payment.
    per_party = (
        select(P[party].label("party"), func.sum(P.amount_yuan).label("total"))
        .where(payment_clause(key, follow_suspects=False))
        .group_by(scan_key(P[party]))
        .subquery()
    )
    people = aliased(suspects_table)
    query = (
        select(people.c.province_adcode, people.c.city_adcode, func.sum(per_party.c.total))
        .select_from(per_party.join(people, people.c.suspect_id == per_party.c.party))
        .where(suspect_clause(key, people))
        .group_by(people.c.province_adcode, people.c.city_adcode)
    )
    return pd.DataFrame(fetch_rows(engine, query), columns=["province_adcode", "city_adcode", "total"])


def place_groups(engine: Engine, key: Key) -> pd.DataFrame:
    """The suspects shown and their payments, summed per (province, city); a city may be unknown (None).

    Columns ``province_adcode``, ``city_adcode``, ``suspects``, ``arrested``,
    ``at_large``, ``under_investigation``, ``amount_yuan``,
    ``payments_out_yuan``, ``payments_in_yuan``. At most one row per city.
    """
    keys = ["province_adcode", "city_adcode"]
    out = _people_groups(engine, key).fillna({"city_adcode": ""}).set_index(keys)
    for name, party in zip(PAYMENT_COLUMNS, ("payer_id", "payee_id")):
        paid = _paid_groups(engine, key, party).fillna({"city_adcode": ""}).set_index(keys)["total"]
        out[name] = paid.reindex(out.index, fill_value=0.0).astype("float64")
    out = out.reset_index()
    out["city_adcode"] = out["city_adcode"].replace("", None)
    return out


def by_place(groups: pd.DataFrame, level: str = "province", with_payments: bool = True) -> pd.DataFrame:
    """Per-province (``level="province"``) or per-city figures from :func:`place_groups`, in code order.

    Columns ``suspects``, ``arrested``, ``at_large``, ``under_investigation``,
    ``amount_yuan``; with payments also ``payments_out_yuan`` and
    ``payments_in_yuan``. Cities (known ones only) carry a
    ``province_adcode`` column first.
    """
    column = {"province": "province_adcode", "city": "city_adcode"}[level]
    columns = [*PLACE_COLUMNS, *(PAYMENT_COLUMNS if with_payments else ())]
    rows = groups[groups[column].notna()]
    out = rows.groupby(column, sort=True)[columns].sum()
    out.index = pd.Index(out.index.astype(object), name=column, dtype="object")
    out = out.astype({name: "int64" for name in PLACE_COLUMNS[:-1]})
    out = out.astype({name: "float64" for name in columns if name.endswith("yuan")})
    if level == "city":
        province = rows.groupby(column)["province_adcode"].first()
        out.insert(0, "province_adcode", province.reindex(out.index).astype(str).to_numpy())
    return out


def arrests_by_day(engine: Engine, key: Key) -> pd.DataFrame:
    """Arrests per day in the date range among the suspects shown: ``day``, ``arrested``, ``amount_yuan``."""
    arrest = arrest_in_period(key)
    day = day_of(arrest)
    query = (
        select(day, func.count(), func.coalesce(func.sum(S.amount_yuan), 0.0))
        .where(suspect_clause(key), S.status == "arrested", arrest.is_not(None))
        .group_by(day)
        .order_by(day)
    )
    frame = pd.DataFrame(fetch_rows(engine, query), columns=["day", "arrested", "amount_yuan"])
    return frame.astype({"day": "datetime64[ns]", "arrested": "int64", "amount_yuan": "float64"})


def payments_by_day(engine: Engine, key: Key) -> pd.DataFrame:
    """Payments shown per day and channel: ``day``, ``channel``, ``payments``, ``amount_yuan``."""
    day = day_of(P.time)
    query = (
        select(day, P.channel, func.count(), func.sum(P.amount_yuan))
        .where(payment_clause(key))
        .group_by(day, P.channel)
        .order_by(day, P.channel)
    )
    frame = pd.DataFrame(fetch_rows(engine, query), columns=["day", "channel", "payments", "amount_yuan"])
    return frame.astype({"day": "datetime64[ns]", "channel": "object", "payments": "int64", "amount_yuan": "float64"})


def date_span(engine: Engine, key: Key) -> dict:
    """First and last arrest in the date range among the suspects shown, first and last payment shown (None if none)."""
    arrest = arrest_in_period(key)
    arrests = select(func.min(arrest), func.max(arrest)).where(suspect_clause(key))
    paid = select(func.min(P.time), func.max(P.time)).where(payment_clause(key))
    (first_arrest, last_arrest), = fetch_rows(engine, arrests)
    (first_payment, last_payment), = fetch_rows(engine, paid)
    stamp = lambda value: None if value is None else pd.Timestamp(value)  # noqa: E731
    return {
        "first_arrest": stamp(first_arrest),
        "last_arrest": stamp(last_arrest),
        "first_payment": stamp(first_payment),
        "last_payment": stamp(last_payment),
    }


def milestones(engine: Engine, key: Key) -> pd.DataFrame:
    """The case's milestones (``date``, ``key``, ``en``, ``zh``) in date order; filters don't apply."""
    table = milestones_table
    columns = ["date", "key", "en", "zh"]
    query = select(*(table.c[c] for c in columns)).where(table.c.case == key.case, live(table))
    frame = pd.DataFrame(fetch_rows(engine, query.order_by(table.c.date, table.c.key)), columns=columns)
    return frame.astype({"date": "datetime64[ns]", "key": "object", "en": "object", "zh": "object"})


"""How the network spread and was taken down, month by month and province by province.

The database groups the suspects shown by (province, city, month first seen
paying or paid, month of arrest, arrested or not); the months are then
worked out from those few groups, never from one row per suspect.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from sqlalchemy import Engine, case, func, select, union_all

from casemap.query.where import Key, arrest_in_period, day_of, payment_clause, suspect_clause
from casemap.store import payments_table, suspects_table

__all__ = ["activity_groups", "spread_by_month"]

S = suspects_table.c
P = payments_table.c
GROUP_COLUMNS = ["province_adcode", "city_adcode", "own_month", "arrest_month", "arrested", "count"]


def _month(column):
    return func.substr(day_of(column), 1, 7)


def activity_groups(engine: Engine, key: Key) -> pd.DataFrame:
    """The suspects shown, counted by province, city, month of their first payment, month of arrest and status."""
    clause = payment_clause(key)
    sides = union_all(
        select(P.payer_id.label("party"), P.time.label("time")).where(clause),
        select(P.payee_id.label("party"), P.time.label("time")).where(clause),
    ).subquery()
    first = select(sides.c.party, func.min(sides.c.time).label("first")).group_by(sides.c.party).subquery()
    arrested = case((S.status == "arrested", 1), else_=0)
    own, arrest = _month(first.c.first), _month(arrest_in_period(key))
    query = (
        select(S.province_adcode, S.city_adcode, own, arrest, arrested, func.count())
        .select_from(suspects_table.outerjoin(first, first.c.party == S.suspect_id))
        .where(suspect_clause(key))
        .group_by(S.province_adcode, S.city_adcode, own, arrest, arrested)
    )
    with engine.connect() as conn:
        rows = [tuple(row) for row in conn.execute(query)]
    return pd.DataFrame(rows, columns=GROUP_COLUMNS)


def _month_number(text) -> float:
    if text is None or (isinstance(text, float) and np.isnan(text)):
        return np.nan
    year, month = str(text)[:7].split("-")
    return int(year) * 12 + int(month) - 1


def spread_by_month(groups: pd.DataFrame, first_payment: pd.Timestamp | None) -> pd.DataFrame:
    """Per month and province: suspects active so far, arrested so far, and still free (``open``).

    A suspect is active from their first payment (paid or received); failing
    that, from the first payment of anyone in their city; failing that, from
    the first payment shown. An arrest is never before activity, so the
    arrest date caps it. Long frame with columns ``month`` (first day),
    ``province_adcode``, ``active``, ``arrested``, ``open``; every province
    with a suspect appears in every month from the first activity to the last arrest.
    """
    columns = ["month", "province_adcode", "active", "arrested", "open"]
    if groups.empty:
        return pd.DataFrame(columns=columns)
    own = groups["own_month"].map(_month_number).astype("float64")
    city_first = own.groupby(groups["city_adcode"]).transform("min") if groups["city_adcode"].notna().any() else own
    case_first = np.nan if first_payment is None else first_payment.year * 12 + first_payment.month - 1
    start = own.fillna(city_first.where(groups["city_adcode"].notna())).fillna(case_first)
    arrest = groups["arrest_month"].map(_month_number).astype("float64")
    start = pd.concat([start, arrest], axis=1).min(axis=1).to_numpy()
    arrested = arrest.where(groups["arrested"].astype(bool)).to_numpy()
    counts = groups["count"].to_numpy(dtype="int64")
    provinces = groups["province_adcode"].to_numpy()
    if np.isnan(start).all():
        return pd.DataFrame(columns=columns)
    frames = []
    for month in range(int(np.nanmin(start)), int(np.nanmax(np.append(arrested, start))) + 1):
        per = pd.DataFrame({"active": counts * (start <= month), "arrested": counts * (arrested <= month)},
                           index=provinces)
        per = per.groupby(level=0).sum().rename_axis("province_adcode").reset_index()
        per.insert(0, "month", pd.Timestamp(year=month // 12, month=month % 12 + 1, day=1))
        frames.append(per)
    out = pd.concat(frames, ignore_index=True)
    out["open"] = out["active"] - out["arrested"]
    return out[columns].astype({"active": "int64", "arrested": "int64", "open": "int64"})

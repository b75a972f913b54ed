"""Where the money went: totals by channel and purpose, flows between provinces and roles, the biggest parties.

A payment's place is its party's province as recorded among the case's
suspects (within the user's scope); a party that is not a suspect (the
overseas accounts settled with in USDT) is the "overseas" node.
"""

from __future__ import annotations

import pandas as pd
from sqlalchemy import Engine, and_, func, select
from sqlalchemy.orm import aliased

from casemap import vocab
from casemap.filters import NO_PURPOSE
from casemap.query.where import Key, fetch_rows, live, payment_clause, purpose_text, scan_key
from casemap.store import payments_table, suspects_table

__all__ = ["OVERSEAS", "UNRECORDED", "by_channel", "by_purpose", "province_flows", "role_flows", "top_parties",
           "people"]

P = payments_table.c
OVERSEAS = "overseas"
UNRECORDED = NO_PURPOSE


def counterpart_context(key: Key, people) -> list:
    """Who a counterpart may be: any live suspect of the case within the scope, filters aside."""
    parts = [people.c.case == key.case, live(people)]
    if key.scope.limited:
        parts.append(people.c.province_adcode.in_(sorted(key.scope.provinces)))
    return parts


def by_channel(engine: Engine, key: Key) -> pd.DataFrame:
    """``payments`` (count) and ``amount_yuan`` per channel, every channel in display order."""
    query = select(P.channel, func.count(), func.sum(P.amount_yuan)).where(payment_clause(key)).group_by(scan_key(P.channel))
    found = {channel: (count, total) for channel, count, total in fetch_rows(engine, query)}
    channels = vocab.values(vocab.CHANNELS)
    out = pd.DataFrame(
        {
            "payments": [int(found.get(c, (0, 0.0))[0]) for c in channels],
            "amount_yuan": [float(found.get(c, (0, 0.0))[1]) for c in channels],
        },
        index=pd.Index(channels, name="channel"),
    )
    return out.astype({"payments": "int64", "amount_yuan": "float64"})


def by_purpose(engine: Engine, key: Key) -> pd.DataFrame:
    """``payments`` and ``amount_yuan`` per purpose, largest first; blank purposes are ``unrecorded``."""
    purpose = purpose_text()
    query = (
        select(purpose, func.count(), func.sum(P.amount_yuan)).where(payment_clause(key)).group_by(purpose)
    )
    totals: dict[str, list] = {}
    for text, count, total in fetch_rows(engine, query):
        name = text.strip() or UNRECORDED
        entry = totals.setdefault(name, [0, 0.0])
        entry[0] += int(count)
        entry[1] += float(total)
    out = pd.DataFrame(
        {"payments": [v[0] for v in totals.values()], "amount_yuan": [v[1] for v in totals.values()]},
        index=pd.Index(list(totals), name="purpose", dtype="object"),
    )
    out = out.sort_index().sort_values("amount_yuan", ascending=False, kind="stable")
    return out.astype({"payments": "int64", "amount_yuan": "float64"})


def _flows(engine: Engine, key: Key, column: str, *between) -> pd.DataFrame:
    """Payments shown summed by the payer's and payee's ``column`` (and the ``between`` payment columns)."""
    payer, payee = aliased(suspects_table), aliased(suspects_table)
    joined = payments_table.outerjoin(payer, and_(payer.c.suspect_id == P.payer_id, *counterpart_context(key, payer))).outerjoin(
        payee, and_(payee.c.suspect_id == P.payee_id, *counterpart_context(key, payee))
    )
    groups = (payer.c[column], *between, payee.c[column])
    query = (
        select(*groups, func.sum(P.amount_yuan), func.count())
        .select_from(joined)
        .where(payment_clause(key))
        .group_by(*groups)
    )
    names = ["source", *(c.name for c in between), "target"]
    frame = pd.DataFrame(fetch_rows(engine, query), columns=[*names, "amount_yuan", "payments"])
    frame[["source", "target"]] = frame[["source", "target"]].fillna(OVERSEAS)
    frame = frame.groupby(names, as_index=False).agg(amount_yuan=("amount_yuan", "sum"), payments=("payments", "sum"))
    frame = frame.astype({"amount_yuan": "float64", "payments": "int64"})
    return frame.sort_values(["amount_yuan", *names], ascending=[False, *[True] * len(names)], ignore_index=True)


def province_flows(engine: Engine, key: Key) -> pd.DataFrame:
    """Payments shown summed by (payer's province, payee's province), largest first.

    Columns ``source``, ``target`` (adcode or :data:`OVERSEAS`),
    ``amount_yuan``, ``payments``. A counterpart left out by a filter still
    has its province: only a party that is no suspect of the case is overseas.
    """
    return _flows(engine, key, "province_adcode")


def role_flows(engine: Engine, key: Key) -> pd.DataFrame:
    """How the money moved: payments shown summed by (payer's role, channel, payee's role), largest first.

    Columns ``source``, ``channel``, ``target`` (a role, or :data:`OVERSEAS`
    for a party that is no suspect of the case), ``amount_yuan``,
    ``payments``; a counterpart left out by a filter keeps its role.
    """
    return _flows(engine, key, "role", P.channel)


def top_parties(engine: Engine, key: Key, side: str, n: int = 10, role: str | None = None) -> pd.DataFrame:
    """The ``n`` parties that paid (``side="payer"``) or received (``"payee"``) the most among payments shown.

    Indexed by ``party_id`` with ``amount_yuan``, ``payments`` and
    ``counterparts`` (distinct parties on the other side); ``role`` keeps
    only suspects of that role.
    """
    own, other = (P.payer_id, P.payee_id) if side == "payer" else (P.payee_id, P.payer_id)
    per_party = (
        select(own.label("party"), func.sum(P.amount_yuan).label("total"), func.count().label("payments"),
               func.count(other.distinct()).label("counterparts"))
        .where(payment_clause(key))
        .group_by(scan_key(own))
        .subquery()
    )
    party = per_party.c
    query = select(party.party, party.total, party.payments, party.counterparts)
    if role is not None:  # the role of the few parties, not of every payment
        people = aliased(suspects_table)
        query = query.join_from(per_party, people, and_(people.c.suspect_id == party.party, *counterpart_context(key, people)))
        query = query.where(people.c.role == role)
    query = query.order_by(party.total.desc(), party.party).limit(n)
    frame = pd.DataFrame(fetch_rows(engine, query), columns=["party_id", "amount_yuan", "payments", "counterparts"])
    frame = frame.astype({"amount_yuan": "float64", "payments": "int64", "counterparts": "int64"})
    return frame.set_index("party_id")


def people(engine: Engine, key: Key, ids: tuple[str, ...]) -> pd.DataFrame:
    """The live suspect rows with these ids (within the scope), for labelling parties."""
    table = suspects_table
    columns = ["suspect_id", "name", "role", "status", "province_adcode", "city_adcode", "amount_yuan"]
    if not ids:
        return pd.DataFrame(columns=columns)
    query = select(*(table.c[c] for c in columns)).where(*counterpart_context(key, table), table.c.suspect_id.in_(list(ids)))
    return pd.DataFrame(fetch_rows(engine, query), columns=columns)

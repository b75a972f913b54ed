"""Phone numbers and accounts rented out, and how many of them lead to the overseas side, in the database.

What counts (CASE.md, "Accounts and links"):

- an account is *rented* when it is the ``from_id`` of a ``rented_to`` link,
  or its status is ``rented``;
- an account's place is its own when it has one, else its holder's, and the
  place filter applies to that place (a number bought in Shenzhen by a
  renter in Chenzhou counts for Shenzhen);
- the other filters and the scope reach accounts through their holder: an
  account is shown when its holder passes them (role, status, amount, date
  range, network, scope); an account with no holder, or a holder who is not
  a suspect of the case, is shown only when none of them is set;
- the *overseas side* is every party of a payment who is not a suspect of
  the case (the overseas groups who settle in USDT), with the accounts they
  hold or paid and were paid from; a rented account is *traced to the
  overseas side* when a link joins it to one of those accounts, or it was
  used in a payment with one of those parties.
"""

from __future__ import annotations

from dataclasses import replace

import pandas as pd
from sqlalchemy import ColumnElement, Engine, and_, case, func, or_, select, union
from sqlalchemy.orm import aliased

from casemap.query.where import Key, fetch_rows, suspect_clause
from casemap.store import accounts_table, links_table, live, payments_table, suspects_table

__all__ = ["rented_clause", "accounts_rented", "rented_groups", "overseas_accounts", "with_accounts"]

A = accounts_table.c
L = links_table.c
P = payments_table.c
S = suspects_table.c


def _links(key: Key, *parts) -> ColumnElement[bool]:
    return and_(L.case == key.case, live(links_table), *parts)


def _place_columns():
    """The account's province and city: its own when it has a province, else its holder's."""
    holder = aliased(suspects_table, name="holder")
    own = A.province_adcode.is_not(None)
    province = func.coalesce(A.province_adcode, holder.c.province_adcode)
    city = case((own, A.city_adcode), else_=holder.c.city_adcode)
    joined = accounts_table.outerjoin(
        holder, and_(holder.c.case == A.case, holder.c.suspect_id == A.holder_id, live(holder)))
    return joined, province, city


def rented_clause(key: Key, province, city) -> ColumnElement[bool]:
    """The accounts of ``key``'s case rented out that pass its filters and scope, ``province``/``city`` their place.

    The place filter applies to the account's place; every other
    suspect-level filter, the date range and the scope to its holder.
    """
    rented = or_(A.status == "rented", A.account_id.in_(select(L.from_id).where(_links(key, L.relation == "rented_to"))))
    state = key.state
    anywhere = replace(key, state=replace(state, provinces=(), cities=()))
    holder_shown = A.holder_id.in_(select(S.suspect_id).where(suspect_clause(anywhere)))
    dated = state.date_from is not None or state.date_to is not None
    if anywhere.state.filters_suspects or key.scope.limited or dated:
        shown = holder_shown
    else:  # no filter on people: accounts with no holder, or one outside the case's suspects, count too
        shown = or_(A.holder_id.is_(None), holder_shown, A.holder_id.not_in(_suspect_ids(key)))
    places = []
    if state.provinces or state.cities:
        narrowed = {c[:2] + "0000" for c in state.cities}
        whole = [p for p in state.provinces if p not in narrowed]
        places.append(or_(city.in_(state.cities), province.in_(whole)) if whole else city.in_(state.cities))
    return and_(A.case == key.case, live(accounts_table), rented, shown, *places)


def _suspect_ids(key: Key):
    return select(S.suspect_id).where(S.case == key.case, live(suspects_table))


def _overseas(key: Key):
    """``SELECT`` of the overseas parties and of their accounts, each a CTE the whole statement shares."""
    paid = and_(P.case == key.case, live(payments_table))
    parties = union(
        select(P.payer_id.label("party")).where(paid, P.payer_id.not_in(_suspect_ids(key))),
        select(P.payee_id.label("party")).where(paid, P.payee_id.not_in(_suspect_ids(key))),
    ).cte("overseas_parties")
    party_ids = select(parties.c.party)
    used = union(
        select(A.account_id.label("account_id")).where(A.case == key.case, live(accounts_table),
                                                       A.holder_id.in_(party_ids)),
        select(P.payer_account).where(paid, P.payer_account.is_not(None), P.payer_id.in_(party_ids)),
        select(P.payee_account).where(paid, P.payee_account.is_not(None), P.payee_id.in_(party_ids)),
    ).cte("overseas_accounts")
    return party_ids, select(used.c.account_id)


def overseas_accounts(key: Key):
    """``SELECT account_id`` of the overseas side: accounts held, paid from or paid into by a non-suspect party."""
    return _overseas(key)[1]


def _traced_clause(key: Key) -> ColumnElement[bool]:
    parties, overseas = _overseas(key)
    paid = and_(P.case == key.case, live(payments_table))
    return or_(
        A.account_id.in_(select(L.from_id).where(_links(key, L.to_id.in_(overseas)))),
        A.account_id.in_(select(L.to_id).where(_links(key, L.from_id.in_(overseas)))),
        A.account_id.in_(select(P.payee_account).where(paid, P.payee_account.is_not(None), P.payer_id.in_(parties))),
    )


def accounts_rented(engine: Engine, key: Key) -> dict:
    """How many numbers and accounts rented out are shown (``accounts_rented``), and how many lead overseas.

    Also ``by_kind``: the count per account kind, largest first. One query, grouped by kind.
    """
    joined, province, city = _place_columns()
    traced = func.sum(case((_traced_clause(key), 1), else_=0))
    query = (select(A.kind, func.count(), traced).select_from(joined)
             .where(rented_clause(key, province, city)).group_by(A.kind))
    kinds = sorted(((kind, int(n), int(t)) for kind, n, t in fetch_rows(engine, query)), key=lambda r: (-r[1], r[0]))
    return {"accounts_rented": sum(n for _, n, _ in kinds), "traced_overseas": sum(t for _, _, t in kinds),
            "by_kind": {kind: n for kind, n, _ in kinds}}


def rented_groups(engine: Engine, key: Key) -> pd.DataFrame:
    """Rented accounts shown per (province, city) of the account, else of its holder: ``accounts_rented``.

    A city may be unknown (None); an account with no place at all is left out.
    """
    joined, province, city = _place_columns()
    query = (
        select(province.label("province_adcode"), city.label("city_adcode"), func.count())
        .select_from(joined)
        .where(rented_clause(key, province, city), province.is_not(None))
        .group_by(province, city)
    )
    return pd.DataFrame(fetch_rows(engine, query), columns=["province_adcode", "city_adcode", "accounts_rented"])


def with_accounts(places: pd.DataFrame, groups: pd.DataFrame, level: str) -> pd.DataFrame:
    """Per-place figures (:func:`casemap.query.figures.by_place`) with an ``accounts_rented`` column.

    ``groups`` is :func:`rented_groups`. A place with rented accounts and no
    suspect shown gets a row of its own, its other figures zero.
    """
    column = f"{level}_adcode"
    known = groups[groups[column].notna()]
    rented = known.groupby(column)["accounts_rented"].sum()
    out = places.reindex(places.index.union(pd.Index(rented.index, dtype="object")).rename(column))
    numbers = [c for c in places.columns if c != "province_adcode"]
    out[numbers] = out[numbers].fillna(0).astype(places[numbers].dtypes.to_dict())
    if level == "city":
        province = known.groupby(column)["province_adcode"].first()
        out["province_adcode"] = out["province_adcode"].fillna(province.reindex(out.index))
    out["accounts_rented"] = rented.reindex(out.index, fill_value=0).astype("int64")
    return out

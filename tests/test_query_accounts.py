"""Numbers and accounts rented out, by filter, scope and place; traced to the overseas side (casemap.query.accounts)."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from casemap.filters import FilterState
from casemap.query import CaseQuery, Scope, direct_runner
from casemap.schema import validate_accounts, validate_links, validate_payments, validate_suspects
from casemap.store import Store

CASE = "accounts-hand"
SUSPECTS = [  # id, role, status, city, arrest date
    ("S1", "mobile_port", "arrested", "431000", "2023-10-11"),
    ("S2", "pc_end", "at_large", "440100", None),
    ("S3", "payer", "arrested", "430100", "2024-08-02"),
]
ACCOUNTS = [  # id, kind, number, holder, status, city of the account
    ("K1", "phone", "13800000001", "S1", "seized", "440300"),  # rented to W1, placed in Shenzhen
    ("K2", "phone", "13800000002", "S1", "rented", None),  # rented, buyer unknown; placed by its holder
    ("K3", "wechat", "wxid_aaaaaaaa", "S2", None, None),  # rented to W1
    ("K4", "alipay", "13800000004", "S3", "frozen", "430100"),  # not rented out
    ("W1", "usdt_wallet", "T" + "a" * 33, "OV1", "frozen", None),  # the overseas group's wallet
    ("K5", "wechat", "wxid_bbbbbbbb", None, "rented", "450100"),  # nobody known holds it
    ("K6", "phone", "13800000006", "S2", "seized", None),  # rented to K4's holder; paid into from overseas
]
LINKS = [("K1", "rented_to", "W1"), ("K3", "rented_to", "W1"), ("K6", "rented_to", "K4"), ("S1", "controls", "K1")]
PAYMENTS = [  # id, time, payer, payee, channel, payer account, payee account
    ("T1", "2023-09-01", "OV1", "S1", "usdt", "W1", None),
    ("T2", "2024-03-01", "OV1", "S2", "usdt", None, "K6"),
    ("T3", "2024-03-02", "S3", "S2", "alipay", "K4", None),
]


def frames():
    suspects = validate_suspects(pd.DataFrame({
        "suspect_id": [s[0] for s in SUSPECTS], "role": [s[1] for s in SUSPECTS], "status": [s[2] for s in SUSPECTS],
        "province_adcode": [s[3][:2] + "0000" for s in SUSPECTS], "city_adcode": [s[3] for s in SUSPECTS],
        "arrest_date": pd.to_datetime([s[4] for s in SUSPECTS]),
    }))
    accounts = validate_accounts(pd.DataFrame({
        "account_id": [a[0] for a in ACCOUNTS], "kind": [a[1] for a in ACCOUNTS], "number": [a[2] for a in ACCOUNTS],
        "holder_id": [a[3] for a in ACCOUNTS], "status": [a[4] for a in ACCOUNTS],
        "province_adcode": [a[5] and a[5][:2] + "0000" for a in ACCOUNTS], "city_adcode": [a[5] for a in ACCOUNTS],
    }))
    links = validate_links(pd.DataFrame({
        "link_id": [f"{a}>{r}>{b}" for a, r, b in LINKS], "from_id": [a for a, _, _ in LINKS],
        "relation": [r for _, r, _ in LINKS], "to_id": [b for _, _, b in LINKS],
    }))
    payments = validate_payments(pd.DataFrame({
        "txn_id": [p[0] for p in PAYMENTS], "time": pd.to_datetime([p[1] for p in PAYMENTS]),
        "payer_id": [p[2] for p in PAYMENTS], "payee_id": [p[3] for p in PAYMENTS],
        "channel": [p[4] for p in PAYMENTS], "amount_yuan": [1000.0] * len(PAYMENTS),
        "payer_account": [p[5] for p in PAYMENTS], "payee_account": [p[6] for p in PAYMENTS],
    }))
    return suspects, payments, accounts, links


@pytest.fixture(scope="module", params=["sqlite", "snapshot"])
def query(request, tmp_path_factory):
    folder = tmp_path_factory.mktemp("accounts")
    store = Store(f"sqlite:///{folder / 'store.sqlite'}")
    suspects, payments, accounts, links = frames()
    version = store.save(CASE, suspects=suspects, payments=payments, accounts=accounts, links=links)
    if request.param == "snapshot":
        store.snapshots.folder = folder / "snap"
        engine = store.snapshots.engine(CASE, version)
    else:
        engine = store.engine

    def make(scope=Scope(), **filters) -> CaseQuery:
        return CaseQuery.of(direct_runner(engine), FilterState(case=CASE, **filters), version, scope)

    yield make
    store.close()


def test_rented_accounts_and_those_traced_overseas(query):
    figures = query().accounts_rented()
    # Rented: a rented_to link from it (K1, K3, K6) or the status "rented" (K2, K5); K4 and the wallet are not.
    assert figures["accounts_rented"] == 5
    # Traced: K1 and K3 rented to the overseas wallet, K6 paid into by the overseas party; not K2, K5.
    assert figures["traced_overseas"] == 3
    assert figures["by_kind"] == {"phone": 3, "wechat": 2}


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"provinces": ("440000",)}, 3),  # by the account's own place: K1 (Shenzhen), K3 and K6 (their holder's)
        ({"cities": ("431000",)}, 1),  # K2 only: K1 is S1's but placed in Shenzhen
        ({"cities": ("440300",)}, 1),
        ({"statuses": ("arrested",)}, 2),  # the holder's status: S1's K1 and K2; K5 has no holder
        ({"roles": ("pc_end",)}, 2),
        ({"date_from": dt.date(2024, 1, 1), "date_to": dt.date(2024, 12, 31)}, 2),  # holders active then: S2
        ({"network": "S1"}, 2),
        ({"min_amount": 1.0}, 0),  # no suspect has an amount
    ],
)
def test_filters_reach_accounts_through_their_place_and_holder(query, filters, expected):
    assert query(**filters).accounts_rented()["accounts_rented"] == expected


def test_the_scope_hides_accounts_of_holders_outside_it(query):
    assert query(Scope(frozenset({"440000"}))).accounts_rented()["accounts_rented"] == 2  # S2's K3 and K6


def test_the_map_metric_counts_accounts_by_province_and_city(query):
    provinces, cities = query().places_with_accounts("province"), query().places_with_accounts("city")
    assert provinces["accounts_rented"].to_dict() == {"430000": 1, "440000": 3, "450000": 1}
    assert cities["accounts_rented"][cities["accounts_rented"] > 0].to_dict() == {
        "431000": 1, "440100": 2, "440300": 1, "450100": 1}
    # Shenzhen has a rented number and no suspect: a row of its own, with no one in it.
    assert cities.loc["440300", ["province_adcode", "suspects", "arrested", "amount_yuan"]].tolist() == [
        "440000", 0, 0, 0.0]
    assert list(cities.columns) == [*query().by_city().columns, "accounts_rented"]  # the map's figures, and this one
    assert provinces["accounts_rented"].sum() == query().accounts_rented()["accounts_rented"]
    filtered = query(provinces=("440000",))
    assert filtered.places_with_accounts()["accounts_rented"].sum() == filtered.accounts_rented()["accounts_rented"]

"""Figures on tiny hand-made cases whose answers can be worked out by hand.

The headline, per-place and per-period figures come from the query layer
over a store (once on SQLite, once on PostgreSQL); ``metrics.top_provinces``
ranks a per-province frame.
"""

import datetime as dt

import pandas as pd
import pytest

from casemap import metrics
from casemap.filters import FilterState
from casemap.schema import (
    CaseData,
    empty_milestones,
    empty_payments,
    empty_suspects,
    validate_payments,
    validate_suspects,
)

NaN = float("nan")

# id, province, city, status, arrest date, amount
SUSPECT_ROWS = [
    ("A", "430000", "431000", "arrested", "2024-08-01 15:00", 100.0),
    ("B", "430000", "431000", "at_large", None, 50.0),
    ("C", "430000", "430100", "under_investigation", None, NaN),
    ("D", "440000", "440300", "arrested", "2024-08-03", 25.5),
    ("E", "440000", None, "at_large", None, 10.0),
    ("F", "450000", "450100", "arrested", "2024-08-20", 0.0),
    ("G", "450000", "450100", "arrested", None, 1.0),  # arrested, date unknown
]
# id, payer, payee, channel, amount
PAYMENT_ROWS = [
    ("T1", "A", "D", "alipay", 10.0),
    ("T2", "A", "OVERSEAS-01", "usdt", 100.0),
    ("T3", "D", "B", "bank", 5.25),
    ("T4", "X", "Y", "alipay", 7.0),  # neither party is a suspect
]


def make_suspects(rows=SUSPECT_ROWS):
    ids, provinces, cities, statuses, dates, amounts = zip(*rows) if rows else ([],) * 6
    return validate_suspects(pd.DataFrame({
        "suspect_id": list(ids), "role": ["number_vendor"] * len(ids), "status": list(statuses),
        "province_adcode": list(provinces), "city_adcode": list(cities),
        "arrest_date": [pd.Timestamp(d) if d else pd.NaT for d in dates], "amount_yuan": list(amounts),
    }))


def make_payments(rows=PAYMENT_ROWS, time="2024-01-01"):
    ids, payers, payees, channels, amounts = zip(*rows)
    return validate_payments(pd.DataFrame({
        "txn_id": list(ids), "time": [pd.Timestamp(time)] * len(ids), "payer_id": list(payers),
        "payee_id": list(payees), "channel": list(channels), "amount_yuan": list(amounts),
    }))


@pytest.fixture
def stored(seeded_store):
    """``stored(name, suspects, payments)`` keeps a hand-made case in the store; returns its query for filters."""

    def keep(name, suspects=None, payments=None):
        suspects = make_suspects() if suspects is None else suspects
        payments = make_payments() if payments is None else payments
        seeded_store.put(name, CaseData(suspects=suspects, payments=payments, milestones=empty_milestones()))
        return lambda **filters: seeded_store.query(FilterState(case=name, **filters))

    return keep


@pytest.fixture
def hand(stored):
    """The query layer over SUSPECT_ROWS and PAYMENT_ROWS: ``hand(provinces=(...))``."""
    return stored("metrics-hand")


def test_headline(hand):
    assert hand().headline() == {
        "suspects": 7,
        "arrested": 4,
        "provinces": 3,
        "cities": 4,  # 431000, 430100, 440300, 450100; E's city is unknown
        "amount_yuan": 186.5,  # C's unknown amount left out
        "payments": 4,
        "payments_yuan": 122.25,
    }


def test_headline_of_a_province_counts_payments_with_a_party_there(hand):
    # Guangdong: D and E; D was paid by A (T1, 10) and paid B (T3, 5.25).
    assert hand(provinces=("440000",)).headline() == {
        "suspects": 2, "arrested": 1, "provinces": 1, "cities": 1, "amount_yuan": 35.5,
        "payments": 2, "payments_yuan": 15.25,
    }


def test_headline_types_and_rounding(stored):
    thirds = stored("metrics-thirds", suspects=make_suspects().assign(amount_yuan=1 / 3))
    figures = thirds().headline()
    assert tuple(figures) == metrics.HEADLINE_KEYS
    assert figures["amount_yuan"] == 2.33
    for key in ("suspects", "arrested", "provinces", "cities", "payments"):
        assert type(figures[key]) is int
    assert type(figures["amount_yuan"]) is float and type(figures["payments_yuan"]) is float


def test_headline_of_an_empty_case(stored):
    empty = stored("metrics-empty", suspects=empty_suspects(), payments=empty_payments())
    assert empty().headline() == dict.fromkeys(metrics.HEADLINE_KEYS, 0) | {"amount_yuan": 0.0, "payments_yuan": 0.0}


EXPECTED_BY_PROVINCE = {
    # suspects, arrested, at_large, under_investigation, amount, out, in
    "430000": (3, 1, 1, 1, 150.0, 110.0, 5.25),
    "440000": (2, 1, 1, 0, 35.5, 5.25, 10.0),
    "450000": (2, 2, 0, 0, 1.0, 0.0, 0.0),
}
COLUMNS = ["suspects", "arrested", "at_large", "under_investigation", "amount_yuan"]
PAYMENT_COLUMNS = ["payments_out_yuan", "payments_in_yuan"]


@pytest.mark.parametrize("province", sorted(EXPECTED_BY_PROVINCE))
def test_by_province_rows(hand, province):
    frame = hand().by_province()
    assert tuple(frame.loc[province, COLUMNS + PAYMENT_COLUMNS]) == EXPECTED_BY_PROVINCE[province]


def test_by_province_shape(hand):
    frame = hand().by_province()
    assert list(frame.columns) == COLUMNS + PAYMENT_COLUMNS
    assert frame.index.name == "province_adcode"
    assert list(frame.index) == sorted(EXPECTED_BY_PROVINCE)
    assert all(str(frame[c].dtype) == "int64" for c in COLUMNS[:4])
    assert all(str(frame[c].dtype) == "float64" for c in ["amount_yuan", *PAYMENT_COLUMNS])


def test_by_province_credits_only_payments_of_parties_shown(hand):
    # Only Guangdong shown: D paid B 5.25 (out) and was paid 10 by A (in); A and B are not shown.
    frame = hand(provinces=("440000",)).by_province()
    assert list(frame.index) == ["440000"]
    assert frame.loc["440000", PAYMENT_COLUMNS].tolist() == [5.25, 10.0]


EXPECTED_BY_CITY = {
    # province, suspects, arrested, at_large, under_investigation, amount, out, in
    "431000": ("430000", 2, 1, 1, 0, 150.0, 110.0, 5.25),
    "430100": ("430000", 1, 0, 0, 1, 0.0, 0.0, 0.0),
    "440300": ("440000", 1, 1, 0, 0, 25.5, 5.25, 10.0),
    "450100": ("450000", 2, 2, 0, 0, 1.0, 0.0, 0.0),
}


@pytest.mark.parametrize("city", sorted(EXPECTED_BY_CITY))
def test_by_city_rows(hand, city):
    frame = hand().by_city()
    assert tuple(frame.loc[city, ["province_adcode"] + COLUMNS + PAYMENT_COLUMNS]) == EXPECTED_BY_CITY[city]


def test_by_city_leaves_out_unknown_cities(hand):
    frame = hand().by_city()
    assert set(frame.index) == set(EXPECTED_BY_CITY)
    assert frame.index.name == "city_adcode"
    assert frame["suspects"].sum() == len(SUSPECT_ROWS) - 1  # E has no city


def test_by_place_of_an_empty_case(stored):
    empty = stored("metrics-empty", suspects=empty_suspects(), payments=empty_payments())
    assert empty().by_province().empty
    assert empty().by_city().empty


def test_by_place_when_nothing_passes_the_filters(hand):
    nothing = hand(date_from=dt.date(2000, 1, 1), date_to=dt.date(2000, 1, 2))
    assert nothing.by_province().empty and nothing.by_city().empty


@pytest.mark.parametrize(
    ("freq", "expected"),
    [
        # 2024-08-01 (Thu) and 08-03 (Sat) fall in the week of Mon 07-29; 08-20 (Tue) in the week of 08-19.
        ("W", [("2024-07-29", 2, 2), ("2024-08-05", 0, 2), ("2024-08-12", 0, 2), ("2024-08-19", 1, 3)]),
        ("MS", [("2024-08-01", 3, 3)]),
    ],
)
def test_arrests_over_time(hand, freq, expected):
    frame = hand().arrests_over_time(freq)
    assert list(frame.columns) == ["period", "arrested", "cumulative"]
    got = [(p.strftime("%Y-%m-%d"), a, c) for p, a, c in frame.itertuples(index=False)]
    assert got == expected


def test_arrests_over_time_counts_only_arrested_status(stored):
    dated_but_free = stored("metrics-dated-but-free",
                            suspects=make_suspects().assign(arrest_date=pd.Timestamp("2024-08-02"), status="at_large"))
    assert dated_but_free().arrests_over_time("W").empty


def test_arrests_over_time_spans_months(stored):
    earlier = make_suspects()
    earlier.loc[0, "arrest_date"] = pd.Timestamp("2023-10-11")
    frame = stored("metrics-arrest-in-october", suspects=earlier)().arrests_over_time("MS")
    assert frame["period"].dt.strftime("%Y-%m").tolist()[0] == "2023-10"
    assert len(frame) == 11  # 2023-10 .. 2024-08
    assert frame["cumulative"].iloc[-1] == 3


def test_arrests_over_time_rejects_other_frequencies(hand):
    with pytest.raises(ValueError):
        hand().arrests_over_time("D")


def test_amount_by_channel(hand):
    frame = hand().by_channel()
    assert list(frame.index) == ["alipay", "wechat_pay", "bank", "usdt"]  # vocabulary order
    assert frame["payments"].tolist() == [2, 0, 1, 1]
    assert frame["amount_yuan"].tolist() == [17.0, 0.0, 5.25, 100.0]


@pytest.mark.parametrize(
    "arrests, paid_on, expected",
    [
        (["2024-08-07", None], "2024-07-30", "2024-08-07"),
        ([None, None], "2024-07-30 18:00", "2024-07-30"),
    ],
)
def test_data_as_of_is_the_latest_arrest_or_payment(stored, arrests, paid_on, expected):
    rows = [("A", "430000", "431000", "arrested", arrests[0], 1.0), ("B", "430000", "431000", "at_large", arrests[1], 1.0)]
    case = stored(f"metrics-as-of-{expected}", suspects=make_suspects(rows),
                  payments=make_payments([("T1", "A", "B", "alipay", 1.0)], time=paid_on))
    assert case().data_as_of() == dt.date.fromisoformat(expected)
    # The filters do not change it: it is how recent the case is.
    assert case(statuses=("at_large",), date_to=dt.date(2024, 1, 1)).data_as_of() == dt.date.fromisoformat(expected)


def test_data_as_of_an_undated_case_is_none(stored):
    assert stored("metrics-empty", suspects=empty_suspects(), payments=empty_payments())().data_as_of() is None


# ---------------------------------------------------------------- top_provinces (pure)

BY_PROVINCE = pd.DataFrame.from_dict(EXPECTED_BY_PROVINCE, orient="index", columns=COLUMNS + PAYMENT_COLUMNS)


def test_top_provinces():
    assert list(metrics.top_provinces(BY_PROVINCE, "amount_yuan", n=2).index) == ["430000", "440000"]
    # 440000 and 450000 tie on suspects (2): the lower adcode comes first.
    assert list(metrics.top_provinces(BY_PROVINCE, "suspects").index) == ["430000", "440000", "450000"]
    assert list(metrics.top_provinces(BY_PROVINCE.iloc[::-1], "suspects").index) == ["430000", "440000", "450000"]
    assert list(metrics.top_provinces(BY_PROVINCE, "arrested", n=1).index) == ["450000"]
    with pytest.raises(KeyError):
        metrics.top_provinces(BY_PROVINCE, "nonsense")

"""Metrics on tiny hand-made frames whose answers can be worked out by hand."""

import pandas as pd
import pytest

from casemap import metrics
from casemap.demo import generate_demo
from casemap.schema import empty_payments, empty_suspects, validate_payments, validate_suspects

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


def make_payments(rows=PAYMENT_ROWS):
    ids, payers, payees, channels, amounts = zip(*rows)
    return validate_payments(pd.DataFrame({
        "txn_id": list(ids), "time": [pd.Timestamp("2024-01-01")] * len(ids), "payer_id": list(payers),
        "payee_id": list(payees), "channel": list(channels), "amount_yuan": list(amounts),
    }))


@pytest.fixture
def suspects():
    return make_suspects()


@pytest.fixture
def payments():
    return make_payments()


def test_headline(suspects, payments):
    assert metrics.headline(suspects, payments) == {
        "suspects": 7,
        "arrested": 4,
        "provinces": 3,
        "cities": 4,  # 431000, 430100, 440300, 450100; E's city is unknown
        "amount_yuan": 186.5,  # C's unknown amount left out
        "payments": 4,
        "payments_yuan": 122.25,
    }


def test_headline_types_and_rounding(suspects, payments):
    figures = metrics.headline(suspects.assign(amount_yuan=[1 / 3] * 7), payments)
    assert tuple(figures) == metrics.HEADLINE_KEYS
    assert figures["amount_yuan"] == 2.33
    for key in ("suspects", "arrested", "provinces", "cities", "payments"):
        assert type(figures[key]) is int
    assert type(figures["amount_yuan"]) is float and type(figures["payments_yuan"]) is float


def test_headline_of_empty_frames():
    assert metrics.headline(empty_suspects(), empty_payments()) == dict.fromkeys(metrics.HEADLINE_KEYS, 0) | {
        "amount_yuan": 0.0, "payments_yuan": 0.0}


EXPECTED_BY_PROVINCE = {
    # suspects, arrested, at_large, under_investigation, amount, out, in
    "430000": (3, 1, 1, 1, 150.0, 110.0, 5.25),
    "440000": (2, 1, 1, 0, 35.5, 5.25, 10.0),
    "450000": (2, 2, 0, 0, 1.0, 0.0, 0.0),
}
COLUMNS = ["suspects", "arrested", "at_large", "under_investigation", "amount_yuan"]
PAYMENT_COLUMNS = ["payments_out_yuan", "payments_in_yuan"]


@pytest.mark.parametrize("province", sorted(EXPECTED_BY_PROVINCE))
def test_by_province_rows(suspects, payments, province):
    frame = metrics.by_province(suspects, payments)
    assert tuple(frame.loc[province, COLUMNS + PAYMENT_COLUMNS]) == EXPECTED_BY_PROVINCE[province]


def test_by_province_shape(suspects, payments):
    without = metrics.by_province(suspects)
    assert list(without.columns) == COLUMNS
    assert without.index.name == "province_adcode"
    assert list(without.index) == sorted(EXPECTED_BY_PROVINCE)
    assert list(metrics.by_province(suspects, payments).columns) == COLUMNS + PAYMENT_COLUMNS
    assert all(str(without[c].dtype) == "int64" for c in COLUMNS[:4])


EXPECTED_BY_CITY = {
    # province, suspects, arrested, at_large, under_investigation, amount, out, in
    "431000": ("430000", 2, 1, 1, 0, 150.0, 110.0, 5.25),
    "430100": ("430000", 1, 0, 0, 1, 0.0, 0.0, 0.0),
    "440300": ("440000", 1, 1, 0, 0, 25.5, 5.25, 10.0),
    "450100": ("450000", 2, 2, 0, 0, 1.0, 0.0, 0.0),
}


@pytest.mark.parametrize("city", sorted(EXPECTED_BY_CITY))
def test_by_city_rows(suspects, payments, city):
    frame = metrics.by_city(suspects, payments)
    assert tuple(frame.loc[city, ["province_adcode"] + COLUMNS + PAYMENT_COLUMNS]) == EXPECTED_BY_CITY[city]


def test_by_city_leaves_out_unknown_cities(suspects):
    frame = metrics.by_city(suspects)
    assert set(frame.index) == set(EXPECTED_BY_CITY)
    assert frame.index.name == "city_adcode"
    assert frame["suspects"].sum() == len(suspects) - 1  # E has no city


def test_by_place_of_empty_frame():
    assert metrics.by_province(empty_suspects(), empty_payments()).empty
    assert metrics.by_city(empty_suspects()).empty


@pytest.mark.parametrize(
    ("freq", "expected"),
    [
        # 2024-08-01 (Thu) and 08-03 (Sat) fall in the week of Mon 07-29; 08-20 (Tue) in the week of 08-19.
        ("W", [("2024-07-29", 2, 2), ("2024-08-05", 0, 2), ("2024-08-12", 0, 2), ("2024-08-19", 1, 3)]),
        ("MS", [("2024-08-01", 3, 3)]),
    ],
)
def test_arrests_over_time(suspects, freq, expected):
    frame = metrics.arrests_over_time(suspects, freq=freq)
    assert list(frame.columns) == ["period", "arrested", "cumulative"]
    got = [(p.strftime("%Y-%m-%d"), a, c) for p, a, c in frame.itertuples(index=False)]
    assert got == expected


def test_arrests_over_time_counts_only_arrested_status(suspects):
    dated_but_not_arrested = suspects.assign(arrest_date=pd.Timestamp("2024-08-02"), status="at_large")
    assert metrics.arrests_over_time(dated_but_not_arrested).empty


def test_arrests_over_time_spans_months(suspects):
    suspects.loc[0, "arrest_date"] = pd.Timestamp("2023-10-11")
    frame = metrics.arrests_over_time(suspects, freq="MS")
    assert frame["period"].dt.strftime("%Y-%m").tolist()[0] == "2023-10"
    assert len(frame) == 11  # 2023-10 .. 2024-08
    assert frame["cumulative"].iloc[-1] == 3


def test_arrests_over_time_rejects_other_frequencies(suspects):
    with pytest.raises(ValueError):
        metrics.arrests_over_time(suspects, freq="D")


def test_top_provinces(suspects):
    frame = metrics.by_province(suspects)
    assert list(metrics.top_provinces(frame, "amount_yuan", n=2).index) == ["430000", "440000"]
    # 440000 and 450000 tie on suspects (2): the lower adcode comes first.
    assert list(metrics.top_provinces(frame, "suspects").index) == ["430000", "440000", "450000"]
    assert list(metrics.top_provinces(frame, "arrested", n=1).index) == ["450000"]
    with pytest.raises(KeyError):
        metrics.top_provinces(frame, "nonsense")


def test_amount_by_channel(payments):
    frame = metrics.amount_by_channel(payments)
    assert list(frame.index) == ["alipay", "wechat_pay", "bank", "usdt"]  # vocabulary order
    assert frame["payments"].tolist() == [2, 0, 1, 1]
    assert frame["amount_yuan"].tolist() == [17.0, 0.0, 5.25, 100.0]


def test_demo_aggregates_add_up_to_the_headline():
    demo = generate_demo()
    head = metrics.headline(demo.suspects, demo.payments)
    provinces = metrics.by_province(demo.suspects, demo.payments)
    cities = metrics.by_city(demo.suspects)
    assert len(provinces) == head["provinces"] and len(cities) == head["cities"]
    assert provinces["suspects"].sum() == cities["suspects"].sum() == head["suspects"]
    assert provinces["arrested"].sum() == head["arrested"]
    assert round(provinces["amount_yuan"].sum(), 2) == head["amount_yuan"]
    assert (provinces[["arrested", "at_large", "under_investigation"]].sum(axis=1) == provinces["suspects"]).all()
    assert metrics.arrests_over_time(demo.suspects)["cumulative"].iloc[-1] == head["arrested"]
    assert metrics.amount_by_channel(demo.payments)["payments"].sum() == head["payments"]


@pytest.mark.parametrize(
    "dates, expected",
    [
        (["2024-08-01", "2024-08-07"], "W"),
        (["2024-04-01", "2024-07-30"], "W"),
        (["2023-10-11", "2024-08-07"], "MS"),
        ([None, "2024-08-01"], "W"),
        ([], "W"),
    ],
)
def test_natural_freq_uses_weeks_for_short_spans_and_months_for_long(dates, expected):
    from casemap.metrics import natural_freq

    assert natural_freq(pd.Series(pd.to_datetime(dates), dtype="datetime64[ns]")) == expected


@pytest.mark.parametrize(
    "arrests, payments, expected",
    [
        (["2024-08-07", None], ["2024-07-30"], "2024-08-07"),
        ([None], ["2024-07-30 18:00"], "2024-07-30"),
        ([None], [], None),
    ],
)
def test_data_as_of_is_the_latest_arrest_or_payment(arrests, payments, expected):
    import datetime as dt

    from casemap.metrics import data_as_of

    suspects = pd.DataFrame({"arrest_date": pd.Series(pd.to_datetime(arrests), dtype="datetime64[ns]")})
    paid = pd.DataFrame({"time": pd.Series(pd.to_datetime(payments), dtype="datetime64[ns]")})
    assert data_as_of(suspects, paid) == (dt.date.fromisoformat(expected) if expected else None)
